/**
 * The Arrow tables tables-parquet-ts-to-py.test.ts puts, by name. Each has a twin built with
 * pandas in python/check_tables_parquet.py (FRAMES): the frame pd.read_parquet must give back.
 * Keep the two in step: same columns, values, dtypes and index.
 */
import {
  Bool,
  DateDay,
  Decimal,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  LargeUtf8,
  List,
  Schema,
  Struct,
  Table,
  TimeUnit,
  Timestamp,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow'
import {
  PANDAS_METADATA_KEY,
  readPandasMetadata,
  withRangeIndex,
  withTableIndex,
} from '../../../electron/engine/table/pandas-meta.js'

/** Arrow's validity bitmap: bit i set where values[i] is not null. */
function validity(values: readonly unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8))
  let nullCount = 0
  values.forEach((v, i) => {
    if (v === null) nullCount++
    else nullBitmap[i >> 3]! |= 1 << (i & 7)
  })
  return { nullBitmap, nullCount }
}

function fixed<T extends DataType>(
  type: T,
  values: readonly (number | bigint | null)[],
  Array_: { from(v: Iterable<number | bigint>): ArrayLike<unknown> },
  zero: number | bigint = 0,
): Vector<T> {
  const data = Array_.from(values.map((v) => v ?? zero) as Iterable<number | bigint>)
  return makeVector(
    makeData({ type, length: values.length, data, ...validity(values) } as never),
  ) as Vector<T>
}

const ts = (unit: TimeUnit, tz: string | null, values: (bigint | null)[]) =>
  fixed(new Timestamp(unit, tz), values, BigInt64Array, 0n)

// 128-bit little-endian two's complement words of each unscaled decimal.
function decimal128(values: (bigint | null)[], precision: number, scale: number): Vector {
  const words = new Uint32Array(values.length * 4)
  values.forEach((v, i) => {
    let x = BigInt.asUintN(128, v ?? 0n)
    for (let w = 0; w < 4; w++, x >>= 32n) words[i * 4 + w] = Number(x & 0xffffffffn)
  })
  const type = new Decimal(scale, precision, 128)
  return makeVector(makeData({ type, length: values.length, data: words, ...validity(values) }))
}

let dictionaryId = 0

function categorical(cats: string[], values: (string | null)[], ordered: boolean): Vector {
  // Arrow refuses two different dictionaries under one id in a schema.
  const type = new Dictionary(new Utf8(), new Int8(), dictionaryId++, ordered)
  return makeVector(
    makeData({
      type,
      length: values.length,
      data: Int8Array.from(values.map((v) => (v === null ? 0 : cats.indexOf(v)))),
      dictionary: vectorFromArray(cats, new Utf8()),
      ...validity(values),
    }),
  )
}

const NS_2023 = 1_700_000_000_123_456_789n

/** Every column type of issue 8; no pandas metadata, so pandas' default RangeIndex. */
function types(): Table {
  return new Table({
    i8: fixed(new Int8(), [1, -2, 3], Int8Array),
    i16: fixed(new Int16(), [1, -2, 3], Int16Array),
    i32: fixed(new Int32(), [1, -2, 3], Int32Array),
    i64: fixed(new Int64(), [1n, -2n, 2n ** 62n], BigInt64Array, 0n),
    u8: fixed(new Uint8(), [1, 2, 255], Uint8Array),
    u16: fixed(new Uint16(), [1, 2, 65535], Uint16Array),
    u32: fixed(new Uint32(), [1, 2, 4294967295], Uint32Array),
    u64: fixed(new Uint64(), [1n, 2n, 2n ** 63n], BigUint64Array, 0n),
    f32: fixed(new Float32(), [1.5, NaN, -2], Float32Array),
    f64: fixed(new Float64(), [1.5, NaN, -2], Float64Array),
    b: vectorFromArray([true, false, true], new Bool()),
    b_na: vectorFromArray([true, null, false], new Bool()),
    i_na: fixed(new Int64(), [1n, null, 3n], BigInt64Array, 0n),
    s: vectorFromArray(['x', null, 'é'], new Utf8()),
    ls: vectorFromArray(['x', null, 'é'], new LargeUtf8()),
    d: fixed(new DateDay(), [0, null, 19782], Int32Array),
    ts_ms: ts(TimeUnit.MILLISECOND, null, [0n, null, 1_700_000_000_123n]),
    ts_us: ts(TimeUnit.MICROSECOND, null, [0n, null, 1_700_000_000_123_456n]),
    ts_ns: ts(TimeUnit.NANOSECOND, null, [0n, null, NS_2023]),
    ts_tz: ts(TimeUnit.NANOSECOND, 'Europe/Paris', [0n, null, NS_2023]),
    ts_utc: ts(TimeUnit.MILLISECOND, 'UTC', [0n, null, 1_700_000_000_123n]),
    dec: decimal128([12345n, null, -1n], 10, 2),
    cat: categorical(['a', 'c'], ['a', 'c', null], false),
    cat_ord: categorical(['lo', 'mid', 'hi'], ['lo', 'mid', 'hi'], true),
  })
}

