/**
 * A table's pandas index, recorded the way pyarrow records it: JSON under the Arrow schema
 * metadata key 'pandas'. Using pyarrow's own layout means a table read from CSV can be written
 * to Parquet (and read by pandas) with its index intact, and a Parquet file pyarrow wrote
 * brings its index here unchanged. A table without that key has no index.
 */
import { Field, Schema, Table, DataType, type Dictionary, type Timestamp } from 'apache-arrow'
// Slicing builds RecordBatches, quadratic in the column count without it.
import './arrow-linear-schema.js'

/** The metadata key pyarrow uses. */
export const PANDAS_METADATA_KEY = 'pandas'
/** The field name pyarrow gives an unnamed (single-level) index column. */
export const UNNAMED_INDEX_FIELD = '__index_level_0__'

/** A RangeIndex that pyarrow stores as numbers instead of a column. */
export interface RangeIndexMeta {
  kind: 'range'
  name: string | null
  start: number
  stop: number
  step: number
}

/** One entry of the metadata's `columns` list (data columns and index columns alike). */
export interface PandasColumnMeta {
  name: string | null
  field_name: string
  pandas_type: string
  numpy_type: string
  metadata: Record<string, unknown> | null
}

/** The JSON pyarrow writes under the 'pandas' key (the fields we read or write). */
export interface PandasMetadata {
  index_columns: (string | RangeIndexMeta)[]
  column_indexes: unknown[]
  columns: PandasColumnMeta[]
  creator?: { library: string; version: string }
  pandas_version?: string
}

/** The parsed 'pandas' metadata, or null when absent or not the shape pyarrow writes. */
export function readPandasMetadata(table: Table): PandasMetadata | null {
  const text = table.schema.metadata.get(PANDAS_METADATA_KEY)
  if (text === undefined) return null
  try {
    const meta = JSON.parse(text) as Partial<PandasMetadata>
    if (!Array.isArray(meta.index_columns) || !Array.isArray(meta.columns)) return null
    return meta as PandasMetadata
  } catch {
    // Foreign metadata we cannot parse means "no index", not a broken table.
    return null
  }
}

/** The table's (first-level) index column and the index's name, or null when it has none. */
export function getTableIndex(table: Table): { name: string | null; field: string } | null {
  const meta = readPandasMetadata(table)
  const first = meta?.index_columns[0]
  if (typeof first !== 'string') return null
  if (!table.schema.fields.some((f) => f.name === first)) return null
  const entry = meta?.columns.find((c) => c.field_name === first)
  return { name: entry ? entry.name : first, field: first }
}

/** Every index level stored as a column (a MultiIndex has several), in level order. */
export function getTableIndexLevels(table: Table): { name: string | null; field: string }[] {
  const meta = readPandasMetadata(table)
  if (!meta) return []
  const present = new Set(table.schema.fields.map((f) => f.name))
  const names = new Map(meta.columns.map((c) => [c.field_name, c.name]))
  return meta.index_columns
    .filter((c): c is string => typeof c === 'string' && present.has(c))
    .map((field) => ({ name: names.has(field) ? (names.get(field) ?? null) : field, field }))
}

/** The table's RangeIndex when it has one stored as numbers (no column), else null. */
export function getRangeIndex(table: Table): RangeIndexMeta | null {
  const first = readPandasMetadata(table)?.index_columns[0]
  return typeof first === 'object' && first?.kind === 'range' ? first : null
}

/** How many index levels the metadata declares (pandas MultiIndex has more than one). */
export function indexLevelCount(table: Table): number {
  return readPandasMetadata(table)?.index_columns.length ?? 0
}

/** The same table with column `field` marked as its index, named `name` (null: unnamed). */
export function withTableIndex(table: Table, field: string, name: string | null): Table {
  if (!table.schema.fields.some((f) => f.name === field)) {
    throw new Error(`withTableIndex: the table has no column '${field}'`)
  }
  return withPandasMetadata(table, [field], new Map([[field, name]]))
}

