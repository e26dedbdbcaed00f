/**
 * Whole-table queries: sort, filter, search and group-count over a table artifact, streamed
 * and cancellable, then its rows by pages and its export. See choose.ts for which executor
 * runs a query and why.
 */
export { openTableSource, type TableSource } from './source.js'
export { type QueryOutcome, type RunOptions, MAX_GROUPS } from './executor.js'
export { runTableQuery } from './choose.js'
export { resultPage, rowsAt } from './result-rows.js'
export {
  exportQuery,
  exportName,
  removeExport,
  type ExportFormat,
  type ExportOutcome,
} from './export.js'
