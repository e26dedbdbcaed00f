// A Parquet query source whose rows decode to more than it may keep never loads them whole
// to keep them (the footer's sizes undercount dictionary-encoded columns: at 10M rows the
// table was loaded, found too big, dropped, then re-read by ranges), and a page of rows
// spread over the whole file is read in one pass, not row group by row group.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Data, Table } from 'apache-arrow'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { importFile } from '../../electron/engine/import-file.js'
import { openParquet } from '../../electron/engine/serializers/parquet/parquet-file.js'
import { pandasParquetSerializer } from '../../electron/engine/serializers/parquet/parquet-serializer.js'
import type { Target } from '../../electron/engine/serializers/serializer.js'
import { CacheStore } from '../../electron/engine/store.js'
import { tableToJson } from '../../electron/engine/table/table-json.js'
import { openTableSource, resultPage, rowsAt } from '../../electron/engine/table/query/index.js'
import { estimateDecodedSize } from '../../electron/engine/table/query/source-size.js'
import { REPO, tempDir } from '../helpers/temp.js'

const FILE = path.join(REPO, 'test', 'fixtures', 'tables', 'source-size', 'dict-text.parquet')
const dirs: string[] = []

afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true })
})
afterEach(() => vi.restoreAllMocks())

const targetOf = (s: CacheStore): Target => ({
  backend: s.backend,
  path: 'k',
  putMode: 'overwrite',
})
const loadWhole = async (s: CacheStore): Promise<Table> =>
  (await pandasParquetSerializer.load(targetOf(s), {})) as Table

async function store(): Promise<CacheStore> {
  const dir = await tempDir('xp-source-size-')
  dirs.push(dir)
  const s = await CacheStore.open(path.join(dir, 'c'))
  await importFile(s, 'k', 'dict-text.parquet', new Uint8Array(await fs.readFile(FILE)))
  return s
}

// The bytes of a table's Arrow buffers, as the source counts what it keeps.
function arrowBytes(table: Table): number {
  let n = 0
  const walk = (d: Data): void => {
    for (const b of [d.values, d.valueOffsets, d.nullBitmap] as unknown[]) {
      if (ArrayBuffer.isView(b)) n += b.byteLength
    }
    for (const c of d.children) walk(c)
  }
  for (const batch of table.batches) walk(batch.data)
  return n
}

// The footer's total_uncompressed_size over every column chunk.
async function footerBytes(s: CacheStore): Promise<number> {
  const file = await openParquet(targetOf(s))
  let n = 0
  for (const g of file.metadata.row_groups) {
    for (const c of g.columns) n += Number(c.meta_data?.total_uncompressed_size ?? 0)
  }
  return n
}

