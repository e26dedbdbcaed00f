/**
 * One CSV column's text turned into an Arrow column, inferring the type as pandas' C parser
 * does: int64 when every value is an integer (float64 if any is missing, since numpy ints have
 * no NaN), then float64, then bool (True/TRUE/true, False/FALSE/false), then, as an extension
 * plain read_csv only does with parse_dates, datetimes; anything else is a string column.
 */
import type { Vector } from 'apache-arrow'
import { InvalidArgumentError } from '../../errors.js'
import {
  boolColumn,
  categoryColumn,
  float32Column,
  float64Column,
  int64Column,
  timestampColumn,
  uint64Column,
  utf8Column,
} from '../../table/arrow-columns.js'
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

const INT_RE = /^\s*[+-]?\d+\s*$/
const FLOAT_RE = /^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity)\s*$/i
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n
const TRUE_TEXT = new Set(['True', 'TRUE', 'true'])
const FALSE_TEXT = new Set(['False', 'FALSE', 'false'])

/** Converts a column's texts (null: the record had no such field) to an Arrow column. */
export function inferColumn(
  name: string,
  texts: readonly (string | null)[],
  rules: ColumnRules,
): Vector {
  const values = texts.map((t) => (t === null || rules.naValues.has(t) ? null : t))
  if (rules.dtype) return forced(name, values, rules.dtype)
  const present = values.filter((v): v is string => v !== null)
  if (texts.length === 0) return utf8Column([])
  if (present.length === 0) return float64Column(values.map(() => null))
  const hasNull = present.length < values.length
  if (present.every((v) => INT_RE.test(v))) {
    const ints = values.map((v) => (v === null ? null : BigInt(v.trim())))
    if (hasNull) return float64Column(values.map(toFloat))
    if (ints.every((v) => v! >= INT64_MIN && v! <= INT64_MAX)) return int64Column(ints)
    if (ints.every((v) => v! >= 0n && v! <= UINT64_MAX)) return uint64Column(ints)
    // Beyond 64 bits pandas keeps the text (object dtype).
    return utf8Column(values)
  }
  if (present.every((v) => FLOAT_RE.test(v))) return float64Column(values.map(toFloat))
  if (present.every((v) => TRUE_TEXT.has(v) || FALSE_TEXT.has(v))) {
    return boolColumn(values.map((v) => (v === null ? null : TRUE_TEXT.has(v))))
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
      return timestampVector(ns, zoned > 0 ? 'UTC' : null)
    }
  }
  return utf8Column(values)
}

// Microseconds keep everything pandas usually writes; nanoseconds only when a value needs them.
function timestampVector(ns: (bigint | null)[], timezone: string | null): Vector {
  if (ns.some((v) => v !== null && v % 1000n !== 0n)) return timestampColumn(ns, 'ns', timezone)
  return timestampColumn(
    ns.map((v) => (v === null ? null : v / 1000n)),
    'us',
    timezone,
  )
}

function toFloat(v: string | null): number | null {
  if (v === null) return null
  const t = v
    .trim()
    .toLowerCase()
    .replace(/^([+-]?)inf(inity)?$/, '$1Infinity')
  return Number(t)
}

function forced(name: string, values: (string | null)[], dtype: ColumnDtype): Vector {
  const fail = (v: string, what: string) =>
    new InvalidArgumentError(`dtype '${dtype}' for column '${name}': '${v}' is not ${what}`)
  switch (dtype) {
    case 'string':
      return utf8Column(values)
    case 'category':
      return categoryColumn(values)
    case 'int64':
    case 'Int64':
      return int64Column(
        values.map((v) => {
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
        }),
      )
    case 'float64':
    case 'float32': {
      const nums = values.map((v) => {
        if (v !== null && !FLOAT_RE.test(v)) throw fail(v, 'a number')
        return toFloat(v)
      })
      return dtype === 'float64' ? float64Column(nums) : float32Column(nums)
    }
    case 'bool':
      return boolColumn(
        values.map((v) => {
          if (v === null) return null
          if (!TRUE_TEXT.has(v) && !FALSE_TEXT.has(v)) throw fail(v, 'True or False')
          return TRUE_TEXT.has(v)
        }),
      )
  }
}
