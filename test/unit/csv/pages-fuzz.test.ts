// The record scanner (row counts, page seeks) agrees with the full parser on random CSVs:
// quoted separators, quotes, CR, LF and CRLF inside quotes, empty fields, blank lines, and
// files with and without a final line end. Bounded by count, seeded.
import { describe, expect, it } from 'vitest'
import {
  countPandasCsvRows,
  previewPandasCsv,
} from '../../../electron/engine/serializers/csv/csv-serializer.js'
import { readPandasCsv } from '../../../electron/engine/serializers/csv/read-csv.js'
import { sliceTable } from '../../../electron/engine/table/pandas-meta.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'
import { MemoryBackend, memoryTarget } from './memory-backend.js'

function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
}

function randomCsv(rand: () => number): string {
  const eol = rand() < 0.5 ? '\n' : '\r\n'
  const cell = () => {
    const r = rand()
    if (r < 0.15) return ''
    if (r < 0.4) return String(Math.floor(rand() * 1000))
    if (r < 0.6) return `"a,b${eol}c ""q"" \r\nd"`
    if (r < 0.7) return '""'
    return `t${Math.floor(rand() * 100)}`
  }
  const rows = [',x,y,z']
  const n = 1 + Math.floor(rand() * 60)
  for (let i = 0; i < n; i++) {
    rows.push(`${i},${cell()},${cell()},${cell()}`)
    if (rand() < 0.05) rows.push('')
  }
  return rows.join(eol) + (rand() < 0.5 ? eol : '')
}

describe('CSV pages on random files', () => {
  it('count and pages equal a full parse', async () => {
    const rand = prng(8)
    for (let round = 0; round < 40; round++) {
      const text = randomCsv(rand)
      const backend = new MemoryBackend()
      await backend.put('r.csv', new TextEncoder().encode(text))
      const target = memoryTarget(backend, 'r.csv')
      const full = readPandasCsv(new TextEncoder().encode(text))
      expect(await countPandasCsvRows(target, { kwargs: {} }), text).toBe(full.numRows)
      const offset = Math.floor(rand() * full.numRows)
      const page = await previewPandasCsv(target, { offset, rows: 5, kwargs: {} })
      const want = sliceTable(full, offset, offset + 5)
      // Types come from the page; the cells' text and the index must match the full parse.
      const cells = (t: typeof full) => tableToJson(t).rows.map((r) => r.map((c) => String(c)))
      expect(cells(page.table), text).toEqual(cells(want))
      expect(tableToJson(page.table).index, text).toEqual(tableToJson(want).index)
      expect(page.rowCount).toBe(full.numRows)
    }
  })
})
