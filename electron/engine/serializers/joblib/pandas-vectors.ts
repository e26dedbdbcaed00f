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
  type Vector,
} from 'apache-arrow'

/** A column before it becomes an Arrow vector. */
export interface RawColumn {
  type: DataType
  /**
   * One value per row: a JS array where null is missing, or (numpy columns, kept as they
   * were read) a typed array where NaN floats and NaT times are missing.
   */
  values: ArrayLike<unknown>
  /** Rows missing besides those (a masked array's mask: non-zero is missing). */
  mask?: ArrayLike<unknown>
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

const NAT = -(2n ** 63n)

/** The Arrow vector of a raw column; typed arrays are used as they are, without a copy. */
export function toVector(col: RawColumn): Vector {
  const { type, values } = col
  const length = values.length
  const { nullBitmap, nullCount } = validity(col)
  const base = { type, length, nullBitmap, nullCount }
  if (col.dictionary && DataType.isDictionary(type)) {
    const dictionary = toVector(col.dictionary)
    const data = Int32Array.from(values as ArrayLike<number | null>, (v) =>
      v === null ? 0 : Number(v),
    )
    return makeVector(makeData({ ...base, type, data, dictionary }))
  }
  if (DataType.isBool(type)) {
    const data = new Uint8Array(Math.ceil(length / 8))
    for (let i = 0; i < length; i++) {
      const v = values[i]
      if (v === true || v === 1) data[i >> 3]! |= 1 << (i & 7)
    }
    return makeVector(makeData({ ...base, type: new Bool(), data }))
  }
  if (DataType.isUtf8(type)) return utf8Vector(values, nullBitmap, nullCount)
  const wide =
    DataType.isTimestamp(type) ||
    DataType.isDuration(type) ||
    (DataType.isInt(type) && type.bitWidth === 64)
  if (wide) {
    const unsigned = DataType.isInt(type) && !type.isSigned
    const ctor = unsigned ? BigUint64Array : BigInt64Array
    const data =
      values instanceof ctor
        ? values
        : ctor.from(Array.from(values, (v) => (typeof v === 'bigint' ? v : 0n)))
    return makeVector(makeData({ ...base, data } as never))
  }
  const ctor = typedCtor(type)
  const data =
    values instanceof ctor
      ? values
      : ctor.from(Array.from(values, (v) => (typeof v === 'number' ? v : 0)))
  return makeVector(makeData({ ...base, data } as never))
}

/** A Utf8 vector written straight into one buffer (vectorFromArray took 8 s per million). */
function utf8Vector(values: ArrayLike<unknown>, nullBitmap: Uint8Array, nullCount: number): Vector {
  const length = values.length
  const valueOffsets = new Int32Array(length + 1)
  const encoder = new TextEncoder()
  let buf = new Uint8Array(Math.max(64, length * 4))
  let pos = 0
  for (let i = 0; i < length; i++) {
    const v = values[i]
    if (typeof v === 'string') {
      // A UTF-16 unit is at most 3 UTF-8 bytes.
      if (pos + v.length * 3 > buf.length) {
        const grown = new Uint8Array(Math.max(buf.length * 2, pos + v.length * 3))
        grown.set(buf.subarray(0, pos))
        buf = grown
      }
      pos += encoder.encodeInto(v, buf.subarray(pos)).written
      if (pos > 2 ** 31 - 1) throw new RangeError('a text column over 2 GiB')
    }
    valueOffsets[i + 1] = pos
  }
  const data = buf.subarray(0, pos)
  return makeVector(
    makeData({ type: new Utf8(), length, nullBitmap, nullCount, valueOffsets, data }),
  )
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
    const v = c < 0 || col.mask?.[c] ? null : (col.values[c] ?? null)
    return typeof v === 'number' && Number.isNaN(v) ? null : v
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

function validity(col: RawColumn): { nullBitmap: Uint8Array; nullCount: number } {
  const { values, mask, type } = col
  const floats = DataType.isFloat(type) && !Array.isArray(values)
  const times = (DataType.isTimestamp(type) || DataType.isDuration(type)) && !col.dictionary
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8))
  let nullCount = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    const missing =
      v === null ||
      v === undefined ||
      (floats && Number.isNaN(v)) ||
      (times && v === NAT) ||
      Boolean(mask?.[i])
    if (missing) nullCount++
    else nullBitmap[i >> 3]! |= 1 << (i & 7)
  }
  return { nullBitmap, nullCount }
}