/** The same table with columns `fields` as its index levels (a MultiIndex when several). */
export function withIndexColumns(
  table: Table,
  fields: readonly string[],
  names: readonly (string | null)[],
): Table {
  return withPandasMetadata(
    table,
    [...fields],
    new Map(fields.map((f, i) => [f, names[i] ?? null])),
  )
}

/** The same table with a RangeIndex (start, start+step, ...) and no index column. */
export function withRangeIndex(
  table: Table,
  name: string | null = null,
  start = 0,
  step = 1,
): Table {
  const range: RangeIndexMeta = {
    kind: 'range',
    name,
    start,
    stop: start + step * table.numRows,
    step,
  }
  return withPandasMetadata(table, [range], new Map())
}

/** The table's fields that are data, not index columns. */
export function dataColumns(table: Table): Field[] {
  const meta = readPandasMetadata(table)
  const present = new Set(table.schema.fields.map((f) => f.name))
  const index = new Set(
    (meta?.index_columns ?? []).filter((c): c is string => typeof c === 'string' && present.has(c)),
  )
  return table.schema.fields.filter((f) => !index.has(f.name))
}

/** Rows [begin, end) of the table, keeping a RangeIndex's numbering (row 5 stays label 5). */
export function sliceTable(table: Table, begin: number, end?: number): Table {
  const sliced = table.slice(begin, end)
  const range = getRangeIndex(table)
  if (!range) return sliced
  return withRangeIndex(sliced, range.name, range.start + begin * range.step, range.step)
}

function withPandasMetadata(
  table: Table,
  indexColumns: (string | RangeIndexMeta)[],
  indexNames: Map<string, string | null>,
): Table {
  const columns = table.schema.fields.map((f) =>
    columnMeta(f, indexNames.has(f.name) ? (indexNames.get(f.name) ?? null) : f.name),
  )
  const meta: PandasMetadata = {
    index_columns: indexColumns,
    column_indexes: [
      {
        name: null,
        field_name: null,
        pandas_type: 'unicode',
        numpy_type: 'object',
        metadata: { encoding: 'UTF-8' },
      },
    ],
    columns,
    creator: { library: 'xpersist', version: '0.1.0' },
    // The pandas whose behaviour the CSV reader and writer reproduce.
    pandas_version: '1.5.3',
  }
  const metadata = new Map(table.schema.metadata)
  metadata.set(PANDAS_METADATA_KEY, JSON.stringify(meta))
  return new Table(new Schema(table.schema.fields, metadata), table.batches)
}

function columnMeta(field: Field, name: string | null): PandasColumnMeta {
  const [pandasType, numpyType, metadata] = pandasTypes(field.type as DataType)
  return { name, field_name: field.name, pandas_type: pandasType, numpy_type: numpyType, metadata }
}

// pyarrow's names for Arrow types (pyarrow/pandas_compat.py get_logical_type).
function pandasTypes(type: DataType): [string, string, Record<string, unknown> | null] {
  if (DataType.isNull(type)) return ['empty', 'object', null]
  if (DataType.isBool(type)) return ['bool', 'bool', null]
  if (DataType.isInt(type)) {
    const n = `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`
    return [n, n, null]
  }
  if (DataType.isFloat(type)) {
    const n = `float${[16, 32, 64][type.precision]}`
    return [n, n, null]
  }
  if (DataType.isTimestamp(type)) {
    const tz = (type as Timestamp).timezone
    return tz
      ? ['datetimetz', 'datetime64[ns]', { timezone: tz }]
      : ['datetime', 'datetime64[ns]', null]
  }
  if (DataType.isDate(type)) return ['date', 'object', null]
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return ['unicode', 'object', null]
  if (DataType.isBinary(type) || DataType.isLargeBinary(type)) return ['bytes', 'object', null]
  if (DataType.isDictionary(type)) {
    const d = type as Dictionary
    const n = `${d.indices.isSigned ? 'int' : 'uint'}${d.indices.bitWidth}`
    return ['categorical', n, { ordered: d.isOrdered }]
  }
  return ['object', 'object', null]
}
