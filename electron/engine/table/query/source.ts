/**
 * A table artifact as a query reads it: its row count, then batches of rows in file order
 * (Arrow tables typed exactly as its preview pages are), then any rows by position. Parquet
 * is read by row groups through the backend's byte ranges, so it works on any backend; every
 * other table serializer (pandas.csv's whole-file type inference, pickled DataFrames) is
 * loaded once as an Arrow table, which is what its preview's types come from.
 */
import type { Data, Table } from 'apache-arrow'
import { parquetSchema } from 'hyparquet'
import { InvalidArgumentError, LimitExceededError, NotSupportedError } from '../../errors.js'
import { isArrowTable } from '../../pick.js'
import { openParquet } from '../../serializers/parquet/parquet-file.js'
import {
  pandasParquetSerializer,
  previewPandasParquet,
  readPandasParquetRange,
} from '../../serializers/parquet/parquet-serializer.js'
import type { Kwargs, Target } from '../../serializers/serializer.js'
import type { CacheStore } from '../../store.js'
import { sliceTable } from '../pandas-meta.js'
import { estimateDecodedSize } from './source-size.js'

/** Rows one scan batch holds at most (bounded again by cells for wide tables). */
export const BATCH_ROWS = 65_536
const BATCH_CELLS = 1_000_000

/**
 * Decoded bytes (estimated before loading: source-size.ts) up to which a Parquet source's
 * rows are loaded whole once and kept for its pages: pages of a sorted result touch rows all
 * over the file, and re-reading the row groups per page measured tens of seconds at 2M rows.
 */
export const SOURCE_CACHE_BYTES = 512 * 1024 * 1024

/** Decoded bytes (estimated) a range is read in one go up to; larger ones go by batches. */
const RANGE_READ_BYTES = 256 * 1024 * 1024

/**
 * The share of a table's rows a set of ranges (a page of a sorted result) must span for a
 * source that does not keep its rows to read them in one pass of the whole-table load (the
 * parquet-wasm path) and drop it after, instead of range by range through hyparquet: at 10M
 * rows a 100-row sorted page spans ~95% of the rows, and its row groups read by ranges took
 * 48 s (about 5 s per 1M-row group) against about 5 s for the whole pass.
 */
export const PASS_FRACTION = 0.25

/** Decoded bytes (estimated) up to which such a pass is made; larger tables go by ranges. */
export const PASS_BYTES = 2 * 1024 * 1024 * 1024

/** One batch of a scan: rows [start, start + table.numRows) of the whole table. */
export interface Batch {
  start: number
  table: Table
}

/** A table artifact opened for queries. */
export interface TableSource {
  key: string
  serializer: string
  totalRows: number
  /** Data column names in order (the index is not one). */
  columns: string[]
  /** The file's bytes, for messages and measurements. */
  totalBytes: number
  /** Batches in file order with only `columns` (undefined: all); stops when `signal` aborts. */
  batches(columns: string[] | undefined, signal?: AbortSignal): AsyncIterable<Batch>
  /** Rows [start, end) with every column, in parts (one schema), labelled as in the whole table. */
  range(start: number, end: number): Promise<Table[]>
  /**
   * What `range` gives for each of `ranges` (ascending, disjoint), read together: a source
   * may read rows spread over the whole file in one pass rather than range by range.
   */
  ranges?(ranges: readonly (readonly [number, number])[]): Promise<Table[][]>
  /** Whether `ranges` would read the whole table in one pass (rows it does not keep). */
  passes?(ranges: readonly (readonly [number, number])[]): boolean
  /** Spans of rows that are read together (Parquet row groups): pages group reads by them. */
  spans: number[]
  /** The payload's target, for executors that read the file themselves. */
  target: Target
  /** Decoded bytes the source keeps for its pages; at most SOURCE_CACHE_BYTES. */
  cachedBytes?(): number
}

/** Opens a table artifact for queries; a clear error for artifacts that are not tables. */
export async function openTableSource(
  store: CacheStore,
  key: string,
  /** `cacheBytes`, `passBytes`: see SOURCE_CACHE_BYTES and PASS_BYTES (tests set them low). */
  options: { cacheBytes?: number; passBytes?: number } = {},
): Promise<TableSource> {
  const artifact = await store.getArtifact(key)
  const target: Target = { backend: store.backend, path: key, putMode: 'overwrite' }
  const kwargs = artifact.load_kwargs
  if (artifact.serializer === 'pandas.parquet')
    return parquetSource(key, target, kwargs, options.cacheBytes, options.passBytes)
  const serializer = await store.serializer(artifact.serializer)
  const value = await serializer.load(target, kwargs)
  if (!isArrowTable(value)) {
    throw new NotSupportedError(
      `${key} is a ${artifact.serializer} artifact that is not a table; only tables can be ` +
        `sorted, filtered and exported.`,
    )
  }
  const table = value as Table
  const { dataColumns } = await import('../pandas-meta.js')
  const totalBytes = (await store.payloadFiles(key)).reduce((s, f) => s + f.bytes, 0)
  return {
    key,
    serializer: artifact.serializer,
    totalRows: table.numRows,
    columns: dataColumns(table).map((f) => f.name),
    totalBytes,
    target,
    spans: [table.numRows],
    async *batches(_columns, signal) {
      const step = batchRows(table.numCols)
      for (let start = 0; start < table.numRows; start += step) {
        signal?.throwIfAborted()
        yield { start, table: sliceTable(table, start, start + step) }
      }
    },
    range: (start, end) => Promise.resolve([sliceTable(table, start, end)]),
  }
}

