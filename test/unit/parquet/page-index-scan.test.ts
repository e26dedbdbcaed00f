// The page-header scanner on hand-made column chunks: locations as an offset index gives
// them, and damaged headers refused with a bounded read (never past 64 KB, never a hang).
import type { AsyncBuffer } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { CorruptPayloadError } from '../../../electron/engine/errors.js'
import {
  MAX_PAGE_HEADER_BYTES,
  scanChunk,
  type ChunkScan,
} from '../../../electron/engine/serializers/parquet/parquet-page-index.js'

// Thrift compact protocol, only what a PageHeader needs.
const varint = (n: number): number[] => {
  const out: number[] = []
  let v = n >>> 0
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80)
    v >>>= 7
  }
  out.push(v)
  return out
}
const zigzag = (n: number): number[] => varint((n << 1) ^ (n >> 31))
const i32 = (id: number, v: number): number[] =>
  [(1 << 4) | 5, ...zigzag(v)].map((b, i) => (i === 0 ? ((id & 0xf) << 4) | 5 : b))

/** A PageHeader: type, sizes, and a v1 data page header of `values` rows (or a dictionary). */
function header(type: 0 | 2 | 3, size: number, values: number, extra: number[] = []): number[] {
  // Field ids are written as deltas of 1 from the previous field.
  const fields = [...i32(1, type), ...i32(1, size), ...i32(1, size)]
  // data_page_header is field 5 (delta 3 from 2... from field 3: delta 2), dictionary 7.
  const sub = [...i32(1, values), ...i32(1, 0), ...i32(1, 3), ...i32(1, 3), ...extra, 0]
  const delta = type === 2 ? 4 : type === 3 ? 5 : 2
  return [...fields, (delta << 4) | 12, ...sub, 0]
}

function page(type: 0 | 2, size: number, values: number): number[] {
  return [...header(type, size, values), ...new Array<number>(size).fill(7)]
}

function buffer(bytes: number[], reads: number[][] = []): AsyncBuffer {
  const all = Uint8Array.from(bytes)
  return {
    byteLength: all.length,
    slice(s: number, e?: number) {
      reads.push([s, e ?? all.length])
      return all.slice(s, e).buffer
    },
  }
}

const fresh = (): ChunkScan => ({ pages: [], next: 0, rows: 0, whole: false })
const bounds = (end: number, groupRows = 100) => ({ start: 0, end, groupRows, path: 'x' })

describe('scanChunk', () => {
  it('locates a dictionary and data pages with their first rows, stopping when enough', async () => {
    const dict = page(2, 30, 5)
    const d1 = page(0, 40, 10)
    const d2 = page(0, 50, 20)
    const d3 = page(0, 10, 70)
    const bytes = [...dict, ...d1, ...d2, ...d3]
    const reads: number[][] = []
    const scan = await scanChunk(buffer(bytes, reads), bounds(bytes.length), fresh(), 15, 'k')
    expect(scan.pages).toEqual([
      { offset: BigInt(dict.length), compressed_page_size: d1.length, first_row_index: 0n },
      {
        offset: BigInt(dict.length + d1.length),
        compressed_page_size: d2.length,
        first_row_index: 10n,
      },
    ])
    // Three headers read, not the fourth: the scan stops once rows 0..15 are covered.
    expect(reads.length).toBe(3)
    const rest = await scanChunk(buffer(bytes), bounds(bytes.length), scan, 100, 'k')
    expect(rest.pages.map((p) => p.first_row_index)).toEqual([0n, 10n, 30n])
    expect(rest.next).toBeNull()
  })

  it('refuses a page whose size runs past the chunk', async () => {
    const bytes = [...header(0, 5000, 10), 1, 2, 3]
    await expect(scanChunk(buffer(bytes), bounds(bytes.length), fresh(), 5, 'k')).rejects.toThrow(
      CorruptPayloadError,
    )
  })

  it('refuses pages claiming more rows than the row group', async () => {
    const bytes = page(0, 8, 1000)
    await expect(
      scanChunk(buffer(bytes), bounds(bytes.length, 10), fresh(), 5, 'k'),
    ).rejects.toThrow(/claims 1000 rows where the row group holds 10/)
  })

  it('refuses a header over 64 KB after reading at most 64 KB of it', async () => {
    // A data page header whose statistics hold a 100 KB max value (binary field 1).
    const big = 100_000
    const stats = [
      (5 << 4) | 12,
      (1 << 4) | 8,
      ...varint(big),
      ...new Array<number>(big).fill(65),
      0,
    ]
    const bytes = [...header(0, 4, 10, stats), 1, 2, 3, 4]
    const reads: number[][] = []
    await expect(
      scanChunk(buffer(bytes, reads), bounds(bytes.length), fresh(), 5, 'k'),
    ).rejects.toThrow(/no readable page header in its first 65536 bytes/)
    for (const [s, e] of reads) expect(e! - s!).toBeLessThanOrEqual(MAX_PAGE_HEADER_BYTES)
  })

  it('refuses garbage and a truncated header without hanging', async () => {
    for (const bytes of [
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      header(0, 4, 10).slice(0, 5),
    ]) {
      await expect(scanChunk(buffer(bytes), bounds(bytes.length), fresh(), 5, 'k')).rejects.toThrow(
        CorruptPayloadError,
      )
    }
  })

  it('leaves a chunk with an index page to be read whole', async () => {
    const bytes = [...header(1 as 0, 4, 0), 0, 0, 0, 0, ...page(0, 4, 10)]
    const scan = await scanChunk(buffer(bytes), bounds(bytes.length), fresh(), 5, 'k')
    expect(scan.whole).toBe(true)
  })
})
