/**
 * The bytes a Parquet table takes once decoded into Arrow, estimated from the footer before
 * anything is decoded, so a query source loads a table whole only when it will keep it. The
 * footer's total_uncompressed_size counts encoded pages: a dictionary-encoded column of 1 M
 * doubles or of 1 M short strings is a few MB there and 8-16 MB in Arrow (measured on the
 * benchmark's 10 M-row file: 433 MB by the footer, over 800 MB decoded). So fixed-width
 * columns count their width per value, and text columns their string bytes from the size
 * statistics pyarrow writes, else from the dictionary page's header (its entries' average
 * length), else the encoded size (plain pages hold every string with a 4-byte length).
 */
import type { ColumnChunk, FileMetaData, SchemaElement } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import type { Target } from '../../serializers/serializer.js'
import { PANDAS_METADATA_KEY } from '../pandas-meta.js'

/** Dictionary page headers read per column at most; later row groups reuse their average. */
const SAMPLED_HEADERS = 16

/** Bytes read for a dictionary page header (a longer header leaves the column to its fallback). */
const HEADER_BYTES = 256

const WIDTH: Record<string, number> = Object.assign(Object.create(null) as object, {
  INT32: 4,
  FLOAT: 4,
  INT64: 8,
  DOUBLE: 8,
  // INT96 timestamps become 64-bit nanoseconds.
  INT96: 8,
})

/** Estimated Arrow bytes per top-level column (summed over row groups), erring high. */
export interface SizeEstimate {
  /** Bytes of the columns named (undefined: all) over the row groups rows [start, end) touch. */
  bytes(start: number, end: number, columns?: readonly string[]): number
}

/** Estimates the decoded size of `meta`'s row groups, reading a few dictionary page headers. */
export async function estimateDecodedSize(
  target: Target,
  meta: FileMetaData,
): Promise<SizeEstimate> {
  const leaves = new Map<string, SchemaElement>()
  for (const el of meta.schema) if (!el.num_children) leaves.set(el.name, el)
  const categorical = categoricalColumns(meta)
  // Average string bytes per value of a text column, from the dictionaries sampled so far.
  const perValue = new Map<string, { bytes: number; values: number }>()
  const sized: number[][] = []
  for (const group of meta.row_groups) {
    const row: number[] = []
    for (const chunk of group.columns) {
      const m = chunk.meta_data
      const name = m?.path_in_schema[0] ?? ''
      const leaf = leaves.get(m?.path_in_schema.at(-1) ?? '')
      row.push(m ? await chunkBytes(target, chunk, leaf, categorical.has(name), perValue) : 0)
    }
    sized.push(row)
  }
  const starts: number[] = []
  let at = 0
  for (const g of meta.row_groups) {
    starts.push(at)
    at += Number(g.num_rows)
  }
  return {
    bytes(start, end, columns) {
      const names = columns ? new Set(columns) : null
      let total = 0
      meta.row_groups.forEach((group, g) => {
        const first = starts[g]!
        if (first + Number(group.num_rows) <= start || first >= end) return
        group.columns.forEach((chunk, c) => {
          const name = chunk.meta_data?.path_in_schema[0] ?? ''
          if (!names || names.has(name)) total += sized[g]![c]!
        })
      })
      return total
    },
  }
}

async function chunkBytes(
  target: Target,
  chunk: ColumnChunk,
  leaf: SchemaElement | undefined,
  categorical: boolean,
  perValue: Map<string, { bytes: number; values: number }>,
): Promise<number> {
  const m = chunk.meta_data!
  const values = Number(m.num_values)
  const encoded = Number(m.total_uncompressed_size)
  // A validity bit per value, and offsets for anything nested or variable-width.
  const bits = Math.ceil(values / 8)
  const nested = m.path_in_schema.length > 1 ? 4 * values : 0
  if (m.type === 'BOOLEAN') return bits + bits + nested
  if (m.type === 'FIXED_LEN_BYTE_ARRAY') {
    // Decimals become 16-byte values or text; neither is over 40 bytes a value.
    return Math.max(encoded, values * Math.max(16, leaf?.type_length ?? 0, 40)) + bits + nested
  }
  const width = WIDTH[m.type]
  if (width !== undefined) return Math.max(encoded, values * width) + bits + nested
  // BYTE_ARRAY: the strings' bytes, plus 4-byte offsets (or 4-byte codes for a categorical).
  const path = m.path_in_schema.join('.')
  let text = Number(m.size_statistics?.unencoded_byte_array_data_bytes ?? -1)
  if (text < 0 && m.dictionary_page_offset !== undefined) {
    let avg = perValue.get(path)
    if (!avg || avg.values < SAMPLED_HEADERS) {
      const dict = await dictionaryEntries(target, Number(m.dictionary_page_offset))
      if (dict) {
        avg ??= { bytes: 0, values: 0 }
        avg.bytes += dict.bytes / Math.max(1, dict.entries)
        avg.values += 1
        perValue.set(path, avg)
      }
    }
    if (avg && avg.values > 0) text = (avg.bytes / avg.values) * values
  }
  if (text < 0) text = encoded
  if (categorical) return Math.min(text, encoded) + 4 * values + bits + nested
  return Math.max(encoded, text + 4 * values) + 4 + bits + nested
}

// The entries of a dictionary page and their string bytes (its PLAIN size less 4-byte lengths),
// or null when its header cannot be read (the load says what is wrong with the file).
async function dictionaryEntries(
  target: Target,
  offset: number,
): Promise<{ entries: number; bytes: number } | null> {
  try {
    const head = await target.backend.get(target.path, { offset, length: HEADER_BYTES })
    if (!head) return null
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
    const header = parquetHeader({ view, offset: 0 })
    const entries = header.dictionary_page_header?.num_values
    if (header.type !== 'DICTIONARY_PAGE' || !Number.isInteger(entries) || entries! < 0) return null
    return {
      entries: entries!,
      bytes: Math.max(0, header.uncompressed_page_size - 4 * entries!),
    }
  } catch {
    return null
  }
}

// Columns pandas wrote as categoricals (Arrow dictionaries: codes and categories once).
function categoricalColumns(meta: FileMetaData): Set<string> {
  const out = new Set<string>()
  const kv = meta.key_value_metadata?.find((k) => k.key === PANDAS_METADATA_KEY)
  try {
    const parsed = JSON.parse(kv?.value ?? '{}') as { columns?: unknown }
    if (!Array.isArray(parsed.columns)) return out
    for (const c of parsed.columns as { field_name?: unknown; pandas_type?: unknown }[]) {
      if (c?.pandas_type === 'categorical' && typeof c.field_name === 'string') {
        out.add(c.field_name)
      }
    }
  } catch {
    // Foreign metadata: no categoricals known, so text is counted as text (errs high).
  }
  return out
}
