/**
 * How a table cell reads, as pandas prints it: missing datetimes NaT (dates None), floats NaN,
 * missing nullable ints and bools <NA>, missing strings None (NaN in a CSV, as read_csv gives
 * them); big integers and decimals as the exact text the engine sends; datetimes with a space,
 * and a column of midnights as dates alone.
 */
import type { PreviewCell } from '../state/table-view-store'

/** One cell's text and how to draw it. */
export interface CellText {
  text: string
  /** A missing value (drawn muted). */
  missing: boolean
}

const NUMERIC = /^(u?int|float|double|decimal)/i
const FLOAT = /^(float|double)/i
const DATETIME = /^(datetime|timestamp)/i
const MIDNIGHT = /T00:00:00(\.0+)?(Z|[+-]\d\d:\d\d)?$/

/** True for columns drawn right-aligned with tabular digits. */
export function isNumericType(type: string): boolean {
  return NUMERIC.test(type)
}

/** How one column formats its cells; `dateOnly` when every datetime on the page is midnight. */
export interface ColumnFormat {
  type: string
  dateOnly: boolean
  /** The artifact's serializer: a CSV's missing strings read back as NaN. */
  csv: boolean
}

/** The format of a column from the cells on the page (pandas drops 00:00:00 the same way). */
export function columnFormat(
  type: string,
  cells: readonly PreviewCell[],
  serializer: string | null,
): ColumnFormat {
  const dateOnly =
    DATETIME.test(type) &&
    cells.some((c) => c !== null) &&
    cells.every((c) => c === null || (typeof c === 'string' && MIDNIGHT.test(c)))
  return { type, dateOnly, csv: serializer === 'pandas.csv' }
}

/** The text pandas prints for a missing value in a column of this type. */
export function missingText(format: ColumnFormat): string {
  const t = format.type
  if (DATETIME.test(t)) return 'NaT'
  // pyarrow gives pandas date32 columns as datetime.date objects: a missing one is None.
  // read_csv gives NaN for any other missing value (an int column with one becomes float).
  if (FLOAT.test(t) || format.csv) return 'NaN'
  if (/^(u?int|bool)/i.test(t)) return '<NA>'
  return 'None'
}

/** A cell's text: exact, never rounded (strings from the engine are shown as they came). */
export function cellText(value: PreviewCell, format: ColumnFormat): CellText {
  if (value === null) return { text: missingText(format), missing: true }
  if (typeof value === 'boolean') return { text: value ? 'True' : 'False', missing: false }
  if (typeof value === 'number') {
    // pandas prints a float column's whole numbers with '.0'.
    const float = FLOAT.test(format.type) && Number.isInteger(value)
    return { text: float ? `${value}.0` : String(value), missing: false }
  }
  if (DATETIME.test(format.type)) return { text: datetimeText(value, format), missing: false }
  return { text: value, missing: false }
}

function datetimeText(iso: string, format: ColumnFormat): string {
  if (format.dateOnly) return iso.slice(0, 10)
  return iso.replace('T', ' ').replace(/Z$/, '+00:00')
}

/** The text copied for a cell (missing values as pandas prints them, so a paste reads back). */
export function copyText(value: PreviewCell, format: ColumnFormat): string {
  return cellText(value, format).text
}
