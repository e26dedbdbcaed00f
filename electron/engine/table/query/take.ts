/**
 * Rows picked by position out of Arrow columns, in any order, keeping each column's exact
 * type (int64, ns timestamps, decimals as text, categoricals): what a query's pages and
 * exports are made of. Works on the raw buffers, so values never pass through JS Dates or
 * floats on the way.
 */
import {
  DataType,
  Int64,
  Schema,
  Table,
  Vector,
  makeData,
  makeVector,
  vectorFromArray,
  type Data,
  type Dictionary,
} from 'apache-arrow'
import { categoryColumn, tableFromColumns } from '../arrow-columns.js'
import {
  PANDAS_METADATA_KEY,
  UNNAMED_INDEX_FIELD,
  getRangeIndex,
  readPandasMetadata,
} from '../pandas-meta.js'

/**
 * The rows at `at` (indexes into the concatenation of `parts`, all of one schema) as one
 * table, in that order. A RangeIndex becomes an index column: picked rows keep their labels.
 */
export function takeRows(parts: Table[], at: ArrayLike<number>): Table {
  const tables = parts.map(explicitIndex)
  const first = tables[0]!
  const names = first.schema.fields.map((f) => f.name)
  const vectors = names.map((_, i) => {
    const chunks = tables.flatMap((t) => t.getChildAt(i)!.data)
    return takeVector(chunks, at)
  })
  const table = tableFromColumns(names, vectors, at.length)
  return new Table(new Schema(table.schema.fields, first.schema.metadata), table.batches)
}

/** The table with a RangeIndex turned into an int64 index column ('__index_level_0__'). */
export function explicitIndex(table: Table): Table {
  const range = getRangeIndex(table)
  const meta = readPandasMetadata(table)
  if (!range || !meta) return table
  const n = table.numRows
  const labels = new BigInt64Array(n)
  for (let i = 0; i < n; i++) labels[i] = BigInt(range.start + i * range.step)
  const index = makeVector(makeData({ type: new Int64(), length: n, data: labels }))
  const names = [...table.schema.fields.map((f) => f.name), UNNAMED_INDEX_FIELD]
  const vectors = [...table.schema.fields.map((_, i) => table.getChildAt(i)!), index].map(single)
  const built = tableFromColumns(names, vectors, n)
  const columns = [
    ...meta.columns.filter((c) => c.field_name !== UNNAMED_INDEX_FIELD),
    {
      name: range.name,
      field_name: UNNAMED_INDEX_FIELD,
      pandas_type: 'int64',
      numpy_type: 'int64',
      metadata: null,
    },
  ]
  const next = {
    ...meta,
    index_columns: [UNNAMED_INDEX_FIELD, ...meta.index_columns.slice(1)],
    columns,
  }
  const metadata = new Map(table.schema.metadata)
  metadata.set(PANDAS_METADATA_KEY, JSON.stringify(next))
  return new Table(new Schema(built.schema.fields, metadata), built.batches)
}

// tableFromColumns takes single-chunk vectors.
function single(v: Vector): Vector {
  if (v.data.length === 1) return v
  return takeVector(
    v.data,
    Array.from({ length: v.length }, (_, i) => i),
  )
}

/** The values at `at` of a column given as chunks (indexes run across the chunks). */
export function takeVector(chunks: readonly Data[], at: ArrayLike<number>): Vector {
  const type = chunks[0]!.type as DataType
  const starts: number[] = []
  let total = 0
  for (const c of chunks) {
    starts.push(total)
    total += c.length
  }
  const n = at.length
  const chunkOf = new Uint32Array(n)
  const local = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    const p = at[i]!
    let lo = 0
    let hi = chunks.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= p) lo = mid
      else hi = mid - 1
    }
    chunkOf[i] = lo
    local[i] = p - starts[lo]!
  }
  const valid = (i: number) => chunks[chunkOf[i]!]!.getValid(local[i]!)
  const nullBitmap = new Uint8Array(Math.ceil(n / 8))
  let nullCount = 0
  for (let i = 0; i < n; i++) {
    if (valid(i)) nullBitmap[i >> 3]! |= 1 << (i & 7)
    else nullCount++
  }
  if (DataType.isDictionary(type)) {
    // Parts read apart have dictionaries of their own: rebuilt from the values.
    const texts: (string | null)[] = new Array(n)
    for (let i = 0; i < n; i++) {
      const c = chunks[chunkOf[i]!]! as Data<Dictionary>
      texts[i] = valid(i)
        ? (String(c.dictionary!.get(Number(c.values[local[i]!]))) as string)
        : null
    }
    return categoryColumn(texts)
  }
  if (DataType.isBool(type)) {
    const data = new Uint8Array(Math.ceil(n / 8))
    for (let i = 0; i < n; i++) {
      const c = chunks[chunkOf[i]!]!
      const j = c.offset + local[i]!
      if (valid(i) && (c.values[j >> 3]! >> (j & 7)) & 1) data[i >> 3]! |= 1 << (i & 7)
    }
    return makeVector(makeData({ type, length: n, data, nullBitmap, nullCount } as never))
  }
  if (DataType.isUtf8(type) || DataType.isBinary(type)) {
    let bytes = 0
    for (let i = 0; i < n; i++) {
      const c = chunks[chunkOf[i]!]!
      const o = c.valueOffsets as Int32Array
      bytes += o[local[i]! + 1]! - o[local[i]!]!
    }
    const data = new Uint8Array(bytes)
    const valueOffsets = new Int32Array(n + 1)
    let at2 = 0
    for (let i = 0; i < n; i++) {
      const c = chunks[chunkOf[i]!]!
      const o = c.valueOffsets as Int32Array
      const s = o[local[i]!]!
      const e = o[local[i]! + 1]!
      data.set((c.values as Uint8Array).subarray(s, e), at2)
      at2 += e - s
      valueOffsets[i + 1] = at2
    }
    return makeVector(
      makeData({ type, length: n, data, valueOffsets, nullBitmap, nullCount } as never),
    )
  }
  const first = chunks[0]!
  if (ArrayBuffer.isView(first.values) && first.stride > 0 && !DataType.isNull(type)) {
    const stride = first.stride
    const Ctor = first.values.constructor as new (n: number) => {
      [i: number]: number | bigint
    }
    const data = new Ctor(n * stride)
    for (let i = 0; i < n; i++) {
      const c = chunks[chunkOf[i]!]!
      const src = c.values as unknown as { [i: number]: number | bigint }
      // Slices of fixed-width data already start at their first value (only bits keep an offset).
      const from = local[i]! * stride
      for (let k = 0; k < stride; k++) data[i * stride + k] = src[from + k]!
    }
    return makeVector(makeData({ type, length: n, data, nullBitmap, nullCount } as never))
  }
  // Anything else (nested lists, structs): through the library's own values.
  const vector = new Vector(chunks as Data[])
  const values = Array.from({ length: n }, (_, i) => plain(vector.get(at[i]!)))
  return vectorFromArray(values, type)
}

// A list cell comes back as a Vector, which Arrow's builders cannot index: plain arrays.
function plain(value: unknown): unknown {
  return value instanceof Vector ? Array.from(value as Vector, plain) : value
}
