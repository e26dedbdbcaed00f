/**
 * A CSV page's JSON form (table/table-json.ts's, byte for byte) made from the reader's texts
 * without Arrow: importing apache-arrow costs a CLI process more than reading the page
 * (`xpersist show` of a CSV, see electron/cli/commands/show-csv-page.ts). Types and cells are
 * what the Arrow table would give: csv-column-kind.ts infers for both.
 */
import { isoDatetime } from '../../table/datetime-text.js'
import { shortestFloat32 } from '../../table/python-float.js'
import { inferColumnValues, type ColumnValues } from './csv-column-kind.js'
import type { PlannedColumn } from './csv-plan.js'
import type { KeptRows } from './csv-text-reader.js'

/** One JSON cell of a CSV page (bigint: an integer beyond 2^53, stringified by the caller). */
export type CsvJsonCell = number | bigint | string | boolean | null

/** A page in tableToJson's shape (rowCount: the rows kept; the caller puts the file's). */
export interface CsvPageJson {
  kind: 'table'
  rowCount: number
  columns: { name: string; type: string }[]
  index: { name: string | null; values: CsvJsonCell[] } | null
  rows: CsvJsonCell[][]
}

/** The kept rows as tableToJson would write the reader's table; a RangeIndex starts at `offset`. */
export function keptRowsJson({ plan, rows, texts }: KeptRows, offset = 0): CsvPageJson {
  const infer = (c: PlannedColumn) => inferColumnValues(c.name, texts(c), c.rules)
  const data = plan.data.map(infer)
  const cells = data.map(jsonCells)
  const out: CsvJsonCell[][] = []
  for (let i = 0; i < rows; i++) out.push(cells.map((c) => c[i] ?? null))
  let index: CsvPageJson['index']
  if (plan.index) {
    const name = plan.index.headerText === '' ? null : plan.index.name
    index = { name, values: jsonCells(infer(plan.index)) }
  } else index = { name: null, values: Array.from({ length: rows }, (_, i) => offset + i) }
  return {
    kind: 'table',
    rowCount: rows,
    columns: plan.data.map((c, j) => ({ name: c.name, type: typeName(data[j]!) })),
    index,
    rows: out,
  }
}

// shortTypeName's spelling of the Arrow type infer-column.ts would build.
function typeName(column: ColumnValues): string {
  switch (column.kind) {
    case 'category':
      return 'string'
    case 'timestamp':
      return 'datetime'
    default:
      return column.kind
  }
}

// jsonCells' spelling of each value (missing, NaN and infinities are null).
function jsonCells(column: ColumnValues): CsvJsonCell[] {
  switch (column.kind) {
    case 'string':
    case 'category':
    case 'bool':
      return column.values
    case 'int64':
    case 'uint64':
      return column.values.map((v) => {
        if (v === null) return null
        const n = Number(v)
        return Number.isSafeInteger(n) ? n : v
      })
    case 'float64':
    case 'float32': {
      const f32 = column.kind === 'float32'
      return column.values.map((v) => {
        const x = v === null ? null : f32 ? Math.fround(v) : v
        if (x === null || !Number.isFinite(x)) return null
        return f32 ? shortestFloat32(x) : x
      })
    }
    case 'timestamp': {
      const scale = column.unit === 'us' ? 1000n : 1n
      const zone = column.timezone ? 'Z' : ''
      return column.values.map((v) => (v === null ? null : isoDatetime(v * scale) + zone))
    }
  }
}
