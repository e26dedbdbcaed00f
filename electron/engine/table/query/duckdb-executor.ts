/**
 * The DuckDB executor: a query over a local Parquet payload as one SQL statement, with
 * pandas' semantics spelled out (NaN is missing: never equal or ordered, sorted last; nulls
 * last in both directions; ties in file order through file_row_number). It returns row
 * positions only: pages and exports still read the rows through our own reader, so values and
 * types are exactly the preview's. Columns whose DuckDB type we do not map (decimals, nested),
 * `contains` on non-text columns and the text search (which matches the preview's displayed
 * text) go to the streaming executor instead.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { DataType, type Float } from 'apache-arrow'
import type { PreviewCell, TableFilter, TableQuery } from '../../preview-types.js'
import { formatDate, isoDatetime } from '../datetime-text.js'
import { shortestFloat32 } from '../python-float.js'
import { kindOf, typeName, type ColumnKind } from './columns.js'
import { provenPayloadPath } from './duckdb-path.js'
import { MAX_GROUPS, namedColumns, type QueryExecutor, type QueryOutcome } from './executor.js'
import { readValue } from './filters.js'
import { noColumn, type TableSource } from './source.js'

let instance: Promise<DuckDBInstance> | null = null

async function connect(): Promise<DuckDBConnection> {
  instance ??= import('@duckdb/node-api').then((m) => m.DuckDBInstance.create(':memory:'))
  return (await instance).connect()
}

/** A column as the query sees it: our kind and type name, and whether it is float. */
interface ColumnInfo {
  kind: ColumnKind
  type: string
  float32: boolean
  isFloat: boolean
  zoned: boolean
}

async function columnInfo(source: TableSource): Promise<Map<string, ColumnInfo>> {
  const [empty] = await source.range(0, 0)
  const out = new Map<string, ColumnInfo>()
  for (const field of empty?.schema.fields ?? []) {
    const t = field.type as DataType
    out.set(field.name, {
      kind: kindOf(t),
      type: typeName(t),
      isFloat: DataType.isFloat(t),
      float32: DataType.isFloat(t) && (t as Float).precision === 1,
      zoned: DataType.isTimestamp(t) && Boolean((t as { timezone?: string | null }).timezone),
    })
  }
  return out
}

const DUCK_OK =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|VARCHAR|BOOLEAN|DATE|TIMESTAMP.*)$/

