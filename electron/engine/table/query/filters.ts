/**
 * A query's per-column conditions, with the value read in the column's type as pandas
 * compares: `col == v`, `col < v`... (a missing value is never equal, less or greater, and is
 * "not equal", as NaN != v is True), `contains` as str.contains(v, regex=False) on the text
 * the preview shows, isNull/notNull as isna/notna.
 */
import { InvalidArgumentError } from '../../errors.js'
import type { TableFilter } from '../../preview-types.js'
import { compareValues, type ColumnKind, type KindValue } from './columns.js'

/** A condition ready to test values of its column. */
export interface CompiledFilter {
  column: string
  op: TableFilter['op']
  /** Tests one value in the column's kind (contains gets the displayed text instead). */
  test(value: KindValue, text: () => string): boolean
}

/** Reads the filter's value in the column's kind; errors name the column and what it takes. */
export function compileFilter(filter: TableFilter, kind: ColumnKind, type: string): CompiledFilter {
  const { column, op } = filter
  if (op === 'isNull') return { column, op, test: (v) => v === null }
  if (op === 'notNull') return { column, op, test: (v) => v !== null }
  if (filter.value === null) {
    throw new InvalidArgumentError(
      `The filter '${op}' on column '${column}' needs a value (only isNull and notNull take none).`,
    )
  }
  if (op === 'contains') {
    const needle = String(filter.value)
    return { column, op, test: (v, text) => v !== null && text().includes(needle) }
  }
  const target = readValue(filter.value, kind, type, column)
  const want = (c: number) =>
    op === 'eq'
      ? c === 0
      : op === 'ne'
        ? c !== 0
        : op === 'lt'
          ? c < 0
          : op === 'le'
            ? c <= 0
            : op === 'gt'
              ? c > 0
              : c >= 0
  return {
    column,
    op,
    test: (v) => (v === null ? op === 'ne' : want(compareValues(v, target))),
  }
}

/** The filter value as a value of the column's kind. */
export function readValue(
  value: string | number | boolean,
  kind: ColumnKind,
  type: string,
  column: string,
): KindValue {
  const bad = (what: string, example: string) =>
    new InvalidArgumentError(
      `Column '${column}' is ${type}: the filter value ${JSON.stringify(value)} is not ${what}; ` +
        `give ${example}.`,
    )
  switch (kind) {
    case 'number': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN
      if (Number.isNaN(n)) throw bad('a number', 'a number such as 3 or 2.5')
      if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) && !Number.isSafeInteger(n))
        return BigInt(value.trim())
      return n
    }
    case 'bool': {
      if (typeof value === 'boolean') return value
      const t = String(value).trim().toLowerCase()
      if (t === 'true' || t === '1') return true
      if (t === 'false' || t === '0') return false
      throw bad('a boolean', 'true or false')
    }
    case 'datetime': {
      const ns = typeof value === 'string' ? parseIsoNs(value) : null
      if (ns === null)
        throw bad('an ISO date or time', 'one such as 2021-03-01 or 2021-03-01T12:30:00')
      return ns
    }
    case 'date': {
      const ns = typeof value === 'string' ? parseIsoNs(value) : null
      if (ns === null || ns % 86_400_000_000_000n !== 0n)
        throw bad('an ISO date', 'one such as 2021-03-01')
      return Number(ns / 86_400_000_000_000n)
    }
    default:
      return String(value)
  }
}

const ISO =
  /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/

/**
 * Epoch nanoseconds of an ISO 8601 date or date-time; a time without an offset is UTC (the
 * preview shows tz-aware columns as UTC instants). null when the text is not one.
 */
export function parseIsoNs(text: string): bigint | null {
  const m = ISO.exec(text.trim())
  if (!m) return null
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m
  const month = Number(mo)
  const day = Number(d)
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return null
  const ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s))
  // Date.UTC rolls 31 February over into March: such a date is not one.
  if (new Date(ms).getUTCDate() !== day) return null
  let ns = BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0')
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1n : 1n
    const digits = zone.slice(1).replace(':', '')
    const minutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)))
    ns -= sign * minutes * 60_000_000_000n
  }
  return ns
}
