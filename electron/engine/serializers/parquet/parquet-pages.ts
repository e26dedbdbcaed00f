/**
 * Page-level guards for hyparquet: a page header says how many bytes its page decompresses to,
 * and the decompressors allocate that much up front, so a damaged header claiming 2^31 bytes
 * would allocate 2 GB for a page of a few hundred. Every decompressor is wrapped to refuse an
 * output larger than the largest column chunk the (already checked) footer declares.
 */
import { snappyUncompress, type Compressors, type FileMetaData } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { compressors } from 'hyparquet-compressors'
import type { Target } from '../serializer.js'
import { corrupt } from './parquet-file.js'

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array

const SNAPPY: Decompress = (input, length) => {
  const out = new Uint8Array(length)
  snappyUncompress(input, out)
  return out
}

/** The decompressors a read of this file uses, each refusing a page bigger than any chunk. */
export function guardedCompressors(target: Target, metadata: FileMetaData): Compressors {
  const limit = largestChunk(metadata)
  const guarded: Compressors = {}
  const all: Record<string, Decompress | undefined> = { SNAPPY, ...compressors }
  for (const [codec, decompress] of Object.entries(all)) {
    if (!decompress) continue
    guarded[codec as keyof Compressors] = (input: Uint8Array, length: number) => {
      checkPageSize(target, limit, codec, length)
      return decompress(input, length)
    }
  }
  return guarded
}

/**
 * Refuses a page claiming `length` uncompressed bytes when that is more than `limit` (the
 * largest column chunk, largestChunk): before anything is allocated for it.
 */
export function checkPageSize(target: Target, limit: number, codec: string, length: number): void {
  if (!(length >= 0) || length > limit) {
    throw corrupt(
      target,
      `has a ${codec} page claiming ${length} bytes uncompressed, more than the ` +
        `${limit} bytes of its largest column chunk`,
    )
  }
}

/**
 * The same guard for a read that does not go through hyparquet's decompressors (the
 * whole-table parquet-wasm load, fed byte ranges as it asks for them): `check(bytes, at)`
 * walks the page headers of every named column's chunk that lies whole in `bytes` (fetched
 * from file offset `at`) and refuses the first page whose claimed size the guard above would
 * refuse, with the same message, so a damaged file fails the same way on every path. It
 * returns false when a named chunk lies only partly in `bytes`: that read cannot be checked.
 */
export function pageSizeGuard(
  target: Target,
  metadata: FileMetaData,
  columns: ReadonlySet<string>,
): (bytes: Uint8Array, at: number) => boolean {
  const limit = largestChunk(metadata)
  const chunks: { start: number; end: number; codec: string }[] = []
  for (const group of metadata.row_groups) {
    for (const column of group.columns) {
      const m = column.meta_data
      if (!m || !columns.has(m.path_in_schema[0] ?? '')) continue
      const start = Number(m.dictionary_page_offset || m.data_page_offset)
      chunks.push({ start, end: start + Number(m.total_compressed_size), codec: m.codec })
    }
  }
  const checked = new Set<number>()
  return (bytes, at) => {
    const stop = at + bytes.byteLength
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]!
      if (checked.has(i) || chunk.end <= at || chunk.start >= stop) continue
      if (chunk.start < at || chunk.end > stop) return false
      walkPages(target, limit, chunk.codec, bytes.subarray(chunk.start - at, chunk.end - at))
      checked.add(i)
    }
    return true
  }
}

// The pages of one column chunk (`bytes`, all of it), each header checked against `limit`.
function walkPages(target: Target, limit: number, codec: string, bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 0
  // Each step moves past one page (header + compressed body), so the walk ends.
  while (at < bytes.byteLength) {
    const reader = { view, offset: at }
    let header
    try {
      header = parquetHeader(reader)
    } catch {
      return // an unreadable header: the read itself reports the damage
    }
    const length = header.uncompressed_page_size
    checkPageSize(target, limit, codec, length)
    const size = header.compressed_page_size
    if (!(size >= 0) || reader.offset <= at) return
    at = reader.offset + size
  }
}

/**
 * A page lies inside its column chunk, whose uncompressed size (headers included) the footer
 * gives: the largest of them bounds every page.
 */
export function largestChunk(metadata: FileMetaData): number {
  let largest = 0
  for (const group of metadata.row_groups) {
    for (const column of group.columns) {
      const size = Number(column.meta_data?.total_uncompressed_size ?? 0)
      if (size > largest) largest = size
    }
  }
  return largest
}
