// encodeParquet: what it writes reads back here equal, with the 'pandas' metadata pyarrow
// would write (index kinds, dtypes), each codec, row group sizes, and clear refusals.
import { describe, expect, it } from 'vitest'
import {
  Dictionary,
  Int8,
  Schema,
  Table,
  Utf8,
  makeData,
  makeVector,
  tableFromArrays,
  vectorFromArray,
} from 'apache-arrow'
import { parquetMetadata } from 'hyparquet'
import { MemoryBackend } from '../../../electron/engine/backend/memory.js'
import { pandasParquetSerializer } from '../../../electron/engine/serializers/parquet/parquet-serializer.js'
import { encodeParquet } from '../../../electron/engine/serializers/parquet/parquet-write.js'
import {
  PANDAS_METADATA_KEY,
  withRangeIndex,
  withTableIndex,
  type PandasMetadata,
} from '../../../electron/engine/table/pandas-meta.js'
import { InvalidArgumentError } from '../../../electron/engine/errors.js'
import { jsonOf } from './helpers.js'

async function readBack(bytes: Uint8Array): Promise<Table> {
  const backend = new MemoryBackend()
  await backend.put('t.parquet', bytes)
  return (await pandasParquetSerializer.load(
    { backend, path: 't.parquet', putMode: 'overwrite' },
    {},
  )) as Table
}

function pandasMeta(bytes: Uint8Array): PandasMetadata {
  const meta = parquetMetadata(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  )
  const kv = meta.key_value_metadata?.find((k) => k.key === PANDAS_METADATA_KEY)
  return JSON.parse(kv!.value!) as PandasMetadata
}

function meta(bytes: Uint8Array) {
  return parquetMetadata(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  )
}

// (tableFromArrays would make strings a dictionary, i.e. a categorical.)
const base = () =>
  new Table({
    a: makeVector(Float64Array.from([1.5, NaN, 3])),
    s: vectorFromArray(['x', 'y', 'z'], new Utf8()),
  })

