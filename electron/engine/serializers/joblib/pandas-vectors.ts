/**
 * Columns of a reconstructed pandas frame, as plain values with an Arrow type, and their
 * Arrow vectors. 64-bit integers, timestamps and durations are bigint so nothing is rounded;
 * a missing value is null (pyarrow turns pandas' NaN, NaT and NA into nulls the same way).
 */
import {
  Bool,
  DataType,
  Dictionary,
  Int32,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type Vector,
} from 'apache-arrow'

/** A column before it becomes an Arrow vector. */
export interface RawColumn {
  type: DataType
  /** One value per row; null is missing. */
  values: unknown[]
  /** For categoricals: the categories; `values` then holds their codes (null: missing). */
  dictionary?: RawColumn
}

type TypedCtor =
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor

/** The Arrow vector of a raw column. */
export function toVector(col: RawColumn): Vector {
  const { type, values } = col
  const length = values.length
  const { nullBitmap, nullCount } = validity(values)
  if (col.dictionary && DataType.isDictionary(type)) {
    const dictionary = toVector(col.dictionary)
    const data = Int32Array.from(values, (v) => (v === null ? 0 : Number(v)))
    return makeVector(makeData({ type, length, data, nullBitmap, nullCount, dictionary }))
  }
  if (DataType.isBool(type)) return vectorFromArray(values as (boolean | null)[], new Bool())
  if (DataType.isUtf8(type)) return vectorFromArray(values as (string | null)[], new Utf8())
  const wide =
    DataType.isTimestamp(type) ||
    DataType.isDuration(type) ||
    (DataType.isInt(type) && type.bitWidth === 64)
  if (wide) {
    const unsigned = DataType.isInt(type) && !type.isSigned
    const data = unsigned
      ? BigUint64Array.from(values, (v) => (v === null ? 0n : (v as bigint)))
      : BigInt64Array.from(values, (v) => (v === null ? 0n : (v as bigint)))
    return makeVector(makeData({ type, length, data, nullBitmap, nullCount } as never))
  }
  const ctor = typedCtor(type)
  const data = ctor.from(values.map((v) => (v === null ? 0 : Number(v))))
  return makeVector(makeData({ type, length, data, nullBitmap, nullCount } as never))
}

function typedCtor(type: DataType): TypedCtor {
  if (DataType.isFloat(type)) return type.precision === 1 ? Float32Array : Float64Array
  if (DataType.isDate(type)) return Int32Array
  if (DataType.isInt(type)) {
    const signed: Record<number, TypedCtor> = { 8: Int8Array, 16: Int16Array, 32: Int32Array }
    const unsigned: Record<number, TypedCtor> = { 8: Uint8Array, 16: Uint16Array, 32: Uint32Array }
    const ctor = (type.isSigned ? signed : unsigned)[type.bitWidth]
    if (ctor) return ctor
  }
  throw new Error(`pandas-vectors: no typed array for ${String(type)}`)
}

/** The rows `codes` picks from `col` (-1 or null: missing), e.g. one MultiIndex level. */
export function takeRows(col: RawColumn, codes: ArrayLike<number | bigint>): RawColumn {
  const values = Array.from({ length: codes.length }, (_, i) => {
    const c = Number(codes[i])
    return c < 0 ? null : (col.values[c] ?? null)
  })
  return col.dictionary ? { ...col, values } : { type: col.type, values }
}

/** A categorical column: codes (-1 missing) into `categories`. */
export function dictionaryColumn(
  categories: RawColumn,
  codes: ArrayLike<number | bigint>,
  ordered: boolean,
): RawColumn {
  const type = new Dictionary(categories.type, new Int32(), undefined, ordered)
  const values = Array.from(codes, (c) => (Number(c) < 0 ? null : Number(c)))
  return { type, values, dictionary: categories }
}

function validity(values: readonly unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8))
  let nullCount = 0
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null) nullCount++
    else nullBitmap[i >> 3]! |= 1 << (i & 7)
  }
  return { nullBitmap, nullCount }
}
