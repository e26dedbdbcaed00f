/**
 * The view as a URL query, so browser mode can bookmark and share it (as Datasette does):
 * `?q=age%3E365d&serializer=joblib&age=older-30d&after=2025-01-01&f.experiment=ctrl&key=a/b`.
 * Pure: no window here. Everything read is untrusted: unknown or malformed parameters are
 * ignored, never thrown on; field names go into a Map; the access token is never read or
 * written (http-transport takes it out of the address bar before this runs).
 */
import { parseSize } from '../../../shared/filter-units'
import { MAX_QUERY_CHARS } from '../../../shared/filter-query'
import { NO_FILTERS, isDay, type AgeFilter, type Filters } from './filters'

/** What a URL holds: the filters and the selected key. */
export interface UrlView {
  filters: Filters
  key: string | null
}

/** Longest query string read; a longer one is ignored whole. */
export const MAX_URL_QUERY_CHARS = 65_536
/** Most parameters read. */
const MAX_PARAMS = 512
/** Longest value (or field name) kept. */
const MAX_VALUE = MAX_QUERY_CHARS
/** Ages beyond a century are no preset anyone means. */
const MAX_AGE_DAYS = 36_500
/** The prefix of a metadata facet parameter: `f.experiment=ctrl`. */
const FIELD = 'f.'

function encodeAge(age: AgeFilter): string {
  return 'olderThanDays' in age ? `older-${age.olderThanDays}d` : `newer-${age.newerThanDays}d`
}

function decodeAge(text: string): AgeFilter | null {
  const m = /^(older|newer)-(\d{1,5})d$/.exec(text)
  if (!m) return null
  const days = Number(m[2])
  if (days < 1 || days > MAX_AGE_DAYS) return null
  return m[1] === 'older' ? { olderThanDays: days } : { newerThanDays: days }
}

/** The query string (without '?') for a view; '' when nothing is filtered or selected. */
export function encodeViewQuery(view: UrlView): string {
  const f = view.filters
  const p = new URLSearchParams()
  if (f.text.trim() !== '') p.append('q', f.text)
  if (f.prefix !== '') p.append('prefix', f.prefix)
  for (const s of f.serializers) p.append('serializer', s)
  if (f.age !== null) p.append('age', encodeAge(f.age))
  if (f.createdAfter !== '') p.append('after', f.createdAfter)
  if (f.createdBefore !== '') p.append('before', f.createdBefore)
  if (f.minSize !== '') p.append('minsize', f.minSize)
  if (f.maxSize !== '') p.append('maxsize', f.maxSize)
  for (const [field, values] of f.facets) for (const v of values) p.append(FIELD + field, v)
  if (view.key !== null) p.append('key', view.key)
  return p.toString()
}

/** The view a query string ('?a=b' or 'a=b') describes; what it cannot read is left out. */
export function decodeViewQuery(search: string): UrlView {
  const out: UrlView = { filters: NO_FILTERS, key: null }
  if (search.length > MAX_URL_QUERY_CHARS) return out
  let params: URLSearchParams
  try {
    params = new URLSearchParams(search)
  } catch {
    return out
  }
  const serializers: string[] = []
  const facets = new Map<string, string[]>()
  const f: { -readonly [K in keyof Filters]: Filters[K] } = { ...NO_FILTERS }
  let count = 0
  for (const [name, value] of params) {
    if (++count > MAX_PARAMS) break
    if (value.length > MAX_VALUE) continue
    switch (name) {
      case 'q':
        if (value.trim() !== '') f.text = value
        break
      case 'prefix':
        if (value.endsWith('/')) f.prefix = value
        break
      case 'serializer':
        if (value !== '' && !serializers.includes(value)) serializers.push(value)
        break
      case 'age':
        f.age = decodeAge(value) ?? f.age
        break
      case 'after':
        if (isDay(value)) f.createdAfter = value
        break
      case 'before':
        if (isDay(value)) f.createdBefore = value
        break
      case 'minsize':
        if (parseSize(value) !== null) f.minSize = value.trim()
        break
      case 'maxsize':
        if (parseSize(value) !== null) f.maxSize = value.trim()
        break
      case 'key':
        if (value !== '') out.key = value
        break
      default:
        if (name.startsWith(FIELD) && name.length - FIELD.length <= MAX_VALUE) {
          const field = name.slice(FIELD.length)
          const values = facets.get(field) ?? []
          if (!values.includes(value)) values.push(value)
          facets.set(field, values)
        }
    }
  }
  f.serializers = serializers
  f.facets = facets
  out.filters = f
  return out
}