async function parquetSource(
  key: string,
  target: Target,
  kwargs: Kwargs,
  cacheBytes = SOURCE_CACHE_BYTES,
  passBytes = PASS_BYTES,
): Promise<TableSource> {
  const file = await openParquet(target)
  const meta = file.metadata
  const all = parquetSchema(meta).children.map((c) => c.element.name)
  const first = await previewPandasParquet(target, { rows: 0, kwargs })
  const { dataColumns } = await import('../pandas-meta.js')
  const columns = dataColumns(first.table).map((f) => f.name)
  const spans = meta.row_groups.map((g) => Number(g.num_rows))
  const totalRows = Number(meta.num_rows)
  // Decoded bytes of the columns of the row groups [start, end) touches, estimated.
  const size = await estimateDecodedSize(target, meta)
  const bytesOf = (start: number, end: number, wanted?: string[]): number =>
    size.bytes(start, end, wanted)
  let whole: Promise<Table> | null = null
  // A table whose estimate is over the bound is never loaded to be kept. The estimate errs
  // high, but should the loaded table's own buffers still be over the bound, it is dropped.
  let kept = 0
  let tooBig = bytesOf(0, totalRows) > cacheBytes
  // One whole-table pass shared by the page reads running at once, never kept.
  let pass: Promise<Table> | null = null
  let passFailed = bytesOf(0, totalRows) > passBytes
  const read = async (start: number, end: number, wanted?: string[]): Promise<Table[]> => {
    if (!wanted && end > start && !tooBig) {
      // The whole table once (the fast whole-load path), then every range is a slice of it.
      whole ??= pandasParquetSerializer.load(target, kwargs) as Promise<Table>
      let table: Table
      try {
        table = await whole
      } catch (err) {
        whole = null
        throw err
      }
      kept = tableBytes(table)
      if (kept > cacheBytes) {
        tooBig = true
        whole = null
        kept = 0
      }
      return [sliceTable(table, start, end)]
    }
    // previewPandasParquet caps a read by cells: read a range in parts it takes whole.
    if (end <= start) {
      // No rows, but the columns and their types all the same.
      return [
        (await previewPandasParquet(target, { offset: 0, rows: 0, kwargs, columns: wanted })).table,
      ]
    }
    const out: Table[] = []
    const step = batchRows(wanted ? wanted.length : all.length)
    if (bytesOf(start, end, wanted) <= RANGE_READ_BYTES) {
      // One read of the range (one footer, one page-header scan), cut into batches after:
      // a read per 65k rows measured 4x slower on a 1M-row group.
      const table = await readPandasParquetRange(target, start, end, kwargs, wanted)
      for (let at = 0; at < table.numRows; at += step) {
        out.push(sliceTable(table, at, Math.min(table.numRows, at + step)))
      }
      return out
    }
    for (let at = start; at < end; at += step) {
      const rows = Math.min(step, end - at)
      const page = await previewPandasParquet(target, { offset: at, rows, kwargs, columns: wanted })
      out.push(page.table)
    }
    return out
  }
  const passes = (list: readonly (readonly [number, number])[]): boolean => {
    const spanned = list.reduce((n, [s, e]) => n + Math.max(0, e - s), 0)
    return tooBig && !passFailed && spanned >= totalRows * PASS_FRACTION
  }
  // The whole table for one set of ranges, or null when the load refuses it (a limit).
  const onePass = async (): Promise<Table | null> => {
    pass ??= pandasParquetSerializer.load(target, kwargs) as Promise<Table>
    const loading = pass
    try {
      return await loading
    } catch (err) {
      if (!(err instanceof LimitExceededError)) throw err
      passFailed = true
      return null
    } finally {
      if (pass === loading) pass = null
    }
  }
  return {
    key,
    serializer: 'pandas.parquet',
    totalRows,
    columns,
    totalBytes: file.totalBytes,
    target,
    spans,
    async *batches(wanted, signal) {
      const unknown = (wanted ?? []).filter((c) => !all.includes(c))
      if (unknown.length) throw noColumn(key, unknown[0]!, columns)
      let start = 0
      for (const rows of spans) {
        // A row group is decoded whole for any row of it: one read per group, cut after.
        for (const table of await read(start, start + rows, wanted)) {
          signal?.throwIfAborted()
          yield { start, table }
          start += table.numRows
        }
      }
    },
    range: (start, end) => read(start, end),
    async ranges(list) {
      if (passes(list)) {
        const table = await onePass()
        if (table) return list.map(([s, e]) => [sliceTable(table, s, e)])
      }
      const out: Table[][] = []
      for (const [s, e] of list) out.push(await read(s, e))
      return out
    },
    passes,
    cachedBytes: () => kept,
  }
}

// The bytes of a table's Arrow buffers (dictionaries and nested children included).
function tableBytes(table: Table): number {
  const seen = new Set<unknown>()
  const dataBytes = (d: Data | undefined): number => {
    if (!d || seen.has(d)) return 0
    seen.add(d)
    let n = 0
    for (const b of [d.values, d.valueOffsets, d.nullBitmap, d.typeIds] as unknown[]) {
      if (ArrayBuffer.isView(b)) n += b.byteLength
    }
    for (const c of d.children) n += dataBytes(c)
    for (const c of d.dictionary?.data ?? []) n += dataBytes(c)
    return n
  }
  let total = 0
  for (const batch of table.batches) total += dataBytes(batch.data)
  return total
}

function batchRows(width: number): number {
  return Math.max(1, Math.min(BATCH_ROWS, Math.floor(BATCH_CELLS / Math.max(1, width))))
}

/** The error for a column the table does not have, listing the ones it has. */
export function noColumn(key: string, column: string, columns: string[]): InvalidArgumentError {
  const list = columns.length > 20 ? `${columns.slice(0, 20).join(', ')}, ...` : columns.join(', ')
  return new InvalidArgumentError(`${key} has no column '${column}'; it has ${list}.`)
}
