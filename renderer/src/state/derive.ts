import type { ArtifactRow } from '../../../shared/ipc'
import { clauseMatches, type FilterClause } from '../../../shared/filter-query'
import {
  AGE_PRESETS,
  ageMatches,
  compileSearch,
  createdRange,
  sizeRange,
  type AgeFilter,
  type Filters,
} from './filters'
import { facetIds, rowIndex, type FacetEntry, type RowIndex } from './row-index'
import { sortRows, type SortSpec } from './sort'

/** One facet value and how many rows it would show. */
export interface FacetCount {
  value: string
  count: number
}

/** What the panes show for the current listing, filters and order. */
export interface DerivedView {
  /** The rows that pass every filter, in table order. */
  rows: ArtifactRow[]
  bytes: number
  /** Every loaded row. */
  total: number
  /** Rows that pass every filter but the folder: what "All keys" would show. */
  anyFolder: number
  serializers: FacetCount[]
  ages: { age: AgeFilter; count: number }[]
  /** Per additional_metadata field, its values by count (most first). */
  fields: { field: string; values: FacetCount[] }[]
  /** Folder prefix ('a/', 'a/b/') -> rows under it. */
  folders: Map<string, number>
}

// Filter dimensions. Datasette-style counts: each facet counts the rows that pass every
// *other* filter, so picking a value never hides the alternatives to it.
const TEXT = 0
const SERIALIZER = 1
const AGE = 2
const PREFIX = 3
const CREATED = 4
const SIZE = 5
const FIRST_FIELD = 6

function containsAll(hay: string, terms: readonly string[]): boolean {
  for (const t of terms) if (!hay.includes(t)) return false
  return true
}

/**
 * A clause as a test on a row and its index. `field=value` looks the value's interned id up
 * in the row's index (the facets' own values, so no per-row allocation); the rest read the row
 * as `xpersist prune` does.
 */
function clauseTest(
  clause: FilterClause,
  now: number,
): (row: ArtifactRow, index: RowIndex) => boolean {
  if (clause.kind === 'field') {
    const id = facetIds.id('field', clause.field, clause.value)
    return (_row, index) => {
      for (const f of index.fields) if (f.field === clause.field) return f.valueIds.includes(id)
      return false
    }
  }
  return (row) => clauseMatches(clause, row, now)
}

function inCreated(range: { from: number | null; to: number | null }, ms: number | null): boolean {
  if (ms === null) return false
  return (range.from === null || ms >= range.from) && (range.to === null || ms < range.to)
}

function inSize(range: { min: number | null; max: number | null }, bytes: number): boolean {
  return (range.min === null || bytes >= range.min) && (range.max === null || bytes <= range.max)
}

function passesAll(
  tests: readonly ((row: ArtifactRow, index: RowIndex) => boolean)[],
  row: ArtifactRow,
  index: RowIndex,
): boolean {
  for (const test of tests) if (!test(row, index)) return false
  return true
}

function inc(counts: Uint32Array, id: number): void {
  counts[id] = (counts[id] as number) + 1
}

function byCount(a: FacetCount, b: FacetCount): number {
  return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)
}

function withActive(counts: FacetCount[], active: readonly string[]): FacetCount[] {
  for (const value of active)
    if (!counts.some((c) => c.value === value)) counts.push({ value, count: 0 })
  return counts.sort(byCount)
}

/**
 * Filters sorted rows (keeping their order) and counts every facet, in one pass. `indexes`
 * are the rows' RowIndex, if the caller kept them.
 */
