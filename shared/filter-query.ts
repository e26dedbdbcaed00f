/**
 * The filter language of the search box and `xpersist prune --filter`: words, and tokens that
 * filter on what a listing knows of an artifact. Every token must hold (AND).
 *
 *   created<2025-12-01   created>=2025-06   created=2024     (UTC; see dateClause)
 *   age>365d   age<7d                                        (older / newer than; h d w y)
 *   size>100MB   size<=1GiB                                  (B KB MB GB TB decimal, KiB.. binary)
 *   serializer:pandas.csv   serializer:joblib,xarray.zarr    (any of the names)
 *   prefix:runs/2024/                                       (the key starts with it)
 *   experiment=baseline   metadata.size=large               (additional_metadata field = value)
 *
 * Anything else is a search word. Double quotes keep text together and make it literal:
 * `"a<b"` is a word, `experiment="my run"` a field value, `"my field"=x` a field name.
 * The names above are reserved: a metadata field called `size` is `metadata.size=...`.
 */
import {
  MAX_VALUE_CHARS,
  DURATION_HELP,
  SIZE_HELP,
  durationHint,
  parseDateRange,
} from './filter-units.js'
import { parseDuration, parseSize, sizeHint } from './filter-units.js'
import { facetValueKeys, metadataValue } from './metadata-values.js'

/** Longest query text, and most tokens, a parse reads. */
export const MAX_QUERY_CHARS = 4096
export const MAX_QUERY_TOKENS = 64

/** A comparison as written. */
export type FilterOp = '<' | '<=' | '>' | '>=' | '='

/** One filter token, compiled. `token` is the text as written, for messages and chips. */
export type FilterClause =
  /** created_at in [from, to) (either end open when null), epoch ms UTC. */
  | { kind: 'created'; token: string; from: number | null; to: number | null }
  /** Age (now - created_at) compared with `ms`: `>` is older than. */
  | { kind: 'age'; token: string; op: Exclude<FilterOp, '='>; ms: number }
  | { kind: 'size'; token: string; op: FilterOp; bytes: number }
  /** The serializer is one of `names`. */
  | { kind: 'serializer'; token: string; names: string[] }
  /** The key starts with one of `prefixes`. */
  | { kind: 'prefix'; token: string; prefixes: string[] }
  /** additional_metadata[field] is `value`, or a list holding it (as facets count values). */
  | { kind: 'field'; token: string; field: string; value: string }

/** A parsed query: lower-cased search words and filter clauses. */
export interface FilterQuery {
  terms: string[]
  clauses: FilterClause[]
}

/** What a filter reads of an artifact (an explorer row has these fields). */
export interface FilterSubject {
  key: string
  /** null when the sidecar could not be read. */
  serializer: string | null
  /** created_at as epoch ms; null when missing or unreadable (no time rule then matches). */
  createdMs: number | null
  /** Bytes the caller counts (prune: payload + sidecar; the explorer's rows: payload). */
  bytes: number
  metadata: Readonly<Record<string, unknown>>
}

/** A token that is no valid filter; the message names it and shows a valid one. */
export class FilterSyntaxError extends Error {
  constructor(
    readonly token: string,
    message: string,
  ) {
    super(message)
    this.name = 'FilterSyntaxError'
  }
}

const RESERVED = new Set(['created', 'age', 'size', 'serializer', 'prefix'])
const EXAMPLES = new Map<string, string>([
  ['created', 'created<2025-12-01'],
  ['age', 'age>365d'],
  ['size', 'size>100MB'],
  ['serializer', 'serializer:pandas.csv'],
  ['prefix', 'prefix:runs/'],
  ['field', 'experiment=baseline'],
])

interface Token {
  raw: string
  text: string
  /** quoted[i]: text[i] came from inside double quotes. */
  quoted: boolean[]
}

