/**
 * A preview page needs only the dictionary entries its rows point at, and pyarrow writes a
 * dictionary in order of first appearance, so the first rows of a row group point at its
 * first entries: a near-unique string column's 1 MB dictionary page is read for a few KB.
 * The data pages the rows fall in are read first and their dictionary indices decoded (up
 * to the last row asked for); then only a prefix of the dictionary page's body is fetched
 * (UNCOMPRESSED, or SNAPPY through snappy-prefix.ts), doubling until it holds those entries.
 *
 * hyparquet then reads the chunk as before, through an AsyncBuffer that answers the
 * dictionary page's byte range with a stand-in image of the same length: the page's own
 * header, and a body that decodes to the entries read followed by zeros. Zeros are valid
 * PLAIN entries (empty strings, zero numbers) for the rest of the count the header gives, so
 * the values of the page's other rows (decoded and then cut away) never point outside the
 * dictionary. An UNCOMPRESSED body is that plain page itself; a SNAPPY body is a marker the
 * read's own SNAPPY decompressor (already ours, for the size guard) answers with the page.
 * Anything unexpected leaves the chunk to the whole-page read.
 */
import { randomBytes } from 'node:crypto'
import { parquetSchema, type AsyncBuffer, type Compressors, type SchemaElement } from 'hyparquet'
import type { Target } from '../serializer.js'
import { corrupt, type ParquetFile } from './parquet-file.js'
import type { DictionaryPage, PageReads } from './parquet-page-index.js'
import { checkPageSize, largestChunk } from './parquet-pages.js'
import { SnappyError, snappyPrefix } from './snappy-prefix.js'
import { highestIndex, type IndexedChunk } from './parquet-dict-indices.js'

/**
 * The fewest bytes of a dictionary page's body fetched at once. The first window is sized
 * from the page's average entry, then doubled until the entries are in.
 */
export const MIN_DICTIONARY_WINDOW = 4096

/** A first window up to this size is fetched beside the data pages, before the need is known. */
export const EARLY_DICTIONARY_WINDOW = 64 * 1024

// A SNAPPY stand-in body starts with these bytes (random per process, so no file holds
// them) and the number of its prepared page.
const MARKER = new Uint8Array(randomBytes(16))
const MARKER_BYTES = MARKER.length + 4

// Logical types whose conversion accepts a zero-filled entry; others (JSON, geometry)
// could throw on one, so their dictionaries are read whole.
const SAFE_CONVERTED = new Set([
  'UTF8',
  'ENUM',
  'DECIMAL',
  'DATE',
  'TIME_MILLIS',
  'TIME_MICROS',
  'TIMESTAMP_MILLIS',
  'TIMESTAMP_MICROS',
  'UINT_8',
  'UINT_16',
  'UINT_32',
  'UINT_64',
  'INT_8',
  'INT_16',
  'INT_32',
  'INT_64',
])
const SAFE_LOGICAL = new Set([
  'STRING',
  'ENUM',
  'DECIMAL',
  'DATE',
  'TIME',
  'TIMESTAMP',
  'INTEGER',
  'UUID',
  'FLOAT16',
])

/** The file and decompressors a page read goes through, with dictionary prefixes in place. */
export interface PrefixedRead {
  file: AsyncBuffer
  compressors: Compressors
}

interface Image {
  start: number
  bytes: Uint8Array
}

/**
 * Reads the dictionary prefixes rows [start, end) of `names` need and returns the buffer and
 * decompressors hyparquet reads through: `compressors` (the guarded ones) unchanged but for
 * SNAPPY stand-ins, `file.buffer` unchanged but for the dictionary pages read by prefix.
 */
