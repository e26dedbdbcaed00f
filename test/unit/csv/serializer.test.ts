// The pandas.csv serializer through a Backend: dump/load, byte-range previews, and kwargs.
import { Table, tableFromArrays } from 'apache-arrow'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  PREVIEW_CHUNK_BYTES,
  pandasCsvSerializer,
  previewPandasCsv,
} from '../../../electron/engine/serializers/csv/csv-serializer.js'
import { readPandasCsv } from '../../../electron/engine/serializers/csv/read-csv.js'
import {
  checkPandasCsvDumpKwargs,
  writePandasCsv,
} from '../../../electron/engine/serializers/csv/write-csv.js'
import {
  float64Column,
  int64Column,
  utf8Column,
} from '../../../electron/engine/table/arrow-columns.js'
import { sliceTable } from '../../../electron/engine/table/pandas-meta.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'
import { MemoryBackend, memoryTarget } from './memory-backend.js'
import { pickSerializer } from '../../../electron/engine/pick.js'
import { EDGE_CSV, edgeTable } from './edge-table.js'

describe('pandasCsvSerializer dump/load', () => {
  it("is registered as pandas.csv, and 'auto' picks it for arrow Tables only", () => {
    expect(pandasCsvSerializer.name).toBe('pandas.csv')
    expect(pickSerializer(edgeTable())).toBe('pandas.csv')
    // Arrays of row objects are taken by dump but not picked: Python would pickle a list.
    expect(pickSerializer([{ a: 1 }])).toBe('joblib')
    expect(pickSerializer({ a: 1 })).toBe('joblib')
  })

  it('dumps the bytes pandas writes, with the store put mode, and loads them back', async () => {
    const backend = new MemoryBackend()
    const target = memoryTarget(backend, 'edge.csv')
    await pandasCsvSerializer.dump(edgeTable(), target, {})
    expect(new TextDecoder().decode(await backend.get('edge.csv'))).toBe(EDGE_CSV)
    await expect(pandasCsvSerializer.dump(edgeTable(), target, {})).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    })
    const loaded = (await pandasCsvSerializer.load(target, {})) as Table
    expect(tableToJson(loaded).rows).toEqual(tableToJson(edgeTable()).rows)
  })

  it('dumps arrays of row objects, and refuses other values', async () => {
    const backend = new MemoryBackend()
    await pandasCsvSerializer.dump([{ a: 1 }, { a: 2 }], memoryTarget(backend, 'rows.csv'), {})
    expect(new TextDecoder().decode(await backend.get('rows.csv'))).toBe(',a\n0,1\n1,2\n')
    const target = memoryTarget(backend, 'bad.csv')
    await expect(pandasCsvSerializer.dump('text', target, {})).rejects.toThrow(/not string/)
    await expect(pandasCsvSerializer.dump([{ a: 1 }, { a: 'x' }], target, {})).rejects.toThrow(
      /Column 'a' holds integer and string values/,
    )
    expect(await backend.head('bad.csv')).toBeUndefined()
  })

  it('reports a missing payload as corrupt', async () => {
    const target = memoryTarget(new MemoryBackend(), 'gone.csv')
    await expect(pandasCsvSerializer.load(target, {})).rejects.toMatchObject({
      code: 'CORRUPT_PAYLOAD',
    })
  })
})

