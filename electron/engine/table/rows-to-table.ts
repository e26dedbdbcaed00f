/**
 * Plain row objects ([{a: 1, b: 'x'}, ...]) as an Arrow table, typed the way
 * pd.DataFrame(list_of_dicts) types the same rows: columns in order of first appearance,
 * integers int64 (float64 when one is missing: numpy ints have no NaN), other numbers float64,
 * booleans bool, Dates datetime, strings string; null, undefined, NaN and absent keys are
 * missing. A column mixing kinds (numbers and strings) is refused, not stringified: pandas
 * would write Python's str() of each value, which JavaScript values do not have.
 * JavaScript cannot tell 1.0 from 1, so a column of whole numbers is int64 even if the caller
 * meant floats; build a Float64 column when that matters.
 */
import { Null, Table, makeData, makeVector, type Vector } from 'apache-arrow'
import { InvalidArgumentError } from '../errors.js'
import {
  boolColumn,
  float64Column,
  int64Column,
  tableFromColumns,
  timestampColumn,
  utf8Column,
} from './arrow-columns.js'
import { withRangeIndex } from './pandas-meta.js'

/** True for an array whose items are all plain objects (the shape rowsToTable takes). */
export function isRowObjects(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.every(isPlainObject)
}

/** The table pandas would build from these rows, with its default RangeIndex. */
export function rowsToTable(rows: readonly Record<string, unknown>[]): Table {
  const names: string[] = []
  const known = new Set<string>()
  rows.forEach((row, r) => {
    if (!isPlainObject(row)) {
      throw new InvalidArgumentError(
        `Row ${r} is not a plain object; rows must be {column: value}.`,
      )
    }
    for (const key of Object.keys(row)) {
      if (!known.has(key)) {
        known.add(key)
        names.push(key)
      }
    }
  })
  const vectors = names.map((name) =>
    column(
      name,
      rows.map((row) => (Object.hasOwn(row, name) ? row[name] : undefined)),
    ),
  )
  return withRangeIndex(tableFromColumns(names, vectors, rows.length))
}

function column(name: string, raw: unknown[]): Vector {
  const values = raw.map((v) =>
    v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v,
  )
  const present = values.filter((v) => v !== null)
  const kinds = new Set(present.map(kindOf))
  const hasNull = present.length < values.length
  if (kinds.size === 0) {
    return makeVector(makeData({ type: new Null(), length: values.length }))
  }
  if (kinds.size === 1 && kinds.has('integer') && !hasNull) {
    return int64Column(values.map((v) => BigInt(v as number | bigint)))
  }
  if ([...kinds].every((k) => k === 'integer' || k === 'number')) {
    return float64Column(values.map((v) => (v === null ? null : Number(v))))
  }
  if (kinds.size === 1 && kinds.has('boolean')) return boolColumn(values as (boolean | null)[])
  if (kinds.size === 1 && kinds.has('string')) return utf8Column(values as (string | null)[])
  if (kinds.size === 1 && kinds.has('date')) {
    return timestampColumn(
      values.map((v) => (v === null ? null : BigInt((v as Date).getTime()) * 1000n)),
      'us',
    )
  }
  throw new InvalidArgumentError(
    `Column '${name}' holds ${[...kinds].join(' and ')} values; pandas.csv takes one kind per ` +
      `column (numbers, booleans, strings or Dates). Convert the values first.`,
  )
}

function kindOf(v: unknown): string {
  if (typeof v === 'bigint') return 'integer'
  // -0 is a float in Python; so is anything beyond 2^53.
  if (typeof v === 'number')
    return Number.isSafeInteger(v) && !Object.is(v, -0) ? 'integer' : 'number'
  if (typeof v === 'boolean' || typeof v === 'string') return typeof v
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'invalid Date' : 'date'
  if (Array.isArray(v)) return 'array'
  return typeof v === 'object' ? 'object' : typeof v
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}
