import {
  FilterSyntaxError,
  parseFilterQuery,
  queryTokens,
  type FilterClause,
} from '../../../shared/filter-query'
import { parseDateRange, parseSize } from '../../../shared/filter-units'
import { facetValueKeys, metadataValue } from '../../../shared/metadata-values'

/** Shared with the search language and `xpersist prune --where`. */
export { facetValueKeys, metadataValue }

/** An age range on created_at: rows older (or newer) than a number of days. */
export type AgeFilter = { olderThanDays: number } | { newerThanDays: number }

/** What narrows the key table. Values OR within one facet and AND across facets. */
export interface Filters {
  /** Words that must all appear in the key or a metadata value (case-insensitive). */
  text: string
  /** Serializer names; UNREADABLE stands for rows whose sidecar is broken. */
  serializers: readonly string[]
  age: AgeFilter | null
  /** Created on or after this UTC day (YYYY-MM-DD), or '' for no lower bound. */
  createdAfter: string
  /** Created before this UTC day (YYYY-MM-DD), or '' for no upper bound. */
  createdBefore: string
  /** At least this size, as written ('100MB'; see parseSize), or ''. */
  minSize: string
  /** At most this size, as written, or ''. */
  maxSize: string
  /**
   * additional_metadata field -> accepted value keys (see facetValueKeys). A Map, as the
   * fields are user strings: `constructor` or `__proto__` must not meet Object.prototype.
   */
  facets: ReadonlyMap<string, readonly string[]>
  /** A key prefix ending in '/', as a folder: '' shows every key. */
  prefix: string
}

/** The serializer facet's value for rows whose sidecar could not be read. */
export const UNREADABLE = '(unreadable)'

/** No filter at all. */
export const NO_FILTERS: Filters = {
  text: '',
  serializers: [],
  age: null,
  createdAfter: '',
  createdBefore: '',
  minSize: '',
  maxSize: '',
  facets: new Map(),
  prefix: '',
}

/** The age ranges the facet offers, newest first; they overlap, as "older than" filters do. */
export const AGE_PRESETS: readonly AgeFilter[] = [
  { newerThanDays: 1 },
  { newerThanDays: 7 },
  { olderThanDays: 7 },
  { olderThanDays: 30 },
  { olderThanDays: 90 },
  { olderThanDays: 180 },
  { olderThanDays: 365 },
]

const DAY_MS = 86_400_000

/** An age filter in words: "older than 30 days", "last 24 hours". */
export function describeAge(age: AgeFilter): string {
  if ('olderThanDays' in age && age.olderThanDays === 365) return 'older than 1 year'
  if ('olderThanDays' in age) return `older than ${age.olderThanDays} day${s(age.olderThanDays)}`
  if (age.newerThanDays === 1) return 'last 24 hours'
  return `last ${age.newerThanDays} days`
}

function s(n: number): string {
  return n === 1 ? '' : 's'
}

/** True when two age filters are the same range. */
export function sameAge(a: AgeFilter | null, b: AgeFilter | null): boolean {
  if (a === null || b === null) return a === b
  return JSON.stringify(a) === JSON.stringify(b)
}

/** True when a row's created time falls in the range; rows without a time never do. */
export function ageMatches(age: AgeFilter, createdMs: number | null, now: number): boolean {
  if (createdMs === null) return false
  const ageMs = now - createdMs
  if ('olderThanDays' in age) return ageMs > age.olderThanDays * DAY_MS
  return ageMs <= age.newerThanDays * DAY_MS
}

/** The folders a key sits in: 'a/b/c' -> ['a/', 'a/b/']. */
export function keyFolders(key: string): string[] {
  const out: string[] = []
  let at = key.indexOf('/')
  while (at !== -1) {
    out.push(key.slice(0, at + 1))
    at = key.indexOf('/', at + 1)
  }
  return out
}

/** The search box read as the filter language: its words, its clauses, or why it is no query. */
export interface CompiledSearch {
  /** Lower-case words that must all appear in the key or a metadata value. */
  terms: string[]
  /** Filter tokens (`created<2025-06`, `size>100MB`, `experiment=ctrl`) that must all hold. */
  clauses: FilterClause[]
  /** The first bad token's message; while set, the search matches no row. */
  error: string | null
}

let lastSearch: { text: string; compiled: CompiledSearch } | null = null

/**
 * The search text parsed by shared/filter-query (what `xpersist prune` reads), remembered for
 * the last text: the deriver and the search box's message ask for the same one.
 */
export function compileSearch(text: string): CompiledSearch {
  if (lastSearch?.text === text) return lastSearch.compiled
  let compiled: CompiledSearch
  try {
    compiled = { ...parseFilterQuery(text), error: null }
  } catch (err) {
    if (!(err instanceof FilterSyntaxError)) throw err
    compiled = { terms: [], clauses: [], error: err.message }
  }
  lastSearch = { text, compiled }
  return compiled
}

/**
 * The search text without some of its tokens: `'words'` drops every search word and keeps the
 * filter tokens; a clause's token drops that filter. Used by the chips that remove them.
 */
export function searchWithout(text: string, remove: 'words' | string): string {
  const search = compileSearch(text)
  if (search.error !== null) return ''
  const clauseTokens = new Set(search.clauses.map((c) => c.token))
  return queryTokens(text)
    .filter((raw) => (remove === 'words' ? clauseTokens.has(raw) : raw !== remove))
    .join(' ')
}

/** The search words, lower-cased; empty when the search box is blank. */
export function searchTerms(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean)
}

/** A UTC day as the date picker writes it (YYYY-MM-DD) and the filters keep it. */
export function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && parseDateRange(text) !== null
}

/** The created_at range [from, to) in epoch ms the date picker sets; null ends are open. */
export function createdRange(f: Filters): { from: number | null; to: number | null } {
  return {
    from: f.createdAfter === '' ? null : (parseDateRange(f.createdAfter)?.start ?? null),
    to: f.createdBefore === '' ? null : (parseDateRange(f.createdBefore)?.start ?? null),
  }
}

/** The size range [min, max] in bytes the size fields set; null ends are open. */
export function sizeRange(f: Filters): { min: number | null; max: number | null } {
  return {
    min: f.minSize === '' ? null : parseSize(f.minSize),
    max: f.maxSize === '' ? null : parseSize(f.maxSize),
  }
}

/** True when some filter is set. */
export function hasFilters(f: Filters): boolean {
  return (
    f.text.trim() !== '' ||
    f.serializers.length > 0 ||
    f.age !== null ||
    f.createdAfter !== '' ||
    f.createdBefore !== '' ||
    f.minSize !== '' ||
    f.maxSize !== '' ||
    f.prefix !== '' ||
    [...f.facets.values()].some((v) => v.length > 0)
  )
}
