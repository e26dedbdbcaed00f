import { createStore } from 'zustand/vanilla'
import { parseSize } from '../../../shared/filter-units'
import { NO_FILTERS, isDay, sameAge, type AgeFilter, type Filters } from './filters'
import { DEFAULT_SORT, nextSort, type ColumnId, type SortSpec } from './sort'

/** How the key table is narrowed, ordered and laid out. */
export interface ViewState {
  filters: Filters
  sort: SortSpec
  /** additional_metadata fields shown as extra columns, in order. */
  metaColumns: string[]
  /** The clock ages are measured against; ticks once a minute so "2 h ago" stays true. */
  now: number
  setText(text: string): void
  toggleSerializer(serializer: string): void
  /** Sets the age range, or clears it when the same range is picked again. */
  toggleAge(age: AgeFilter): void
  clearAge(): void
  /** The date picker: a UTC day (YYYY-MM-DD) or '' to clear; anything else is ignored. */
  setCreatedAfter(day: string): void
  setCreatedBefore(day: string): void
  /** The size fields: a size as `xpersist prune` reads it ('100MB') or '' to clear. */
  setMinSize(size: string): void
  setMaxSize(size: string): void
  /** Replaces every filter at once (a bookmarked URL restoring its view). */
  setFilters(filters: Filters): void
  toggleFacet(field: string, value: string): void
  setPrefix(prefix: string): void
  /** Clicking a header: sort by it, or flip its direction. */
  sortBy(column: ColumnId): void
  setSort(sort: SortSpec): void
  addMetaColumn(field: string): void
  removeMetaColumn(field: string): void
  tick(now?: number): void
  /** Back to every row, keeping the order and columns. */
  clearFilters(): void
}

/** The view store: filters, sort and columns, with pure updates that tests drive directly. */
export function createViewStore(now: () => number = Date.now) {
  return createStore<ViewState>()((set, get) => {
    const update = (patch: Partial<Filters>) => set({ filters: { ...get().filters, ...patch } })
    return {
      filters: NO_FILTERS,
      sort: DEFAULT_SORT,
      metaColumns: [],
      now: now(),
      setText: (text) => update({ text }),
      toggleSerializer: (serializer) => {
        const current = get().filters.serializers
        update({
          serializers: current.includes(serializer)
            ? current.filter((s) => s !== serializer)
            : [...current, serializer],
        })
      },
      toggleAge: (age) => update({ age: sameAge(get().filters.age, age) ? null : age }),
      clearAge: () => update({ age: null }),
      setCreatedAfter: (day) => {
        if (day === '' || isDay(day)) update({ createdAfter: day })
      },
      setCreatedBefore: (day) => {
        if (day === '' || isDay(day)) update({ createdBefore: day })
      },
      setMinSize: (size) => {
        if (size === '' || parseSize(size) !== null) update({ minSize: size.trim() })
      },
      setMaxSize: (size) => {
        if (size === '' || parseSize(size) !== null) update({ maxSize: size.trim() })
      },
      setFilters: (filters) => set({ filters }),
      toggleFacet: (field, value) => {
        const facets = new Map(get().filters.facets)
        const current = facets.get(field) ?? []
        const next = current.includes(value)
          ? current.filter((v) => v !== value)
          : [...current, value]
        if (next.length > 0) facets.set(field, next)
        else facets.delete(field)
        update({ facets })
      },
      setPrefix: (prefix) => update({ prefix }),
      sortBy: (column) => set({ sort: nextSort(get().sort, column) }),
      setSort: (sort) => set({ sort }),
      addMetaColumn: (field) => {
        if (!get().metaColumns.includes(field)) set({ metaColumns: [...get().metaColumns, field] })
      },
      removeMetaColumn: (field) => {
        const sortedByIt = get().sort.column === `meta:${field}`
        set({
          metaColumns: get().metaColumns.filter((f) => f !== field),
          ...(sortedByIt ? { sort: DEFAULT_SORT } : {}),
        })
      },
      tick: (at) => set({ now: at ?? now() }),
      clearFilters: () => set({ filters: NO_FILTERS }),
    }
  })
}

/** The store type createViewStore returns. */
export type ViewStore = ReturnType<typeof createViewStore>
