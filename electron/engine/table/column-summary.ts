/**
 * Column summaries for table pages: null count, min and max. From the Parquet footer's
 * statistics over the whole file when every row group has them for the column ('file'), else
 * computed on the rows of the page ('page'). Values are decoded in the column's own type and
 * written as the page's cells are (ISO datetimes, 'YYYY-MM-DD' dates, exact decimal text,
 * integers beyond 2^53 as strings), so the header and the grid agree.
 */
import type { ColumnChunk, FileMetaData, SchemaElement } from 'hyparquet'
import type { ColumnSummary, PreviewCell, TableColumn } from '../preview-types.js'
import { decimalText, isDecimal } from '../serializers/parquet/parquet-columns.js'
import { formatDate, isoDatetime } from './datetime-text.js'
import { shortestFloat32 } from './python-float.js'

type Raw = number | bigint | string | boolean | Date

/** Each column's summary: the file's statistics where complete, else this page's rows. */
export function columnSummaries(
  columns: readonly Pick<TableColumn, 'name' | 'type'>[],
  rows: readonly PreviewCell[][],
  metadata?: FileMetaData,
): ColumnSummary[] {
  const file = metadata ? fileSummaries(metadata) : new Map<string, ColumnSummary>()
  return columns.map((c, i) => file.get(c.name) ?? pageSummary(c.type, rows, i))
}

/** Summary of column `at` over the page's rows: missing cells are null (NaN and NaT too). */
export function pageSummary(
  type: string,
  rows: readonly PreviewCell[][],
  at: number,
): ColumnSummary {
  const compare = comparator(type)
  let nullCount = 0
  let min: PreviewCell = null
  let max: PreviewCell = null
  for (const row of rows) {
    const v = row[at] ?? null
    if (v === null) {
      nullCount++
      continue
    }
    if (!compare) continue
    if (min === null || compare(v, min) < 0) min = v
    if (max === null || compare(v, max) > 0) max = v
  }
  return { source: 'page', nullCount, min, max }
}