export async function prefixDictionaries(
  target: Target,
  file: ParquetFile,
  pages: PageReads,
  names: readonly string[],
  start: number,
  end: number,
  compressors: Compressors,
): Promise<PrefixedRead> {
  const { metadata } = file
  const elements = new Map(
    parquetSchema(metadata).children.map((c) => [c.element.name, c.element] as const),
  )
  const wanted = new Set(names)
  const prepared = new Map<number, Uint8Array>()
  const work: Promise<Image | null>[] = []
  let first = 0
  metadata.row_groups.forEach((group, g) => {
    const groupRows = Number(group.num_rows)
    const from = Math.max(start - first, 0)
    const to = Math.min(end - first, groupRows)
    first += groupRows
    if (to <= from) return
    for (const column of group.columns) {
      const m = column.meta_data
      const path = m?.path_in_schema.join('.') ?? ''
      const dictionary = pages.dictionaries[g]?.get(path)
      const locations = pages.pageLocationsByGroup[g]?.[path]
      const element = elements.get(path)
      if (!m || !dictionary || !locations || !element || !wanted.has(path)) continue
      if (m.codec !== 'UNCOMPRESSED' && m.codec !== 'SNAPPY') continue
      const chunk: Chunk = {
        target,
        file,
        path,
        codec: m.codec,
        element,
        dictionary,
        locations,
        groupRows,
        compressors,
        prepared,
      }
      work.push(imageOf(chunk, from, to))
    }
  })
  const images = (await Promise.all(work)).filter((i): i is Image => i !== null)
  if (images.length === 0) return { file: file.buffer, compressors }
  const snappy = compressors.SNAPPY
  return {
    file: imagedBuffer(file.buffer, images),
    compressors: {
      ...compressors,
      SNAPPY: (input, length) => {
        const page = standIn(input, prepared)
        if (page && page.length === length) return page
        if (!snappy) throw new Error('no SNAPPY decompressor')
        return snappy(input, length)
      },
    },
  }
}

interface Chunk extends IndexedChunk {
  target: Target
  path: string
  dictionary: DictionaryPage
  prepared: Map<number, Uint8Array>
}

// The stand-in for one chunk's dictionary page when rows [from, to) of its row group need a
// prefix of it, or null when the chunk is better read as before.
async function imageOf(chunk: Chunk, from: number, to: number): Promise<Image | null> {
  const { dictionary, codec, element, file, target } = chunk
  const { header, offset, headerLength } = dictionary
  const width = entryWidth(element)
  const encoding = header.dictionary_page_header?.encoding
  const count = header.dictionary_page_header?.num_values ?? -1
  const body = header.compressed_page_size
  const size = header.uncompressed_page_size
  if (width === null || (encoding !== 'PLAIN' && encoding !== 'PLAIN_DICTIONARY')) return null
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(size) || size < 0) return null
  if (codec === 'UNCOMPRESSED' ? size !== body : body < MARKER_BYTES) return null
  // The page is allocated at its claimed size; an UNCOMPRESSED one is its body, in the chunk.
  if (codec === 'SNAPPY') checkPageSize(target, largestChunk(file.metadata), codec, size)
  const bodyStart = offset + headerLength
  // Bytes the first `entries` entries take, from the page's average (Snappy adds a few).
  const windowFor = (entries: number): number =>
    count === 0
      ? 0
      : Math.min(
          body,
          Math.max(MIN_DICTIONARY_WINDOW, Math.ceil((entries * size * 1.25) / count) + 64),
        )
  // In first-appearance order the rows up to `to` point at most at the first `to` entries:
  // when those are few, their window is fetched beside the data pages (one round trip less).
  const early = windowFor(Math.min(count, to))
  const fetching = early <= EARLY_DICTIONARY_WINDOW ? file.keep(offset, bodyStart + early) : null
  // Left unawaited when the data pages fail or need no prefix: its failure is not this read's.
  fetching?.catch(() => undefined)
  const need = (await highestIndex(chunk, from, to)) + 1
  if (Number.isNaN(need) || need > count) return null
  let window = need === 0 ? 0 : windowFor(need)
  let fetched = fetching ? await fetching : await file.keep(offset, bodyStart + window)
  window = fetched.length - headerLength
  const head = fetched.subarray(0, headerLength)
  let entries = { count: 0, end: 0 }
  let plain: Uint8Array = new Uint8Array(0)
  while (need > 0) {
    const compressed = fetched.subarray(headerLength)
    plain = codec === 'SNAPPY' ? snappyOf(chunk, compressed, size) : compressed
    entries = plainEntries(plain, width, need)
    if (entries.count >= need) break
    if (compressed.length >= body) return null // the whole page holds fewer: leave it be
    window = Math.min(body, Math.max(window * 2, windowFor(need)))
    const more = await file.keep(bodyStart + compressed.length, bodyStart + window)
    const joined = new Uint8Array(headerLength + window)
    joined.set(fetched)
    joined.set(more, fetched.length)
    fetched = joined
  }
  // The other entries the header counts decode from zeros: they must fit in the page.
  const least = width === 'bytes' ? 4 : width
  if (entries.end + (count - entries.count) * least > size) return null
  const page = new Uint8Array(size)
  page.set(plain.subarray(0, entries.end))
  const image = new Uint8Array(headerLength + body)
  image.set(head)
  if (codec === 'UNCOMPRESSED') image.set(page, headerLength)
  else {
    const id = chunk.prepared.size
    chunk.prepared.set(id, page)
    image.set(MARKER, headerLength)
    new DataView(image.buffer).setUint32(headerLength + MARKER.length, id, true)
  }
  return { start: offset, bytes: image }
}