/** Splits on unquoted whitespace; `\"` and `\\` inside quotes are literal. */
function tokenize(query: string): Token[] {
  const tokens: Token[] = []
  let cur: Token | null = null
  let inQuote = false
  let start = 0
  for (let i = 0; i < query.length; i++) {
    const c = query[i] as string
    if (!inQuote && /\s/.test(c)) {
      if (cur) cur.raw = query.slice(start, i)
      cur = null
      continue
    }
    if (!cur) {
      cur = { raw: '', text: '', quoted: [] }
      tokens.push(cur)
      start = i
    }
    if (c === '"') {
      inQuote = !inQuote
      continue
    }
    let ch = c
    if (inQuote && c === '\\' && (query[i + 1] === '"' || query[i + 1] === '\\'))
      ch = query[++i] as string
    cur.text += ch
    cur.quoted.push(inQuote)
  }
  if (cur) cur.raw = query.slice(start)
  if (inQuote) {
    const last = tokens[tokens.length - 1] as Token
    throw new FilterSyntaxError(
      last.raw,
      `'${last.raw}' has no closing double quote: write experiment="my run"`,
    )
  }
  return tokens
}

const OPS: readonly string[] = ['<=', '>=', '<', '>', '=', ':']

/** Parses a whole query; FilterSyntaxError names the first bad token. */
export function parseFilterQuery(query: string): FilterQuery {
  if (query.length > MAX_QUERY_CHARS)
    throw new FilterSyntaxError(
      query.slice(0, 20),
      `The filter is over ${MAX_QUERY_CHARS} characters.`,
    )
  const tokens = tokenize(query)
  if (tokens.length > MAX_QUERY_TOKENS)
    throw new FilterSyntaxError(
      query.slice(0, 20),
      `The filter has over ${MAX_QUERY_TOKENS} parts.`,
    )
  const out: FilterQuery = { terms: [], clauses: [] }
  for (const t of tokens) {
    const clause = tokenClause(t)
    if (clause) out.clauses.push(clause)
    else if (t.text !== '') out.terms.push(t.text.toLowerCase())
  }
  return out
}

/**
 * The query's tokens as written (quotes kept), so a UI can take one out and rejoin the rest;
 * FilterSyntaxError when parseFilterQuery would throw one for the quoting or length.
 */
export function queryTokens(query: string): string[] {
  if (query.length > MAX_QUERY_CHARS)
    throw new FilterSyntaxError(
      query.slice(0, 20),
      `The filter is over ${MAX_QUERY_CHARS} characters.`,
    )
  return tokenize(query).map((t) => t.raw)
}

/** One filter token (`created<2025-06`) as a clause; FilterSyntaxError when it is no filter. */
export function parseFilterToken(token: string): FilterClause {
  const tokens = tokenize(token)
  const clause = tokens.length === 1 ? tokenClause(tokens[0] as Token) : null
  if (!clause)
    throw new FilterSyntaxError(
      token,
      `'${token}' is not a filter: write one such as created<2025-12-01, age>365d, size>100MB, ` +
        `serializer:joblib or experiment=baseline`,
    )
  return clause
}

function tokenClause(t: Token): FilterClause | null {
  let at = -1
  for (let i = 0; i < t.text.length && at < 0; i++)
    if (!t.quoted[i] && '<>=:'.includes(t.text[i] as string)) at = i
  if (at < 0) return null
  const op = OPS.find((o) => t.text.startsWith(o, at) && !t.quoted[at + o.length - 1]) as string
  const name = t.text.slice(0, at)
  const value = t.text.slice(at + op.length)
  const nameQuoted = t.quoted.slice(0, at).some(Boolean)
  const reserved = !nameQuoted && RESERVED.has(name.toLowerCase()) ? name.toLowerCase() : null
  if (reserved === null && op === ':') return null // `http://x`, `12:30`: words
  const fail = (why: string, example = EXAMPLES.get(reserved ?? 'field') as string): never => {
    throw new FilterSyntaxError(
      t.raw,
      `'${t.raw}' is not a valid filter: ${why}; write e.g. ${example}`,
    )
  }
  if (name === '') fail('it has no name before the operator')
  if (value === '') fail('it has no value after the operator')
  if (value.length > MAX_QUERY_CHARS) fail('the value is too long')
  const token = t.raw
  switch (reserved) {
    case 'created':
      return dateClause(token, op, value, fail)
    case 'age': {
      if (op === '=' || op === ':')
        fail("age compares with < or > ('age>365d' is older than 365 days)")
      const ms = parseDuration(value)
      if (ms === null) fail(durationHint(value) ?? `'${value}' is no duration (${DURATION_HELP})`)
      return { kind: 'age', token, op: op as '<' | '<=' | '>' | '>=', ms: ms as number }
    }
    case 'size': {
      if (op === ':') fail('size compares with <, <=, >, >= or =')
      const bytes = parseSize(value)
      if (bytes === null) fail(sizeHint(value) ?? `'${value}' is no size (${SIZE_HELP})`)
      return { kind: 'size', token, op: op as FilterOp, bytes: bytes as number }
    }
    case 'serializer':
    case 'prefix': {
      if (op !== ':' && op !== '=') fail(`${reserved} takes ':' and a name`)
      const names = value.split(',').filter(Boolean)
      if (names.length === 0) fail(`${reserved} takes a name`)
      return reserved === 'serializer'
        ? { kind: 'serializer', token, names }
        : { kind: 'prefix', token, prefixes: names }
    }
  }
  if (op !== '=')
    fail(`metadata fields take '=' and a value (comparisons work on created, age and size)`)
  const field = !nameQuoted && name.startsWith('metadata.') ? name.slice('metadata.'.length) : name
  if (field === '') fail('it has no field name')
  return { kind: 'field', token, field, value }
}

