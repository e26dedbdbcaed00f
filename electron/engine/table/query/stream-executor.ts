/**
 * The streaming executor: one pass over the source's batches (Parquet row groups through the
 * backend's byte ranges, or slices of a loaded table), filtering, searching and counting each
 * batch and recording sort keys by row position; then one sort of the matching positions.
 * Works on any backend. Memory: one batch's values, plus what sort-keys.ts states per row.
 */
import { DataType, type Vector } from 'apache-arrow'
import { LimitExceededError } from '../../errors.js'
import type { PreviewCell, TableQuery } from '../../preview-types.js'
import { jsonCells } from '../table-json.js'
import { kindOf, kindValues, typeName, type ColumnKind, type KindValue } from './columns.js'
import {
  MAX_DISTINCT,
  namedColumns,
  topGroups,
  type QueryExecutor,
  type QueryOutcome,
  type RunOptions,
} from './executor.js'
import { compileFilter, type CompiledFilter } from './filters.js'
import { SortKey, sortPositions } from './sort-keys.js'
import { noColumn, type TableSource } from './source.js'

/** The executor that reads through our own readers. */
export const streamExecutor: QueryExecutor = {
  name: 'stream',
  accepts: () => Promise.resolve(true),
  run: runStream,
}

/** The text a cell shows (search matches it); '' for a missing one. */
export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return ''
  return typeof cell === 'string' ? cell : String(cell)
}

async function runStream(
  source: TableSource,
  query: TableQuery,
  { signal, onProgress }: RunOptions,
): Promise<QueryOutcome> {
  for (const c of namedColumns(query)) {
    if (!source.columns.includes(c)) throw noColumn(source.key, c, source.columns)
  }
  const total = source.totalRows
  const needle = query.search.toLowerCase()
  let positions: Uint32Array = new Uint32Array(Math.min(total, 1 << 16))
  let matched = 0
  const counts = new Map<string, { value: PreviewCell; count: number }>()
  let keys: SortKey[] | null = null
  let filters: CompiledFilter[] | null = null
  const wanted = needle ? undefined : namedColumns(query)
  for await (const { start, table } of source.batches(wanted, signal)) {
    const n = table.numRows
    const kinds = new Map<string, ColumnKind>()
    const vectorOf = (name: string) => table.getChild(name) as Vector
    const kind = (name: string) => {
      let k = kinds.get(name)
      if (!k) kinds.set(name, (k = kindOf(vectorOf(name).type as DataType)))
      return k
    }
    filters ??= query.filters.map((f) =>
      compileFilter(f, kind(f.column), typeName(vectorOf(f.column).type as DataType)),
    )
    keys ??= query.sort.map((s) => new SortKey(kind(s.column), s.descending, total))
    const mask = new Uint8Array(n).fill(1)
    const values = new Map<string, KindValue[]>()
    const cells = new Map<string, unknown[]>()
    const valuesOf = (name: string) => {
      let v = values.get(name)
      if (!v) values.set(name, (v = kindValues(vectorOf(name), kind(name))))
      return v
    }
    const cellsOf = (name: string) => {
      let c = cells.get(name)
      if (!c) cells.set(name, (c = jsonCells(vectorOf(name))))
      return c
    }
    for (const f of filters) {
      const v = valuesOf(f.column)
      for (let i = 0; i < n; i++) {
        if (mask[i] && !f.test(v[i]!, () => cellText(cellsOf(f.column)[i]))) mask[i] = 0
      }
    }
    if (needle) searchBatch(source.columns, cellsOf, mask, needle)
    const groupCells = query.groupBy !== null ? cellsOf(query.groupBy) : null
    const sortValues = query.sort.map((s) => valuesOf(s.column))
    for (let i = 0; i < n; i++) {
      if (!mask[i]) continue
      const pos = start + i
      if (matched === positions.length) positions = grow(positions, total)
      positions[matched++] = pos
      keys.forEach((k, j) => k.set(pos, sortValues[j]![i]!))
      if (groupCells) count(counts, groupCells[i], query.groupBy!)
    }
    onProgress?.({ done: Math.min(total, start + n), total })
    // Lets other calls (pages, cancels) in between batches.
    await new Promise((r) => setImmediate(r))
  }
  signal?.throwIfAborted()
  let out: Uint32Array = positions.subarray(0, matched)
  if (keys && keys.length) out = sortPositions(out, keys)
  const top = query.groupBy !== null ? topGroups(counts) : null
  return {
    positions: out,
    matched,
    totalRows: total,
    groups: top ? top.groups : null,
    groupsTruncated: top ? top.truncated : false,
    engine: 'stream',
  }
}

function searchBatch(
  columns: string[],
  cellsOf: (name: string) => unknown[],
  mask: Uint8Array,
  needle: string,
): void {
  const hit = new Uint8Array(mask.length)
  for (const c of columns) {
    const cells = cellsOf(c)
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] && !hit[i] && cellText(cells[i]).toLowerCase().includes(needle)) hit[i] = 1
    }
  }
  for (let i = 0; i < mask.length; i++) mask[i] = mask[i]! & hit[i]!
}

function count(
  counts: Map<string, { value: PreviewCell; count: number }>,
  cell: unknown,
  column: string,
): void {
  const value: PreviewCell =
    typeof cell === 'bigint'
      ? Number.isSafeInteger(Number(cell))
        ? Number(cell)
        : cell.toString()
      : ((cell ?? null) as PreviewCell)
  const key = `${typeof value}:${String(value)}`
  const entry = counts.get(key)
  if (entry) entry.count++
  else {
    if (counts.size >= MAX_DISTINCT) {
      throw new LimitExceededError(
        `Column '${column}' has over ${MAX_DISTINCT} distinct values; group-count a column with fewer.`,
      )
    }
    counts.set(key, { value, count: 1 })
  }
}

function grow(a: Uint32Array, cap: number): Uint32Array {
  const next = new Uint32Array(Math.min(cap, Math.max(16, a.length * 2)))
  next.set(a)
  return next
}