describe('kwargs', () => {
  const t = tableFromArrays({ a: new Float64Array([1]) })

  it('refuses unknown load and dump kwargs, naming them', async () => {
    const target = memoryTarget(new MemoryBackend(), 'k.csv')
    await expect(
      pandasCsvSerializer.dump(t, target, { compression: 'gzip', mode: 'a' }),
    ).rejects.toThrow(/does not support dump kwargs 'compression', 'mode'; supported: index,/)
    await pandasCsvSerializer.dump(t, target, {})
    await expect(pandasCsvSerializer.load(target, { engine: 'python' })).rejects.toThrow(
      /does not support load kwarg 'engine'; supported: sep,/,
    )
    expect(() => readPandasCsv(new Uint8Array(), { skiprows: 2 })).toThrow(/'skiprows'/)
  })

  it('refuses values it cannot honour', () => {
    expect(() => writePandasCsv(t, { sep: '::' })).toThrow(/'sep' must be a single character/)
    expect(() => writePandasCsv(t, { encoding: 'latin-1' })).toThrow(/'encoding' must be 'utf-8'/)
    expect(() => writePandasCsv(t, { float_format: '%10.2f' })).toThrow(/float_format must be/)
    // Refused up front, with or without a datetime column to apply it to.
    expect(() => writePandasCsv(t, { date_format: '%A' })).toThrow(/not '%A'/)
    expect(() => writePandasCsv(edgeTable(), { date_format: '%A' })).toThrow(/not '%A'/)
    expect(() => checkPandasCsvDumpKwargs({ date_format: '%Y%' })).toThrow(/not '%'/)
    expect(() => writePandasCsv(t, { header: ['x', 'y'] })).toThrow(/1 columns but got 2/)
    expect(() => writePandasCsv(t, { columns: ['nope'] })).toThrow(/no column 'nope'/)
    const bytes = writePandasCsv(t)
    expect(() => readPandasCsv(bytes, { dtype: 'complex' })).toThrow(/'dtype' must be one of/)
    expect(() => readPandasCsv(bytes, { dtype: { a: 'constructor' } })).toThrow(/'dtype'/)
    expect(() => readPandasCsv(bytes, { index_col: 5 })).toThrow(/index_col 5/)
    expect(() => readPandasCsv(bytes, { usecols: ['zz'] })).toThrow(/usecols: no column "zz"/)
    expect(() => readPandasCsv(bytes, { dtype: { a: 'int64' }, usecols: ['a'] })).toThrow(
      /'1.0' is not an integer/,
    )
  })
})

describe('previewPandasCsv', () => {
  const backend = new MemoryBackend()
  let full: Table
  let size = 0

  beforeAll(async () => {
    const n = 64_000
    const ids = Array.from({ length: n }, (_, i) => BigInt(i) * 7n)
    const values = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : i / 3))
    const labels = Array.from(
      { length: n },
      (_, i) => `row ${i}, "quoted"\nsecond line ${'x'.repeat(i % 40)}`,
    )
    const table = new Table({
      id: int64Column(ids),
      value: float64Column(values),
      label: utf8Column(labels),
    })
    const bytes = writePandasCsv(table)
    size = bytes.length
    await backend.put('big.csv', bytes)
    full = readPandasCsv(bytes)
  })

  it('reads a 5 MB CSV through a few byte ranges to show rows from the middle', async () => {
    expect(size).toBeGreaterThan(5 * 1024 * 1024)
    backend.gets.length = 0
    const target = memoryTarget(backend, 'big.csv')
    const preview = await previewPandasCsv(target, { rows: 10, offset: 1000, kwargs: {} })
    expect(preview.totalBytes).toBe(size)
    expect(preview.bytesRead).toBeLessThan(preview.totalBytes)
    // The seek to row 1000 scans growing blocks (64 + 128 KB), then the page reads 64 KB.
    expect(preview.bytesRead).toBeLessThanOrEqual(6 * PREVIEW_CHUNK_BYTES)
    expect(preview.rowCount).toBeNull()
    expect(backend.gets.every(([, range]) => range && 'length' in range)).toBe(true)
    expect(backend.gets.length).toBeLessThanOrEqual(6)
    expect(tableToJson(preview.table)).toEqual(tableToJson(sliceTable(full, 1000, 1010)))
    expect(tableToJson(preview.table).index?.values[0]).toBe(1000)
  })

  it('gives the exact row count when it reads to the end, and honours maxBytes and nrows', async () => {
    const small = new MemoryBackend()
    await small.put('s.csv', new TextEncoder().encode(EDGE_CSV))
    const target = memoryTarget(small, 's.csv')
    const all = await previewPandasCsv(target, { rows: 3, kwargs: {} })
    expect(all).toMatchObject({ rowCount: 7, bytesRead: all.totalBytes })
    expect(all.table.numRows).toBe(3)
    const past = await previewPandasCsv(target, { rows: 5, offset: 6, kwargs: {} })
    expect(past.table.numRows).toBe(1)
    const big = memoryTarget(backend, 'big.csv')
    const capped = await previewPandasCsv(big, { rows: 100_000, maxBytes: 100_000, kwargs: {} })
    expect(capped.bytesRead).toBe(100_000)
    expect(capped.rowCount).toBeNull()
    expect(capped.table.numRows).toBeGreaterThan(100)
    const limited = await previewPandasCsv(big, { rows: 50, kwargs: { nrows: 20 } })
    expect(limited).toMatchObject({ rowCount: 20 })
    expect(limited.table.numRows).toBe(20)
    await expect(previewPandasCsv(big, { maxBytes: 3, kwargs: {} })).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
    })
  })
})
