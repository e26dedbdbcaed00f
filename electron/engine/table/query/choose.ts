/**
 * Which executor runs a query: DuckDB for local Parquet files (when it takes the query), the
 * streaming executor for everything else. Measured with bench/table-query.js (a fresh
 * process per run, time from opening the cache to the sorted positions, peak RSS; a shared
 * 2-core machine under load; 10 columns: float, int, categorical, string, timestamp, bool):
 *
 *                          stream (hyparquet + Arrow)    DuckDB
 *   200k-row Parquet (10 MB)
 *     sort by a float           1981 ms  118 MB      1288 ms  127 MB
 *     2 filters                 2886 ms  131 MB      1177 ms  108 MB
 *     group-count (1000)         699 ms  108 MB      1638 ms  122 MB
 *   2M-row Parquet (90 MB)
 *     sort by a float          15768 ms  200 MB      2650 ms  206 MB
 *     2 filters                11430 ms  206 MB      2978 ms  118 MB
 *     group-count (1000)        6570 ms  148 MB      2761 ms  177 MB
 *   200k-row CSV (24 MB), stream only: sort 15605 ms 561 MB, filter 10993 ms 574 MB,
 *     group 10823 ms 537 MB (the whole-file CSV load is most of it);
 *   pandas for scale: read_parquet + sort_values of the 2M rows 9.7 s, 581 MB (whole process).
 *
 * DuckDB is 3-6x faster from 2M rows on and about even at 200k (about a second of it is
 * loading the native library once per process), in the same memory, so it runs local
 * Parquet. It only returns row positions: pages and exports read the rows through our reader,
 * so values and types are the preview's either way, and the conformance test
 * (test/interop/table-query.test.ts) holds both executors to pandas' answers. CSV stays on the
 * streaming executor over the pandas.csv reader: DuckDB's CSV sniffer infers other types than
 * pandas' read_csv (dates, mixed columns, NA spellings), and a query must filter the values
 * the preview shows. Object stores, pickled tables and the text search (which matches the
 * preview's displayed text) go through the streaming executor too.
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
