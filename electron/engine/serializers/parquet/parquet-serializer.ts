/**
 * The 'pandas.parquet' serializer, read side: Python xpersist's load=pd.read_parquet (pyarrow),
 * with apache-arrow Tables in the place of DataFrames. The file is read through byte ranges
 * with hyparquet: the footer, then only the row groups and column chunks asked for. The
 * pandas index comes back from the file's 'pandas' metadata, which the Table keeps as is.
 * Dump (to_parquet) is parquet-dump.ts.
 */
import { Schema, Table, type Vector } from 'apache-arrow'
import { parquetSchema, type FileMetaData } from 'hyparquet'
import { InvalidArgumentError, LimitExceededError, XpersistError } from '../../errors.js'
import { tableFromColumns } from '../../table/arrow-columns.js'
import {
  PANDAS_METADATA_KEY,
  type PandasMetadata,
  type RangeIndexMeta,
} from '../../table/pandas-meta.js'
import {
  checkKwargs,
  type Kwargs,
  type PreviewOptions,
  type Serializer,
  type Target,
} from '../serializer.js'
import { RAW_PARSERS, isDecimal, toVector, type ColumnPlan } from './parquet-columns.js'
import { dumpPandasParquet } from './parquet-dump.js'
import { corrupt, openParquet, type ParquetFile } from './parquet-file.js'
import { pageReadOptions } from './parquet-page-index.js'
import { prefixDictionaries, type PrefixedRead } from './parquet-dict-prefix.js'
import { wasmColumns } from './parquet-full-read.js'
import { guardedCompressors, pageSizeGuard } from './parquet-pages.js'
import { readCategories } from './parquet-categories.js'
import { readColumnar, type ColumnValues } from './parquet-columnar.js'

/** Cells a preview page holds at most, as for CSV. */
export const PREVIEW_MAX_CELLS = 1_000_000

/** Uncompressed bytes of the column chunks one read may decode (they are decoded whole). */
export const MAX_DECODE_BYTES = 1024 * 1024 * 1024

/** Rows a whole-table load takes at most: a footer can claim 2^63 rows. */
export const MAX_LOAD_ROWS = 50_000_000

const LOAD_KWARGS = ['columns', 'engine'] as const

/** What `preview` returns: one page and how much of the file it took. */
export interface ParquetPreview {
  table: Table
  rowCount: number
  bytesRead: number
  totalBytes: number
  /** The footer, for column summaries from its statistics (table/column-summary.ts). */
  metadata?: FileMetaData
}

/** The pandas.parquet serializer. */
export const pandasParquetSerializer: Serializer = {
  name: 'pandas.parquet',
  dump: dumpPandasParquet,
  async load(target: Target, kwargs: Kwargs): Promise<Table> {
    checkKwargs('pandas.parquet', 'load', kwargs, LOAD_KWARGS)
    const file = await openParquet(target)
    const rowCount = Number(file.metadata.num_rows)
    if (rowCount > MAX_LOAD_ROWS) {
      throw new LimitExceededError(
        `${target.path} holds ${rowCount} rows, more than the ${MAX_LOAD_ROWS} a whole load takes; preview it by pages instead.`,
      )
    }
    const columns = columnsKwarg(kwargs.columns)
    return asCorrupt(target, () => readRows(target, file, 0, rowCount, columns))
  },
  preview: previewPandasParquet,
  checkDumpKwargs(kwargs: Kwargs): void {
    // A .parquet file is stored byte for byte: no to_parquet option was applied to it.
    checkKwargs('pandas.parquet', 'dump', kwargs, [])
  },
}

/** Reads rows [offset, offset + rows) and only the row groups they fall in. */
export async function previewPandasParquet(
  target: Target,
  options: PreviewOptions & { kwargs: Kwargs; columns?: string[] },
): Promise<ParquetPreview> {
  const rows = options.rows ?? 20
  const offset = options.offset ?? 0
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(offset) || offset < 0) {
    throw new InvalidArgumentError('Preview rows and offset must be non-negative integers.')
  }
  const file = await openParquet(target)
  return asCorrupt(target, () => previewRows(target, file, rows, offset, options))
}

