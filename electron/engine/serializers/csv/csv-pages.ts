/**
 * CSV pages that cost one page: the header, then a seek from the nearest row checkpoint to the
 * page's first row by scanning record boundaries (csv-scan.ts, no parsing), then only the
 * page's bytes parsed. The page's column types are inferred from the page itself (and the
 * header), as the whole-file reader infers them from every row: a column that is int on this
 * page may be float in the whole file. Memory is the page plus one block. The page's rows come
 * as texts (readCsvPageRows, no Arrow: the CLI formats them as JSON directly) or as a table.
 */
import type { Table } from 'apache-arrow'
import type { ObjectMeta } from '../../backend/backend.js'
import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import type { Kwargs, Target } from '../serializer.js'
import { CsvRowIndex, findRowIndex, keepRowIndex } from './csv-checkpoints.js'
import { loadIndexFile, saveIndexFile } from './csv-index-files.js'
import { PageCheck, Utf8Check, type PageStart } from './csv-page-check.js'
import { CsvRecordScanner, MAX_RECORD_BYTES, scannable } from './csv-scan.js'
import { CsvTextReader } from './csv-text-reader.js'
import { readOptions, type ReadOptions } from './read-options.js'

/** Bytes per range request while seeking and counting. */
export const SCAN_BLOCK_BYTES = 1024 * 1024

/** Bytes of the first range request of a page (a page of 100 rows is usually in it). */
const PAGE_BLOCK_BYTES = 64 * 1024

/** One page: rows [offset, offset + rows) and what reading it cost. */
export interface CsvPage {
  table: Table
  rowCount: number | null
  bytesRead: number
  totalBytes: number
}

/** One page's rows as the reader holds them (texts), before any table is made. */
export interface CsvPageRows {
  reader: CsvTextReader
  rowCount: number | null
  bytesRead: number
  totalBytes: number
}

/** Reads one page; undefined when this file cannot be scanned (bare '\r' line ends, non-ASCII sep). */
export async function readCsvPage(
  target: Target,
  meta: ObjectMeta,
  kwargs: Kwargs,
  offset: number,
  rows: number,
  maxCells: number,
  maxRecordBytes = MAX_RECORD_BYTES,
): Promise<CsvPage | undefined> {
  const page = await readCsvPageRows(target, meta, kwargs, offset, rows, maxCells, maxRecordBytes)
  if (!page) return undefined
  // Arrow loads only for a table (the CLI's page is JSON without it).
  const { keptTable } = await import('./read-csv.js')
  const { getRangeIndex, withRangeIndex } = await import('../../table/pandas-meta.js')
  const { reader, ...rest } = page
  const table = keptTable(reader.kept())
  const range = getRangeIndex(table)
  return {
    table: range ? withRangeIndex(table, range.name, offset, range.step) : table,
    ...rest,
  }
}

