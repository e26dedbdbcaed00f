/**
 * Rows of a finished query by their place in its order: a page (the table preview form) or
 * a window of an export. Positions are read grouped by the source's spans (Parquet row
 * groups), each span once, only between the first and last row wanted in it, all spans in
 * one request so the source can read them in one pass when they cover most of the table.
 */
import type { Table } from 'apache-arrow'
import type { PreviewCell, TablePreview } from '../../preview-types.js'
import { tableToJson } from '../table-json.js'
import { takeRows } from './take.js'
import type { TableSource } from './source.js'

/** The rows at `positions` (file positions) as one table, in that order. */
export async function rowsAt(source: TableSource, positions: ArrayLike<number>): Promise<Table> {
  const n = positions.length
  // Each span's lowest and highest wanted position.
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
  const parts: Table[] = []
  const base = new Map<number, number>()
  let offset = 0
  const wanted = spans.map((s) => [lo.get(s)!, hi.get(s)! + 1] as const)
  const read = source.ranges
    ? await source.ranges(wanted)
    : await sequential(wanted, (s, e) => source.range(s, e))
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
  const wanted = positions.subarray(
    Math.min(offset, positions.length),
    Math.min(offset + rows, positions.length),
  )
  const table = await rowsAt(source, wanted)
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