/**
 * Rows [start, end) of `columns` (undefined: the load kwargs' or all) through only the pages
 * they need, in one read with no cap by cells: for callers that bound the bytes themselves
 * (a query's scan reads a row group at a time). Row numbers must lie within the file.
 */
export async function readPandasParquetRange(
  target: Target,
  start: number,
  end: number,
  kwargs: Kwargs,
  columns?: string[],
): Promise<Table> {
  const file = await openParquet(target)
  const rowCount = Number(file.metadata.num_rows)
  const from = Math.min(start, rowCount)
  const to = Math.max(from, Math.min(end, rowCount))
  const wanted = columns ?? columnsKwarg(kwargs.columns)
  return asCorrupt(target, () => readRows(target, file, from, to, wanted, true))
}

async function previewRows(
  target: Target,
  file: ParquetFile,
  rows: number,
  offset: number,
  options: { kwargs: Kwargs; columns?: string[] },
): Promise<ParquetPreview> {
  const rowCount = Number(file.metadata.num_rows)
  const width = Math.max(1, parquetSchema(file.metadata).children.length)
  const take = Math.min(rows, Math.max(1, Math.floor(PREVIEW_MAX_CELLS / width)))
  const start = Math.min(offset, rowCount)
  const end = Math.min(rowCount, start + take)
  const columns = options.columns ?? columnsKwarg(options.kwargs.columns)
  const table = await readRows(target, file, start, end, columns, true)
  return {
    table,
    rowCount,
    bytesRead: file.bytesRead(),
    totalBytes: file.totalBytes,
    metadata: file.metadata,
  }
}

async function readRows(
  target: Target,
  file: ParquetFile,
  start: number,
  end: number,
  wanted: string[] | undefined,
  /** A preview page: only the pages it needs, never the whole-table (wasm) path. */
  page = false,
): Promise<Table> {
  const { metadata } = file
  const pandas = pandasMetadata(metadata)
  const top = parquetSchema(metadata).children
  const byName = new Map(top.map((c) => [c.element.name, c]))
  // Index columns come along with any column selection, as pd.read_parquet(columns=) does.
  const indexFields = (pandas?.index_columns ?? []).filter(
    (c): c is string => typeof c === 'string',
  )
  let names = top.map((c) => c.element.name)
  if (wanted) {
    const missing = wanted.filter((n) => !byName.has(n))
    if (missing.length) {
      throw new InvalidArgumentError(
        `${target.path} has no column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}; it has ${names.join(', ')}.`,
      )
    }
    names = names.filter((n) => wanted.includes(n) || indexFields.includes(n))
  }
  const meta = new Map((pandas?.columns ?? []).map((c) => [c.field_name, c]))
  const plans = names.map((n): ColumnPlan => {
    const m = meta.get(n)
    const tz = m?.metadata && typeof m.metadata.timezone === 'string' ? m.metadata.timezone : null
    const node = byName.get(n)!
    return {
      element: node.element,
      node,
      categorical: m?.pandas_type === 'categorical',
      ordered: m?.metadata?.ordered === true,
      empty: m?.pandas_type === 'empty',
      timezone: tz,
    }
  })
  checkDecodeSize(target, metadata, start, end, names)
  for (const plan of plans) {
    if (plan.categorical) {
      plan.categories = await readCategories(target, file, plan.element.name, plan.element)
    }
  }
  const fast = page
    ? new Map<string, Vector>()
    : await wasmColumns(file, names, plans, undefined, (columns) =>
        pageSizeGuard(target, metadata, columns),
      )
  const slow = names.filter((n) => !fast.has(n))
  const count = end > start ? end - start : 0
  let values = new Map<string, ColumnValues>()
  if (end > start && slow.length > 0) {
    try {
      const guarded = guardedCompressors(target, metadata)
      let read: PrefixedRead = { file: file.buffer, compressors: guarded }
      let locations = {}
      if (page) {
        const pages = await pageReadOptions(file, names, start, end, target.path)
        locations = { pageLocationsByGroup: pages.pageLocationsByGroup }
        // A categorical's dictionary is read whole already (its categories).
        const plain = plans.filter((p) => !p.categorical).map((p) => p.element.name)
        read = await prefixDictionaries(target, file, pages, plain, start, end, guarded)
      }
      values = await readColumnar(
        {
          ...locations,
          file: read.file,
          metadata: rawDecimals(metadata),
          compressors: read.compressors,
          parsers: RAW_PARSERS,
        },
        slow,
        start,
        end,
        (_column, rows) => corrupt(target, `gave ${rows} rows where its footer promises ${count}`),
      )
    } catch (err) {
      if (err instanceof XpersistError) throw err
      throw corrupt(target, `could not be decoded (${(err as Error).message})`)
    }
  }
  let vectors
  try {
    vectors = plans.map(
      (plan, i) => fast.get(names[i]!) ?? toVector(values.get(names[i]!) ?? [], plan),
    )
  } catch (err) {
    // Values of another type than the schema says (a damaged page decoded as something else).
    throw corrupt(target, `holds values its schema does not allow (${(err as Error).message})`)
  }
  const table = tableFromColumns(names, vectors, count)
  const schemaMeta = new Map<string, string>()
  if (pandas)
    schemaMeta.set(PANDAS_METADATA_KEY, JSON.stringify(pageMetadata(pandas, start, count)))
  return new Table(new Schema(table.schema.fields, schemaMeta), table.batches)
}