export function filterAndCount(
  sorted: readonly ArtifactRow[],
  f: Filters,
  now: number,
  indexes: readonly RowIndex[] = sorted.map(rowIndex),
): DerivedView {
  // The indexes exist before the ids are counted, so every facet value has its id.
  // The search box: words and filter clauses, one dimension. A query with a syntax error
  // matches nothing, so "Delete all N matching" never means more than what was asked for.
  const search = compileSearch(f.text)
  const { terms } = search
  const tests = search.clauses.map((c) => clauseTest(c, now))
  const searchFails = search.error !== null
  const created = createdRange(f)
  const dated = created.from !== null || created.to !== null
  const size = sizeRange(f)
  const sized = size.min !== null || size.max !== null
  const serializers = new Set(f.serializers.map((v) => facetIds.id('serializer', '', v)))
  const activeFields = [...f.facets].filter(([, v]) => v.length > 0)
  const fieldSets = activeFields.map(
    ([field, values]) =>
      [field, new Set(values.map((v) => facetIds.id('field', field, v)))] as const,
  )
  const fieldDim = new Map(activeFields.map(([field], i) => [field, FIRST_FIELD + i]))
  const counts = new Uint32Array(facetIds.size)
  const ageCounts = new Uint32Array(AGE_PRESETS.length)
  const rows: ArtifactRow[] = []
  let bytes = 0
  let anyFolder = 0

  for (let r = 0; r < sorted.length; r++) {
    const row = sorted[r] as ArtifactRow
    const index = indexes[r] as RowIndex
    let failed = 0
    let failedDim = -1
    if (
      searchFails ||
      (terms.length > 0 && !containsAll(index.hay, terms)) ||
      (tests.length > 0 && !passesAll(tests, row, index))
    ) {
      failed++
      failedDim = TEXT
    }
    if (serializers.size > 0 && !serializers.has(index.serializerId)) {
      failed++
      failedDim = SERIALIZER
    }
    if (f.age !== null && !ageMatches(f.age, row.createdMs, now)) {
      failed++
      failedDim = AGE
    }
    if (dated && !inCreated(created, row.createdMs)) {
      failed++
      failedDim = CREATED
    }
    if (sized && !inSize(size, row.bytes)) {
      failed++
      failedDim = SIZE
    }
    if (f.prefix !== '' && !row.key.startsWith(f.prefix)) {
      failed++
      failedDim = PREFIX
    }
    for (let i = 0; i < fieldSets.length && failed < 2; i++) {
      const [field, accepted] = fieldSets[i] as (typeof fieldSets)[number]
      const values = index.fields.find((x) => x.field === field)?.valueIds
      if (!values || !values.some((v) => accepted.has(v))) {
        failed++
        failedDim = FIRST_FIELD + i
      }
    }
    if (failed > 1) continue
    const all = failed === 0
    if (all) {
      rows.push(row)
      bytes += row.bytes
    }
    if (all || failedDim === SERIALIZER) inc(counts, index.serializerId)
    if (all || failedDim === AGE) {
      for (let i = 0; i < AGE_PRESETS.length; i++) {
        if (ageMatches(AGE_PRESETS[i] as AgeFilter, row.createdMs, now)) inc(ageCounts, i)
      }
    }
    if (all || failedDim === PREFIX) {
      anyFolder++
      for (const id of index.folderIds) inc(counts, id)
    }
    for (const { field, valueIds } of index.fields) {
      if (!all && (fieldDim.size === 0 || failedDim !== fieldDim.get(field))) continue
      for (const id of valueIds) inc(counts, id)
    }
  }

  const serializerCounts: FacetCount[] = []
  const folders = new Map<string, number>()
  const fieldCounts = new Map<string, FacetCount[]>()
  for (const [field] of activeFields) fieldCounts.set(field, [])
  for (let id = 0; id < counts.length; id++) {
    const count = counts[id] as number
    if (count === 0) continue
    const entry = facetIds.entries[id] as FacetEntry
    if (entry.kind === 'serializer') serializerCounts.push({ value: entry.value, count })
    else if (entry.kind === 'folder') folders.set(entry.value, count)
    else {
      let list = fieldCounts.get(entry.field)
      if (!list) fieldCounts.set(entry.field, (list = []))
      list.push({ value: entry.value, count })
    }
  }

  return {
    rows,
    bytes,
    total: sorted.length,
    anyFolder,
    serializers: withActive(serializerCounts, f.serializers),
    ages: AGE_PRESETS.map((age, i) => ({ age, count: ageCounts[i] ?? 0 })),
    fields: [...fieldCounts]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([field, values]) => ({ field, values: withActive(values, f.facets.get(field) ?? []) })),
    folders,
  }
}

/** The deriver's signature: rows, order, filters and clock in; the view out. */
export type Deriver = (
  rows: readonly ArtifactRow[],
  sort: SortSpec,
  filters: Filters,
  now: number,
) => DerivedView

/**
 * A memoised deriver: sorting reruns only when the rows or the order change; filtering and
 * counting only for new sorted rows, filters or clock (the last two results are kept, since
 * the UI's deferred filters and an action's current ones may alternate). Typing in the search
 * box therefore filters already-sorted rows and never re-sorts 100,000 of them.
 */
export function createDeriver(): Deriver {
  let lastRows: readonly ArtifactRow[] | null = null
  let lastSort: SortSpec | null = null
  let sorted: ArtifactRow[] = []
  let indexes: RowIndex[] = []
  type Entry = { sorted: ArtifactRow[]; filters: Filters; now: number; view: DerivedView }
  let recent: Entry[] = []
  return (rows, sort, filters, now) => {
    if (rows !== lastRows || sort !== lastSort) {
      sorted = sortRows(rows, sort)
      indexes = sorted.map(rowIndex)
      lastRows = rows
      lastSort = sort
      recent = []
    }
    const hit = recent.find((e) => e.sorted === sorted && e.filters === filters && e.now === now)
    if (hit) return hit.view
    const view = filterAndCount(sorted, filters, now, indexes)
    recent = [{ sorted, filters, now, view }, ...recent].slice(0, 2)
    return view
  }
}
