/**
 * Rows of a finished query by their place in its order: a page (the table preview form) or
 * a window of an export. Positions are read grouped by the source's spans (Parquet row
 * groups), each span once, only between the first and last row wanted in it, all spans in
 * one request so the source can read them in one pass when they cover most of the table
 * (and then a page picks a window of the result's rows at once, for the pages after it).
 */
import type { Table } from 'apache-arrow'
import type { PreviewCell, TablePreview } from '../../preview-types.js'
import { sliceTable } from '../pandas-meta.js'
import { tableToJson } from '../table-json.js'
import { takeRows } from './take.js'
import type { TableSource } from './source.js'

/**
 * Result rows a page read picks at once when its rows would cost a whole pass over the table
 * (a source that does not keep its rows: TableSource.passes): the pages after it are then
 * slices of these instead of a pass each.
 */
export const RESULT_WINDOW = 16_384

// Windows of result rows picked ahead, by the result's positions (dropped with the result).
const windows = new WeakMap<Uint32Array, { offset: number; table: Table }>()

// The positions grouped by the source's spans: each span's [lowest, highest + 1) wanted row.
function spanPlan(source: TableSource, positions: ArrayLike<number>) {
  const n = positions.length
  const spanStarts: number[] = []
  let at = 0
  for (const s of source.spans) {
    spanStarts.push(at)
    at += s
  }
  const spanOf = (p: number) => {
    let lo = 0
    let hi = spanStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (spanStarts[mid]! <= p) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  const lo = new Map<number, number>()
  const hi = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    const p = positions[i]!
    const s = spanOf(p)
    lo.set(s, Math.min(lo.get(s) ?? p, p))
    hi.set(s, Math.max(hi.get(s) ?? p, p))
  }
  const spans = [...lo.keys()].sort((a, b) => a - b)
  const ranges = spans.map((s) => [lo.get(s)!, hi.get(s)! + 1] as const)
  return { spans, ranges, spanOf, lo }
}

/** The rows at `positions` (file positions) as one table, in that order. */
export async function rowsAt(source: TableSource, positions: ArrayLike<number>): Promise<Table> {
  const n = positions.length
  const { spans, ranges, spanOf, lo } = spanPlan(source, positions)
  const parts: Table[] = []
  const base = new Map<number, number>()
  let offset = 0
  const read = source.ranges
    ? await source.ranges(ranges)
    : await sequential(ranges, (s, e) => source.range(s, e))
  spans.forEach((s, i) => {
    base.set(s, offset)
    for (const t of read[i]!) {
      parts.push(t)
      offset += t.numRows
    }
  })
  if (parts.length === 0) {
    const empty = await source.range(0, 0)
    return takeRows(empty, [])
  }
  const local = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    const p = positions[i]!
    const s = spanOf(p)
    local[i] = base.get(s)! + (p - lo.get(s)!)
  }
  return takeRows(parts, local)
}

// Rows [offset, end) of the result: from a window picked ahead when one holds them; else
// read, and when that read is a whole pass, a window around them is picked and kept.
async function resultRows(
  source: TableSource,
  positions: Uint32Array,
  offset: number,
  end: number,
): Promise<Table> {
  const win = windows.get(positions)
  if (win && offset >= win.offset && end <= win.offset + win.table.numRows) {
    return sliceTable(win.table, offset - win.offset, end - win.offset)
  }
  const wanted = positions.subarray(offset, end)
  if (!source.passes?.(spanPlan(source, wanted).ranges) || end - offset > RESULT_WINDOW / 2) {
    return rowsAt(source, wanted)
  }
  // Mostly forward paging: a quarter of the window before the page, the rest after.
  const from = Math.max(0, Math.min(offset - RESULT_WINDOW / 4, positions.length - RESULT_WINDOW))
  const to = Math.min(positions.length, from + RESULT_WINDOW)
  const table = await rowsAt(source, positions.subarray(from, to))
  windows.set(positions, { offset: from, table })
  return sliceTable(table, offset - from, end - from)
}

// Each range read in turn (a source without its own plan for many ranges).
async function sequential(
  list: readonly (readonly [number, number])[],
  range: (start: number, end: number) => Promise<Table[]>,
): Promise<Table[][]> {
  const out: Table[][] = []
  for (const [s, e] of list) out.push(await range(s, e))
  return out
}

/** Page [offset, offset + rows) of a result's order in the table preview form. */
export async function resultPage(
  source: TableSource,
  positions: Uint32Array,
  offset: number,
  rows: number,
): Promise<TablePreview> {
  const table = await resultRows(
    source,
    positions,
    Math.min(offset, positions.length),
    Math.min(offset + rows, positions.length),
  )
  const json = tableToJson(table, rows)
  const cell = (v: unknown): PreviewCell =>
    typeof v === 'bigint'
      ? Number.isSafeInteger(Number(v))
        ? Number(v)
        : v.toString()
      : (v as PreviewCell)
  return {
    kind: 'table',
    rowCount: positions.length,
    offset,
    columns: json.columns,
    index: json.index && { name: json.index.name, values: json.index.values.map(cell) },
    rows: json.rows.map((r) => r.map(cell)),
    bytesRead: 0,
    totalBytes: source.totalBytes,
  }
}
