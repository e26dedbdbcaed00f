/**
 * Small builders and readers for the Arrow column types tables hold here. Fixed-width columns
 * are built straight from typed arrays (fast, no per-value builder); timestamps are read from
 * their raw 64-bit values because Vector.get() returns milliseconds as a float, which loses
 * nanoseconds.
 */
import {
  Bool,
  Decimal,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  Null,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeUnit,
  Timestamp,
  Uint64,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  DataType,
  type Vector,
} from 'apache-arrow'
// RecordBatch construction is quadratic in the column count without it.
import './arrow-linear-schema.js'

/** Arrow's validity bitmap for values where null marks a missing one. */
function validity(values: readonly unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8))
  let nullCount = 0
  values.forEach((v, i) => {
    if (v === null) nullCount++
    else nullBitmap[i >> 3]! |= 1 << (i & 7)
  })
  return { nullBitmap, nullCount }
}

/** An Int64 column (nulls allowed). */
export function int64Column(values: readonly (bigint | null)[]): Vector<Int64> {
  const data = BigInt64Array.from(values, (v) => v ?? 0n)
  return makeVector(
    makeData({ type: new Int64(), length: values.length, data, ...validity(values) }),
  )
}

/** A Uint64 column (nulls allowed). */
export function uint64Column(values: readonly (bigint | null)[]): Vector<Uint64> {
  const data = BigUint64Array.from(values, (v) => v ?? 0n)
  return makeVector(
    makeData({ type: new Uint64(), length: values.length, data, ...validity(values) }),
  )
}

/** A Float64 column; null (not NaN) marks a missing value, as pyarrow converts pandas' NaN. */
export function float64Column(values: readonly (number | null)[]): Vector<Float64> {
  const data = Float64Array.from(values, (v) => v ?? 0)
  return makeVector(
    makeData({ type: new Float64(), length: values.length, data, ...validity(values) }),
  )
}

/** A Float32 column (nulls allowed). */
export function float32Column(values: readonly (number | null)[]): Vector<Float32> {
  const data = Float32Array.from(values, (v) => v ?? 0)
  return makeVector(
    makeData({ type: new Float32(), length: values.length, data, ...validity(values) }),
  )
}

/** A Bool column (nulls allowed). */
export function boolColumn(values: readonly (boolean | null)[]): Vector<Bool> {
  return vectorFromArray(values as (boolean | null)[], new Bool())
}

/** A Utf8 column (nulls allowed). */
export function utf8Column(values: readonly (string | null)[]): Vector<Utf8> {
  // Encoded straight into one buffer: Arrow's Utf8 builder measured ~10 s per 2M strings.
  const n = values.length
  const valueOffsets = new Int32Array(n + 1)
  let data = new Uint8Array(Math.max(64, n * 8))
  const encoder = new TextEncoder()
  let at = 0
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (v !== null && v !== undefined) {
      if (data.length - at < v.length * 3) {
        const next = new Uint8Array(Math.max(data.length * 2, at + v.length * 3))
        next.set(data.subarray(0, at))
        data = next
      }
      let k = 0
      // ASCII byte by byte (most text); the rest of a string with any other character whole.
      for (; k < v.length; k++) {
        const c = v.charCodeAt(k)
        if (c >= 0x80) break
        data[at++] = c
      }
      if (k < v.length) at += encoder.encodeInto(v.slice(k), data.subarray(at)).written
      if (at > 0x7fffffff) return vectorFromArray(values as (string | null)[], new Utf8())
    }
    valueOffsets[i + 1] = at
  }
  return makeVector(
    makeData({
      type: new Utf8(),
      length: n,
      data: data.subarray(0, at),
      valueOffsets,
      ...validity(values),
    }),
  )
}

/**
 * A dictionary-encoded column: what pyarrow makes of a pandas 'category' column. `values` is
 * the decoded column (strings, or numbers/bigints of `valueType`); `ordered` is pandas'.
 * `categories` gives the dictionary and its order (a value not among them is appended).
 */
export function categoryColumn(
  values: readonly unknown[],
  ordered = false,
  valueType: DataType = new Utf8(),
  categories: readonly unknown[] | null = null,
): Vector<Dictionary> {
  const type = new Dictionary(valueType, new Int32(), null, ordered)
  if (!categories) {
    return vectorFromArray(values as never[], type as never) as unknown as Vector<Dictionary>
  }
  const dict = [...categories]
  const at = new Map(dict.map((c, i) => [c, i]))
  const indices = Int32Array.from(values, (v) => {
    if (v === null) return 0
    let i = at.get(v)
    if (i === undefined) at.set(v, (i = dict.push(v) - 1))
    return i
  })
  const dictionary = vectorFromArray(dict as never[], valueType as never) as Vector
  return makeVector(
    makeData({ type, length: values.length, data: indices, dictionary, ...validity(values) }),
  )
}

/** A column of `length` missing values: pandas' 'empty' type (an all-None object column). */
export function nullColumn(length: number): Vector<Null> {
  return makeVector(makeData({ type: new Null(), length, nullCount: length }))
}

