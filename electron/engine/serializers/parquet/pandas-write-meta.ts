/**
 * The table to_parquet would hand pyarrow, and the 'pandas' metadata pyarrow would write for
 * it: index levels placed after the data columns (a RangeIndex as a {kind:'range'} descriptor
 * unless index=True), and per column pandas_type/numpy_type/metadata as pyarrow's
 * pandas_compat.get_column_metadata computes them, so pd.read_parquet restores the index and
 * the dtypes (nullable Int64/boolean, categoricals, time zones, dates).
 */
import {
  DataType,
  Dictionary,
  Field,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  type Data,
  type Decimal,
  type Int,
  type List,
  type Timestamp,
  type Utf8,
} from 'apache-arrow'
import {
  PANDAS_METADATA_KEY,
  readPandasMetadata,
  type PandasColumnMeta,
  type PandasMetadata,
  type RangeIndexMeta,
} from '../../table/pandas-meta.js'
import '../../table/arrow-linear-schema.js'
import { decimalFromText } from './decimal-text.js'

/** The 'creator' this writer records (pyarrow records itself there). */
const CREATOR = { library: 'xpersist', version: '0.1.0' }
/** The pandas whose to_parquet this reproduces. */
const PANDAS_VERSION = '1.5.3'

/** How one written column is filled: a column of the table, or a RangeIndex made a column. */
type Source = { kind: 'column'; at: number } | { kind: 'range'; range: RangeIndexMeta }

interface Planned {
  field: Field
  source: Source
  meta: PandasColumnMeta
}

/**
 * `table` laid out as pyarrow lays out a DataFrame (data columns, then index levels), with
 * the 'pandas' metadata set. `index` is to_parquet's: null keeps a RangeIndex as metadata
 * only, true makes every index level a column, false drops the index.
 */
export function pandasLayout(table: Table, index: boolean | null): Table {
  const meta = readPandasMetadata(table)
  const fields = table.schema.fields
  const at = new Map(fields.map((f, i) => [f.name, i]))
  const known = new Map((meta?.columns ?? []).map((c) => [c.field_name, c]))
  // A table without metadata has pandas' default index: 0..n-1.
  const levels: (string | RangeIndexMeta)[] = meta
    ? meta.index_columns.filter((c) => typeof c !== 'string' || at.has(c))
    : [{ kind: 'range', name: null, start: 0, stop: table.numRows, step: 1 }]
  const indexFields = new Set(levels.filter((c): c is string => typeof c === 'string'))
  const decimals = decimalColumns(table, known)
  const fieldAt = (i: number): Field => {
    const f = fields[i]!
    const chunks = decimals.get(i)
    if (chunks) return new Field(f.name, chunks[0]!.type, f.nullable, f.metadata)
    return orderedAsRecorded(f, known.get(f.name))
  }
  const planned: Planned[] = []
  for (const [i, f] of fields.entries()) {
    if (indexFields.has(f.name)) continue
    const field = fieldAt(i)
    planned.push({
      field,
      source: { kind: 'column', at: i },
      meta: columnMeta(f.name, field, known.get(f.name), table, i),
    })
  }
  const indexColumns: (string | RangeIndexMeta)[] = []
  if (index !== false) {
    const dataNames = new Set(planned.map((p) => p.field.name))
    for (const [level, c] of levels.entries()) {
      if (typeof c === 'string') {
        const i = at.get(c)!
        const field = fieldAt(i)
        const name = known.has(c) ? known.get(c)!.name : c
        planned.push({
          field,
          source: { kind: 'column', at: i },
          meta: { ...columnMeta(name, field, known.get(c), table, i) },
        })
        indexColumns.push(c)
      } else {
        const range = { ...c, stop: c.start + c.step * table.numRows }
        if (index === null) {
          indexColumns.push(range)
          continue
        }
        // pyarrow's _index_level_name: the index's name unless unnamed or taken by a column.
        const fieldName =
          range.name !== null && !dataNames.has(range.name)
            ? range.name
            : `__index_level_${level}__`
        const field = new Field(fieldName, new Int64(), false)
        planned.push({
          field,
          source: { kind: 'range', range },
          meta: {
            name: range.name,
            field_name: fieldName,
            pandas_type: 'int64',
            numpy_type: 'int64',
            metadata: null,
          },
        })
        indexColumns.push(fieldName)
      }
    }
  }
  const pandas: PandasMetadata = {
    index_columns: indexColumns,
    column_indexes: meta?.column_indexes.length
      ? meta.column_indexes
      : [
          {
            name: null,
            field_name: null,
            pandas_type: 'unicode',
            numpy_type: 'object',
            metadata: { encoding: 'UTF-8' },
          },
        ],
    columns: planned.map((p) => p.meta),
    creator: CREATOR,
    pandas_version: PANDAS_VERSION,
  }
  const metadata = new Map(table.schema.metadata)
  metadata.set(PANDAS_METADATA_KEY, JSON.stringify(pandas))
  const schema = new Schema(
    planned.map((p) => p.field),
    metadata,
  )
  let offset = 0
  const batches = table.batches.map((batch, b) => {
    const children = planned.map((p) =>
      p.source.kind === 'column'
        ? (decimals.get(p.source.at)?.[b] ??
          retype(batch.data.children[p.source.at]!, p.field.type))
        : rangeData(p.source.range, offset, batch.numRows),
    )
    offset += batch.numRows
    const data = makeData({
      type: new Struct(schema.fields),
      length: batch.numRows,
      nullCount: 0,
      children,
    })
    return new RecordBatch(schema, data)
  })
  return new Table(schema, batches)
}

