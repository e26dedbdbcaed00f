/**
 * DataFrame.to_csv (pandas 1.5, Python 3.11's csv module) for an Arrow table: the bytes are
 * the ones pandas writes for the DataFrame pyarrow's to_pandas would make of the table. The
 * index comes first: the table's pandas index if it has one (table/pandas-meta.ts), else
 * pandas' default RangeIndex 0..n-1, as a DataFrame built from the same columns would have.
 */
import type { Table, Vector } from 'apache-arrow'
import { InvalidArgumentError, NotSupportedError } from '../../errors.js'
import {
  dataColumns,
  getRangeIndex,
  getTableIndex,
  indexLevelCount,
} from '../../table/pandas-meta.js'
import { checkKwargs, type Kwargs } from '../serializer.js'
import { formatColumn, type CellFormat } from './format-cells.js'
import { floatFormatter } from '../../table/python-float.js'
import { checkDateFormat } from '../../table/datetime-text.js'

/** The dump kwargs pandas.csv supports. */
export const DUMP_KWARGS = [
  'index',
  'header',
  'sep',
  'na_rep',
  'index_label',
  'columns',
  'lineterminator',
  'line_terminator',
  'quotechar',
  'encoding',
  'float_format',
  'date_format',
] as const

/** Checks to_csv kwargs (names and values) as writePandasCsv would, without writing. */
export function checkPandasCsvDumpKwargs(kwargs: Kwargs): void {
  checkKwargs('pandas.csv', 'dump', kwargs, DUMP_KWARGS)
  dumpOptions(kwargs)
}

/** Writes the table as DataFrame.to_csv(**kwargs) would, UTF-8 encoded. */
export function writePandasCsv(table: Table, kwargs: Kwargs = {}): Uint8Array {
  checkKwargs('pandas.csv', 'dump', kwargs, DUMP_KWARGS)
  const o = dumpOptions(kwargs)
  if (indexLevelCount(table) > 1) {
    throw new NotSupportedError('pandas.csv cannot write a table with a MultiIndex yet.')
  }
  const fmt: CellFormat = { naRep: o.naRep, floatFormat: o.floatFormat, dateFormat: o.dateFormat }
  const fields = dataColumns(table)
  const chosen = o.columns ?? fields.map((f) => f.name)
  const cells = chosen.map((name) => {
    const at = table.schema.fields.findIndex((f) => f.name === name && fields.includes(f))
    if (at < 0)
      throw new InvalidArgumentError(`pandas.csv columns: the table has no column '${name}'`)
    return formatColumn(table.getChildAt(at) as Vector, name, fmt)
  })
  const { cells: indexCells, name: indexName } = indexOf(table, fmt)

  const lines: string[][] = []
  if (o.header !== false) {
    const labels = Array.isArray(o.header) ? o.header : chosen
    if (labels.length !== chosen.length) {
      throw new InvalidArgumentError(
        `pandas.csv header: writing ${chosen.length} columns but got ${labels.length} aliases`,
      )
    }
    // pandas: an index label of false (or []) leaves the index cell out of the header row.
    const label = o.indexLabel === null ? [indexName ?? ''] : o.indexLabel
    lines.push([...(o.index && label !== false ? label : []), ...labels])
  }
  for (let i = 0; i < table.numRows; i++) {
    const row = o.index ? [indexCells[i]!] : []
    for (const column of cells) row.push(column[i]!)
    lines.push(row)
  }
  const text = lines.map(rowJoiner(o)).join('')
  return new TextEncoder().encode(text)
}

interface DumpOptions {
  index: boolean
  header: boolean | string[]
  sep: string
  naRep: string
  indexLabel: string[] | false | null
  columns: string[] | null
  lineterminator: string
  quotechar: string
  floatFormat?: (x: number) => string
  dateFormat?: string
}

