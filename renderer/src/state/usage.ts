/**
 * Where the bytes are (issue 10), as ncdu and DaisyDisk show it: the shown rows grouped by
 * folder, serializer or an additional_metadata field, bytes per month of created_at, and the
 * largest artifacts. Pure and one pass over the rows, so 100,000 of them take milliseconds.
 * Groups are keyed by Map: folder names and metadata values are the cache's strings.
 */
import type { ArtifactRow } from '../../../shared/ipc'
import { groupValueKey, metadataValue } from '../../../shared/metadata-values'
import { facetValueKeys, UNREADABLE } from './filters'

/** What the parts are: folders under `prefix`, serializers, or the values of a field. */
export type GroupBy =
  { kind: 'folder'; prefix: string } | { kind: 'serializer' } | { kind: 'field'; field: string }

/** What a size counts: payload files, payload + sidecar, or the blocks taken on disk. */
export type Measure = 'payload' | 'stored' | 'disk'

/** Byte totals of a set of rows. */
export interface ByteTotals {
  count: number
  payload: number
  sidecar: number
  /** Bytes on disk; null when a row of the set does not say (object stores). */
  disk: number | null
}

/** One part of the treemap and what clicking it filters by. */
export interface UsageGroup extends ByteTotals {
  /** Unique within one Usage: the folder prefix, key, serializer or value text. */
  id: string
  label: string
  /**
   * 'folder': a key prefix ending in '/' (drillable); 'key': one artifact at this level;
   * 'serializer'; 'value': a field's value (`facets` are its facet values); 'missing': rows
   * without the field; 'others': the small groups past MAX_GROUPS, merged.
   */
  kind: 'folder' | 'key' | 'serializer' | 'value' | 'missing' | 'others'
  /** For 'value': the facet values that select it (a list's elements, else its text). */
  facets?: string[]
  /** The size by the measure asked for (what the treemap area shows). */
  size: number
}

/** One bar of the histogram: a UTC month (or a year, for caches spanning decades). */
export interface UsagePeriod {
  /** The search token's date: 'YYYY-MM' (or 'YYYY'), as `created=` reads it. */
  token: string
  count: number
  size: number
}

/** The usage of a set of rows. */
export interface Usage {
  totals: ByteTotals
  /** Largest first; at most MAX_GROUPS, then one 'others' part. */
  groups: UsageGroup[]
  /** Contiguous periods from the oldest to the newest created_at (empty ones included). */
  periods: UsagePeriod[]
  /** Rows before the first period shown (only when the span is cut to MAX_PERIODS). */
  earlier: { count: number; size: number }
  /** Rows without a readable created_at. */
  undated: { count: number; size: number }
  /** The largest artifacts by the measure, largest first (ties by key). */
  largest: { row: ArtifactRow; size: number }[]
}

/** Parts the treemap shows before merging the rest: more would be too small to click. */
export const MAX_GROUPS = 60
/** How many of the largest artifacts are listed. */
export const LARGEST = 20
/** Bars at most; a longer span is shown by year, then cut to the newest years. */
export const MAX_PERIODS = 240

/** A row's size by `measure` (disk: 0 when the row does not say). */
export function rowSize(row: ArtifactRow, measure: Measure): number {
  if (measure === 'payload') return row.bytes
  if (measure === 'stored') return row.bytes + (row.sidecarBytes ?? 0)
  return row.allocatedBytes ?? 0
}

function emptyTotals(): ByteTotals {
  return { count: 0, payload: 0, sidecar: 0, disk: 0 }
}

function add(t: ByteTotals, row: ArtifactRow): void {
  t.count++
  t.payload += row.bytes
  t.sidecar += row.sidecarBytes ?? 0
  const disk = row.allocatedBytes
  t.disk = t.disk === null || disk === null || disk === undefined ? null : t.disk + disk
}

/** The group a row falls in, or undefined when it is outside the folder looked at. */
function groupOf(
  row: ArtifactRow,
  by: GroupBy,
): { id: string; kind: UsageGroup['kind']; value?: unknown } | undefined {
  if (by.kind === 'serializer') return { id: row.serializer ?? UNREADABLE, kind: 'serializer' }
  if (by.kind === 'field') {
    const value = metadataValue(row.metadata, by.field)
    const id = groupValueKey(value)
    return id === undefined ? { id: '', kind: 'missing' } : { id, kind: 'value', value }
  }
  if (!row.key.startsWith(by.prefix)) return undefined
  const slash = row.key.indexOf('/', by.prefix.length)
  return slash === -1
    ? { id: row.key, kind: 'key' }
    : { id: row.key.slice(0, slash + 1), kind: 'folder' }
}

function labelOf(id: string, kind: UsageGroup['kind'], by: GroupBy): string {
  if (kind === 'missing') return by.kind === 'field' ? `(no ${by.field})` : '(none)'
  if (by.kind === 'folder') return id.slice(by.prefix.length)
  return id
}