function snappyOf(chunk: Chunk, compressed: Uint8Array, size: number): Uint8Array {
  try {
    return snappyPrefix(compressed, size)
  } catch (err) {
    if (!(err instanceof SnappyError)) throw err
    throw corrupt(
      chunk.target,
      `has a damaged SNAPPY dictionary page in column '${chunk.path}' (${err.message})`,
    )
  }
}

// The prepared page a SNAPPY stand-in body names, or undefined for any other input.
function standIn(input: Uint8Array, prepared: Map<number, Uint8Array>): Uint8Array | undefined {
  if (input.length < MARKER_BYTES) return undefined
  for (let i = 0; i < MARKER.length; i++) if (input[i] !== MARKER[i]) return undefined
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength)
  return prepared.get(view.getUint32(MARKER.length, true))
}

// Bytes of one PLAIN entry of this column, 'bytes' for length-prefixed ones, or null for a
// type whose dictionary is read whole.
function entryWidth(element: SchemaElement): number | 'bytes' | null {
  const ctype = element.converted_type
  const ltype = element.logical_type?.type
  if (ctype !== undefined && !SAFE_CONVERTED.has(ctype)) return null
  if (ltype !== undefined && !SAFE_LOGICAL.has(ltype)) return null
  switch (element.type) {
    case 'BYTE_ARRAY':
      return 'bytes'
    case 'INT32':
    case 'FLOAT':
      return 4
    case 'INT64':
    case 'DOUBLE':
      return 8
    case 'INT96':
      return 12
    case 'FIXED_LEN_BYTE_ARRAY': {
      const n = element.type_length
      return n !== undefined && Number.isInteger(n) && n > 0 ? n : null
    }
    default:
      return null
  }
}

// The whole PLAIN entries at the start of `bytes`, up to `want`: how many and where they end.
function plainEntries(
  bytes: Uint8Array,
  width: number | 'bytes',
  want: number,
): { count: number; end: number } {
  if (width !== 'bytes') {
    const count = Math.min(want, Math.floor(bytes.length / width))
    return { count, end: count * width }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 0
  let count = 0
  while (count < want && at + 4 <= bytes.length) {
    const len = view.getUint32(at, true)
    if (at + 4 + len > bytes.length) break
    at += 4 + len
    count++
  }
  return { count, end: at }
}

// `inner` with the dictionary pages' byte ranges answered from their stand-in images.
function imagedBuffer(inner: AsyncBuffer, images: Image[]): AsyncBuffer {
  images.sort((a, b) => a.start - b.start)
  return {
    byteLength: inner.byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? inner.byteLength, inner.byteLength)
      const hit = images.filter((i) => i.start < stop && start < i.start + i.bytes.length)
      if (hit.length === 0) return inner.slice(start, end)
      const out = new Uint8Array(stop - start)
      let at = start
      for (const image of [...hit, null]) {
        const next = image ? Math.max(image.start, start) : stop
        if (next > at) out.set(new Uint8Array(await inner.slice(at, next)), at - start)
        if (!image) break
        const imageEnd = Math.min(stop, image.start + image.bytes.length)
        const from = Math.max(start, image.start)
        out.set(image.bytes.subarray(from - image.start, imageEnd - image.start), from - start)
        at = imageEnd
      }
      return out.buffer
    },
  }
}
