/**
 * Which of a CSV's columns become the table's data columns and which its index, with their
 * pandas names and reading rules, decided from the header alone (no Arrow: a CLI page of JSON
 * cells plans its columns too, see csv-page-json.ts).
 */
import { InvalidArgumentError } from '../../errors.js'
import type { ColumnRules } from './csv-column-kind.js'
import type { ReadOptions } from './read-options.js'

/** One column the table will hold. */
export interface PlannedColumn {
  name: string
  headerText: string
  /** Its position among the header's columns (-1 for pandas' implicit index). */
  position: number
  /** Its field number in each record. */
  fileIndex: number
  rules: ColumnRules
}

/** The data columns in order, and the index column (null: a RangeIndex). */
export interface TablePlan {
  data: PlannedColumn[]
  index: PlannedColumn | null
}

/** Plans the table for a header (already widened by nothing) and whether records carry an implicit index. */
export function planTable(
  options: ReadOptions,
  header: readonly string[],
  implicitIndex: boolean,
): TablePlan {
  const names = mangle(header)
  const all: PlannedColumn[] = names.map((name, i) => ({
    name,
    headerText: header[i]!,
    position: i,
    fileIndex: implicitIndex ? i + 1 : i,
    rules: rules(options, name, i),
  }))
  const used = selectColumns(options, all)
  const index = implicitIndex
    ? { name: '', headerText: '', position: -1, fileIndex: 0, rules: rules(options, '', -1) }
    : indexColumn(options, used)
  return { data: used.filter((c) => c !== index), index }
}

function selectColumns(options: ReadOptions, all: PlannedColumn[]): PlannedColumn[] {
  const usecols = options.usecols
  if (usecols === null) return all
  for (const u of usecols) {
    if (!all.some((c) => (typeof u === 'number' ? c.position === u : c.name === u))) {
      throw new InvalidArgumentError(
        `pandas.csv usecols: no column ${JSON.stringify(u)}; columns are ${all.map((c) => `'${c.name}'`).join(', ')}`,
      )
    }
  }
  return all.filter((c) => usecols.includes(c.name) || usecols.includes(c.position))
}

function indexColumn(options: ReadOptions, used: PlannedColumn[]): PlannedColumn | null {
  const { indexCol, header } = options
  if (indexCol === false) return null
  if (indexCol === null) {
    const first = used[0]
    return header === 0 && first?.position === 0 && first.headerText === '' ? first : null
  }
  const found =
    typeof indexCol === 'number' ? used[indexCol] : used.find((c) => c.name === indexCol)
  if (!found) {
    throw new InvalidArgumentError(
      `pandas.csv index_col ${JSON.stringify(indexCol)} is not one of the ${used.length} columns read`,
    )
  }
  return found
}

function rules(options: ReadOptions, name: string, position: number): ColumnRules {
  const { parseDates, dtype, naValues } = options
  const dates = Array.isArray(parseDates)
    ? parseDates.includes(name) || parseDates.includes(position)
    : parseDates
  const forced =
    dtype === null
      ? undefined
      : typeof dtype === 'string'
        ? dtype
        : Object.hasOwn(dtype, name)
          ? dtype[name]
          : undefined
  return { naValues, parseDates: dates, dtype: forced }
}

// pandas' column names: an empty header cell is 'Unnamed: i'; a repeated name gets '.1', '.2'.
function mangle(header: readonly string[]): string[] {
  const seen = new Set<string>()
  return header.map((text, i) => {
    const base = text === '' ? `Unnamed: ${i}` : text
    let name = base
    for (let k = 1; seen.has(name); k++) name = `${base}.${k}`
    seen.add(name)
    return name
  })
}
