// Helpers for the Parquet tests: a Target over a folder, the JSON page a preview gives (the
// CLI's form), and cell comparison loose only where JSON spells one value two ways.
import type { Table } from 'apache-arrow'
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import type { Target } from '../../../electron/engine/serializers/serializer.js'
import { tableToJson, type JsonCell } from '../../../electron/engine/table/table-json.js'

/** A read-only Target for `key` in the folder `root`. */
export async function targetIn(root: string, key: string): Promise<Target> {
  const backend = await LocalBackend.open(root, { create: false })
  return { backend, path: key, putMode: 'overwrite' }
}

/** A table's rows and index as the CLI prints them. */
export function jsonOf(table: Table): ReturnType<typeof tableToJson> {
  return tableToJson(table, table.numRows)
}

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z?)$/

/** One cell in a form both sides agree on: ISO fractions without trailing zeros, bigint as text. */
export function norm(v: JsonCell | undefined): unknown {
  if (typeof v === 'bigint') return v.toString()
  if (typeof v !== 'string') return v ?? null
  const m = ISO.exec(v)
  if (!m) return v
  const frac = (m[2] ?? '').replace(/0+$/, '').replace(/^\.$/, '')
  return `${m[1]}${frac}${m[3]}`
}
