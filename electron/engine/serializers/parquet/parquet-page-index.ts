/**
 * Page locations for column chunks written without an offset index (pandas' pyarrow default):
 * found by reading each page header in turn (small ranged reads), so a preview page reads the
 * dictionary and the data pages it needs instead of whole row groups. hyparquet takes the
 * locations as if they came from an offset index and reads only the overlapping pages.
 */
import type { AsyncBuffer, FileMetaData, OffsetIndex, PageHeader } from 'hyparquet'
import { parquetSchema } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { CorruptPayloadError } from '../../errors.js'

type PageLocation = OffsetIndex['page_locations'][number]

/** The largest page header read: a header running past this is refused. */
export const MAX_PAGE_HEADER_BYTES = 64 * 1024

/** Pages scanned in one column chunk at most; past it the chunk is read whole. */
export const MAX_SCANNED_PAGES = 100_000

/** Column chunks smaller than this are read whole: one small read costs less than a scan. */
export const MIN_SCANNED_CHUNK_BYTES = 4096

/** Bytes read first at each page offset; a larger header is read again up to the limit. */
const FIRST_WINDOW = 256

/** What one column chunk's scan found so far (scans stop at the last row asked for). */
export interface ChunkScan {
  /** Data pages in file order, located as an offset index would. */
  pages: PageLocation[]
  /** Where the next unscanned page header starts, or null when the chunk is done. */
  next: number | null
  /** Rows of the pages found so far. */
  rows: number
  /** The chunk cannot be scanned (an index page, a repeated column): read it whole. */
  whole: boolean
  /** The chunk's dictionary page, when it starts with one. */
  dictionary?: DictionaryPage
}

/** Where a column chunk's dictionary page lies, and its header as read while scanning. */
export interface DictionaryPage {
  offset: number
  headerLength: number
  header: PageHeader
}

/** Scans kept per open file: row group index -> column path -> scan. */
export type ScanCache = Map<number, Map<string, ChunkScan>>

/** One column chunk's bounds and rows, as the footer gives them. */
export interface ChunkBounds {
  start: number
  end: number
  groupRows: number
  path: string
}

/**
 * Reads page headers of one column chunk from `scan.next` until the pages found cover `rows`
 * rows of the row group (or the chunk ends). Data page v1 num_values counts rows only because
 * the caller passes flat, non-repeated columns. Throws CorruptPayloadError for headers that
 * cannot be true (too large, pages past the chunk, more rows than the row group).
 */
export async function scanChunk(
  buffer: AsyncBuffer,
  chunk: ChunkBounds,
  scan: ChunkScan,
  rows: number,
  name: string,
): Promise<ChunkScan> {
  const bad = (what: string): CorruptPayloadError =>
    new CorruptPayloadError(
      `The Parquet payload ${name} has a damaged page in column '${chunk.path}' at byte ` +
        `${scan.next}: ${what}. Put the table again, or read it with Python xpersist.`,
    )
  while (scan.next !== null && scan.rows < rows && !scan.whole) {
    const at = scan.next
    if (at >= chunk.end) {
      scan.next = null
      break
    }
    if (scan.pages.length >= MAX_SCANNED_PAGES) {
      scan.whole = true
      break
    }
    const { header, length } = await readHeader(buffer, at, chunk.end, bad)
    const size = header.compressed_page_size
    if (!Number.isInteger(size) || size < 0 || at + length + size > chunk.end) {
      throw bad(`a page of ${size} bytes runs past the column chunk's end (${chunk.end})`)
    }
    if (header.type === 'DICTIONARY_PAGE') {
      // A dictionary comes first; hyparquet reads it from the chunk's start.
      if (scan.pages.length > 0 || scan.dictionary) scan.whole = true
      else scan.dictionary = { offset: at, headerLength: length, header }
    } else if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
      const count =
        header.type === 'DATA_PAGE'
          ? header.data_page_header?.num_values
          : header.data_page_header_v2?.num_rows
      if (!Number.isInteger(count) || count! < 0 || scan.rows + count! > chunk.groupRows) {
        throw bad(`it claims ${count} rows where the row group holds ${chunk.groupRows}`)
      }
      scan.pages.push({
        offset: BigInt(at),
        compressed_page_size: length + size,
        first_row_index: BigInt(scan.rows),
      })
      scan.rows += count!
    } else {
      // An index page or a type this reader does not know: no page reads for this chunk.
      scan.whole = true
    }
    scan.next = at + length + size < chunk.end ? at + length + size : null
  }
  return scan
}