// A page of a RangeIndex starts at its own label; every level of a MultiIndex stays an index
// level (the table JSON shows them all).
function pageMetadata(pandas: PandasMetadata, start: number, count: number): PandasMetadata {
  const index = pandas.index_columns.map((c) => {
    if (typeof c === 'string') return c
    const r = c
    const first = r.start + start * r.step
    return { ...r, start: first, stop: first + count * r.step } satisfies RangeIndexMeta
  })
  return { ...pandas, index_columns: index }
}

// A footer that parsed can still hold a schema or values of the wrong shape; whatever breaks
// on it is the file's damage, not a bug to surface as a TypeError.
async function asCorrupt<T>(target: Target, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (err) {
    if (err instanceof XpersistError) throw err
    throw corrupt(target, `could not be read (${(err as Error).message})`)
  }
}

/**
 * Refuses a read whose row groups' chunks would decode to over `limit` bytes (the footer's
 * sizes), before reading them: a row group is decoded whole for any row of it.
 */
export function checkDecodeSize(
  target: Target,
  metadata: FileMetaData,
  start: number,
  end: number,
  names: string[],
  limit = MAX_DECODE_BYTES,
): void {
  const wanted = new Set(names)
  let first = 0
  let bytes = 0
  for (const group of metadata.row_groups) {
    const last = first + Number(group.num_rows)
    if (last > start && first < end) {
      for (const column of group.columns) {
        const m = column.meta_data
        if (m && wanted.has(m.path_in_schema[0] ?? '')) bytes += Number(m.total_uncompressed_size)
      }
    }
    first = last
  }
  if (bytes > limit) {
    throw new LimitExceededError(
      `Reading rows ${start}-${end} of ${target.path} would decode ${bytes} bytes of column ` +
        `chunks, over the ${limit}-byte limit; ask for fewer columns (--columns).`,
    )
  }
}

function pandasMetadata(metadata: FileMetaData): PandasMetadata | null {
  const kv = metadata.key_value_metadata?.find((k) => k.key === PANDAS_METADATA_KEY)
  if (!kv?.value) return null
  try {
    const parsed = JSON.parse(kv.value) as Partial<PandasMetadata>
    if (!Array.isArray(parsed.columns)) return null
    return { index_columns: [], column_indexes: [], ...parsed } as PandasMetadata
  } catch {
    // Foreign metadata we cannot parse means "no index", not an unreadable file.
    return null
  }
}

// hyparquet turns decimals into floats; with their logical type hidden it hands over the raw
// unscaled integers, which parquet-columns.ts writes out exactly. BYTE_ARRAY decimals are
// left to hyparquet: hiding their type would decode them as text.
function rawDecimals(metadata: FileMetaData): FileMetaData {
  const schema = metadata.schema.map((el) =>
    isDecimal(el) && el.type !== 'BYTE_ARRAY'
      ? { ...el, converted_type: undefined, logical_type: undefined }
      : el,
  )
  return { ...metadata, schema }
}

function columnsKwarg(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
  throw new InvalidArgumentError(
    `pandas.parquet load kwarg 'columns' must be a list of column names.`,
  )
}
