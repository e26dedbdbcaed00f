/** `xpersist prune`'s rule flags, read into PruneRules; UsageError names the flag at fault. */
import {
  FilterSyntaxError,
  parseFilterQuery,
  type FilterClause,
} from '../../shared/filter-query.js'
import {
  DURATION_HELP,
  SIZE_HELP,
  durationHint,
  parseDateRange,
  parseDuration,
  parseSize,
  sizeHint,
} from '../../shared/filter-units.js'
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

function duration(flag: string, text: string): number {
  const ms = parseDuration(text)
  if (ms !== null) return ms
  const why = durationHint(text) ?? DURATION_HELP
  throw new UsageError(`--${flag} takes a duration such as 365d, not '${text}' (${why})`)
}

function size(flag: string, text: string, example: string): number {
  const bytes = parseSize(text)
  if (bytes !== null) return bytes
  const why = sizeHint(text) ?? SIZE_HELP
  throw new UsageError(`--${flag} takes a size such as ${example}, not '${text}' (${why})`)
}

/** The rules the flags give (none when no rule flag is set). */
export function pruneRulesOf(values: Record<string, unknown>): PruneRules {
  const clauses: FilterClause[] = []
  const olderThan = values['older-than']
  if (typeof olderThan === 'string') {
    const ms = duration('older-than', olderThan)
    clauses.push({ kind: 'age', token: `--older-than ${olderThan}`, op: '>', ms })
  }
  if (typeof values.before === 'string') {
    const range = parseDateRange(values.before)
    if (range === null)
      throw new UsageError(
        `--before takes a UTC date such as 2025-12-01 (or 2025-12, 2025, 2025-12-01T12:00), ` +
          `not '${values.before}'`,
      )
    // Before a date is before its start: --before 2025 keeps all of 2025.
    clauses.push({
      kind: 'created',
      token: `--before ${values.before}`,
      from: null,
      to: range.start,
    })
  }
  for (const w of list(values.where)) {
    const at = w.indexOf('=')
    if (at <= 0)
      throw new UsageError(
        `--where takes field=value on additional_metadata, such as experiment=baseline, not '${w}'`,
      )
    clauses.push({
      kind: 'field',
      token: `--where ${w}`,
      field: w.slice(0, at),
      value: w.slice(at + 1),
    })
  }
  const serializers = list(values.serializer)
  if (serializers.length > 0)
    clauses.push({ kind: 'serializer', token: '--serializer', names: serializers })
  const prefixes = list(values.prefix)
  if (prefixes.length > 0) clauses.push({ kind: 'prefix', token: '--prefix', prefixes })
  const larger = values['larger-than']
  if (typeof larger === 'string') {
    const bytes = size('larger-than', larger, '1GB')
    clauses.push({ kind: 'size', token: `--larger-than ${larger}`, op: '>', bytes })
  }
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
  return { clauses, keepLast: keepLastOf(values), maxTotal: maxTotalOf(values) }
}

function keepLastOf(values: Record<string, unknown>): PruneRules['keepLast'] {
  const raw = values['keep-last']
  const per = typeof values.per === 'string' ? values.per : null
  if (raw === undefined) {
    if (per !== null)
      throw new UsageError('--per goes with --keep-last: --keep-last 3 --per experiment')
    return null
  }
  const n = Number(raw)
  if (!/^\d{1,9}$/.test(String(raw)) || n < 1)
    throw new UsageError(
      `--keep-last takes a whole number of 1 or more, such as --keep-last 3, not '${String(raw)}'`,
    )
  if (per === '')
    throw new UsageError('--per takes an additional_metadata field, such as --per experiment')
  return { n, per }
}

function maxTotalOf(values: Record<string, unknown>): number | null {
  const raw = values['max-total']
  return typeof raw === 'string' ? size('max-total', raw, '50GB') : null
}
