// CSV pages through row checkpoints: pages equal a full parse's rows, a deep page after a
// count reads about one block past its checkpoint, an over-long record is a clear error.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Table } from 'apache-arrow'
import {
  countPandasCsvRows,
  previewPandasCsv,
} from '../../../electron/engine/serializers/csv/csv-serializer.js'
import { SCAN_BLOCK_BYTES } from '../../../electron/engine/serializers/csv/csv-pages.js'
import { MAX_RECORD_BYTES } from '../../../electron/engine/serializers/csv/csv-scan.js'
import { readPandasCsv } from '../../../electron/engine/serializers/csv/read-csv.js'
import { sliceTable } from '../../../electron/engine/table/pandas-meta.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'
import { MemoryBackend, memoryTarget } from './memory-backend.js'

const ROWS = 25_000

// The index column as to_csv writes it (an empty first header cell), CRLF line ends, quoted
// fields holding CRLF, quotes and separators, empty fields, and a blank line pandas skips.
function generated(): string {
  const lines = [',id,label,value,flag']
  for (let i = 0; i < ROWS; i++) {
    const label =
      i % 7 === 0
        ? `"line ${i}\r\nnext, ""q"" ${'x'.repeat(i % 90)}"`
        : `plain ${i} ${'p'.repeat(150)}`
    const value = i % 5 === 0 ? '' : String(i / 4)
    lines.push(`${i},${i * 3},${label},${value},${i % 2 === 0 ? 'True' : 'False'}`)
    if (i === 12_345) lines.push('')
  }
  return lines.join('\r\n') + '\r\n'
}

describe('CSV pages through row checkpoints', () => {
  const backend = new MemoryBackend()
  const target = memoryTarget(backend, 'gen.csv')
  let full: Table
  let size = 0

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(generated())
    size = bytes.length
    await backend.put('gen.csv', bytes)
    full = readPandasCsv(bytes)
  })

  it('gives the rows a full parse gives, at any offset, before and after a count', async () => {
    expect(full.numRows).toBe(ROWS)
    for (const pass of ['before', 'after']) {
      if (pass === 'after') expect(await countPandasCsvRows(target, { kwargs: {} })).toBe(ROWS)
      for (const offset of [0, 1, 9_999, 10_000, 12_340, 20_001, ROWS - 100, ROWS - 3]) {
        const page = await previewPandasCsv(target, { offset, rows: 100, kwargs: {} })
        const expected = tableToJson(sliceTable(full, offset, offset + 100))
        expect(tableToJson(page.table), `${pass} offset ${offset}`).toEqual(expected)
      }
      // Past the end: no rows (and, with no row to infer from, no column types to compare).
      const past = await previewPandasCsv(target, { offset: ROWS, rows: 100, kwargs: {} })
      expect(past.table.numRows).toBe(0)
    }
  })

  it('knows the count once a page or a count reached the end', async () => {
    const fresh = new MemoryBackend()
    await fresh.put('g.csv', (await backend.get('gen.csv'))!)
    const t = memoryTarget(fresh, 'g.csv')
    expect((await previewPandasCsv(t, { rows: 100, kwargs: {} })).rowCount).toBeNull()
    expect((await previewPandasCsv(t, { offset: ROWS - 10, rows: 100, kwargs: {} })).rowCount).toBe(
      ROWS,
    )
    expect((await previewPandasCsv(t, { rows: 100, kwargs: {} })).rowCount).toBe(ROWS)
    expect(await countPandasCsvRows(t, { kwargs: { nrows: 50 } })).toBe(50)
  })

  it('reads about one block past the nearest checkpoint for a page at 99% after a count', async () => {
    await countPandasCsvRows(target, { kwargs: {} })
    backend.gets.length = 0
    const offset = Math.floor(ROWS * 0.99)
    const page = await previewPandasCsv(target, { offset, rows: 100, kwargs: {} })
    expect(size).toBeGreaterThan(4 * SCAN_BLOCK_BYTES)
    // Before checkpoints this read every byte up to the page (about 99% of the file).
    expect(page.bytesRead).toBeLessThan(SCAN_BLOCK_BYTES + 256 * 1024)
    expect(page.rowCount).toBe(ROWS)
    expect(tableToJson(page.table).index?.values[0]).toBe(offset)
  })

  it('stops a count when its signal aborts', async () => {
    const fresh = new MemoryBackend()
    await fresh.put('g.csv', (await backend.get('gen.csv'))!)
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    await expect(
      countPandasCsvRows(memoryTarget(fresh, 'g.csv'), { kwargs: {}, signal: controller.signal }),
    ).rejects.toThrow('stop')
  })

  it('refuses a record longer than the cap, naming the key, for a page and for a count', async () => {
    const long = new MemoryBackend()
    const bytes = new Uint8Array(MAX_RECORD_BYTES + 1024).fill(0x61)
    bytes.set(new TextEncoder().encode('a,b\n1,"'), 0)
    await long.put('long.csv', bytes)
    const t = memoryTarget(long, 'long.csv')
    await expect(previewPandasCsv(t, { rows: 10, kwargs: {} })).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: expect.stringMatching(/long\.csv has a record longer than 64 MB/),
    })
    await expect(countPandasCsvRows(t, { kwargs: {} })).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: expect.stringMatching(/long\.csv has a record longer than 64 MB/),
    })
  }, 120_000)
})