/** UTC month index (year * 12 + month) of an epoch-ms time. */
function monthIndex(ms: number): number {
  const d = new Date(ms)
  return d.getUTCFullYear() * 12 + d.getUTCMonth()
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/**
 * The usage of `rows` (the rows the filters show), parts grouped `by`, sized by `measure`.
 * One pass over the rows; the largest are kept in a sorted list of LARGEST entries.
 */
export function computeUsage(
  rows: readonly ArtifactRow[],
  by: GroupBy,
  measure: Measure = 'payload',
): Usage {
  const totals = emptyTotals()
  const groups = new Map<string, UsageGroup>()
  const months = new Map<number, UsagePeriod>()
  const undated = { count: 0, size: 0 }
  const largest: { row: ArtifactRow; size: number }[] = []
  let minMonth = Infinity
  let maxMonth = -Infinity

  for (const row of rows) {
    const size = rowSize(row, measure)
    add(totals, row)
    const g = groupOf(row, by)
    if (g !== undefined) {
      const mapKey = `${g.kind}\u0000${g.id}`
      let group = groups.get(mapKey)
      if (!group) {
        group = {
          ...emptyTotals(),
          id: g.id,
          label: labelOf(g.id, g.kind, by),
          kind: g.kind,
          size: 0,
        }
        if (g.kind === 'value') group.facets = facetValueKeys(g.value)
        groups.set(mapKey, group)
      }
      add(group, row)
      group.size += size
    }
    if (row.createdMs === null || !Number.isFinite(row.createdMs)) {
      undated.count++
      undated.size += size
    } else {
      const m = monthIndex(row.createdMs)
      let bin = months.get(m)
      if (!bin) months.set(m, (bin = { token: '', count: 0, size: 0 }))
      bin.count++
      bin.size += size
      if (m < minMonth) minMonth = m
      if (m > maxMonth) maxMonth = m
    }
    // Kept sorted, largest first; a row smaller than the 20th costs one comparison.
    const last = largest[largest.length - 1]
    if (largest.length < LARGEST || (last && bigger(size, row, last))) {
      let at = largest.length
      while (at > 0 && bigger(size, row, largest[at - 1] as (typeof largest)[number])) at--
      largest.splice(at, 0, { row, size })
      if (largest.length > LARGEST) largest.pop()
    }
  }

  const { periods, earlier } = periodsOf(months, minMonth, maxMonth)
  return { totals, groups: capGroups([...groups.values()]), periods, earlier, undated, largest }
}

function bigger(size: number, row: ArtifactRow, than: { row: ArtifactRow; size: number }) {
  return size > than.size || (size === than.size && row.key < than.row.key)
}

/** Largest first, the parts past MAX_GROUPS merged into one. */
function capGroups(all: UsageGroup[]): UsageGroup[] {
  all.sort((a, b) => b.size - a.size || b.count - a.count || (a.id < b.id ? -1 : 1))
  if (all.length <= MAX_GROUPS) return all
  const kept = all.slice(0, MAX_GROUPS - 1)
  const rest = all.slice(MAX_GROUPS - 1)
  const others: UsageGroup = {
    ...emptyTotals(),
    id: '\u0000others',
    label: `${rest.length.toLocaleString('en-US')} smaller parts`,
    kind: 'others',
    size: 0,
  }
  for (const g of rest) {
    others.count += g.count
    others.payload += g.payload
    others.sidecar += g.sidecar
    others.disk = others.disk === null || g.disk === null ? null : others.disk + g.disk
    others.size += g.size
  }
  return [...kept, others]
}

/** Contiguous month bars (years past MAX_PERIODS months, the newest MAX_PERIODS of them). */
function periodsOf(
  months: Map<number, UsagePeriod>,
  min: number,
  max: number,
): { periods: UsagePeriod[]; earlier: { count: number; size: number } } {
  const earlier = { count: 0, size: 0 }
  if (months.size === 0) return { periods: [], earlier }
  const byYear = max - min + 1 > MAX_PERIODS
  const unit = byYear ? 12 : 1
  const first = Math.max(Math.floor(min / unit), Math.floor(max / unit) - MAX_PERIODS + 1)
  const last = Math.floor(max / unit)
  const periods: UsagePeriod[] = []
  for (let p = first; p <= last; p++) {
    const token = byYear ? pad(p, 4) : `${pad(Math.floor(p / 12), 4)}-${pad((p % 12) + 1, 2)}`
    periods.push({ token, count: 0, size: 0 })
  }
  for (const [m, bin] of months) {
    const p = Math.floor(m / unit)
    const target = p < first ? earlier : (periods[p - first] as UsagePeriod)
    target.count += bin.count
    target.size += bin.size
  }
  return { periods, earlier }
}

/**
 * The search text with `created=<token>` as its only created= term: clicking a bar narrows
 * to that period (other terms stay; a previous month's term is replaced, not ANDed).
 */
export function withCreatedTerm(text: string, token: string): string {
  const kept = text
    .split(/\s+/)
    .filter((t) => t !== '' && !/^created=/i.test(t))
    .join(' ')
  return kept === '' ? `created=${token}` : `${kept} created=${token}`
}

/** The metadata fields of `rows`, sorted, for the group-by menu (first `limit` rows looked at). */
export function metadataFields(rows: readonly ArtifactRow[], limit = 100_000): string[] {
  const fields = new Set<string>()
  const n = Math.min(rows.length, limit)
  for (let i = 0; i < n; i++)
    for (const f of Object.keys((rows[i] as ArtifactRow).metadata)) fields.add(f)
  return [...fields].sort()
}
