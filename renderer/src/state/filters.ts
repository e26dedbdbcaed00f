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
]

const DAY_MS = 86_400_000

/** An age filter in words: "older than 30 days", "last 24 hours". */
export function describeAge(age: AgeFilter): string {
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

/** The search words, lower-cased; empty when the search box is blank. */
export function searchTerms(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean)
}

/** True when some filter is set. */
export function hasFilters(f: Filters): boolean {
  return (
    f.text.trim() !== '' ||
    f.serializers.length > 0 ||
    f.age !== null ||
    f.prefix !== '' ||
    [...f.facets.values()].some((v) => v.length > 0)
  )
}
