import { createStore } from 'zustand/vanilla'
import type { ArtifactRow, ResponseOf } from '../../../shared/ipc'
import { errorMessage, type Transport } from '../ipc/transport'

/** The open cache's rows as they stream in, page by page. */
export interface ListingState {
  cacheId: string | null
  rows: ArtifactRow[]
  /** Rows received so far and the server's count of keys, for the progress bar. */
  loaded: number
  total: number
  /**
   * Before the first page: how far the main side got (names listed, sidecars read), polled
   * from cache.listProgress; null when it does not say (then the state is indeterminate).
   */
  progress: ResponseOf<'cache.listProgress'>
  /** True until the last page arrived (a refresh keeps the old rows meanwhile). */
  loading: boolean
  refreshing: boolean
  error: string | null
  /** Lists the cache from the start, showing each page as it arrives. */
  load(cacheId: string): Promise<void>
  /** Lists again in the background and swaps the new rows in when complete. */
  refresh(): Promise<void>
  /** Drops rows at once (after a delete), before a refresh confirms it. */
  removeKeys(keys: readonly string[]): void
  /** Replaces one row's metadata (after an edit). */
  patchMetadata(key: string, metadata: Record<string, unknown>): void
  clear(): void
}

/** The first page is small so rows show at once; later pages are big to finish quickly. */
export const FIRST_PAGE = 500
/** Rows per later page. */
export const NEXT_PAGE = 5000
/** How often the first page's progress is asked for while a big bucket lists. */
export const PROGRESS_POLL_MS = 400

// The data part of the state with no cache open; load and clear start from it.
const EMPTY = {
  cacheId: null,
  rows: [],
  loaded: 0,
  total: 0,
  progress: null,
  loading: false,
  refreshing: false,
  error: null,
} satisfies Partial<ListingState>

/** The listing store: pages from `cache.list` until its cursor is null; a newer load wins. */
export function createListingStore(transport: Transport) {
  let generation = 0
  return createStore<ListingState>()((set, get) => {
    // Fetches every page; `onPage` sees the rows so far. Returns null when superseded.
    const fetchAll = async (
      cacheId: string,
      gen: number,
      onPage: (rows: ArtifactRow[], loaded: number, total: number) => void,
    ): Promise<ArtifactRow[] | null> => {
      let rows: ArtifactRow[] = []
      let cursor: string | null = null
      let limit = FIRST_PAGE
      for (;;) {
        const pending = transport.invoke('cache.list', { cacheId, cursor, limit })
        const stop = cursor === null ? pollProgress(cacheId, gen, pending) : () => {}
        let page: ResponseOf<'cache.list'>
        try {
          page = await pending
        } finally {
          stop()
        }
        if (gen !== generation) return null
        if (get().progress !== null) set({ progress: null })
        rows = rows.concat(page.rows)
        onPage(rows, page.loaded, Math.max(page.total, page.loaded))
        cursor = page.cursor
        if (cursor === null) return rows
        limit = NEXT_PAGE
      }
    }

    // Asks how the first page is coming along until it arrives; returns the stop function.
    const pollProgress = (cacheId: string, gen: number, page: Promise<unknown>) => {
      let stopped = false
      let timer: ReturnType<typeof setTimeout> | null = null
      const tick = async () => {
        try {
          const progress = await transport.invoke('cache.listProgress', { cacheId })
          if (!stopped && gen === generation) set({ progress })
        } catch {
          return // an older main side without the channel: stay indeterminate
        }
        if (!stopped) timer = setTimeout(() => void tick(), PROGRESS_POLL_MS)
      }
      timer = setTimeout(() => void tick(), PROGRESS_POLL_MS)
      void page.catch(() => {})
      return () => {
        stopped = true
        if (timer !== null) clearTimeout(timer)
      }
    }

    return {
      ...EMPTY,
      load: async (cacheId) => {
        const gen = ++generation
        set({ ...EMPTY, cacheId, loading: true })
        try {
          const rows = await fetchAll(cacheId, gen, (rows, loaded, total) =>
            set({ rows, loaded, total }),
          )
          if (rows !== null) set({ loading: false })
        } catch (err) {
          if (gen === generation) set({ loading: false, error: errorMessage(err) })
        }
      },
      refresh: async () => {
        const { cacheId } = get()
        if (cacheId === null) return
        const gen = ++generation
        set({ refreshing: true, loading: true, error: null })
        try {
          const rows = await fetchAll(cacheId, gen, (_rows, loaded, total) =>
            set({ loaded, total }),
          )
          if (rows !== null) set({ rows, loaded: rows.length, loading: false, refreshing: false })
        } catch (err) {
          if (gen === generation) {
            set({ loading: false, refreshing: false, error: errorMessage(err) })
          }
        }
      },
      removeKeys: (keys) => {
        if (keys.length === 0) return
        const gone = new Set(keys)
        const rows = get().rows.filter((r) => !gone.has(r.key))
        const removed = get().rows.length - rows.length
        set({ rows, loaded: get().loaded - removed, total: get().total - removed })
      },
      patchMetadata: (key, metadata) =>
        set({ rows: get().rows.map((r) => (r.key === key ? { ...r, metadata } : r)) }),
      clear: () => {
        generation++
        set(EMPTY)
      },
    }
  })
}

/** The store type createListingStore returns. */
export type ListingStore = ReturnType<typeof createListingStore>
