/**
 * The pd.read_csv keyword arguments the reader honours, checked and normalised. Anything else
 * is refused by name rather than ignored, because a dropped kwarg reads different data.
 */
import { InvalidArgumentError } from '../../errors.js'
import { checkKwargs, type Kwargs } from '../serializer.js'
import type { ColumnDtype } from './infer-column.js'

/** The load kwargs pandas.csv supports. */
export const LOAD_KWARGS = [
  'sep',
  'delimiter',
  'header',
  'index_col',
  'usecols',
  'nrows',
  'parse_dates',
  'na_values',
  'keep_default_na',
  'dtype',
  'encoding',
  'quotechar',
] as const

/** pandas 1.5's default missing-value texts (pandas._libs.parsers.STR_NA_VALUES). */
export const DEFAULT_NA_VALUES: readonly string[] = [
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'n/a',
  'nan',
  'null',
]

/** Normalised read options. */
export interface ReadOptions {
  sep: string
  quoteChar: string
  /** 0: the first record names the columns; null: there is no header record. */
  header: 0 | null
  /** A position (among the used columns), a name, false (never), or null (the default rule). */
  indexCol: number | string | false | null
  usecols: (string | number)[] | null
  nrows: number | null
  /** true: infer datetimes everywhere; false: never; a list: only these columns. */
  parseDates: boolean | (string | number)[]
  naValues: ReadonlySet<string>
  dtype: ColumnDtype | Record<string, ColumnDtype> | null
}

const DTYPES: Record<string, ColumnDtype> = {
  str: 'string',
  object: 'string',
  string: 'string',
  unicode: 'string',
  int: 'int64',
  int64: 'int64',
  Int64: 'Int64',
  float: 'float64',
  float64: 'float64',
  float32: 'float32',
  bool: 'bool',
  category: 'category',
}

/** Checks load kwargs and fills in pandas' defaults. */
export function readOptions(kwargs: Kwargs): ReadOptions {
  checkKwargs('pandas.csv', 'load', kwargs, LOAD_KWARGS)
  const bad = (name: string, want: string): InvalidArgumentError =>
    new InvalidArgumentError(
      `pandas.csv load kwarg '${name}' must be ${want}, not ${JSON.stringify(kwargs[name])}`,
    )
  const sep = kwargs.sep ?? kwargs.delimiter ?? ','
  if (typeof sep !== 'string' || sep.length !== 1 || /["\r\n\uFEFF]/.test(sep)) {
    throw bad(kwargs.sep !== undefined ? 'sep' : 'delimiter', 'a single character (no regex)')
  }
  const quoteChar = kwargs.quotechar ?? '"'
  if (typeof quoteChar !== 'string' || quoteChar.length !== 1 || quoteChar === sep) {
    throw bad('quotechar', 'a single character other than sep')
  }
  // null is meaningful here (no header record), so only an absent kwarg takes the default.
  const header = kwargs.header === undefined ? 0 : kwargs.header
  if (header !== 0 && header !== null && header !== 'infer') throw bad('header', '0 or null')
  const indexCol = kwargs.index_col ?? null
  if (
    !(indexCol === null || indexCol === false || typeof indexCol === 'string') &&
    !(Number.isInteger(indexCol) && (indexCol as number) >= 0)
  ) {
    throw bad('index_col', 'a column position, a column name, false or null')
  }
  const usecols = kwargs.usecols ?? null
  if (
    usecols !== null &&
    !(Array.isArray(usecols) && usecols.every((c) => typeof c === 'string' || Number.isInteger(c)))
  ) {
    throw bad('usecols', 'a list of column names or positions')
  }
  const nrows = kwargs.nrows ?? null
  if (nrows !== null && !(Number.isInteger(nrows) && (nrows as number) >= 0)) {
    throw bad('nrows', 'a non-negative integer')
  }
  const parseDates = kwargs.parse_dates ?? true
  if (typeof parseDates !== 'boolean' && !Array.isArray(parseDates)) {
    throw bad('parse_dates', 'true, false or a list of columns')
  }
  const encoding = kwargs.encoding ?? 'utf-8'
  if (typeof encoding !== 'string' || !/^utf[-_]?8$/i.test(encoding)) {
    throw bad('encoding', "'utf-8'")
  }
  return {
    sep,
    quoteChar,
    header: header === null ? null : 0,
    indexCol: indexCol as ReadOptions['indexCol'],
    usecols: usecols as ReadOptions['usecols'],
    nrows: nrows as number | null,
    parseDates: parseDates as ReadOptions['parseDates'],
    naValues: naValues(kwargs, bad),
    dtype: dtypeOption(kwargs.dtype, bad),
  }
}

function naValues(kwargs: Kwargs, bad: (n: string, w: string) => Error): Set<string> {
  const keep = kwargs.keep_default_na ?? true
  if (typeof keep !== 'boolean') throw bad('keep_default_na', 'true or false')
  const extra = kwargs.na_values ?? []
  const list = typeof extra === 'string' ? [extra] : extra
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw bad('na_values', 'a string or a list of strings (per-column dicts are not supported)')
  }
  return new Set([...(keep ? DEFAULT_NA_VALUES : []), ...list.map(String)])
}

function dtypeOption(dtype: unknown, bad: (n: string, w: string) => Error): ReadOptions['dtype'] {
  if (dtype === undefined || dtype === null) return null
  const want = `one of ${Object.keys(DTYPES).join(', ')} (or a {column: dtype} object of them)`
  if (typeof dtype === 'string') {
    const d = lookupDtype(dtype)
    if (!d) throw bad('dtype', want)
    return d
  }
  if (typeof dtype !== 'object' || Array.isArray(dtype)) throw bad('dtype', want)
  const out: Record<string, ColumnDtype> = Object.create(null) as Record<string, ColumnDtype>
  for (const [column, name] of Object.entries(dtype)) {
    const d = typeof name === 'string' ? lookupDtype(name) : undefined
    if (!d) throw bad('dtype', want)
    out[column] = d
  }
  return out
}

function lookupDtype(name: string): ColumnDtype | undefined {
  // Own keys only: 'constructor' is not a dtype.
  return Object.hasOwn(DTYPES, name) ? DTYPES[name] : undefined
}
