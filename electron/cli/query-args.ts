/**
 * The CLI's spelling of a table query: --sort col[:desc],... --where 'col>=3' (repeatable)
 * --search text --group-count col. Mistakes are UsageErrors that name the flag.
 */
import type { TableFilter, TableQuery } from '../engine/preview-types.js'
import { UsageError, type CommandContext } from './args.js'

/** The query options show and export take. */
export const QUERY_OPTIONS = {
  sort: { type: 'string' },
  where: { type: 'string', multiple: true },
  search: { type: 'string' },
  'group-count': { type: 'string' },
} as const

/** Usage text of the query options. */
export const QUERY_USAGE =
  "[--sort col[:desc],...] [--where 'col>=3' ...] [--search text] [--group-count col]"

// Longest operators first, so '>=' is not read as '>' with a value '=3'.
const OPS: [string, TableFilter['op']][] = [
  ['>=', 'ge'],
  ['<=', 'le'],
  ['!=', 'ne'],
  ['==', 'eq'],
  ['=', 'eq'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['~', 'contains'],
]

/** True when any query option was given. */
export function hasQuery(values: CommandContext['values']): boolean {
  return Object.keys(QUERY_OPTIONS).some((k) => values[k] !== undefined)
}

/** The TableQuery the options spell. */
export function queryFromOptions(values: CommandContext['values']): TableQuery {
  const sort = String(values.sort ?? '')
    .split(',')
    .filter((s) => s !== '')
    .map((part) => {
      const m = /^(.*?)(?::(asc|desc))?$/i.exec(part)!
      if (!m[1]) throw new UsageError(`--sort: '${part}' names no column; write col or col:desc`)
      return { column: m[1], descending: (m[2] ?? '').toLowerCase() === 'desc' }
    })
  const wheres = (values.where as string[] | undefined) ?? []
  const filters = wheres.map(parseWhere)
  const group = values['group-count']
  if (group === '') throw new UsageError('--group-count takes a column name')
  return {
    sort,
    filters,
    search: typeof values.search === 'string' ? values.search : '',
    groupBy: typeof group === 'string' ? group : null,
  }
}

/** One --where: 'col>=3', 'name~Boulder' (contains), 'col isnull', 'col notnull'. */
export function parseWhere(text: string): TableFilter {
  const nullTest = /^(.+?)\s+(isnull|notnull)$/i.exec(text.trim())
  if (nullTest) {
    const op = nullTest[2]!.toLowerCase() === 'isnull' ? 'isNull' : 'notNull'
    return { column: nullTest[1]!, op, value: null }
  }
  let best: { at: number; sym: string; op: TableFilter['op'] } | null = null
  for (const [sym, op] of OPS) {
    const at = text.indexOf(sym)
    if (at > 0 && (best === null || at < best.at)) best = { at, sym, op }
  }
  if (!best) {
    throw new UsageError(
      `--where '${text}': no condition; write col>=3, col=text, col!=x, col<v, col~part ` +
        `(contains), 'col isnull' or 'col notnull'`,
    )
  }
  const column = text.slice(0, best.at).trim()
  const value = text.slice(best.at + best.sym.length).trim()
  if (value === '') throw new UsageError(`--where '${text}': no value after '${best.sym}'`)
  return { column, op: best.op, value }
}
