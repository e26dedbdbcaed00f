/**
 * A Parquet payload read through the backend's byte ranges: the footer first (bounded and
 * checked before anything is allocated for it), then only the column chunks hyparquet asks
 * for. Every byte fetched is counted, so a preview can say what it read.
 */
import { parquetMetadata, type AsyncBuffer, type FileMetaData } from 'hyparquet'
import { CorruptPayloadError, XpersistError } from '../../errors.js'
import type { Target } from '../serializer.js'

/** The largest footer (Thrift FileMetaData) read: a file claiming more is refused. */
export const MAX_FOOTER_BYTES = 64 * 1024 * 1024

const MAGIC = 0x31524150 // 'PAR1' little-endian

/** An open Parquet payload: its size, parsed footer and a range reader that counts bytes. */
export interface ParquetFile {
  readonly buffer: AsyncBuffer
  readonly metadata: FileMetaData
  readonly totalBytes: number
  /**
   * Distinct bytes of the file fetched so far (footer included): a range fetched twice (a
   * page header read while scanning, then with its page) counts once, so this never exceeds
   * the file's size.
   */
  bytesRead(): number
  /**
   * Bytes [start, end), remembered so a later slice over them (hyparquet reading the whole
   * column chunk) does not fetch them again: for the few pages read ahead of hyparquet.
   */
  keep(start: number, end: number): Promise<Uint8Array>
}

/** Opens the payload at target.path: reads and checks the footer, nothing else. */
export async function openParquet(target: Target): Promise<ParquetFile> {
  const meta = await target.backend.head(target.path)
  if (!meta) throw corrupt(target, 'is missing; the artifact is incomplete')
  const size = meta.size
  const seen = new ByteSpans()
  const fetch = async (offset: number, length: number): Promise<Uint8Array> => {
    const bytes =
      length === 0 ? new Uint8Array(0) : await target.backend.get(target.path, { offset, length })
    if (!bytes || bytes.length !== length) {
      throw corrupt(target, `ended early: wanted ${length} bytes at offset ${offset} of ${size}`)
    }
    seen.add(offset, offset + length)
    return bytes
  }
  // 4 bytes of leading magic, a footer length and 4 bytes of trailing magic at least.
  if (size < 12) throw corrupt(target, `is ${size} bytes, too short to be a Parquet file`)
  const tail = await fetch(size - 8, 8)
  const view = new DataView(tail.buffer, tail.byteOffset, 8)
  if (view.getUint32(4, true) !== MAGIC) {
    throw corrupt(target, 'does not end with the Parquet magic PAR1 (truncated or not Parquet)')
  }
  const footerLength = view.getUint32(0, true)
  if (footerLength > MAX_FOOTER_BYTES) {
    throw corrupt(
      target,
      `claims a ${footerLength}-byte footer, over the ${MAX_FOOTER_BYTES}-byte limit`,
    )
  }
  if (footerLength + 12 > size) {
    throw corrupt(target, `claims a ${footerLength}-byte footer in a ${size}-byte file`)
  }
  const head = await fetch(0, 4)
  if (new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) !== MAGIC) {
    throw corrupt(target, 'does not start with the Parquet magic PAR1')
  }
  const footer = await fetch(size - 8 - footerLength, footerLength)
  let metadata: FileMetaData
  try {
    metadata = parquetMetadata(withTail(footer, tail))
  } catch (err) {
    throw corrupt(target, `has an unreadable footer (${(err as Error).message})`)
  }
  try {
    checkRowGroups(target, metadata, size)
  } catch (err) {
    // A damaged footer can still parse, with a field of the wrong Thrift type.
    if (err instanceof XpersistError) throw err
    throw corrupt(target, `has an unreadable footer (${(err as Error).message})`)
  }
  const kept: Piece[] = []
  const buffer: AsyncBuffer = {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? size, size)
      if (!(start >= 0) || stop < start) throw corrupt(target, `points at bytes ${start}..${end}`)
      const bytes = await assemble(kept, start, stop, fetch)
      // A fetch of its own whole buffer is handed on as it is: no second copy of a column chunk.
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
        return bytes.buffer as ArrayBuffer
      }
      return bytes.slice().buffer
    },
  }
  const keep = async (start: number, end: number): Promise<Uint8Array> => {
    const stop = Math.min(end, size)
    if (!(start >= 0) || stop < start) throw corrupt(target, `points at bytes ${start}..${end}`)
    const bytes = await assemble(kept, start, stop, fetch)
    kept.push({ start, bytes })
    return bytes
  }
  return { buffer, metadata, totalBytes: size, bytesRead: () => seen.covered, keep }
}

