/**
 * The CLI's stable JSON form of a table (`show --json`, the explorer's grid):
 * {"kind":"table","rowCount":N,"columns":[{"name","type"}],"index":{"name","values"}|null,
 *  "rows":[[...]]}, with the first rows only. Cells are JSON values: missing and NaN are null
 * (and so are infinities, which JSON cannot spell), datetimes ISO 8601 ('2001-04-01T00:00:00';
 * a tz-aware one as its UTC instant with 'Z'), dates 'YYYY-MM-DD', float32 values their
 * shortest decimal (28.4282, not 28.428199768066406). int64 values are numbers, or bigint
 * beyond 2^53, which the caller must stringify (JSON.stringify refuses bigint).
 */
import {
  DataType,
  type Dictionary,
  type Float,
  type Table,
  type Timestamp,
  type Vector,
} from 'apache-arrow'
import { formatDate, isoDatetime } from './datetime-text.js'
import { shortestFloat32 } from './python-float.js'
import { shortTypeName, timestampsAsNs } from './arrow-columns.js'
import { dataColumns, getRangeIndex, getTableIndex } from './pandas-meta.js'

/** One JSON cell. */
export type JsonCell = number | bigint | string | boolean | null

/** The JSON form of a table; see the module comment. */
export interface TableJson {
  kind: 'table'
  rowCount: number
  columns: { name: string; type: string }[]
  index: { name: string | null; values: JsonCell[] } | null
  rows: JsonCell[][]
}

/** The first `rows` rows of the table in the CLI's JSON form. */
export function tableToJson(table: Table, rows = 20): TableJson {
  const head = table.slice(0, Math.max(0, rows))
  const fields = dataColumns(table)
  const columns = fields.map((f) => {
    const at = table.schema.fields.indexOf(f)
    return jsonCells(head.getChildAt(at) as Vector)
  })
  const out: JsonCell[][] = []
  for (let i = 0; i < head.numRows; i++) out.push(columns.map((c) => c[i] ?? null))
  return {
    kind: 'table',
    rowCount: table.numRows,
    columns: fields.map((f) => ({ name: f.name, type: shortTypeName(f.type as DataType) })),
    index: indexJson(table, head),
    rows: out,
  }
}

function indexJson(table: Table, head: Table): TableJson['index'] {
  const index = getTableIndex(table)
  if (index) {
    return { name: index.name, values: jsonCells(head.getChild(index.field) as Vector) }
  }
  const range = getRangeIndex(table)
  if (!range) return null
  const values = Array.from({ length: head.numRows }, (_, i) => range.start + i * range.step)
  return { name: range.name, values }
}

/** A column's values as JSON cells. */
export function jsonCells(vector: Vector): JsonCell[] {
  const type = vector.type as DataType
  if (DataType.isTimestamp(type)) {
    const zoned = Boolean((type as Timestamp).timezone)
    return timestampsAsNs(vector).map((ns) =>
      ns === null ? null : isoDatetime(ns) + (zoned ? 'Z' : ''),
    )
  }
  if (DataType.isDictionary(type)) {
    const out: JsonCell[] = []
    for (const chunk of (vector as Vector<Dictionary>).data) {
      const values = chunk.dictionary ? jsonCells(chunk.dictionary) : []
      for (let j = 0; j < chunk.length; j++) {
        out.push(chunk.getValid(j) ? (values[Number(chunk.values[j])] ?? null) : null)
      }
    }
    return out
  }
  const float32 = DataType.isFloat(type) && (type as Float).precision === 1
  const isDate = DataType.isDate(type)
  const out: JsonCell[] = []
  for (let i = 0; i < vector.length; i++) {
    const v = vector.get(i) as unknown
    if (v === null || v === undefined) out.push(null)
    else if (typeof v === 'number') {
      if (isDate) out.push(formatDate(Math.floor(v / 86_400_000)))
      else if (!Number.isFinite(v)) out.push(null)
      else out.push(float32 ? shortestFloat32(v) : v)
    } else if (typeof v === 'bigint') {
      const n = Number(v)
      out.push(Number.isSafeInteger(n) ? n : v)
    } else if (typeof v === 'string' || typeof v === 'boolean') out.push(v)
    else if (v instanceof Date) out.push(formatDate(Math.floor(v.getTime() / 86_400_000)))
    else out.push(String(v))
  }
  return out
}