describe('Parquet source: decoded size before loading', () => {
  it('the fixture decodes to several times its footer sizes (what the bound must see)', async () => {
    const s = await store()
    expect(arrowBytes(await loadWhole(s))).toBeGreaterThan(4 * (await footerBytes(s)))
  })

  it('estimates at least the Arrow bytes, within 2x, with or without size statistics', async () => {
    const s = await store()
    const target = targetOf(s)
    const decoded = arrowBytes(await loadWhole(s))
    const meta = (await openParquet(target)).metadata
    // Without pyarrow's size statistics the dictionary page headers say the strings' length.
    const bare = {
      ...meta,
      row_groups: meta.row_groups.map((g) => ({
        ...g,
        columns: g.columns.map((c) => ({
          ...c,
          meta_data: c.meta_data && { ...c.meta_data, size_statistics: undefined },
        })),
      })),
    }
    for (const m of [meta, bare]) {
      const estimate = (await estimateDecodedSize(target, m)).bytes(0, Infinity)
      expect(estimate).toBeGreaterThanOrEqual(decoded)
      expect(estimate).toBeLessThan(2 * decoded)
    }
  })

  it('never loads the whole table when it will not keep it', async () => {
    const s = await store()
    const decoded = arrowBytes(await loadWhole(s))
    const footer = await footerBytes(s)
    // Over the footer's sizes, under the table's: the bound the footer alone misjudges.
    const bound = Math.floor((footer + decoded) / 2)
    const all = await openTableSource(s, 'k')
    const n = all.totalRows
    const expected = (await all.range(0, n)).flatMap((t) => tableToJson(t, n).rows)
    const load = vi.spyOn(pandasParquetSerializer, 'load')
    const plain = await openTableSource(s, 'k', { cacheBytes: bound })
    for (const [a, b] of [
      [0, 10],
      [n - 5, n],
      [1500, 1700],
    ] as const) {
      const got = (await plain.range(a, b)).flatMap((t) => tableToJson(t, n).rows)
      expect(got).toEqual(expected.slice(a, b))
    }
    // A page of rows next to each other: read by ranges, no whole load either.
    await rowsAt(plain, Uint32Array.from([2001, 2000, 2003]))
    expect(load).not.toHaveBeenCalled()
    expect(plain.cachedBytes!()).toBe(0)
  })

  it('keeps the table when its estimate is under the bound', async () => {
    const s = await store()
    const load = vi.spyOn(pandasParquetSerializer, 'load')
    const source = await openTableSource(s, 'k', { cacheBytes: 16 * 1024 * 1024 })
    await source.range(0, 10)
    await rowsAt(source, Uint32Array.from([3999, 0, 2500]))
    expect(load).toHaveBeenCalledTimes(1)
    expect(source.cachedBytes!()).toBeGreaterThan(0)
  })

  it('reads a page spread over every row group in one pass, equal to range reads', async () => {
    const s = await store()
    const positions = Uint32Array.from([3999, 0, 1200, 2500, 999, 3001, 1, 2000])
    const backend = vi.spyOn(s.backend, 'get')
    const bytesRead = () =>
      backend.mock.calls.reduce((n, c) => n + (c[1] && 'length' in c[1] ? c[1].length : 0), 0)
    const load = vi.spyOn(pandasParquetSerializer, 'load')
    const byRanges = await openTableSource(s, 'k', { cacheBytes: 0, passBytes: 0 })
    backend.mockClear()
    const want = tableToJson(await rowsAt(byRanges, positions), 100)
    // Without a pass, each row group touched is read once (page headers read twice at most).
    expect(bytesRead()).toBeLessThan(2 * byRanges.totalBytes)
    expect(load).not.toHaveBeenCalled()
    const passing = await openTableSource(s, 'k', { cacheBytes: 0 })
    backend.mockClear()
    expect(tableToJson(await rowsAt(passing, positions), 100)).toEqual(want)
    expect(load).toHaveBeenCalledTimes(1)
    expect(bytesRead()).toBeLessThan(2 * passing.totalBytes)
    expect(passing.cachedBytes!()).toBe(0)
    // Rows next to each other are still read by ranges.
    await rowsAt(passing, Uint32Array.from([10, 11, 12]))
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('pages of a result spread over the file after a pass are slices of one window', async () => {
    const s = await store()
    // A result order that jumps between row groups on every row.
    const n = 4000
    const positions = Uint32Array.from({ length: n }, (_, i) => ((i % 4) * 1000 + i * 7) % n)
    const plain = await openTableSource(s, 'k', { cacheBytes: 0, passBytes: 0 })
    const load = vi.spyOn(pandasParquetSerializer, 'load')
    const passing = await openTableSource(s, 'k', { cacheBytes: 0 })
    for (const offset of [0, 100, 3900, 200]) {
      const page = await resultPage(passing, positions, offset, 100)
      expect(page).toEqual(await resultPage(plain, positions, offset, 100))
    }
    // One pass for the first page; the others (the result is under a window) are slices.
    expect(load).toHaveBeenCalledTimes(1)
    expect(passing.cachedBytes!()).toBe(0)
  })
})
