import { createStore } from 'zustand/vanilla'
import type { Measure } from './usage'

/** How the usage view groups: by folder (drilled into `drill`), serializer, or a field. */
export type UsageGrouping = 'folder' | 'serializer' | 'field'

/** The usage view: whether it is open, and how it groups and sizes the shown rows. */
export interface UsageState {
  open: boolean
  grouping: UsageGrouping
  /** The metadata field grouped by (grouping 'field'). */
  field: string | null
  /** The folder looked into ('' for the top, else a prefix ending in '/'). */
  drill: string
  measure: Measure
  show(): void
  close(): void
  setGrouping(grouping: UsageGrouping, field?: string | null): void
  setDrill(prefix: string): void
  setMeasure(measure: Measure): void
}

/** The usage view's store (issue 10); the rows it sums come from the derived view. */
export function createUsageStore() {
  return createStore<UsageState>()((set) => ({
    open: false,
    grouping: 'folder',
    field: null,
    drill: '',
    measure: 'payload',
    show: () => set({ open: true }),
    close: () => set({ open: false }),
    setGrouping: (grouping, field = null) => set({ grouping, field }),
    setDrill: (drill) => set({ drill }),
    setMeasure: (measure) => set({ measure }),
  }))
}

/** The store type createUsageStore returns. */
export type UsageStore = ReturnType<typeof createUsageStore>