/** readCsvPage's rows as texts; undefined when this file cannot be scanned. */
export async function readCsvPageRows(
  target: Target,
  meta: ObjectMeta,
  kwargs: Kwargs,
  offset: number,
  rows: number,
  maxCells: number,
  maxRecordBytes = MAX_RECORD_BYTES,
): Promise<CsvPageRows | undefined> {
  const options = readOptions(kwargs)
  const io: Io = { bytesRead: 0 }
  const index = await rowIndex(target, meta, options, io, maxRecordBytes)
  if (!index) return undefined
  if (options.nrows !== null) rows = Math.max(0, Math.min(rows, options.nrows - offset))
  const start = await seek(target, meta, options, index, offset, io)
  const reader = new CsvTextReader(kwargs, rows, maxCells)
  const header = index.headerEnd > 0 ? await read(target, 0, index.headerEnd, io) : undefined
  const start0 = pageStart(target, options, header, offset, rows, maxRecordBytes)
  if (offset > 0 && start0.headerWidth !== null) {
    // Whether data row 0 is one field wider (an implicit index) decides the width everywhere.
    const first = await firstRowWidth(target, meta, options, index.headerEnd, io)
    if (first === start0.headerWidth + 1) start0.headerWidth = first
  }
  const check = new PageCheck(start0)
  let pos = start ?? meta.size
  try {
    if (header) reader.push(header)
    while (pos < meta.size && reader.rowsSeen < rows && !reader.full) {
      // Reading as much again as is held keeps a long record linear; the limit caps it.
      const grow = Math.max(PAGE_BLOCK_BYTES, reader.pendingLength)
      const room = Math.max(1, maxRecordBytes + 1 - reader.pendingLength)
      const length = Math.min(grow, room, meta.size - pos)
      const bytes = await read(target, pos, length, io)
      // Checked before the reader holds them: errors say where, an over-long record stops here.
      check.push(bytes, pos)
      pos += bytes.length
      reader.push(bytes)
      if (reader.pendingLength > maxRecordBytes) throw tooLong(target, maxRecordBytes)
    }
    if (pos >= meta.size) {
      if (start !== null) check.end(meta.size)
      reader.end()
      if (start !== null) index.rowCount ??= offset + reader.rowsSeen
    }
  } catch (err) {
    throw named(err, target, offset)
  }
  await saveIndexFile(target.backend, meta, index)
  const nrowsReached = options.nrows !== null && offset + reader.rowsSeen >= options.nrows
  return {
    reader,
    rowCount: nrowsReached ? options.nrows : cap(index.rowCount, options),
    bytesRead: io.bytesRead,
    totalBytes: meta.size,
  }
}

/**
 * Counts the payload's data rows, streaming from the last checkpoint and recording
 * checkpoints; the signal is checked between blocks. null when the file cannot be scanned,
 * or when more than `maxScanBytes` would have to be scanned (the count is then left undone).
 */
export async function countCsvRows(
  target: Target,
  meta: ObjectMeta,
  kwargs: Kwargs,
  signal?: AbortSignal,
  maxScanBytes = Infinity,
): Promise<number | null> {
  const options = readOptions(kwargs)
  const index = await rowIndex(target, meta, options, { bytesRead: 0 })
  if (!index) return null
  if (index.rowCount === null) {
    if (meta.size - index.last[1] > maxScanBytes) return null
    await seek(target, meta, options, index, Infinity, { bytesRead: 0 }, signal)
    await saveIndexFile(target.backend, meta, index)
  }
  return cap(index.rowCount, options)
}

// The header's end and the payload's index, from the cache or from the first block.
async function rowIndex(
  target: Target,
  meta: ObjectMeta,
  options: ReadOptions,
  io: Io,
  maxRecordBytes = MAX_RECORD_BYTES,
): Promise<CsvRowIndex | undefined> {
  const found = findRowIndex(target.backend, meta) ?? (await loadIndexFile(target.backend, meta))
  if (found) {
    keepRowIndex(target.backend, meta, found)
    return found
  }
  const head = await read(target, 0, Math.min(PAGE_BLOCK_BYTES, meta.size), io)
  io.head = head
  if (!scannable(options.sep, options.quoteChar, head)) return undefined
  let headerEnd = 0
  if (options.header === 0) {
    const scanner = newScanner(options, target, maxRecordBytes)
    let pos = 0
    let block = head
    for (;;) {
      const end = scanner.push(block, pos, () => false)
      if (end !== null) {
        headerEnd = end
        break
      }
      pos += block.length
      if (pos >= meta.size) {
        headerEnd = meta.size
        break
      }
      block = await read(target, pos, Math.min(SCAN_BLOCK_BYTES, meta.size - pos), io)
    }
  }
  const index = new CsvRowIndex(headerEnd)
  keepRowIndex(target.backend, meta, index)
  return index
}

