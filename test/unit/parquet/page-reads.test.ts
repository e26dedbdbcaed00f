// Preview pages read only the Parquet pages they need when a file has no offset index (the
// page headers are scanned): the same values as a whole read, at 0, page boundaries, row
// group boundaries, the middle and the last row, and fewer bytes than the row group.
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { parquetMetadata, parquetRead, readOffsetIndex, type AsyncBuffer } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import type { Table } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import {
  pandasParquetSerializer,
  previewPandasParquet,
} from '../../../electron/engine/serializers/parquet/parquet-serializer.js'
import {
  pageLocations,
  scanChunk,
  type ChunkScan,
} from '../../../electron/engine/serializers/parquet/parquet-page-index.js'
import { FIXTURE_CACHE, REPO } from '../../helpers/temp.js'
import { jsonOf, targetIn } from './helpers.js'

const DIR = path.join(REPO, 'test', 'fixtures', 'tables', 'page-reads')
const FILES = [
  'pa-v1-dict.parquet',
  'pa-v2-plain-zstd.parquet',
  'pa-v1-lists.parquet',
  'fastparquet.parquet',
  'pa-page-index.parquet',
]

function bufferOf(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.length,
    slice: (s: number, e?: number) => bytes.slice(s, e).buffer,
  }
}

function metaOf(file: string) {
  const bytes = new Uint8Array(readFileSync(path.join(DIR, file)))
  return { bytes, metadata: parquetMetadata(bytes.slice().buffer) }
}

// Every data page's first row (file rows) of every column: page boundaries.
async function pageStarts(file: string): Promise<number[]> {
  const { bytes, metadata } = metaOf(file)
  const out = new Set<number>()
  let first = 0
  for (const group of metadata.row_groups) {
    for (const column of group.columns) {
      const m = column.meta_data!
      // A repeated column's page counts values, not rows.
      if (m.path_in_schema.length > 1) continue
      const begin = Number(m.dictionary_page_offset || m.data_page_offset)
      const scan: ChunkScan = { pages: [], next: begin, rows: 0, whole: false }
      const bounds = {
        start: begin,
        end: begin + Number(m.total_compressed_size),
        groupRows: Number(group.num_rows),
        path: m.path_in_schema.join('.'),
      }
      await scanChunk(bufferOf(bytes), bounds, scan, Infinity, file)
      for (const p of scan.pages) out.add(first + Number(p.first_row_index))
    }
    first += Number(group.num_rows)
  }
  return [...out].sort((a, b) => a - b)
}