/** The CorruptPayloadError for this payload, naming the key. */
export function corrupt(target: Target, what: string): CorruptPayloadError {
  return new CorruptPayloadError(
    `The Parquet payload ${target.path} ${what}. Put the table again, or read it with Python xpersist.`,
  )
}

// Row counts and chunk offsets come from the file: refuse ones that cannot be true before
// hyparquet plans reads from them.
function checkRowGroups(target: Target, metadata: FileMetaData, size: number): void {
  let rows = 0n
  if (BigInt(metadata.num_rows) < 0n) {
    throw corrupt(target, `says it has ${metadata.num_rows} rows`)
  }
  for (const group of metadata.row_groups) {
    const groupRows = BigInt(group.num_rows)
    if (groupRows < 0n) throw corrupt(target, `has a row group of ${group.num_rows} rows`)
    rows += groupRows
    checkRowsFit(target, group.num_rows, group.columns)
    for (const column of group.columns) {
      const m = column.meta_data
      if (!m) continue
      const start = Number(m.dictionary_page_offset ?? m.data_page_offset)
      const length = Number(m.total_compressed_size)
      if (!(start >= 0) || !(length >= 0) || start + length > size) {
        throw corrupt(
          target,
          `has a column chunk at bytes ${start}..${start + length}, past its end`,
        )
      }
    }
  }
  if (rows !== BigInt(metadata.num_rows)) {
    throw corrupt(target, `says it has ${metadata.num_rows} rows but its row groups hold ${rows}`)
  }
}

/** The fewest bytes a data page takes (its Thrift header alone); a page holds < 2^31 values. */
const MIN_PAGE_BYTES = 6
const MAX_PAGE_VALUES = 2n ** 31n - 1n

// A row group of N rows needs, in every column chunk, pages for N values: a chunk of B bytes
// holds at most B / MIN_PAGE_BYTES pages of 2^31-1 values. A footer claiming 2^40 rows in a
// chunk of 86 bytes is refused here, before a read plans or allocates anything for them.
function checkRowsFit(
  target: Target,
  numRows: bigint | number,
  columns: FileMetaData['row_groups'][number]['columns'],
): void {
  for (const column of columns) {
    const bytes = BigInt(column.meta_data?.total_compressed_size ?? 0)
    const most = (bytes / BigInt(MIN_PAGE_BYTES) + 1n) * MAX_PAGE_VALUES
    if (BigInt(numRows) > most) {
      throw corrupt(
        target,
        `claims a row group of ${numRows} rows in a column chunk of ${bytes} bytes, which cannot hold them`,
      )
    }
  }
}

// hyparquet parses a footer followed by its length and magic: the 8 bytes already read.
function withTail(footer: Uint8Array, tail: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(footer.length + tail.length)
  out.set(footer)
  out.set(tail, footer.length)
  return out.buffer
}

interface Piece {
  start: number
  bytes: Uint8Array
}

// Bytes [start, stop) from the kept pieces where they cover them, fetched elsewhere.
async function assemble(
  kept: readonly Piece[],
  start: number,
  stop: number,
  fetch: (offset: number, length: number) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  if (!kept.some((p) => p.start < stop && start < p.start + p.bytes.length)) {
    return fetch(start, stop - start)
  }
  const out = new Uint8Array(stop - start)
  let at = start
  while (at < stop) {
    const piece = kept.find((p) => p.start <= at && at < p.start + p.bytes.length)
    if (piece) {
      const n = Math.min(stop, piece.start + piece.bytes.length) - at
      out.set(piece.bytes.subarray(at - piece.start, at - piece.start + n), at - start)
      at += n
      continue
    }
    const next = kept.reduce((m, p) => (p.start > at && p.start < m ? p.start : m), stop)
    out.set(await fetch(at, next - at), at - start)
    at = next
  }
  return out
}

// The union of fetched ranges, kept sorted and merged; `covered` is its total length.
class ByteSpans {
  private spans: [number, number][] = []
  covered = 0

  add(start: number, end: number): void {
    if (end <= start) return
    const kept: [number, number][] = []
    let [s, e] = [start, end]
    for (const span of this.spans) {
      if (span[1] < s || span[0] > e) kept.push(span)
      else {
        s = Math.min(s, span[0])
        e = Math.max(e, span[1])
      }
    }
    kept.push([s, e])
    kept.sort((a, b) => a[0] - b[0])
    this.spans = kept
    this.covered = kept.reduce((n, [a, b]) => n + b - a, 0)
  }
}
