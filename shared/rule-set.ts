/**
 * Retention rules as the user writes them: text fields as typed (`365d`, `2025-06`, `50GB`,
 * `3`), the form of the explorer's Clean up dialog, its saved rule sets and `prune.plan`.
 * `readRuleSet` reads them into the engine's rules (electron/engine/prune.ts PruneRules) with
 * the same parsers and messages as `xpersist prune`'s flags; only the names in the messages
 * differ (flags for the CLI, field labels for the dialog). An empty text is a rule not set.
 */
import type { FilterClause } from './filter-query.js'
import {
  DURATION_HELP,
  SIZE_HELP,
  durationHint,
  parseDateRange,
  parseDuration,
  parseSize,
  sizeHint,
} from './filter-units.js'

/** Bounds on one rule set: a saved file or a request cannot grow without limit. */
export const RULE_SET_LIMITS = { textChars: 1000, listItems: 32 }

/**
 * A rule set as typed; an empty text is a rule not set. Its wire and file schema, bounded, is
 * shared/rule-set-schema.ts.
 */
export interface RuleSet {
  /** A duration: created more than this long ago. */
  olderThan: string
  /** A UTC date: created before it starts. */
  before: string
  /** additional_metadata field = value; all must hold. */
  where: { field: string; value: string }[]
  /** Any of these serializers. */
  serializers: string[]
  /** The key starts with any of these. */
  prefixes: string[]
  /** A size: payload + sidecar bytes over it. */
  largerThan: string
  /** A whole number: keep the newest N (of each value of `per`, when set). */
  keepLast: string
  per: string
  /** A size: delete the oldest until the selection is at most this. */
  maxTotal: string
}

/** A rule set's fields that can be wrong. */
export type RuleField =
  | 'olderThan'
  | 'before'
  | 'where'
  | 'largerThan'
  | 'keepLast'
  | 'per'
  | 'maxTotal'
  | 'serializers'
  | 'prefixes'

/** What a message calls each field: the dialog's labels. */
export const RULE_LABELS: ReadonlyMap<RuleField, string> = new Map<RuleField, string>([
  ['olderThan', 'Older than'],
  ['before', 'Created before'],
  ['where', 'Metadata'],
  ['largerThan', 'Larger than'],
  ['keepLast', 'Keep the last'],
  ['per', 'Per field'],
  ['maxTotal', 'Keep the cache under'],
  ['serializers', 'Serializer'],
  ['prefixes', 'Key prefix'],
])

/** One thing wrong with a rule set, and the field it belongs to. */
export interface RuleIssue {
  field: RuleField
  message: string
}

/** The engine's rules (PruneRules, structurally): filters, keep-last and max-total. */
export interface ReadRules {
  clauses: FilterClause[]
  keepLast: { n: number; per: string | null } | null
  maxTotal: number | null
}

/** An empty rule set: nothing set. */
export function emptyRuleSet(): RuleSet {
  return {
    olderThan: '',
    before: '',
    where: [],
    serializers: [],
    prefixes: [],
    largerThan: '',
    keepLast: '',
    per: '',
    maxTotal: '',
  }
}

/** Whether any rule is set (an empty set chooses nothing, never the whole cache). */
export function ruleSetIsEmpty(set: RuleSet): boolean {
  const t = (s: string) => s.trim() === ''
  return (
    t(set.olderThan) &&
    t(set.before) &&
    t(set.largerThan) &&
    t(set.keepLast) &&
    t(set.per) &&
    t(set.maxTotal) &&
    set.serializers.length === 0 &&
    set.prefixes.length === 0 &&
    set.where.every((w) => w.field.trim() === '' && w.value === '')
  )
}

/**
 * Reads a rule set into rules; `issues` lists every field that is wrong (then `rules` holds
 * only the good ones and must not be used). `label` names the fields in messages.
 */
export function readRuleSet(
  set: RuleSet,
  label: (field: RuleField) => string = (f) => RULE_LABELS.get(f) as string,
): { rules: ReadRules; issues: RuleIssue[] } {
  const issues: RuleIssue[] = []
  const clauses: FilterClause[] = []
  const fail = (field: RuleField, message: string) => issues.push({ field, message })
  const olderThan = set.olderThan.trim()
  if (olderThan !== '') {
    const ms = parseDuration(olderThan)
    if (ms === null) {
      const why = durationHint(olderThan) ?? DURATION_HELP
      fail(
        'olderThan',
        `${label('olderThan')} takes a duration such as 365d, not '${olderThan}' (${why})`,
      )
    } else clauses.push({ kind: 'age', token: `${label('olderThan')} ${olderThan}`, op: '>', ms })
  }
  const before = set.before.trim()
  if (before !== '') {
    const range = parseDateRange(before)
    if (range === null)
      fail(
        'before',
        `${label('before')} takes a UTC date such as 2025-12-01 (or 2025-12, 2025, ` +
          `2025-12-01T12:00), not '${before}'`,
      )
    // Before a date is before its start: before 2025 keeps all of 2025.
    else
      clauses.push({
        kind: 'created',
        token: `${label('before')} ${before}`,
        from: null,
        to: range.start,
      })
  }
  for (const { field, value } of set.where) {
    if (field === '' && value === '') continue
    if (field === '')
      fail('where', `${label('where')}: '=${value}' has no field name; write experiment=baseline`)
    else clauses.push({ kind: 'field', token: `${label('where')} ${field}=${value}`, field, value })
  }
  if (set.serializers.length > 0)
    clauses.push({ kind: 'serializer', token: label('serializers'), names: [...set.serializers] })
  if (set.prefixes.length > 0)
    clauses.push({ kind: 'prefix', token: label('prefixes'), prefixes: [...set.prefixes] })
  const larger = sizeOf(set.largerThan, 'largerThan', '1GB', label, fail)
  if (larger !== null)
    clauses.push({
      kind: 'size',
      token: `${label('largerThan')} ${set.largerThan.trim()}`,
      op: '>',
      bytes: larger,
    })
  const maxTotal = sizeOf(set.maxTotal, 'maxTotal', '50GB', label, fail)
  return { rules: { clauses, keepLast: keepLastOf(set, label, fail), maxTotal }, issues }
}

function sizeOf(
  raw: string,
  field: RuleField,
  example: string,
  label: (field: RuleField) => string,
  fail: (field: RuleField, message: string) => void,
): number | null {
  const text = raw.trim()
  if (text === '') return null
  const bytes = parseSize(text)
  if (bytes !== null) return bytes
  const why = sizeHint(text) ?? SIZE_HELP
  fail(field, `${label(field)} takes a size such as ${example}, not '${text}' (${why})`)
  return null
}

function keepLastOf(
  set: RuleSet,
  label: (field: RuleField) => string,
  fail: (field: RuleField, message: string) => void,
): ReadRules['keepLast'] {
  const raw = set.keepLast.trim()
  const per = set.per.trim()
  if (raw === '') {
    if (per !== '')
      fail('per', `${label('per')} goes with ${label('keepLast')}: keep the last 3 per ${per}`)
    return null
  }
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    fail(
      'keepLast',
      `${label('keepLast')} takes a whole number of 1 or more, such as 3, not '${raw}'`,
    )
    return null
  }
  return { n: Number(raw), per: per === '' ? null : per }
}
