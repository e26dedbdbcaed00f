import { createStore } from 'zustand/vanilla'
import type { ResponseOf } from '../../../shared/ipc'
import { errorMessage, type Transport } from '../ipc/transport'
import type { RestoreResult } from './delete-store'

/** One trash entry as trash.list gives it. */
export type TrashEntryData = ResponseOf<'trash.list'>[number]
/** What trash.empty plans or did. */
export type EmptyPlan = ResponseOf<'trash.empty'>

const DAY_MS = 86_400_000

/** Which entries Empty covers: all of them, or those older than a number of days. */
export type EmptyScope = { olderThanDays: number | null }

/** Emptying, a plan first: planned, then typed count, then done. */
export type EmptyFlow =
  | { phase: 'idle' }
  | { phase: 'planning' }
  | { phase: 'confirm'; plan: EmptyPlan; scope: EmptyScope; typed: string }
  | { phase: 'running'; plan: EmptyPlan }
  | { phase: 'done'; result: EmptyPlan }
  | { phase: 'failed'; message: string }

/** The Trash dialog's state. */
export interface TrashState {
  open: boolean
  cacheId: string | null
  entries: TrashEntryData[]
  loading: boolean
  error: string | null
  /** The entry being restored now, and the outcome of the last restore. */
  restoring: string | null
  restored: { id: string; result: RestoreResult } | null
  restoreError: string | null
  empty: EmptyFlow
  show(cacheId: string): Promise<void>
  refresh(): Promise<void>
  restore(id: string): Promise<void>
  /** Plans emptying all entries (null) or those older than `olderThanDays`. */
  planEmpty(olderThanDays: number | null): Promise<void>
  setTyped(typed: string): void
  /** Empties when the typed number equals the entries in the plan. */
  confirmEmpty(): Promise<void>
  cancelEmpty(): void
  close(): void
}

/** True when `typed` is exactly the number of entries the empty plan deletes. */
export function emptyConfirmed(plan: EmptyPlan, typed: string): boolean {
  return plan.entries.length > 0 && typed.trim() === String(plan.entries.length)
}

/** The Trash dialog: list entries, restore one, empty all or the old ones (a plan first). */
export function createTrashStore(
  transport: Transport,
  options: { onRestored?: (keys: string[]) => void } = {},
) {
  return createStore<TrashState>()((set, get) => {
    const request = (scope: EmptyScope, dryRun: boolean) => ({
      cacheId: get().cacheId as string,
      dryRun,
      ...(scope.olderThanDays === null
        ? {}
        : { olderThanMs: Math.round(scope.olderThanDays * DAY_MS) }),
    })
    return {
      open: false,
      cacheId: null,
      entries: [],
      loading: false,
      error: null,
      restoring: null,
      restored: null,
      restoreError: null,
      empty: { phase: 'idle' },
      show: async (cacheId) => {
        set({
          open: true,
          cacheId,
          entries: [],
          restored: null,
          restoreError: null,
          empty: { phase: 'idle' },
        })
        await get().refresh()
      },
      refresh: async () => {
        const cacheId = get().cacheId
        if (cacheId === null) return
        set({ loading: true, error: null })
        try {
          const entries = await transport.invoke('trash.list', { cacheId })
          // Newest first: the delete just made is the one most often restored.
          if (get().cacheId === cacheId) set({ entries: [...entries].reverse(), loading: false })
        } catch (err) {
          if (get().cacheId === cacheId) set({ loading: false, error: errorMessage(err) })
        }
      },
      restore: async (id) => {
        const cacheId = get().cacheId
        if (cacheId === null || get().restoring !== null) return
        set({ restoring: id, restored: null, restoreError: null })
        try {
          const result = await transport.invoke('trash.restore', { cacheId, id, dryRun: false })
          set({ restoring: null, restored: { id, result } })
          options.onRestored?.(result.restored)
        } catch (err) {
          set({ restoring: null, restoreError: errorMessage(err) })
        }
        await get().refresh()
      },
      planEmpty: async (olderThanDays) => {
        if (get().cacheId === null) return
        const scope = { olderThanDays }
        set({ empty: { phase: 'planning' } })
        try {
          const plan = await transport.invoke('trash.empty', request(scope, true))
          if (get().empty.phase === 'planning')
            set({ empty: { phase: 'confirm', plan, scope, typed: '' } })
        } catch (err) {
          set({ empty: { phase: 'failed', message: errorMessage(err) } })
        }
      },
      setTyped: (typed) => {
        const e = get().empty
        if (e.phase === 'confirm') set({ empty: { ...e, typed } })
      },
      confirmEmpty: async () => {
        const e = get().empty
        if (e.phase !== 'confirm' || !emptyConfirmed(e.plan, e.typed)) return
        set({ empty: { phase: 'running', plan: e.plan } })
        try {
          // The planned entries by id: an entry made since the plan is never emptied unseen.
          const ids = e.plan.entries.map((x) => x.id)
          const result = await transport.invoke('trash.empty', {
            ...request(e.scope, false),
            ids,
          })
          set({ empty: { phase: 'done', result } })
        } catch (err) {
          set({ empty: { phase: 'failed', message: errorMessage(err) } })
        }
        await get().refresh()
      },
      cancelEmpty: () => {
        if (get().empty.phase !== 'running') set({ empty: { phase: 'idle' } })
      },
      close: () => {
        if (get().empty.phase === 'running' || get().restoring !== null) return
        set({ open: false, cacheId: null, entries: [], empty: { phase: 'idle' } })
      },
    }
  })
}

/** The store type createTrashStore returns. */
export type TrashStore = ReturnType<typeof createTrashStore>