describe('Parquet pages without an offset index', () => {
  for (const file of FILES) {
    it(`${file}: pages equal the whole read at every kind of offset`, async () => {
      const target = await targetIn(DIR, file)
      const whole = jsonOf((await pandasParquetSerializer.load(target, {})) as Table)
      const n = whole.rowCount
      const starts = await pageStarts(file)
      expect(starts.length).toBeGreaterThanOrEqual(3)
      const offsets = new Set([0, 1, Math.floor(n / 2), n - 1, n - 7, 1199, 1200])
      for (const s of starts.filter((_, i) => i % Math.ceil(starts.length / 30) === 0))
        for (const d of [-1, 0, 1]) offsets.add(s + d)
      for (const offset of [...offsets].filter((o) => o >= 0 && o < n)) {
        for (const rows of [1, 13]) {
          const page = await previewPandasParquet(target, { offset, rows, kwargs: {} })
          const got = jsonOf(page.table)
          const end = Math.min(n, offset + rows)
          expect(got.rows, `${file} rows ${offset}..${end}`).toEqual(whole.rows.slice(offset, end))
          expect(got.index?.values).toEqual(whole.index?.values.slice(offset, end))
        }
      }
    })
  }

  it('scans page headers to the same locations as the offset index pyarrow wrote', async () => {
    const { bytes, metadata } = metaOf('pa-page-index.parquet')
    let compared = 0
    for (const group of metadata.row_groups) {
      for (const column of group.columns) {
        const m = column.meta_data!
        const begin = Number(m.dictionary_page_offset || m.data_page_offset)
        const scan: ChunkScan = { pages: [], next: begin, rows: 0, whole: false }
        const bounds = {
          start: begin,
          end: begin + Number(m.total_compressed_size),
          groupRows: Number(group.num_rows),
          path: m.path_in_schema.join('.'),
        }
        await scanChunk(bufferOf(bytes), bounds, scan, Infinity, 'pa-page-index.parquet')
        const at = Number(column.offset_index_offset)
        const index = readOffsetIndex({
          view: new DataView(bytes.slice(at, at + column.offset_index_length!).buffer),
          offset: 0,
        })
        expect(scan.pages).toEqual(index.page_locations)
        compared += scan.pages.length
      }
    }
    expect(compared).toBeGreaterThan(20)
  })

  it('a first page reads less than its row group (regression: it read the whole group)', async () => {
    const file = 'pa-v1-dict.parquet'
    const { metadata } = metaOf(file)
    const group = metadata.row_groups[0]!
    const groupBytes = group.columns.reduce(
      (sum, c) => sum + Number(c.meta_data!.total_compressed_size),
      0,
    )
    const read = async (offset: number, rows: number) => {
      const page = await previewPandasParquet(await targetIn(DIR, file), {
        offset,
        rows,
        kwargs: {},
      })
      expect(page.table.numRows).toBe(rows)
      return page.bytesRead
    }
    // The footer and magic, which every page reads, apart.
    const footer = await read(0, 0)
    expect(await read(0, 10)).toBeLessThan(footer + groupBytes / 2)
    // And a page deep in the group (its headers scanned on the way) less than the group.
    expect(await read(1100, 10)).toBeLessThan(footer + groupBytes)
  })

  // The sample cache's chunks are under the size worth scanning: scan them anyway.
  for (const key of [
    'gauges.parquet',
    'hourly-zstd.parquet',
    'mixed-types-fastparquet.parquet',
    'run-summary.parquet',
  ]) {
    it(`${key}: rows read through scanned pages equal whole-chunk reads`, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(FIXTURE_CACHE, key)))
      const file = bufferOf(bytes)
      const metadata = parquetMetadata(bytes.slice().buffer)
      const names = metadata.schema.slice(1).map((e) => e.name)
      const n = Number(metadata.num_rows)
      let scanned = 0
      const rowsOf = async (start: number, end: number, paged: boolean) => {
        let out: unknown[][] = []
        const located = paged
          ? await pageLocations(file, metadata, names, start, end, new Map(), key, 0)
          : []
        for (const group of located) scanned += Object.keys(group).length
        const extra = paged ? { pageLocationsByGroup: located } : {}
        await parquetRead({
          ...extra,
          file,
          metadata,
          rowStart: start,
          rowEnd: end,
          compressors,
          onComplete: (r: unknown[][]) => (out = r),
        })
        return out
      }
      for (let start = 0; start < n; start++) {
        for (const end of [start + 1, Math.min(n, start + 3)]) {
          expect(await rowsOf(start, end, true), `${key} ${start}..${end}`).toEqual(
            await rowsOf(start, end, false),
          )
        }
      }
      expect(scanned).toBeGreaterThan(0)
    })
  }
})

describe('bytes read by a page', () => {
  // Header scans read 256-byte windows that the page reads fetch again; the count is of
  // distinct bytes, so a small file's page reported "read 23273 of 21737 bytes" before.
  it.each(FILES)('%s: a page never reports more bytes than the file holds', async (file) => {
    for (const offset of [0, 1000, 1999]) {
      const page = await previewPandasParquet(await targetIn(DIR, file), {
        offset,
        rows: 100,
        kwargs: {},
      })
      expect(page.bytesRead).toBeGreaterThan(0)
      expect(page.bytesRead).toBeLessThanOrEqual(page.totalBytes)
    }
  })
})