/**
 * A 128-bit Decimal column from unscaled integers (the value is n / 10^scale), kept exact:
 * Arrow stores each as four little-endian 32-bit words of two's complement.
 */
export function decimalColumn(
  values: readonly (bigint | null)[],
  precision: number,
  scale: number,
): Vector<Decimal> {
  const data = new Uint32Array(values.length * 4)
  values.forEach((v, i) => {
    let n = BigInt.asUintN(128, v ?? 0n)
    for (let w = 0; w < 4; w++) {
      data[i * 4 + w] = Number(n & 0xffffffffn)
      n >>= 32n
    }
  })
  const type = new Decimal(scale, precision, 128)
  return makeVector(makeData({ type, length: values.length, data, ...validity(values) }))
}

/** A Decimal column's values as exact decimal text ('-12.50'), null where missing. */
export function decimalsAsText(vector: Vector): (string | null)[] {
  const type = vector.type as Decimal
  const words = type.bitWidth / 32
  const out: (string | null)[] = []
  for (const chunk of vector.data) {
    const raw = chunk.values as Uint32Array
    for (let j = 0; j < chunk.length; j++) {
      if (!chunk.getValid(j)) {
        out.push(null)
        continue
      }
      let n = 0n
      for (let w = words - 1; w >= 0; w--) n = (n << 32n) | BigInt(raw[j * words + w]!)
      out.push(scaledText(BigInt.asIntN(type.bitWidth, n), type.scale))
    }
  }
  return out
}

/** The exact decimal text of the unscaled integer n at `scale` digits after the point. */
export function scaledText(n: bigint, scale: number): string {
  const negative = n < 0n
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole
  return negative ? `-${text}` : text
}

/** A Timestamp column from epoch values already in `unit` ('us' or 'ns'). */
export function timestampColumn(
  values: readonly (bigint | null)[],
  unit: 'us' | 'ns',
  timezone: string | null = null,
): Vector<Timestamp> {
  const type = new Timestamp(unit === 'us' ? TimeUnit.MICROSECOND : TimeUnit.NANOSECOND, timezone)
  const data = BigInt64Array.from(values, (v) => v ?? 0n)
  return makeVector(makeData({ type, length: values.length, data, ...validity(values) }))
}

const NS_PER_UNIT: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000_000n,
  [TimeUnit.MILLISECOND]: 1_000_000n,
  [TimeUnit.MICROSECOND]: 1_000n,
  [TimeUnit.NANOSECOND]: 1n,
}

/** A Timestamp column's values as epoch nanoseconds (null where missing). */
export function timestampsAsNs(vector: Vector): (bigint | null)[] {
  const type = vector.type as Timestamp
  const scale = NS_PER_UNIT[type.unit] ?? 1n
  const out: (bigint | null)[] = []
  for (const chunk of vector.data) {
    const raw = chunk.values as BigInt64Array | Int32Array
    for (let j = 0; j < chunk.length; j++) {
      if (!chunk.getValid(j)) out.push(null)
      // Older Arrow builds hold 64-bit values as pairs of int32 (low, high).
      else if (raw instanceof BigInt64Array) out.push(raw[j]! * scale)
      else out.push((BigInt(raw[2 * j + 1]!) * 2n ** 32n + BigInt(raw[2 * j]! >>> 0)) * scale)
    }
  }
  return out
}

/**
 * A short, stable type name for JSON and messages ('int64', 'float32', 'datetime', ...).
 * Categoricals show their values' type; decimals 'decimal(precision,scale)'; nested types
 * 'list<int64>' and 'struct<a: int64, b: string>' (the zone and the ordered flag stay on the
 * Arrow type: the name is what the CLI and the grid show).
 */
export function shortTypeName(type: DataType): string {
  if (DataType.isDictionary(type)) return shortTypeName((type as Dictionary).dictionary)
  if (DataType.isDecimal(type)) return `decimal(${type.precision},${type.scale})`
  if (DataType.isList(type)) return `list<${shortTypeName(type.children[0]!.type as DataType)}>`
  if (DataType.isStruct(type)) {
    const fields = type.children.map((f) => `${f.name}: ${shortTypeName(f.type as DataType)}`)
    return `struct<${fields.join(', ')}>`
  }
  if (DataType.isTimestamp(type)) return 'datetime'
  if (DataType.isDate(type)) return 'date'
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'string'
  if (DataType.isBool(type)) return 'bool'
  if (DataType.isNull(type)) return 'null'
  // Int64, Uint8, Float32 ... lower-cased: the numpy spelling.
  return String(type).toLowerCase()
}

/** A single-batch table whose columns keep the given order (even names like '0', '1'). */
export function tableFromColumns(
  names: readonly string[],
  vectors: readonly Vector[],
  numRows: number,
): Table {
  const fields = names.map((n, i) => new Field(n, vectors[i]!.type, true))
  const children = vectors.map((v) => {
    if (v.data.length !== 1) throw new Error('tableFromColumns: columns must be single-chunk')
    return v.data[0]!
  })
  const struct = makeData({ type: new Struct(fields), length: numRows, nullCount: 0, children })
  return new Table([new RecordBatch(new Schema(fields), struct)])
}
