/**
 * A pandas categorical's categories, in their order, from the Parquet dictionary page: pyarrow
 * and fastparquet both write the categories (unused ones too) as the column's dictionary, and
 * the decoded values alone lose both the order (what an ordered categorical is about) and the
 * unused categories. Only the first dictionary page is read (its header, then its bytes).
 */
import type { CompressionCodec, FileMetaData, SchemaElement } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { readPlain } from 'hyparquet/src/plain.js'
import type { Target } from '../serializer.js'
import { corrupt, type ParquetFile } from './parquet-file.js'
import { guardedCompressors } from './parquet-pages.js'

/** A page header is a few dozen bytes; this many covers it and its statistics. */
const HEADER_BYTES = 256

/**
 * The dictionary values of `column`'s first chunk that has a dictionary page, decoded as
 * hyparquet decodes values (strings, numbers, bigints), or null when there is none.
 */
export async function readCategories(
  target: Target,
  file: ParquetFile,
  column: string,
  element: SchemaElement,
): Promise<unknown[] | null> {
  const chunk = firstDictionaryChunk(file.metadata, column)
  if (!chunk) return null
  const { start, end, codec } = chunk
  const head = await file.keep(start, Math.min(end, start + HEADER_BYTES))
  const reader = { view: new DataView(head.buffer, head.byteOffset, head.byteLength), offset: 0 }
  const header = parquetHeader(reader)
  const dict = header.dictionary_page_header
  if (header.type !== 'DICTIONARY_PAGE' || !dict) return null
  const from = start + reader.offset
  const to = from + header.compressed_page_size
  if (!(header.compressed_page_size >= 0) || to > end) {
    throw corrupt(
      target,
      `has a dictionary page of column '${column}' running past its column chunk's data pages`,
    )
  }
  let page: Uint8Array = await file.keep(from, to)
  if (codec !== 'UNCOMPRESSED') {
    const decompress = guardedCompressors(target, file.metadata)[codec]
    if (!decompress) return null
    page = decompress(page, header.uncompressed_page_size)
  }
  // Every value takes at least a bit of the page: a count beyond that is a lie to allocate for.
  if (!(dict.num_values >= 0) || dict.num_values > page.length * 8) {
    throw corrupt(
      target,
      `has a dictionary page of column '${column}' claiming ${dict.num_values} values`,
    )
  }
  const values = readPlain(
    { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 },
    element.type!,
    dict.num_values,
    element.type_length,
  )
  const text = new TextDecoder()
  return Array.from(values as ArrayLike<unknown>, (v) =>
    v instanceof Uint8Array ? text.decode(v) : v,
  )
}

function firstDictionaryChunk(
  metadata: FileMetaData,
  column: string,
): { start: number; end: number; codec: CompressionCodec } | null {
  for (const group of metadata.row_groups) {
    for (const c of group.columns) {
      const m = c.meta_data
      if (!m || m.path_in_schema.length !== 1 || m.path_in_schema[0] !== column) continue
      if (!m.encodings.some((e) => e.endsWith('_DICTIONARY'))) continue
      // Some writers leave dictionary_page_offset out: the dictionary page comes first anyway.
      const start = Number(m.dictionary_page_offset ?? m.data_page_offset)
      // The dictionary page ends where the data pages start (when the footer says both).
      const dataStart = Number(m.data_page_offset)
      const end = dataStart > start ? dataStart : start + Number(m.total_compressed_size)
      return { start, end, codec: m.codec }
    }
  }
  return null
}