/**
 * Categoricals whose categories the Rust writer cannot keep: one never used, and an order
 * other than first appearance (it re-encodes each dictionary from the values, in order).
 */
function categories(): Table {
  return new Table({
    unused: categorical(['a', 'b', 'c'], ['a', 'c', null], false),
    order: categorical(['lo', 'mid', 'hi'], ['hi', 'lo', 'mid'], true),
  })
}

/** List and struct columns. */
function nested(): Table {
  return new Table({
    lst: vectorFromArray([[1n, 2n], [], null], new List(new Field('item', new Int64(), true))),
    st: vectorFromArray(
      [{ a: 1n, b: 'x' }, null, { a: 3n, b: null }],
      new Struct([new Field('a', new Int64(), true), new Field('b', new Utf8(), true)]),
    ),
  })
}

function small(extra: Record<string, Vector> = {}): Table {
  return new Table({
    f: fixed(new Float64(), [1.5, NaN, -2], Float64Array),
    s: vectorFromArray(['a', null, 'c'], new Utf8()),
    ...extra,
  })
}

// A MultiIndex as pyarrow records it: two index columns, listed in index_columns.
function multi(): Table {
  const t = withTableIndex(
    small({
      k1: vectorFromArray(['x', 'x', 'y'], new Utf8()),
      k2: fixed(new Int64(), [1n, 2n, 1n], BigInt64Array, 0n),
    }),
    'k1',
    'k1',
  )
  const meta = readPandasMetadata(t)!
  meta.index_columns = ['k1', 'k2']
  meta.columns = meta.columns.map((c) => (c.field_name === 'k2' ? { ...c, name: 'k2' } : c))
  const metadata = new Map(t.schema.metadata)
  metadata.set(PANDAS_METADATA_KEY, JSON.stringify(meta))
  return new Table(new Schema(t.schema.fields, metadata), t.batches)
}

/** The tables by name (python/check_tables_parquet.py FRAMES has their pandas twins). */
export const FRAMES: Record<string, () => Table> = {
  types,
  nested,
  categories,
  small: () => small(),
  'small-range': () => withRangeIndex(small(), 'r', 10, 5),
  'small-named': () =>
    withTableIndex(small({ key: vectorFromArray(['p', 'q', 'r'], new Utf8()) }), 'key', 'key'),
  'small-unnamed': () =>
    withTableIndex(
      small({ __index_level_0__: fixed(new Int64(), [7n, 8n, 9n], BigInt64Array, 0n) }),
      '__index_level_0__',
      null,
    ),
  'small-multi': multi,
  long: () =>
    new Table({
      v: fixed(
        new Int32(),
        Array.from({ length: 25 }, (_, i) => i),
        Int32Array,
      ),
    }),
  empty: () =>
    new Table({
      f: fixed(new Float64(), [], Float64Array),
      s: vectorFromArray([] as string[], new Utf8()),
    }),
}
