/**
 * `xpersist show` with --sort/--where/--search/--group-count: the query runs over the whole
 * table (table/query), then one page of its rows (--offset, --rows) or its group counts print.
 */
import type { CommandContext } from '../args.js'
import { intOption } from '../args.js'
import type { CacheStore } from '../../engine/store.js'
import { cellText, textTable } from '../format.js'
import { queryFromOptions } from '../query-args.js'
import { visibleText } from '../../../shared/visible-text.js'

/** Runs the query the options spell and prints its page or groups. */
export async function showQuery(
  store: CacheStore,
  key: string,
  { values, out, outJson }: Pick<CommandContext, 'values' | 'out' | 'outJson'>,
): Promise<number> {
  const query = queryFromOptions(values)
  const { openTableSource, runTableQuery, resultPage } =
    await import('../../engine/table/query/index.js')
  const { stringifyJson } = await import('../../engine/pyvalue-json.js')
  const offset = intOption(values.offset, 'offset', 0)
  const rows = intOption(values.rows, 'rows', 20)
  const source = await openTableSource(store, key)
  const result = await runTableQuery(source, query)
  const summary = {
    matched: result.matched,
    totalRows: result.totalRows,
    engine: result.engine,
  }
  if (query.groupBy !== null) {
    const groups = result.groups ?? []
    if (values.json) {
      outJson(stringifyJson({ ...summary, groups, groupsTruncated: result.groupsTruncated }))
      return 0
    }
    const body = groups.map((g) => [cellText(g.value), String(g.count)])
    const cut = result.groupsTruncated ? `\n(only the ${groups.length} largest groups)` : ''
    out(
      `${textTable([visibleText(query.groupBy), 'count'], body, [false, true])}${cut}\n` +
        `[${groups.length} groups over ${result.matched} of ${result.totalRows} rows]`,
    )
    return 0
  }
  const page = await resultPage(source, result.positions, offset, rows)
  if (values.json) {
    outJson(stringifyJson({ ...page, ...summary }))
    return 0
  }
  const header = [
    ...(page.index ? [page.index.name ?? ''] : []),
    ...page.columns.map((c) => c.name),
  ].map(visibleText)
  const types = [...(page.index ? [''] : []), ...page.columns.map((c) => c.type)]
  const body = page.rows.map((r, i) => [
    ...(page.index ? [cellText(page.index.values[i])] : []),
    ...r.map(cellText),
  ])
  const after = result.matched - offset - page.rows.length
  const more = after > 0 ? `\n... ${after} more rows` : ''
  out(
    `${textTable(
      header,
      [types, ...body],
      types.map((t) => /int|float/.test(t)),
    )}${more}\n` +
      `[${result.matched} of ${result.totalRows} rows x ${page.columns.length} columns]`,
  )
  return 0
}
