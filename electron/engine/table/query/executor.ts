/**
 * What every query executor returns and takes: the matching rows' positions in query order
 * (a typed array, 4 bytes a row, never row objects), counts and groups.
 */
import type { PreviewCell, TableQuery } from '../../preview-types.js'
import type { TableSource } from './source.js'

/** Groups a group-count keeps at most (the largest); the rest are left out and flagged. */
export const MAX_GROUPS = 10_000

/** Distinct values a group-count tracks while counting; more is refused (a key-like column). */
export const MAX_DISTINCT = 2_000_000

/** A finished query before it gets a result id. */
export interface QueryOutcome {
  /** Positions (0-based, file order) of the matching rows, in the query's order. */
  positions: Uint32Array
  matched: number
  totalRows: number
  groups: { value: PreviewCell; count: number }[] | null
  groupsTruncated: boolean
  engine: string
}

/** How a query reports and stops. */
export interface RunOptions {
  signal?: AbortSignal
  onProgress?: (progress: { done: number; total: number }) => void
}

/** One way of running a query over a table source. */
export interface QueryExecutor {
  readonly name: string
  /** Whether it can run this query on this source (DuckDB: local files, some types). */
  accepts(source: TableSource, query: TableQuery): Promise<boolean>
  run(source: TableSource, query: TableQuery, options: RunOptions): Promise<QueryOutcome>
}

/** The query with nothing asked: every row in file order. */
export function isPlain(query: TableQuery): boolean {
  return (
    query.sort.length === 0 &&
    query.filters.length === 0 &&
    query.search === '' &&
    query.groupBy === null
  )
}

/** Every column a query names, each once. */
export function namedColumns(query: TableQuery): string[] {
  const names = [
    ...query.sort.map((s) => s.column),
    ...query.filters.map((f) => f.column),
    ...(query.groupBy !== null ? [query.groupBy] : []),
  ]
  return [...new Set(names)]
}

/** Counts -> the groups list: largest first (ties in first-seen order), cut at MAX_GROUPS. */
export function topGroups(counts: Map<string, { value: PreviewCell; count: number }>): {
  groups: { value: PreviewCell; count: number }[]
  truncated: boolean
} {
  const all = [...counts.values()]
  all.sort((a, b) => b.count - a.count)
  return { groups: all.slice(0, MAX_GROUPS), truncated: all.length > MAX_GROUPS }
}