// How cells of a column type order; null for types with no order shown (lists, structs).
function comparator(type: string): ((a: PreviewCell, b: PreviewCell) => number) | null {
  if (/^(u?int|float|double|decimal)/i.test(type)) {
    // Integers beyond 2^53 arrive as strings: compare those exactly as BigInt.
    return (a, b) => {
      if (typeof a === 'string' || typeof b === 'string') {
        try {
          const x = BigInt(a as string | number)
          const y = BigInt(b as string | number)
          return x < y ? -1 : x > y ? 1 : 0
        } catch {
          return Number(a) - Number(b)
        }
      }
      return Number(a) - Number(b)
    }
  }
  if (/^(list|struct|map|binary)/i.test(type)) return null
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b
    if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
    const x = String(a)
    const y = String(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
}

/**
 * Summaries from footer statistics, by column name, for the flat columns every row group has
 * min, max and null_count for. Others are left out (the caller computes them on the page).
 */
export function fileSummaries(metadata: FileMetaData): Map<string, ColumnSummary> {
  const out = new Map<string, ColumnSummary>()
  const groups = metadata.row_groups
  if (groups.length === 0) return out
  const elements = new Map<string, SchemaElement>()
  // Flat columns only: a leaf directly under the root (lists and structs have deeper paths).
  for (const el of metadata.schema.slice(1)) {
    if (el.num_children === undefined || el.num_children === 0) elements.set(el.name, el)
  }
  const pyarrow = /parquet-cpp/i.test(metadata.created_by ?? '')
  const firstChunks = groups[0]!.columns
  for (const first of firstChunks) {
    const path = first.meta_data?.path_in_schema ?? []
    if (path.length !== 1) continue
    const name = path[0]!
    const el = elements.get(name)
    if (!el) continue
    // pyarrow writes a pandas float NaN as null; other writers keep NaN, which null_count misses.
    if ((el.type === 'FLOAT' || el.type === 'DOUBLE') && !pyarrow) continue
    const summary = columnFromGroups(metadata, name, el)
    if (summary) out.set(name, summary)
  }
  return out
}

function columnFromGroups(
  metadata: FileMetaData,
  name: string,
  el: SchemaElement,
): ColumnSummary | null {
  let nulls = 0n
  let min: Raw | undefined
  let max: Raw | undefined
  for (const group of metadata.row_groups) {
    const chunk = group.columns.find(
      (c: ColumnChunk) =>
        c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name,
    )
    const stats = chunk?.meta_data?.statistics
    if (!stats || stats.null_count === undefined) return null
    const numRows = BigInt(group.num_rows)
    const nullCount = BigInt(stats.null_count)
    nulls += nullCount
    // A group of nulls only has no min or max to contribute.
    if (nullCount === numRows && stats.min_value === undefined) continue
    // Strings: only min_value/max_value are ordered as UTF-8 bytes; the old min/max may be signed.
    const lo = stats.min_value ?? (el.type === 'BYTE_ARRAY' ? undefined : stats.min)
    const hi = stats.max_value ?? (el.type === 'BYTE_ARRAY' ? undefined : stats.max)
    if (!usable(lo) || !usable(hi)) return null
    if (min === undefined || compareRaw(lo, min) < 0) min = lo
    if (max === undefined || compareRaw(hi, max) > 0) max = hi
  }
  const lo = min === undefined ? null : cellOf(min, el)
  const hi = max === undefined ? null : cellOf(max, el)
  if (lo === undefined || hi === undefined) return null
  return { source: 'file', nullCount: Number(nulls), min: lo, max: hi }
}

function usable(v: unknown): v is Raw {
  return (
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    v instanceof Date
  )
}

function compareRaw(a: Raw, b: Raw): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime()
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const x = BigInt(a as bigint)
    const y = BigInt(b as bigint)
    return x < y ? -1 : x > y ? 1 : 0
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = String(a)
  const y = String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** The statistic as the page's cell would show it; undefined when it cannot be exact. */
function cellOf(v: Raw, el: SchemaElement): PreviewCell | undefined {
  if (isDecimal(el)) return decimalCell(v, el)
  const lt = el.logical_type
  const timestamp =
    lt?.type === 'TIMESTAMP' ||
    el.converted_type === 'TIMESTAMP_MILLIS' ||
    el.converted_type === 'TIMESTAMP_MICROS'
  if (timestamp) {
    const unit = lt?.type === 'TIMESTAMP' ? lt.unit : el.converted_type?.slice(10)
    const zoned = lt?.type === 'TIMESTAMP' ? lt.isAdjustedToUTC : false
    const suffix = zoned ? 'Z' : ''
    if (typeof v === 'bigint') {
      const scale = unit === 'NANOS' ? 1n : unit === 'MICROS' ? 1000n : 1_000_000n
      return isoDatetime(v * scale) + suffix
    }
    // hyparquet's default parsers give a Date: exact for milliseconds only.
    if (v instanceof Date && unit === 'MILLIS') {
      return isoDatetime(BigInt(v.getTime()) * 1_000_000n) + suffix
    }
    return undefined
  }
  if (el.converted_type === 'DATE' || lt?.type === 'DATE') {
    if (v instanceof Date) return formatDate(Math.floor(v.getTime() / 86_400_000))
    if (typeof v === 'number') return formatDate(v)
    return undefined
  }
  if (typeof v === 'bigint') {
    const n = Number(v)
    return Number.isSafeInteger(n) ? n : v.toString()
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined
    return el.type === 'FLOAT' ? shortestFloat32(v) : v
  }
  if (typeof v === 'boolean') return v
  if (typeof v === 'string') {
    // Binary columns (no UTF8/STRING annotation) are not shown as text.
    const text = el.converted_type === 'UTF8' || lt?.type === 'STRING' || lt?.type === 'ENUM'
    return text ? v : undefined
  }
  return undefined
}

// hyparquet scales decimal statistics to a float; the unscaled integer is recovered exactly
// while it is within 2^53, else the column falls back to the page.
function decimalCell(v: Raw, el: SchemaElement): PreviewCell | undefined {
  const scale = el.scale ?? (el.logical_type?.type === 'DECIMAL' ? el.logical_type.scale : 0)
  if (typeof v === 'bigint') return decimalText(v, scale)
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined
  const unscaled = Math.round(v * 10 ** scale)
  if (!Number.isSafeInteger(unscaled) || Math.abs(unscaled) >= 2 ** 52) return undefined
  return decimalText(BigInt(unscaled), scale)
}
