/**
 * The dictionary indices a preview's rows point at, from the data pages they fall in: the
 * highest of them says how much of a dictionary page (parquet-dict-prefix.ts) the rows need.
 * Reads data pages v1 and v2 of a flat column, UNCOMPRESSED or SNAPPY (decompressed through
 * the read's guarded decompressors); any other page gives NaN, and the caller reads the
 * dictionary whole.
 */
import type { Compressors, OffsetIndex, PageHeader, SchemaElement } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import type { ParquetFile } from './parquet-file.js'

type PageLocation = OffsetIndex['page_locations'][number]

/** One column chunk's data pages, as the page scan located them. */
export interface IndexedChunk {
  file: ParquetFile
  element: SchemaElement
  codec: 'UNCOMPRESSED' | 'SNAPPY'
  locations: PageLocation[]
  groupRows: number
  compressors: Compressors
}

/**
 * The highest dictionary index the rows [from, to) of the row group may point at (the
 * values of each page from its first row up to `to`: nulls have none, so that many values
 * cover the rows), -1 for none, NaN when a page is not one this reads. The pages are kept:
 * hyparquet reads them next, from memory.
 */
export async function highestIndex(chunk: IndexedChunk, from: number, to: number): Promise<number> {
  const { locations } = chunk
  const pages: { at: number; size: number; rows: number }[] = []
  for (let i = 0; i < locations.length; i++) {
    const page = locations[i]!
    const first = Number(page.first_row_index)
    const next =
      i + 1 < locations.length ? Number(locations[i + 1]!.first_row_index) : chunk.groupRows
    if (next <= from || first >= to) continue
    pages.push({
      at: Number(page.offset),
      size: page.compressed_page_size,
      rows: Math.min(to, next) - first,
    })
  }
  if (pages.length === 0) return -1
  // One read for the run of pages (they follow each other, as hyparquet reads them), kept:
  // hyparquet reads them next, from memory.
  const start = pages[0]!.at
  const last = pages[pages.length - 1]!
  const bytes = await chunk.file.keep(start, last.at + last.size)
  let highest = -1
  for (const page of pages) {
    if (page.at < start || page.at + page.size > start + bytes.length) return NaN
    const found = pageIndexMax(
      chunk,
      bytes.subarray(page.at - start, page.at - start + page.size),
      page.rows,
    )
    if (Number.isNaN(found)) return NaN
    highest = Math.max(highest, found)
  }
  return highest
}

// One data page (header and body): the highest of its first `rows` dictionary indices.
function pageIndexMax(chunk: IndexedChunk, bytes: Uint8Array, rows: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const reader = { view, offset: 0 }
  let header: PageHeader
  try {
    header = parquetHeader(reader)
  } catch {
    return NaN
  }
  const body = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size)
  if (body.length !== header.compressed_page_size) return NaN
  const optional = chunk.element.repetition_type !== 'REQUIRED'
  let values: Uint8Array
  let encoding: string | undefined
  let count: number
  if (header.type === 'DATA_PAGE' && header.data_page_header) {
    const daph = header.data_page_header
    encoding = daph.encoding
    count = Math.min(rows, daph.num_values)
    if (!isDictionary(encoding)) return encoding === 'PLAIN' ? -1 : NaN
    const page = decompress(chunk, body, header.uncompressed_page_size)
    let at = 0
    if (optional) {
      if (daph.definition_level_encoding !== 'RLE' || page.length < 4) return NaN
      at = 4 + new DataView(page.buffer, page.byteOffset, 4).getUint32(0, true)
    }
    values = page.subarray(Math.min(at, page.length))
  } else if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
    const daph = header.data_page_header_v2
    encoding = daph.encoding
    count = Math.min(rows, daph.num_values)
    if (!isDictionary(encoding)) return encoding === 'PLAIN' ? -1 : NaN
    const levels = daph.definition_levels_byte_length + daph.repetition_levels_byte_length
    if (!(levels >= 0) || levels > body.length) return NaN
    const rest = body.subarray(levels)
    values =
      daph.is_compressed === false
        ? rest
        : decompress(chunk, rest, header.uncompressed_page_size - levels)
  } else {
    return NaN
  }
  return maxIndex(values, count)
}

function isDictionary(encoding: string): boolean {
  return encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY'
}

function decompress(chunk: IndexedChunk, body: Uint8Array, size: number): Uint8Array {
  if (chunk.codec === 'UNCOMPRESSED') return body
  return chunk.compressors.SNAPPY!(body, size)
}

/**
 * The highest of the first `count` values of an RLE/bit-packed hybrid run of dictionary
 * indices (a bit-width byte, then runs), -1 for none, NaN when the bytes cannot be one.
 * Reads only the bytes those values take.
 */
export function maxIndex(bytes: Uint8Array, count: number): number {
  if (count <= 0) return -1
  if (bytes.length < 1) return NaN
  const width = bytes[0]!
  if (width > 32) return NaN
  if (width === 0) return 0
  let at = 1
  let seen = 0
  let highest = -1
  while (seen < count && at < bytes.length) {
    let header = 0
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length || shift > 28) return NaN
      const b = bytes[at++]!
      header += (b & 0x7f) * 2 ** shift
      if (b < 0x80) break
    }
    if (header % 2 === 1) {
      const groups = Math.floor(header / 2)
      const take = Math.min(groups * 8, count - seen)
      if (at + Math.ceil((take * width) / 8) > bytes.length) return NaN
      for (let i = 0; i < take; i++) {
        highest = Math.max(highest, bitsAt(bytes, at, i * width, width))
      }
      at += groups * width
      seen += groups * 8
    } else {
      const run = Math.floor(header / 2)
      const size = (width + 7) >>> 3
      if (at + size > bytes.length) return NaN
      let value = 0
      for (let i = size - 1; i >= 0; i--) value = value * 256 + bytes[at + i]!
      if (run > 0) highest = Math.max(highest, value)
      at += size
      seen += run
    }
  }
  return highest
}

// `width` bits starting `bit` bits into bytes[at..], least significant bit first.
function bitsAt(bytes: Uint8Array, at: number, bit: number, width: number): number {
  let value = 0
  let got = 0
  let pos = at + (bit >>> 3)
  let shift = bit & 7
  while (got < width) {
    const take = Math.min(8 - shift, width - got)
    const part = ((bytes[pos] ?? 0) >>> shift) & ((1 << take) - 1)
    value += part * 2 ** got
    got += take
    shift = 0
    pos++
  }
  return value
}
