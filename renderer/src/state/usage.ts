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
  facets: string[]
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

/**
 * The part a row falls in: its id; null for a field the row lacks; undefined for a row
 * outside the folder looked into. Folder ids end in '/', keys never do, so they cannot meet.
 */
function partId(row: ArtifactRow, by: GroupBy): string | null | undefined {
  if (by.kind === 'serializer') return row.serializer ?? UNREADABLE
  if (by.kind === 'field') return groupValueKey(metadataValue(row.metadata, by.field)) ?? null
  if (!row.key.startsWith(by.prefix)) return undefined
  const slash = row.key.indexOf('/', by.prefix.length)
  return slash === -1 ? row.key : row.key.slice(0, slash + 1)
}

/** A part with nothing in it yet; every part has the same fields in the same order. */
function emptyPart(
  id: string,
  label: string,
  kind: UsageGroup['kind'],
  facets: string[] = [],
): UsageGroup {
  return { count: 0, payload: 0, sidecar: 0, disk: 0, id, label, kind, facets, size: 0 }
}

function newPart(row: ArtifactRow, id: string | null, by: GroupBy): UsageGroup {
  if (id === null)
    return emptyPart('', by.kind === 'field' ? `(no ${by.field})` : '(none)', 'missing')
  if (by.kind === 'serializer') return emptyPart(id, id, 'serializer')
  if (by.kind === 'field')
    return emptyPart(id, id, 'value', facetValueKeys(metadataValue(row.metadata, by.field)))
  return emptyPart(id, id.slice(by.prefix.length), id.endsWith('/') ? 'folder' : 'key')
}

/**
 * UTC month index (year * 12 + month - 1) of an epoch-ms time, by arithmetic (Hinnant's
 * civil_from_days): a Date per row would be 100,000 allocations per render.
 */
export function monthIndex(ms: number): number {
  const z = Math.floor(ms / 86_400_000) + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const month = mp < 10 ? mp + 2 : mp - 10 // 0 = January
  return (yoe + era * 400 + (month <= 1 ? 1 : 0)) * 12 + month
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
  let missing: UsageGroup | undefined
  const months = new Map<number, UsagePeriod>()
  const undated = { count: 0, size: 0 }
  const largest: { row: ArtifactRow; size: number }[] = []
  let minMonth = Infinity
  let maxMonth = -Infinity

  for (const row of rows) {
    const size = rowSize(row, measure)
    add(totals, row)
    const id = partId(row, by)
    if (id !== undefined) {
      let group = id === null ? missing : groups.get(id)
      if (!group) {
        group = newPart(row, id, by)
        if (id === null) missing = group
        else groups.set(id, group)
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

  const parts = [...groups.values()]
  if (missing) parts.push(missing)
  const { periods, earlier } = periodsOf(months, minMonth, maxMonth)
  return { totals, groups: capGroups(parts), periods, earlier, undated, largest }
}

function bigger(size: number, row: ArtifactRow, than: { row: ArtifactRow; size: number }) {
  return size > than.size || (size === than.size && row.key < than.row.key)
}

/** Largest first, the parts past MAX_GROUPS merged into one. */
function capGroups(all: UsageGroup[]): UsageGroup[] {
  const order = (a: UsageGroup, b: UsageGroup) =>
    b.size - a.size || b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  if (all.length <= MAX_GROUPS) return all.sort(order)
  // Tens of thousands of keys in one folder: only the parts that can be shown are sorted.
  const sizes = Float64Array.from(all, (g) => g.size).sort()
  const threshold = sizes[sizes.length - (MAX_GROUPS - 1)] as number
  const big = all.filter((g) => g.size >= threshold).sort(order)
  const kept = big.slice(0, MAX_GROUPS - 1)
  const rest = [...big.slice(MAX_GROUPS - 1), ...all.filter((g) => g.size < threshold)]
  const others = emptyPart(
    '\u0000others',
    `${rest.length.toLocaleString('en-US')} smaller parts`,
    'others',
  )
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
