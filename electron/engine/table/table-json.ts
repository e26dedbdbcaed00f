/**
 * The CLI's stable JSON form of a table (`show --json`, the explorer's grid):
 * {"kind":"table","rowCount":N,"columns":[{"name","type"}],"index":{"name","values"}|null,
 *  "rows":[[...]]}, with the first rows only. Cells are JSON values: missing and NaN are null
 * (and so are infinities, which JSON cannot spell), datetimes ISO 8601 ('2001-04-01T00:00:00';
 * a tz-aware one as its UTC instant with 'Z': the zone itself is on the Arrow type, not in the
 * cell), dates 'YYYY-MM-DD', float32 values their shortest decimal (28.4282, not
 * 28.428199768066406). int64 values are numbers, or bigint beyond 2^53, which the caller must
 * stringify (JSON.stringify refuses bigint). Decimals are their exact text ('-12.50', scale
 * digits kept). Categoricals are their values (the type name is the values' type). A list is a
 * JSON array of cells and a struct a JSON object of its fields' cells (null-prototype); inside
 * them an int64 beyond 2^53 is its decimal text, so the value stringifies as it is.
 * A MultiIndex adds `names` (one per level) to `index`, `name` is then null and each of
 * `values` is the row's array of level values; a single-level index has no `names`.
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
import { decimalsAsText, shortTypeName, timestampsAsNs } from './arrow-columns.js'
import { dataColumns, getRangeIndex, getTableIndex, getTableIndexLevels } from './pandas-meta.js'

/** One JSON cell (arrays and objects for list and struct columns). */
export type JsonCell =
  number | bigint | string | boolean | null | JsonCell[] | { [field: string]: JsonCell }

/** The JSON form of a table; see the module comment. */
export interface TableJson {
  kind: 'table'
  rowCount: number
  columns: { name: string; type: string }[]
  index: { name: string | null; names?: (string | null)[]; values: JsonCell[] } | null
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
  const levels = getTableIndexLevels(table)
  if (levels.length > 1) {
    const cells = levels.map((l) => jsonCells(head.getChild(l.field) as Vector))
    const values = Array.from({ length: head.numRows }, (_, i) => cells.map((c) => c[i] ?? null))
    return { name: null, names: levels.map((l) => l.name), values }
  }
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
  if (DataType.isDecimal(type)) return decimalsAsText(vector)
  if (DataType.isNull(type)) return Array.from({ length: vector.length }, () => null)
  if (DataType.isStruct(type)) return structCells(vector)
  if (DataType.isList(type)) {
    const out: JsonCell[] = []
    for (let i = 0; i < vector.length; i++) {
      const items = vector.get(i) as Vector | null
      out.push(items === null ? null : jsonCells(items).map(nested))
    }
    return out
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

// A struct's rows as objects of their fields' cells; the field names come from the file.
function structCells(vector: Vector): JsonCell[] {
  const fields = (vector.type as DataType).children
  const cells = fields.map((_, k) => jsonCells(vector.getChildAt(k) as Vector))
  const out: JsonCell[] = []
  for (let i = 0; i < vector.length; i++) {
    if (!vector.isValid(i)) {
      out.push(null)
      continue
    }
    const row = Object.create(null) as { [field: string]: JsonCell }
    fields.forEach((f, k) => (row[f.name] = nested(cells[k]![i] ?? null)))
    out.push(row)
  }
  return out
}

// Inside a list or struct a big integer is its text, so the cell stringifies as it is.
function nested(v: JsonCell): JsonCell {
  return typeof v === 'bigint' ? v.toString() : v
}