// A header's length is known only once it is parsed: try a small window, then the limit.
// Any parse error in the small window may be the window's end, so only the last try decides.
async function readHeader(
  buffer: AsyncBuffer,
  at: number,
  end: number,
  bad: (what: string) => Error,
): Promise<{ header: PageHeader; length: number }> {
  for (const window of [FIRST_WINDOW, MAX_PAGE_HEADER_BYTES]) {
    const stop = Math.min(end, at + window)
    const bytes = await buffer.slice(at, stop)
    const reader = { view: new DataView(bytes), offset: 0 }
    try {
      const header = parquetHeader(reader)
      if (reader.offset <= bytes.byteLength) return { header, length: reader.offset }
    } catch (err) {
      if (stop < end && window < MAX_PAGE_HEADER_BYTES) continue
      const why = (err as Error).message
      throw bad(
        stop < end
          ? `no readable page header in its first ${MAX_PAGE_HEADER_BYTES} bytes (${why})`
          : `unreadable page header (${why})`,
      )
    }
  }
  throw bad(`no readable page header in its first ${MAX_PAGE_HEADER_BYTES} bytes`)
}

/**
 * Page locations for the row groups rows [start, end) fall in, for the named top-level
 * columns that are flat and have no offset index, scanned as far as `end` needs and kept in
 * `cache`. The result is hyparquet's pageLocationsByGroup (row group -> column path ->
 * pages); a chunk that must be read whole is left out of it.
 */
export async function pageLocations(
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  names: readonly string[],
  start: number,
  end: number,
  cache: ScanCache,
  fileName: string,
  minChunkBytes = MIN_SCANNED_CHUNK_BYTES,
): Promise<Record<string, PageLocation[]>[]> {
  const flat = new Set(
    parquetSchema(metadata)
      .children.filter((c) => c.children.length === 0 && c.element.repetition_type !== 'REPEATED')
      .map((c) => c.element.name),
  )
  const wanted = new Set(names.filter((n) => flat.has(n)))
  const out: Record<string, PageLocation[]>[] = metadata.row_groups.map(() => Object.create(null))
  const work: Promise<void>[] = []
  let first = 0
  metadata.row_groups.forEach((group, g) => {
    const groupRows = Number(group.num_rows)
    const last = first + groupRows
    const needRows = Math.min(end, last) - first
    // Only a row group the rows cover a part of gains from page reads.
    const part = start > first || end < last
    if (last > start && first < end && needRows > 0 && part) {
      let scans = cache.get(g)
      if (!scans) cache.set(g, (scans = new Map()))
      for (const column of group.columns) {
        const m = column.meta_data
        const path = m?.path_in_schema.join('.') ?? ''
        if (!m || !wanted.has(path) || column.offset_index_offset) continue
        if (Number(m.total_compressed_size) < minChunkBytes) continue
        const begin = Number(m.dictionary_page_offset || m.data_page_offset)
        const bounds = {
          start: begin,
          end: begin + Number(m.total_compressed_size),
          groupRows,
          path,
        }
        let scan = scans.get(path)
        if (!scan) {
          scan = { pages: [], next: begin, rows: 0, whole: false }
          scans.set(path, scan)
        }
        const s = scan
        const slot = out[g]!
        work.push(
          scanChunk(buffer, bounds, s, needRows, fileName).then(() => {
            // Pages must cover the rows asked for, or hyparquet would stop short.
            if (!s.whole && s.rows >= needRows) slot[path] = s.pages.slice()
          }),
        )
      }
    }
    first = last
  })
  await Promise.all(work)
  return out
}

const caches = new WeakMap<object, ScanCache>()

/** What pageReadOptions finds: hyparquet's page locations and the dictionary pages beside them. */
export interface PageReads {
  /** hyparquet's pageLocationsByGroup option. */
  pageLocationsByGroup: Record<string, PageLocation[]>[]
  /** Row group -> column path -> its dictionary page, for the chunks that have locations. */
  dictionaries: Map<string, DictionaryPage>[]
}

/**
 * Page locations that make hyparquet read only the pages rows [start, end) need, for a file
 * opened once (`file` keys the scans kept between pages of the same open file).
 */
export async function pageReadOptions(
  file: { buffer: AsyncBuffer; metadata: FileMetaData },
  names: readonly string[],
  start: number,
  end: number,
  fileName: string,
): Promise<PageReads> {
  let cache = caches.get(file)
  if (!cache) caches.set(file, (cache = new Map()))
  const locations = await pageLocations(
    file.buffer,
    file.metadata,
    names,
    start,
    end,
    cache,
    fileName,
  )
  const dictionaries = locations.map((slot, g) => {
    const found = new Map<string, DictionaryPage>()
    for (const path of Object.keys(slot)) {
      const dictionary = cache.get(g)?.get(path)?.dictionary
      if (dictionary) found.set(path, dictionary)
    }
    return found
  })
  return { pageLocationsByGroup: locations, dictionaries }
}