// The byte where data row `row` starts (recording checkpoints on the way), or null past the end.
async function seek(
  target: Target,
  meta: ObjectMeta,
  options: ReadOptions,
  index: CsvRowIndex,
  row: number,
  io: Io,
  signal?: AbortSignal,
): Promise<number | null> {
  let [current, pos] = index.nearest(row)
  if (current === row) return pos
  const scanner = newScanner(options, target)
  // Blocks grow from a page's size to SCAN_BLOCK_BYTES: a near page costs little, a far one
  // few requests.
  let block = PAGE_BLOCK_BYTES
  while (pos < meta.size) {
    signal?.throwIfAborted()
    const bytes = await read(target, pos, Math.min(block, meta.size - pos), io)
    block = Math.min(2 * block, SCAN_BLOCK_BYTES)
    const stop = scanner.push(bytes, pos, (end) => {
      current++
      index.record(current, end)
      return current < row
    })
    if (stop !== null) return stop
    pos += bytes.length
  }
  // A last record without a line end still counts.
  if (scanner.pendingBytes > 0) current++
  index.rowCount = current
  return null
}

/** Bytes read by one call, and the first block it read (the header is served from it). */
interface Io {
  bytesRead: number
  head?: Uint8Array
}

async function read(target: Target, offset: number, length: number, io: Io): Promise<Uint8Array> {
  if (io.head && offset + length <= io.head.length) return io.head.subarray(offset, offset + length)
  const bytes = (await target.backend.get(target.path, { offset, length })) ?? new Uint8Array(0)
  io.bytesRead += bytes.length
  return bytes
}

// The count is kept for the file; nrows (a load kwarg) caps what is reported.
function cap(count: number | null, options: ReadOptions): number | null {
  return count === null || options.nrows === null ? count : Math.min(count, options.nrows)
}

function newScanner(
  options: ReadOptions,
  target: Target,
  maxRecordBytes = MAX_RECORD_BYTES,
): CsvRecordScanner {
  return new CsvRecordScanner(
    options.sep.charCodeAt(0),
    options.quoteChar.charCodeAt(0),
    `The CSV payload ${target.path}`,
    maxRecordBytes,
  )
}

// What the page check needs: the header's width and line ends (when the page is at the top).
function pageStart(
  target: Target,
  options: ReadOptions,
  header: Uint8Array | undefined,
  row: number,
  rows: number,
  maxRecordBytes: number,
): PageStart {
  const sep = options.sep.charCodeAt(0)
  const quote = options.quoteChar.charCodeAt(0)
  const what = `The CSV payload ${target.path}`
  let headerWidth: number | null = null
  let lines = 0
  if (header) {
    const bad = new Utf8Check().push(header)
    if (bad !== null) {
      throw new CorruptPayloadError(
        `${what} is not valid UTF-8: the bytes at offset ${bad} (the header row) are not a ` +
          `UTF-8 character. Re-encode the file as UTF-8 (pandas writes UTF-8) and put it again.`,
      )
    }
    const scanner = new CsvRecordScanner(sep, quote, what, maxRecordBytes)
    scanner.push(header, 0, (_end, fields) => {
      if (options.header === 0) headerWidth = fields
      return true
    })
    lines = scanner.lines
  }
  const linesBefore = row === 0 ? lines : null
  return { what, sep, quote, headerWidth, linesBefore, row, rows, maxRecordBytes }
}

// Fields of data row 0 (null when it does not end within one block: no claim is made).
async function firstRowWidth(
  target: Target,
  meta: ObjectMeta,
  options: ReadOptions,
  at: number,
  io: Io,
): Promise<number | null> {
  if (at >= meta.size) return null
  const bytes = await read(target, at, Math.min(PAGE_BLOCK_BYTES, meta.size - at), io)
  let width: number | null = null
  newScanner(options, target).push(bytes, at, (_end, fields) => {
    width = fields
    return false
  })
  return width
}

// The reader's errors say "this CSV" and count records from the page: name the file and page.
function named(err: unknown, target: Target, offset: number): unknown {
  const what = `The CSV payload ${target.path}`
  if (!(err instanceof CorruptPayloadError) || err.message.startsWith(what)) return err
  return new CorruptPayloadError(
    `${what} (the page from data row ${offset}): ${err.message} Fix the file or put it again.`,
    { cause: err },
  )
}

function tooLong(target: Target, limit: number): LimitExceededError {
  return new LimitExceededError(
    `The CSV payload ${target.path} has a record longer than ${limit / 1024 / 1024} MB ` +
      `(a line without an end, or an unclosed quote); the preview reads at most that much per row.`,
  )
}