/** The DuckDB executor (local Parquet files). */
export const duckdbExecutor: QueryExecutor = {
  name: 'duckdb',
  async accepts(source, query) {
    if (source.serializer !== 'pandas.parquet' || query.search !== '') return false
    if (!(await provenPayloadPath(source.target))) return false
    const info = await columnInfo(source)
    for (const f of query.filters) {
      if (f.op === 'contains' && info.get(f.column)?.kind !== 'text') return false
    }
    const proven = (await provenPayloadPath(source.target))!
    const conn = await connect()
    try {
      const described = await conn.runAndReadAll(
        'SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($1))',
        [proven.path],
      )
      const types = new Map(
        described.getRows().map((r) => [String(r[0]), String(r[1])] as [string, string]),
      )
      return namedColumns(query).every((c) => !types.has(c) || DUCK_OK.test(types.get(c)!))
    } finally {
      conn.closeSync()
    }
  },
  run: runDuckdb,
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

async function runDuckdb(
  source: TableSource,
  query: TableQuery,
  { signal, onProgress }: Parameters<QueryExecutor['run']>[2],
): Promise<QueryOutcome> {
  const info = await columnInfo(source)
  for (const c of namedColumns(query)) {
    if (!source.columns.includes(c)) throw noColumn(source.key, c, source.columns)
  }
  const proven = await provenPayloadPath(source.target)
  if (!proven) throw new Error('duckdb: the payload is not a local file')
  const params: unknown[] = [proven.path]
  const param = (v: unknown) => {
    params.push(v)
    return `$${params.length}`
  }
  const where = query.filters.map((f) => condition(f, info.get(f.column)!, param)).join(' AND ')
  const from = `read_parquet($1, file_row_number=true)${where ? ` WHERE ${where}` : ''}`
  const conn = await connect()
  const stop = () => conn.interrupt()
  signal?.addEventListener('abort', stop)
  try {
    const total = source.totalRows
    let groups: { value: PreviewCell; count: number }[] | null = null
    let truncated = false
    if (query.groupBy !== null) {
      const c = info.get(query.groupBy)!
      const sql =
        `SELECT ${valueExpr(query.groupBy, c)} AS v, count(*) AS n, min(file_row_number) AS f ` +
        `FROM ${from} GROUP BY v ORDER BY n DESC, f LIMIT ${MAX_GROUPS + 1}`
      const rows = (await conn.runAndReadAll(sql, params as never)).getRows()
      truncated = rows.length > MAX_GROUPS
      groups = rows.slice(0, MAX_GROUPS).map((r) => ({ value: cell(r[0], c), count: Number(r[1]) }))
    }
    const order = query.sort
      .flatMap((s) => {
        const c = info.get(s.column)!
        const col = quote(s.column)
        const missing = c.isFloat ? `(${col} IS NULL OR isnan(${col}))` : `(${col} IS NULL)`
        return [`${missing} ASC`, `${col} ${s.descending ? 'DESC' : 'ASC'}`]
      })
      .concat(['file_row_number'])
      .join(', ')
    const sql = `SELECT CAST(file_row_number AS UINTEGER) FROM ${from} ORDER BY ${order}`
    const result = await conn.stream(sql, params as never)
    let positions = new Uint32Array(Math.min(total, 1 << 16))
    let matched = 0
    for (;;) {
      signal?.throwIfAborted()
      const chunk = await result.fetchChunk()
      if (!chunk || chunk.rowCount === 0) break
      const values = chunk.getColumnValues(0) as number[]
      if (matched + values.length > positions.length) {
        const next = new Uint32Array(
          Math.max(matched + values.length, Math.min(total, positions.length * 2)),
        )
        next.set(positions)
        positions = next
      }
      for (const v of values) positions[matched++] = v
    }
    await proven.recheck()
    onProgress?.({ done: total, total })
    return {
      positions: positions.subarray(0, matched),
      matched,
      totalRows: total,
      groups,
      groupsTruncated: truncated,
      engine: 'duckdb',
    }
  } catch (err) {
    signal?.throwIfAborted()
    throw err
  } finally {
    signal?.removeEventListener('abort', stop)
    conn.closeSync()
  }
}

// The column as a value comparable with a readValue result: ns for datetimes, days for dates.
function valueExpr(column: string, c: ColumnInfo): string {
  const col = quote(column)
  if (c.kind === 'datetime') return `epoch_ns(${col})`
  if (c.kind === 'date') return `(${col} - DATE '1970-01-01')`
  if (c.isFloat) return `CASE WHEN isnan(${col}) THEN NULL ELSE ${col} END`
  return col
}

function condition(f: TableFilter, c: ColumnInfo, param: (v: unknown) => string): string {
  const v = valueExpr(f.column, c)
  if (f.op === 'isNull') return `(${v} IS NULL)`
  if (f.op === 'notNull') return `(${v} IS NOT NULL)`
  if (f.op === 'contains')
    return `coalesce(contains(${quote(f.column)}, ${param(String(f.value))}), false)`
  if (f.value === null) readValue('', c.kind, c.type, f.column) // the same error as the stream
  let value = readValue(f.value as string | number | boolean, c.kind, c.type, f.column)
  if (c.kind === 'date') value = BigInt(value as number)
  const sym = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' }[f.op]
  const test = `${v} ${sym} ${param(value)}`
  // pandas: a missing value is never equal, less or greater, and is "not equal".
  return f.op === 'ne' ? `(${v} IS NULL OR ${test})` : `coalesce(${test}, false)`
}

function cell(v: unknown, c: ColumnInfo): PreviewCell {
  if (v === null || v === undefined) return null
  if (c.kind === 'datetime') return isoDatetime(BigInt(v as bigint)) + (c.zoned ? 'Z' : '')
  if (c.kind === 'date') return formatDate(Number(v))
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (typeof v === 'number') return !Number.isFinite(v) ? null : c.float32 ? shortestFloat32(v) : v
  if (typeof v === 'boolean' || typeof v === 'string') return v
  return String(v)
}
