/** `xpersist prune`'s rule flags, read into PruneRules; UsageError names the flag at fault. */
import {
  FilterSyntaxError,
  parseFilterQuery,
  type FilterClause,
} from '../../shared/filter-query.js'
import { readRuleSet, type RuleField } from '../../shared/rule-set.js'
import type { PruneRules } from '../engine/prune.js'
import { UsageError, type Command } from './args.js'

/** The rule flags, for the command's `options`. */
export const PRUNE_FLAGS: Command['options'] = {
  'older-than': { type: 'string' },
  before: { type: 'string' },
  where: { type: 'string', multiple: true },
  serializer: { type: 'string', multiple: true },
  prefix: { type: 'string', multiple: true },
  'larger-than': { type: 'string' },
  filter: { type: 'string', multiple: true },
  'keep-last': { type: 'string' },
  per: { type: 'string' },
  'max-total': { type: 'string' },
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []
}

/** The flag each rule-set field is read from, for messages and clause tokens. */
const FLAG_OF: ReadonlyMap<RuleField, string> = new Map<RuleField, string>([
  ['olderThan', '--older-than'],
  ['before', '--before'],
  ['where', '--where'],
  ['largerThan', '--larger-than'],
  ['keepLast', '--keep-last'],
  ['per', '--per'],
  ['maxTotal', '--max-total'],
  ['serializers', '--serializer'],
  ['prefixes', '--prefix'],
])

/** The rules the flags give (none when no rule flag is set). */
export function pruneRulesOf(values: Record<string, unknown>): PruneRules {
  const where = list(values.where).map((w) => {
    const at = w.indexOf('=')
    if (at <= 0)
      throw new UsageError(
        `--where takes field=value on additional_metadata, such as experiment=baseline, not '${w}'`,
      )
    return { field: w.slice(0, at), value: w.slice(at + 1) }
  })
  // An empty text is a rule not set in a rule set; a flag given empty (`--keep-last "$N"` with
  // N unset) is a mistake, never a rule dropped.
  for (const flag of ['older-than', 'before', 'larger-than', 'keep-last', 'per', 'max-total'])
    if (typeof values[flag] === 'string' && (values[flag] as string).trim() === '')
      throw new UsageError(
        flag === 'per'
          ? '--per takes an additional_metadata field, such as --per experiment'
          : `--${flag} takes a value: --help lists the rules`,
      )
  const text = (v: unknown) => (typeof v === 'string' ? v : '')
  // The rules read as the explorer's Clean up dialog reads them; only the names differ.
  const { rules, issues } = readRuleSet(
    {
      olderThan: text(values['older-than']),
      before: text(values.before),
      where,
      serializers: list(values.serializer),
      prefixes: list(values.prefix),
      largerThan: text(values['larger-than']),
      keepLast: text(values['keep-last']),
      per: text(values.per),
      maxTotal: text(values['max-total']),
    },
    (field) => FLAG_OF.get(field) as string,
  )
  if (issues[0]) throw new UsageError(issues[0].message)
  const clauses: FilterClause[] = rules.clauses
  for (const f of list(values.filter)) {
    let parsed
    try {
      parsed = parseFilterQuery(f)
    } catch (err) {
      if (err instanceof FilterSyntaxError) throw new UsageError(`--filter: ${err.message}`)
      throw err
    }
    if (parsed.terms.length > 0)
      throw new UsageError(
        `--filter '${f}': '${parsed.terms[0]}' is a search word, not a filter; write e.g. ` +
          `--filter 'created<2025-12-01' or --filter 'experiment=baseline'`,
      )
    clauses.push(...parsed.clauses)
  }
  return { ...rules, clauses }
}