const DATE_HELP = 'a UTC date: 2025, 2025-06, 2025-06-01 or 2025-06-01T12:00'

/**
 * A date comparison. The date is a period (a year, month, day, minute or second) [start, end):
 * `<` is before its start, `>=` from its start, `<=` up to its end (the whole period included),
 * `>` after its end (the whole period excluded), `=` within it. So created<=2025-06 includes
 * all of June, and created>2025-06 starts in July.
 */
function dateClause(
  token: string,
  op: string,
  value: string,
  fail: (why: string) => never,
): FilterClause {
  if (op === ':') fail("created compares with <, <=, >, >= or = ('created<2025-12-01')")
  if (value.length > MAX_VALUE_CHARS) fail('the date is too long')
  const range = parseDateRange(value)
  if (range === null) return fail(`'${value}' is no date (${DATE_HELP})`)
  const { start, end } = range
  const bounds: Record<string, [number | null, number | null]> = {
    '<': [null, start],
    '<=': [null, end],
    '>': [end, null],
    '>=': [start, null],
    '=': [start, end],
  }
  const [from, to] = bounds[op] as [number | null, number | null]
  return { kind: 'created', token, from, to }
}

function compare(a: number, op: FilterOp, b: number): boolean {
  switch (op) {
    case '<':
      return a < b
    case '<=':
      return a <= b
    case '>':
      return a > b
    case '>=':
      return a >= b
    default:
      return a === b
  }
}

/**
 * Whether `subject` passes `clause` at time `now` (epoch ms). An artifact without a readable
 * created_at never passes a created or age clause, either way: its age is unknown.
 */
export function clauseMatches(clause: FilterClause, subject: FilterSubject, now: number): boolean {
  switch (clause.kind) {
    case 'created': {
      const ms = subject.createdMs
      if (ms === null) return false
      return (clause.from === null || ms >= clause.from) && (clause.to === null || ms < clause.to)
    }
    case 'age':
      return subject.createdMs !== null && compare(now - subject.createdMs, clause.op, clause.ms)
    case 'size':
      return compare(subject.bytes, clause.op, clause.bytes)
    case 'serializer':
      return subject.serializer !== null && clause.names.includes(subject.serializer)
    case 'prefix':
      return clause.prefixes.some((p) => subject.key.startsWith(p))
    case 'field':
      return facetValueKeys(metadataValue(subject.metadata, clause.field)).includes(clause.value)
  }
}

/** Whether `subject` passes every clause. */
export function allClausesMatch(
  clauses: readonly FilterClause[],
  subject: FilterSubject,
  now: number,
): boolean {
  for (const c of clauses) if (!clauseMatches(c, subject, now)) return false
  return true
}

/** Whether a clause reads created_at (so rows without one can never pass it). */
export function isTimeClause(clause: FilterClause): boolean {
  return clause.kind === 'created' || clause.kind === 'age'
}
