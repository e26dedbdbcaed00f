// Row checkpoints kept on disk between processes (csv-index-files.ts): a second process (a new
// backend object) seeks from them and knows the count; a rewritten payload, a corrupt or
// foreign file is ignored; at most MAX_INDEX_FILES files are kept; small payloads write none.
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Backend, ObjectMeta } from '../../../electron/engine/backend/backend.js'
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import {
  CHECKPOINT_ROWS,
  CsvRowIndex,
} from '../../../electron/engine/serializers/csv/csv-checkpoints.js'
import {
  MAX_INDEX_FILES,
  MIN_INDEXED_BYTES,
  loadIndexFile,
  saveIndexFile,
  useIndexDir,
} from '../../../electron/engine/serializers/csv/csv-index-files.js'
import {
  countPandasCsvRows,
  previewPandasCsv,
} from '../../../electron/engine/serializers/csv/csv-serializer.js'
import { tempDir } from '../../helpers/temp.js'

const ROWS = 100_000

afterEach(() => useIndexDir(null))

async function bigCsv(dir: string): Promise<void> {
  const lines = ['id,text']
  for (let i = 0; i < ROWS; i++) lines.push(`${i},${'t'.repeat(40)}`)
  await fs.writeFile(path.join(dir, 'big.csv'), lines.join('\n') + '\n')
}

describe('row index files', () => {
  it('let a new process seek from saved checkpoints and know the count', async () => {
    const dir = await tempDir('xp-rowindex-')
    const indexDir = path.join(dir, 'index')
    await fs.mkdir(path.join(dir, 'cache'))
    await bigCsv(path.join(dir, 'cache'))
    useIndexDir(indexDir)
    const open = async () => {
      const backend = await LocalBackend.open(path.join(dir, 'cache'))
      return { backend, path: 'big.csv', putMode: 'overwrite' as const }
    }
    const first = await open()
    expect(await countPandasCsvRows(first, { kwargs: {} })).toBe(ROWS)
    expect(await fs.readdir(indexDir)).toHaveLength(1)

    // A new backend object has no in-memory index: the file gives the checkpoints.
    const second = await open()
    const meta = (await second.backend.head('big.csv'))!
    expect(meta.size).toBeGreaterThan(MIN_INDEXED_BYTES)
    const loaded = (await loadIndexFile(second.backend, meta))!
    expect(loaded.rowCount).toBe(ROWS)
    // marks[0] ends the header; the last is the end of the file (row ROWS would start there).
    expect(loaded.marks).toHaveLength(ROWS / CHECKPOINT_ROWS + 1)
    const page = await previewPandasCsv(second, { kwargs: {}, offset: ROWS - 5, rows: 3 })
    expect(page.rowCount).toBe(ROWS)
    expect(page.table.getChild('id')!.toArray()).toEqual(
      BigInt64Array.from([ROWS - 5, ROWS - 4, ROWS - 3].map(BigInt)),
    )
    // One block from the last checkpoint, not the file.
    expect(page.bytesRead).toBeLessThan(meta.size / 4)

    // A rewritten payload (another size) never uses the old offsets.
    await fs.appendFile(path.join(dir, 'cache', 'big.csv'), `${ROWS},x\n`)
    const third = await open()
    const newMeta = (await third.backend.head('big.csv'))!
    expect(await loadIndexFile(third.backend, newMeta)).toBeUndefined()
    expect(await countPandasCsvRows(third, { kwargs: {}, maxScanBytes: 0 })).toBeNull()
    expect(await countPandasCsvRows(third, { kwargs: {} })).toBe(ROWS + 1)
  }, 60_000)

  const backend = { url: 'file:///nowhere/' } as Backend
  const meta = (n: number): ObjectMeta => ({
    path: `k${n}.csv`,
    size: MIN_INDEXED_BYTES + 10_000,
    lastModified: new Date(1_700_000_000_000),
    etag: 'e',
  })

  it('ignores files that do not parse, do not match, or are not in order', async () => {
    const indexDir = await tempDir('xp-rowindex-bad-')
    useIndexDir(indexDir)
    const index = new CsvRowIndex(10)
    index.marks.push(500, 900)
    await saveIndexFile(backend, meta(0), index)
    const [name] = await fs.readdir(indexDir)
    const file = path.join(indexDir, name!)
    const good = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>
    expect((await loadIndexFile(backend, meta(0)))!.marks).toEqual([10, 500, 900])
    for (const bad of [
      '{"format":',
      JSON.stringify({ ...good, marks: [10, 900, 500] }),
      JSON.stringify({ ...good, marks: [10, 500, MIN_INDEXED_BYTES * 2] }),
      JSON.stringify({ ...good, marks: [10, 500.5] }),
      JSON.stringify({ ...good, identity: 'another payload' }),
      JSON.stringify({ ...good, rowCount: -1 }),
      JSON.stringify({ ...good, format: 'xpersist-csv-row-index/0' }),
    ]) {
      await fs.writeFile(file, bad)
      expect(await loadIndexFile(backend, meta(0)), bad).toBeUndefined()
    }
  })

  it('keeps at most MAX_INDEX_FILES files, and none for small payloads', async () => {
    const indexDir = await tempDir('xp-rowindex-many-')
    useIndexDir(indexDir)
    for (let n = 0; n < MAX_INDEX_FILES + 5; n++) {
      const index = new CsvRowIndex(10)
      index.rowCount = n
      await saveIndexFile(backend, meta(n), index)
    }
    expect(await fs.readdir(indexDir)).toHaveLength(MAX_INDEX_FILES)
    const small = { ...meta(999), size: 1000 }
    await saveIndexFile(backend, small, new CsvRowIndex(10))
    expect(await loadIndexFile(backend, small)).toBeUndefined()
    expect(await fs.readdir(indexDir)).toHaveLength(MAX_INDEX_FILES)
  })

  it('are off unless turned on (the library writes nothing by itself)', async () => {
    const index = new CsvRowIndex(10)
    await saveIndexFile(backend, meta(1), index)
    expect(await loadIndexFile(backend, meta(1))).toBeUndefined()
  })
})
