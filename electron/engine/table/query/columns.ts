/**
 * How a query reads one column of a batch: its kind (what its values compare as) and its
 * values in that kind: numbers (NaN missing, as pandas' isna), epoch nanoseconds for
 * datetimes (exact), days for dates, booleans, and text for everything else (strings,
 * categoricals, decimals as their exact text).
 */
import { DataType, type Float, type Vector } from 'apache-arrow'
import { shortTypeName, timestampsAsNs } from '../arrow-columns.js'

/** What a column's values compare as. */
export type ColumnKind = 'number' | 'datetime' | 'date' | 'bool' | 'text'

/** A value of a column in its kind; null where missing (null, NaN, NaT). */
export type KindValue = number | bigint | boolean | string | null

/** The kind of an Arrow column type. */
export function kindOf(type: DataType): ColumnKind {
  if (DataType.isDictionary(type)) return 'text'
  if (DataType.isInt(type) || DataType.isFloat(type)) return 'number'
  if (DataType.isTimestamp(type)) return 'datetime'
  if (DataType.isDate(type)) return 'date'
  if (DataType.isBool(type)) return 'bool'
  return 'text'
}

/** The column's type name as the preview shows it. */
export function typeName(type: DataType): string {
  return shortTypeName(type)
}

/** The values of `vector` in its kind. */
export function kindValues(vector: Vector, kind: ColumnKind): KindValue[] {
  if (kind === 'datetime') return timestampsAsNs(vector)
  const out: KindValue[] = new Array(vector.length)
  // float16 buffers hold raw half-precision bits: read through get.
  const half = DataType.isFloat(vector.type) && (vector.type as Float).precision === 0
  let i = 0
  for (const chunk of vector.data) {
    // Numbers straight from the buffer: Vector.get per value costs several times more.
    const raw = chunk.values as unknown
    if (kind === 'number' && !half && ArrayBuffer.isView(raw) && chunk.stride === 1) {
      const values = raw as unknown as ArrayLike<number | bigint>
      for (let j = 0; j < chunk.length; j++, i++) {
        const v = values[j]!
        if (!chunk.getValid(j)) out[i] = null
        else if (typeof v === 'bigint') out[i] = Number.isSafeInteger(Number(v)) ? Number(v) : v
        else out[i] = Number.isNaN(v) ? null : v
      }
      continue
    }
    for (let j = 0; j < chunk.length; j++, i++) {
      if (!chunk.getValid(j)) {
        out[i] = null
        continue
      }
      const v = vector.get(i) as unknown
      if (v === null || v === undefined) out[i] = null
      else if (kind === 'number')
        out[i] = typeof v === 'number' && Number.isNaN(v) ? null : (v as number | bigint)
      else if (kind === 'date')
        out[i] = Math.floor(Number(v instanceof Date ? v.getTime() : v) / 86_400_000)
      else if (kind === 'bool') out[i] = Boolean(v)
      else out[i] = typeof v === 'string' ? v : textOf(v)
    }
  }
  return out
}

function textOf(v: unknown): string {
  return typeof v === 'object' && v !== null && 'toJSON' in v
    ? JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))
    : String(v)
}

/** Orders two present values of one kind: negative, zero or positive. */
export function compareValues(a: KindValue, b: KindValue): number {
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b)
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'bigint' || typeof b === 'bigint') return compareMixed(a, b)
  const x = Number(a)
  const y = Number(b)
  return x < y ? -1 : x > y ? 1 : 0
}

// An int64 beyond 2^53 against a number: exact when the number is an integer.
function compareMixed(a: KindValue, b: KindValue): number {
  const big = (v: KindValue) =>
    typeof v === 'bigint' ? v : Number.isInteger(v) ? BigInt(v as number) : null
  const x = big(a)
  const y = big(b)
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0
  const p = Number(a)
  const q = Number(b)
  return p < q ? -1 : p > q ? 1 : 0
}

/** Python's str ordering: by code point (JS '<' compares UTF-16 units, which differs above U+FFFF). */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const xs = x >= 0xd800 && x <= 0xdfff
    const ys = y >= 0xd800 && y <= 0xdfff
    if (xs !== ys) return xs ? 1 : -1
    return x - y
  }
  return a.length - b.length
}
