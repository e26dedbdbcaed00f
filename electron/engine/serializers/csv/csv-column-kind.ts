/**
 * What a CSV column's texts are, decided as pandas' C parser decides it, without Arrow: int64
 * when every value is an integer (float64 if any is missing, since numpy ints have no NaN),
 * then float64, then bool (True/TRUE/true, False/FALSE/false), then, as an extension plain
 * read_csv only does with parse_dates, datetimes; anything else is a string column.
 * infer-column.ts turns the result into an Arrow vector; csv-page-json.ts into JSON cells (a
 * CLI page needs no Arrow, whose import costs more than the page).
 */
import { InvalidArgumentError } from '../../errors.js'
import { parseDatetime } from '../../table/datetime-text.js'

/** How to read one column: which texts are missing, whether dates count, a forced dtype. */
export interface ColumnRules {
  naValues: ReadonlySet<string>
  parseDates: boolean
  /** A normalised dtype from read options, or undefined to infer. */
  dtype?: ColumnDtype
}

/** The dtypes the `dtype` load kwarg can force. */
export type ColumnDtype = 'string' | 'int64' | 'Int64' | 'float64' | 'float32' | 'bool' | 'category'

/** A column's values in the type inferred (or forced) for them; null is missing. */
export type ColumnValues =
  | { kind: 'string' | 'category'; values: (string | null)[] }
  | { kind: 'int64' | 'uint64'; values: (bigint | null)[] }
  | { kind: 'float64' | 'float32'; values: (number | null)[] }
  | { kind: 'bool'; values: (boolean | null)[] }
  /** Integers in `unit` since the epoch; timezone 'UTC' when the texts carried offsets. */
  | { kind: 'timestamp'; unit: 'us' | 'ns'; timezone: string | null; values: (bigint | null)[] }

const INT_RE = /^\s*[+-]?\d+\s*$/
const FLOAT_RE = /^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity)\s*$/i
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n
const TRUE_TEXT = new Set(['True', 'TRUE', 'true'])
const FALSE_TEXT = new Set(['False', 'FALSE', 'false'])

/** The type and values of a column's texts (null: the record had no such field). */
export function inferColumnValues(
  name: string,
  texts: readonly (string | null)[],
  rules: ColumnRules,
): ColumnValues {
  const values = texts.map((t) => (t === null || rules.naValues.has(t) ? null : t))
  if (rules.dtype) return forced(name, values, rules.dtype)
  const present = values.filter((v): v is string => v !== null)
  if (texts.length === 0) return { kind: 'string', values: [] }
  if (present.length === 0) return { kind: 'float64', values: values.map(() => null) }
  const hasNull = present.length < values.length
  if (present.every((v) => INT_RE.test(v))) {
    const ints = values.map((v) => (v === null ? null : BigInt(v.trim())))
    if (hasNull) return { kind: 'float64', values: values.map(toFloat) }
    if (ints.every((v) => v! >= INT64_MIN && v! <= INT64_MAX))
      return { kind: 'int64', values: ints }
    if (ints.every((v) => v! >= 0n && v! <= UINT64_MAX)) return { kind: 'uint64', values: ints }
    // Beyond 64 bits pandas keeps the text (object dtype).
    return { kind: 'string', values }
  }
  if (present.every((v) => FLOAT_RE.test(v)))
    return { kind: 'float64', values: values.map(toFloat) }
  if (present.every((v) => TRUE_TEXT.has(v) || FALSE_TEXT.has(v))) {
    return { kind: 'bool', values: values.map((v) => (v === null ? null : TRUE_TEXT.has(v))) }
  }
  if (rules.parseDates) {
    const ns: (bigint | null)[] = []
    let zoned = 0
    for (const v of values) {
      const parsed = v === null ? null : parseDatetime(v)
      if (v !== null && parsed === null) break
      if (parsed?.hasOffset) zoned++
      ns.push(parsed?.ns ?? null)
    }
    // All naive or all with an offset; a mix stays text, as pandas leaves it object.
    if (ns.length === values.length && (zoned === 0 || zoned === present.length)) {
      return timestamps(ns, zoned > 0 ? 'UTC' : null)
    }
  }
  return { kind: 'string', values }
}

// Microseconds keep everything pandas usually writes; nanoseconds only when a value needs them.
function timestamps(ns: (bigint | null)[], timezone: string | null): ColumnValues {
  if (ns.some((v) => v !== null && v % 1000n !== 0n)) {
    return { kind: 'timestamp', unit: 'ns', timezone, values: ns }
  }
  const us = ns.map((v) => (v === null ? null : v / 1000n))
  return { kind: 'timestamp', unit: 'us', timezone, values: us }
}

function toFloat(v: string | null): number | null {
  if (v === null) return null
  const t = v
    .trim()
    .toLowerCase()
    .replace(/^([+-]?)inf(inity)?$/, '$1Infinity')
  return Number(t)
}

function forced(name: string, values: (string | null)[], dtype: ColumnDtype): ColumnValues {
  const fail = (v: string, what: string) =>
    new InvalidArgumentError(`dtype '${dtype}' for column '${name}': '${v}' is not ${what}`)
  switch (dtype) {
    case 'string':
    case 'category':
      return { kind: dtype, values }
    case 'int64':
    case 'Int64': {
      const ints = values.map((v) => {
        if (v === null) {
          if (dtype === 'Int64') return null
          throw new InvalidArgumentError(
            `dtype 'int64' for column '${name}': the column has missing values; use 'Int64' or 'float64'`,
          )
        }
        if (!INT_RE.test(v)) throw fail(v, 'an integer')
        const n = BigInt(v.trim())
        if (n < INT64_MIN || n > INT64_MAX) throw fail(v, 'within int64')
        return n
      })
      return { kind: 'int64', values: ints }
    }
    case 'float64':
    case 'float32': {
      const nums = values.map((v) => {
        if (v !== null && !FLOAT_RE.test(v)) throw fail(v, 'a number')
        return toFloat(v)
      })
      return { kind: dtype, values: nums }
    }
    case 'bool': {
      const bools = values.map((v) => {
        if (v === null) return null
        if (!TRUE_TEXT.has(v) && !FALSE_TEXT.has(v)) throw fail(v, 'True or False')
        return TRUE_TEXT.has(v)
      })
      return { kind: 'bool', values: bools }
    }
  }
}
