// The full table view's shapes: the query it runs, its jobs, and the words for their errors.
import type { Preview, TableQueryInput } from '../../../shared/ipc'
import { errorMessage } from '../ipc/transport'

/** A table page as the view shows it. */
export type TablePage = Extract<Preview, { kind: 'table' }>
/** One cell of a table page. */
export type PreviewCell = TablePage['rows'][number][number]
/** A column's summary on a table page. */
export type ColumnSummary = NonNullable<TablePage['columns'][number]['summary']>
/** One per-column condition of a query. */
export type TableFilterInput = NonNullable<TableQueryInput['filters']>[number]

/** Rows per page of the full table view. */
export const TABLE_VIEW_PAGE_ROWS = 100

/** The whole query the view runs; all empty means the plain table. */
export interface ViewQuery {
  sort: { column: string; descending: boolean }[]
  filters: TableFilterInput[]
  search: string
  groupBy: string | null
}

/** No sort, filter, search or grouping: the table as stored. */
export const PLAIN_QUERY: ViewQuery = { sort: [], filters: [], search: '', groupBy: null }

/** True when a query changes nothing (the plain preview pages answer it). */
export function isPlain(q: ViewQuery): boolean {
  return q.sort.length === 0 && q.filters.length === 0 && q.search === '' && q.groupBy === null
}

/** A running job of the view (a whole-table query or an export) and its progress. */
export interface ViewJob {
  kind: 'query' | 'export'
  jobId: string | null
  done: number
  total: number
  cancelling: boolean
}

/** The words for a failed whole-table job, in the user's terms. */
export function jobErrorText(what: 'query' | 'export', key: string, err: unknown): string {
  const doing = what === 'query' ? 'sort or filter' : 'export'
  // The engine's message says what and what to do (NOT_SUPPORTED: not in this version).
  return `Could not ${doing} ${key}: ${errorMessage(err)}`
}