// Text columns the metadata records as decimals (how the reader loads them), as decimal128
// chunks, one per batch; a column with any value that is not such a decimal stays text.
function decimalColumns(table: Table, known: Map<string, PandasColumnMeta>): Map<number, Data[]> {
  const out = new Map<number, Data[]>()
  for (const [i, f] of table.schema.fields.entries()) {
    const m = known.get(f.name)
    if (!DataType.isUtf8(f.type) || m?.pandas_type !== 'decimal' || !m.metadata) continue
    const { precision, scale } = m.metadata
    if (typeof precision !== 'number' || typeof scale !== 'number') continue
    const chunks = table.batches.map((batch) =>
      decimalFromText(batch.data.children[i] as Data<Utf8>, precision, scale),
    )
    if (chunks.length && chunks.every((c) => c !== null)) out.set(i, chunks as Data[])
  }
  return out
}

function rangeData(range: RangeIndexMeta, offset: number, length: number): Data<Int64> {
  const values = new BigInt64Array(length)
  const step = BigInt(range.step)
  let v = BigInt(range.start) + BigInt(offset) * step
  for (let i = 0; i < length; i++, v += step) values[i] = v
  return makeData({ type: new Int64(), length, nullCount: 0, data: values })
}

// A categorical the metadata records as ordered keeps that order in the Arrow type, which
// is what pyarrow reads the ordered flag from.
function orderedAsRecorded(field: Field, known: PandasColumnMeta | undefined): Field {
  if (!DataType.isDictionary(field.type)) return field
  const d = field.type as Dictionary
  const ordered = known?.metadata?.ordered
  if (typeof ordered !== 'boolean' || ordered === d.isOrdered) return field
  const type = new Dictionary(d.dictionary, d.indices, d.id, ordered)
  return new Field(field.name, type, field.nullable, field.metadata)
}

function retype(data: Data, type: DataType): Data {
  return data.type === type ? data : data.clone(type)
}

/**
 * One `columns` entry. The numpy_type recorded for the column before (a nullable 'Int64' or
 * 'boolean', a 'string' dtype) is kept when the Arrow type still fits it; otherwise an
 * integer or boolean column with nulls is recorded as pandas' nullable dtype, so its values
 * come back exact rather than as floats or objects.
 */
function columnMeta(
  name: string | null,
  field: Field,
  known: PandasColumnMeta | undefined,
  table: Table,
  at: number,
): PandasColumnMeta {
  const type = field.type as DataType
  const [pandasType, numpyType, metadata] = pandasTypes(type, table, at)
  let numpy = numpyType
  if (known && known.pandas_type === pandasType && pandasType !== 'categorical') {
    numpy = known.numpy_type
  } else if (!known && (table.getChildAt(at)?.nullCount ?? 0) > 0) {
    if (DataType.isInt(type))
      numpy = numpyType.replace(/^u?int/, (p) => (p === 'int' ? 'Int' : 'UInt'))
    else if (DataType.isBool(type)) numpy = 'boolean'
  }
  return { name, field_name: field.name, pandas_type: pandasType, numpy_type: numpy, metadata }
}

// pyarrow's pandas_compat.get_logical_type and get_extension_dtype_info.
function pandasTypes(
  type: DataType,
  table: Table,
  at: number,
): [string, string, Record<string, unknown> | null] {
  const logical = logicalType(type)
  if (DataType.isDictionary(type)) {
    const d = type as Dictionary
    const first = table.getChildAt(at)?.data[0]?.dictionary
    return [
      logical,
      intName(d.indices),
      { num_categories: first?.length ?? 0, ordered: d.isOrdered },
    ]
  }
  if (DataType.isTimestamp(type)) {
    const tz = (type as Timestamp).timezone
    return [logical, 'datetime64[ns]', tz ? { timezone: tz } : null]
  }
  if (DataType.isDecimal(type)) {
    const d = type as Decimal
    return [logical, 'object', { precision: d.precision, scale: d.scale }]
  }
  if (DataType.isBool(type)) return [logical, 'bool', null]
  if (DataType.isInt(type)) return [logical, logical, null]
  if (DataType.isFloat(type)) return [logical, logical, null]
  return [logical, 'object', null]
}

function logicalType(type: DataType): string {
  if (DataType.isNull(type)) return 'empty'
  if (DataType.isBool(type)) return 'bool'
  if (DataType.isInt(type)) return intName(type as Int)
  if (DataType.isFloat(type)) return `float${[16, 32, 64][type.precision]}`
  if (DataType.isDate(type)) return 'date'
  if (DataType.isTime(type)) return 'time'
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type))
    return 'bytes'
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'unicode'
  if (DataType.isDictionary(type)) return 'categorical'
  if (DataType.isList(type)) return `list[${logicalType((type as List).valueType)}]`
  if (DataType.isTimestamp(type)) return (type as Timestamp).timezone ? 'datetimetz' : 'datetime'
  if (DataType.isDecimal(type)) return 'decimal'
  return 'object'
}

function intName(type: Int): string {
  return `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`
}
