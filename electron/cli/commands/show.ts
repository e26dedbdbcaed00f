import type { Command } from '../args.js'
import { intOption } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { isArrowTable } from '../../engine/pick.js'
import { cellText, textTable } from '../format.js'
import { visibleText } from '../../../shared/visible-text.js'

/** `xpersist show`: the value of a key, as text or as the stable JSON form. */
export const show: Command = {
  usage: 'show <cache> <key> [--rows N] [--json]',
  summary: 'show the value of an artifact (tables: first N rows)',
  options: { rows: { type: 'string', short: 'n' }, json: { type: 'boolean' } },
  minPositionals: 2,
  maxPositionals: 2,
  async run({ positionals, values, out, outJson }) {
    const [location, key] = positionals as [string, string]
    const rows = intOption(values.rows, 'rows', 20)
    const store = await CacheStore.open(location, { readonly: true })
    const value = await store.get(key)
    const { stringifyJson } = await import('../../engine/pyvalue-json.js')
    let shown: Record<string, unknown>
    if (isArrowTable(value)) {
      const { tableToJson } = await import('../../engine/table/table-json.js')
      shown = tableToJson(value as never, rows) as unknown as Record<string, unknown>
    } else {
      const { pyToJson } = await import('../../engine/pyvalue-json.js')
      shown = { kind: 'object', value: pyToJson(value) }
    }
    if (values.json) outJson(stringifyJson(shown))
    else if (shown.kind === 'table') out(tableText(shown as unknown as TableJson))
    else out(stringifyJson(shown.value, 2))
    return 0
  },
}

interface TableJson {
  rowCount: number
  columns: { name: string; type: string }[]
  index: { name: string | null; values: unknown[] } | null
  rows: unknown[][]
}

function tableText(t: TableJson): string {
  const header = [...(t.index ? [t.index.name ?? ''] : []), ...t.columns.map((c) => c.name)].map(
    visibleText,
  )
  const types = [...(t.index ? [''] : []), ...t.columns.map((c) => c.type)]
  const body = t.rows.map((r, i) => [
    ...(t.index ? [cellText(t.index.values[i])] : []),
    ...r.map(cellText),
  ])
  const numeric = types.map((ty) => /int|float/.test(ty))
  const more = t.rowCount > t.rows.length ? `\n... ${t.rowCount - t.rows.length} more rows` : ''
  return `${textTable(header, [types, ...body], numeric)}${more}\n[${t.rowCount} rows x ${t.columns.length} columns]`
}
