// A Parquet query source keeps its rows once decoded (bounded by bytes) so pages of a sorted
// result stop re-reading row groups: its ranges and picked rows equal the uncached source's,
// and with the bound under the table's size nothing is kept.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importFile } from '../../../electron/engine/import-file.js'
import { CacheStore } from '../../../electron/engine/store.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'
import { openTableSource, rowsAt } from '../../../electron/engine/table/query/index.js'
import { FIXTURE_CACHE, REPO, tempDir } from '../../helpers/temp.js'

const DIR = path.join(REPO, 'test', 'fixtures', 'tables', 'page-reads')
const FILES = ['pa-v1-dict.parquet', 'pa-v1-lists.parquet', 'fastparquet.parquet']
const dirs: string[] = []

afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true })
})

async function storeWith(file: string): Promise<CacheStore> {
  const dir = await tempDir('xp-source-cache-')
  dirs.push(dir)
  const store = await CacheStore.open(path.join(dir, 'c'))
  await importFile(store, 'k', file, new Uint8Array(await fs.readFile(path.join(DIR, file))))
  return store
}

describe('Parquet source row cache', () => {
  for (const file of FILES) {
    it(`${file}: cached ranges and picked rows equal the uncached ones`, async () => {
      const store = await storeWith(file)
      const cached = await openTableSource(store, 'k')
      const plain = await openTableSource(store, 'k', { cacheBytes: 0 })
      const n = cached.totalRows
      for (const [s, e] of [
        [0, 5],
        [n - 3, n],
        [Math.floor(n / 2) - 2, Math.floor(n / 2) + 2],
        [0, n],
      ] as const) {
        const a = (await cached.range(s, e)).map((t) => tableToJson(t, e - s))
        const b = (await plain.range(s, e)).map((t) => tableToJson(t, e - s))
        expect(a.flatMap((j) => j.rows)).toEqual(b.flatMap((j) => j.rows))
        expect(a.flatMap((j) => j.index?.values ?? [])).toEqual(
          b.flatMap((j) => j.index?.values ?? []),
        )
        expect(a[0]!.columns).toEqual(b[0]!.columns)
      }
      // Scattered positions across row groups, in no order: what a sorted page asks for.
      const positions = Uint32Array.from([n - 1, 0, 7, n - 2, Math.floor(n / 2), 3, n - 1000])
      expect(tableToJson(await rowsAt(cached, positions), 100)).toEqual(
        tableToJson(await rowsAt(plain, positions), 100),
      )
      expect(cached.cachedBytes!()).toBeGreaterThan(0)
      expect(plain.cachedBytes!()).toBe(0)
    })
  }

  it('keeps nothing when the table decodes to more than the bound', async () => {
    const store = await CacheStore.open(FIXTURE_CACHE, { readonly: true })
    const source = await openTableSource(store, 'hourly-zstd.parquet', { cacheBytes: 100 })
    const rows = await source.range(0, source.totalRows)
    expect(rows.reduce((s, t) => s + t.numRows, 0)).toBe(source.totalRows)
    expect(source.cachedBytes!()).toBe(0)
    const whole = await openTableSource(store, 'hourly-zstd.parquet')
    await whole.range(0, 1)
    expect(whole.cachedBytes!()).toBeGreaterThan(100)
    expect(whole.cachedBytes!()).toBeLessThanOrEqual(512 * 1024 * 1024)
  })

  it('never keeps more bytes than its bound, counted from the Arrow buffers', async () => {
    const store = await storeWith('pa-v1-dict.parquet')
    const expected = tableToJson(
      (await (await openTableSource(store, 'k', { cacheBytes: 0 })).range(0, 2000))[0]!,
      2000,
    )
    let keptSome = false
    for (const bound of [0, 1000, 20_000, 60_000, 100_000, 200_000, 1e9]) {
      const source = await openTableSource(store, 'k', { cacheBytes: bound })
      for (let i = 0; i < 2; i++) {
        const parts = await source.range(0, source.totalRows)
        expect(parts.flatMap((t) => tableToJson(t, 2000).rows)).toEqual(expected.rows)
        expect(source.cachedBytes!()).toBeLessThanOrEqual(bound)
      }
      keptSome ||= source.cachedBytes!() > 0
    }
    expect(keptSome).toBe(true)
  })
})