function dumpOptions(kwargs: Kwargs): DumpOptions {
  const bad = (name: string, want: string): InvalidArgumentError =>
    new InvalidArgumentError(
      `pandas.csv dump kwarg '${name}' must be ${want}, not ${JSON.stringify(kwargs[name])}`,
    )
  const isStrings = (v: unknown): v is string[] =>
    Array.isArray(v) && v.every((s) => typeof s === 'string')
  const str = (name: string, fallback: string, oneChar = false): string => {
    const v = kwargs[name] ?? fallback
    if (typeof v !== 'string' || (oneChar && v.length !== 1)) {
      throw bad(name, oneChar ? 'a single character' : 'a string')
    }
    return v
  }
  const index = kwargs.index ?? true
  if (typeof index !== 'boolean') throw bad('index', 'true or false')
  const header = kwargs.header ?? true
  if (typeof header !== 'boolean' && !isStrings(header)) throw bad('header', 'a bool or a list')
  const label = kwargs.index_label ?? null
  if (label !== null && label !== false && typeof label !== 'string' && !isStrings(label)) {
    throw bad('index_label', 'a string, a list of one string, false or null')
  }
  if (isStrings(label) && label.length > 1) {
    throw new NotSupportedError('pandas.csv index_label with several names needs a MultiIndex.')
  }
  const columns = kwargs.columns ?? null
  if (columns !== null && !isStrings(columns)) throw bad('columns', 'a list of column names')
  const encoding = str('encoding', 'utf-8')
  if (!/^utf[-_]?8$/i.test(encoding)) throw bad('encoding', "'utf-8'")
  const floatFormat = kwargs.float_format
  if (floatFormat !== undefined && floatFormat !== null && typeof floatFormat !== 'string') {
    throw bad('float_format', "a printf format such as '%.3f'")
  }
  const dateFormat = kwargs.date_format ?? undefined
  if (dateFormat !== undefined && typeof dateFormat !== 'string')
    throw bad('date_format', "a strftime format such as '%Y-%m-%d'")
  if (dateFormat !== undefined) checkDateFormat(dateFormat)
  return {
    index,
    header,
    sep: str('sep', ',', true),
    naRep: str('na_rep', ''),
    indexLabel: typeof label === 'string' ? [label] : (label as string[] | false | null),
    columns,
    // pandas 1.5 defaults to os.linesep; every fixture (and every POSIX pandas) writes '\n'.
    lineterminator: str(
      kwargs.lineterminator !== undefined ? 'lineterminator' : 'line_terminator',
      '\n',
    ),
    quotechar: str('quotechar', '"', true),
    floatFormat: typeof floatFormat === 'string' ? floatFormatter(floatFormat) : undefined,
    dateFormat,
  }
}

function indexOf(table: Table, fmt: CellFormat): { cells: string[]; name: string | null } {
  const index = getTableIndex(table)
  if (index) {
    const vector = table.getChild(index.field) as Vector
    return { cells: formatColumn(vector, index.field, fmt), name: index.name }
  }
  const range = getRangeIndex(table) ?? { name: null, start: 0, step: 1 }
  const cells = Array.from({ length: table.numRows }, (_, i) =>
    String(range.start + i * range.step),
  )
  return { cells, name: range.name }
}

// Python's csv.writer with QUOTE_MINIMAL: quote a field holding the separator, the quote
// character or a character of the line terminator (not a lone '\r' when the terminator is
// '\n': Python 3.11 leaves that bare), doubling quotes; a row that is one empty field is `""`.
function rowJoiner(o: DumpOptions): (row: readonly string[]) => string {
  const specials = [...new Set([o.sep, o.quotechar, ...o.lineterminator])]
  const needsQuotes = new RegExp(
    `[${specials.map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('')}]`,
  )
  const q = o.quotechar
  const quote = (field: string): string =>
    needsQuotes.test(field) ? q + field.replaceAll(q, q + q) + q : field
  return (row) => {
    if (row.length === 1 && row[0] === '') return q + q + o.lineterminator
    return row.map(quote).join(o.sep) + o.lineterminator
  }
}
