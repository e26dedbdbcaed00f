// Very wide files and very long records cost time linear in their size: Arrow's RecordBatch
// constructor looked every column up by name (quadratic: 200,000 columns in 1.4 MB took
// minutes), and a preview re-parsed a record longer than a chunk once per chunk.
import { describe, expect, test } from 'vitest'
import { LimitExceededError } from '../../../electron/engine/errors.js'
import { previewPandasCsv } from '../../../electron/engine/serializers/csv/csv-serializer.js'
import { readPandasCsv } from '../../../electron/engine/serializers/csv/read-csv.js'
import { MemoryBackend, memoryTarget } from './memory-backend.js'

const width = 200_000
const header = Array.from({ length: width }, (_, i) => `c${i}`).join(',')
const row = Array.from({ length: width }, (_, i) => String(i % 10)).join(',')
const wide = new TextEncoder().encode(`${header}\n${row}\n`)

describe('wide CSV', () => {
  test('200,000 columns parse (within the test timeout, not minutes)', () => {
    expect(wide.length).toBeGreaterThan(1_400_000)
    const table = readPandasCsv(wide)
    expect(table.numCols).toBe(width)
    expect(table.getChildAt(width - 1)?.get(0)).toBe(9n)
  }, 120_000)

  test('a preview page of 200,000 columns x 100 rows is refused with how many rows fit', async () => {
    const backend = new MemoryBackend()
    const rows = Array.from({ length: 6 }, () => row).join('\n')
    await backend.put('wide.csv', new TextEncoder().encode(`${header}\n${rows}\n`))
    const preview = previewPandasCsv(memoryTarget(backend, 'wide.csv'), { rows: 100, kwargs: {} })
    await expect(preview).rejects.toThrow(LimitExceededError)
    await expect(preview).rejects.toThrow(
      /200,000 columns: 100 rows of it would be more than the 1,000,000 cells a preview holds\. Ask for 5 rows or fewer/,
    )
  })
})

describe('long records in a preview', () => {
  test('a 16 MB record is read in a handful of growing ranges, not one per 64 KB', async () => {
    const backend = new MemoryBackend()
    const field = `${'x'.repeat(1000)}\n`.repeat(16_000) // one quoted field with many line breaks
    await backend.put('long.csv', new TextEncoder().encode(`a,b\n1,"${field}"\n2,y\n`))
    const got = await previewPandasCsv(memoryTarget(backend, 'long.csv'), { rows: 1, kwargs: {} })
    expect(got.table.numRows).toBe(1)
    expect(String(got.table.getChild('b')?.get(0)).length).toBe(field.length)
    expect(backend.gets.length).toBeLessThan(20) // 16 MB in 64 KB pieces would be 250
  }, 120_000)
})