describe('encodeParquet', () => {
  it('writes a table without metadata with the RangeIndex pandas gives it', async () => {
    const bytes = await encodeParquet(base())
    const pandas = pandasMeta(bytes)
    expect(pandas.index_columns).toEqual([
      { kind: 'range', name: null, start: 0, stop: 3, step: 1 },
    ])
    expect(pandas.columns.map((c) => [c.field_name, c.pandas_type, c.numpy_type])).toEqual([
      ['a', 'float64', 'float64'],
      ['s', 'unicode', 'object'],
    ])
    expect(pandas.pandas_version).toBe('1.5.3')
    const back = await readBack(bytes)
    expect(jsonOf(back)).toEqual(jsonOf(withRangeIndex(base())))
  })

  it('keeps a RangeIndex with start and step as metadata, or as a column with index=True', async () => {
    const t = withRangeIndex(base(), 'r', 10, 5)
    const none = pandasMeta(await encodeParquet(t))
    expect(none.index_columns).toEqual([{ kind: 'range', name: 'r', start: 10, stop: 25, step: 5 }])
    const bytes = await encodeParquet(t, { index: true })
    const cols = pandasMeta(bytes)
    expect(cols.index_columns).toEqual(['r'])
    const back = await readBack(bytes)
    expect(back.getChild('r')!.toArray()).toEqual(BigInt64Array.from([10n, 15n, 20n]))
    expect(back.schema.fields.map((f) => f.name)).toEqual(['a', 's', 'r'])
  })

  it('numbers a RangeIndex made a column across batches, named as pyarrow names it', async () => {
    const two = new Table([...base().batches, ...base().batches])
    // The index is named like a data column: pyarrow then calls its column __index_level_0__.
    const t = withRangeIndex(two, 's', 100, -1)
    const bytes = await encodeParquet(t, { index: true })
    expect(pandasMeta(bytes).index_columns).toEqual(['__index_level_0__'])
    expect(pandasMeta(bytes).columns[2]).toMatchObject({
      name: 's',
      field_name: '__index_level_0__',
    })
    const back = await readBack(bytes)
    expect([...back.getChild('__index_level_0__')!.toArray()]).toEqual([
      100n,
      99n,
      98n,
      97n,
      96n,
      95n,
    ])
  })

  it('drops the index with index=False', async () => {
    const t = withTableIndex(base(), 's', 'name')
    const bytes = await encodeParquet(t, { index: false })
    const pandas = pandasMeta(bytes)
    expect(pandas.index_columns).toEqual([])
    expect(pandas.columns.map((c) => c.field_name)).toEqual(['a'])
  })

  it('writes a named index column after the data columns', async () => {
    const t = withTableIndex(base(), 's', 'name')
    const pandas = pandasMeta(await encodeParquet(t))
    expect(pandas.index_columns).toEqual(['s'])
    expect(pandas.columns.map((c) => [c.name, c.field_name])).toEqual([
      ['a', 'a'],
      ['name', 's'],
    ])
  })

  it('records nullable integers and booleans as pandas nullable dtypes', async () => {
    const t = new Table({
      i: vectorFromArray([1, null, 3], new Int8()),
      b: vectorFromArray([true, null, false]),
    })
    const pandas = pandasMeta(await encodeParquet(t))
    expect(pandas.columns.map((c) => c.numpy_type)).toEqual(['Int8', 'boolean'])
  })

  it('records a categorical with its categories and order', async () => {
    const dict = makeVector(
      makeData({
        type: new Dictionary(new Utf8(), new Int8(), 0, true),
        length: 2,
        nullCount: 0,
        data: Int8Array.from([1, 0]),
        dictionary: vectorFromArray(['lo', 'hi', 'mid'], new Utf8()),
      }),
    )
    const bytes = await encodeParquet(new Table({ c: dict }))
    expect(pandasMeta(bytes).columns[0]).toMatchObject({
      pandas_type: 'categorical',
      numpy_type: 'int8',
      metadata: { num_categories: 3, ordered: true },
    })
  })

  it.each(['snappy', 'gzip', 'brotli', 'zstd', 'lz4', 'none', 'SNAPPY', null])(
    'compression %s reads back',
    async (compression) => {
      const bytes = await encodeParquet(base(), { compression })
      const codec = meta(bytes).row_groups[0]!.columns[0]!.meta_data!.codec
      const want =
        compression === null || compression === 'none'
          ? 'UNCOMPRESSED'
          : compression === 'lz4'
            ? 'LZ4_RAW'
            : compression.toUpperCase()
      expect(codec).toBe(want)
      expect(jsonOf(await readBack(bytes)).rows).toEqual(jsonOf(withRangeIndex(base())).rows)
    },
  )

  it('honours row_group_size', async () => {
    const t = tableFromArrays({ v: Int32Array.from({ length: 25 }, (_, i) => i) })
    const groups = meta(await encodeParquet(t, { rowGroupSize: 10 })).row_groups
    expect(groups.map((g) => Number(g.num_rows))).toEqual([10, 10, 5])
  })

  it('writes an empty table', async () => {
    const t = new Table({
      v: makeVector(new Float64Array(0)),
      s: vectorFromArray([] as string[], new Utf8()),
    })
    const bytes = await encodeParquet(t)
    expect(Number(meta(bytes).num_rows)).toBe(0)
    const back = await readBack(bytes)
    expect(back.numRows).toBe(0)
    expect(back.schema.fields.map((f) => f.name)).toEqual(['v', 's'])
  })

  it('refuses an unknown codec and a bad row_group_size by name', async () => {
    await expect(encodeParquet(base(), { compression: 'lzo' })).rejects.toThrow(
      /Unsupported Parquet compression "lzo"/,
    )
    await expect(encodeParquet(base(), { rowGroupSize: 0 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    )
  })
})

describe('pandas.parquet dump kwargs', () => {
  const target = () => ({
    backend: new MemoryBackend(),
    path: 't.parquet',
    putMode: 'overwrite' as const,
  })

  it('writes with compression, index and row_group_size, and engine pyarrow or auto', async () => {
    for (const engine of ['pyarrow', 'auto']) {
      const t = target()
      await pandasParquetSerializer.dump(withRangeIndex(base(), 'r', 3, 2), t, {
        compression: 'zstd',
        index: true,
        row_group_size: 2,
        engine,
      })
      const bytes = (await t.backend.get('t.parquet'))!
      const m = meta(bytes)
      expect(m.row_groups.map((g) => Number(g.num_rows))).toEqual([2, 1])
      expect(m.row_groups[0]!.columns[0]!.meta_data!.codec).toBe('ZSTD')
      expect(pandasMeta(bytes).index_columns).toEqual(['r'])
    }
  })

  it('refuses any other kwarg by name, and values to_parquet would refuse', async () => {
    const dump = (kwargs: Record<string, unknown>) =>
      pandasParquetSerializer.dump(base(), target(), kwargs)
    await expect(dump({ partition_cols: ['s'] })).rejects.toThrow(/'partition_cols'/)
    await expect(dump({ engine: 'fastparquet' })).rejects.toThrow(/'engine' must be 'pyarrow'/)
    await expect(dump({ index: 'yes' })).rejects.toThrow(/'index' must be True, False or None/)
    await expect(dump({ row_group_size: 1.5 })).rejects.toThrow(/'row_group_size'/)
    await expect(dump({ compression: 7 })).rejects.toThrow(/'compression'/)
  })

  it('keeps put of a .parquet file byte for byte: no to_parquet option applies to it', () => {
    expect(() => pandasParquetSerializer.checkDumpKwargs!({ compression: 'gzip' })).toThrow(
      /does not support dump kwarg 'compression'/,
    )
  })
})

describe('decimal columns loaded as text', () => {
  it('are written back as decimals when the metadata says decimal(precision, scale)', async () => {
    const t = new Table({ d: vectorFromArray(['123.45', null, '-0.01', '7'], new Utf8()) })
    const recorded = {
      index_columns: [],
      column_indexes: [],
      columns: [
        {
          name: 'd',
          field_name: 'd',
          pandas_type: 'decimal',
          numpy_type: 'object',
          metadata: { precision: 5, scale: 2 },
        },
      ],
    }
    const tagged = new Table(
      new Schema(t.schema.fields, new Map([[PANDAS_METADATA_KEY, JSON.stringify(recorded)]])),
      t.batches,
    )
    const bytes = await encodeParquet(tagged)
    const leaf = meta(bytes).schema.find((e) => e.name === 'd')!
    expect(leaf.logical_type).toMatchObject({ type: 'DECIMAL', precision: 5, scale: 2 })
    expect(pandasMeta(bytes).columns[0]).toMatchObject({ pandas_type: 'decimal' })
    const back = await readBack(bytes)
    expect(jsonOf(back).rows.map((r) => r[0])).toEqual(['123.45', null, '-0.01', '7.00'])
  })

  it('stay text when a value does not fit the recorded scale', async () => {
    const t = new Table({ d: vectorFromArray(['1.234'], new Utf8()) })
    const recorded = {
      index_columns: [],
      column_indexes: [],
      columns: [
        {
          name: 'd',
          field_name: 'd',
          pandas_type: 'decimal',
          numpy_type: 'object',
          metadata: { precision: 5, scale: 2 },
        },
      ],
    }
    const tagged = new Table(
      new Schema(t.schema.fields, new Map([[PANDAS_METADATA_KEY, JSON.stringify(recorded)]])),
      t.batches,
    )
    const bytes = await encodeParquet(tagged)
    expect(pandasMeta(bytes).columns[0]).toMatchObject({ pandas_type: 'unicode' })
  })
})
