import { createStore } from 'zustand/vanilla'
import type { Preview } from '../../../shared/ipc'
import { errorMessage, isAbort, type Transport } from '../ipc/transport'

/** Rows a table preview asks for per page. */
export const PREVIEW_PAGE_ROWS = 100

/** The preview of the selected artifact: one bounded `artifact.preview` answer. */
export interface PreviewState {
  key: string | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  /** The last answer; kept while the next page loads so the grid does not flash. */
  preview: Preview | null
  error: string | null
  offset: number
  /** Loads a preview (a table page at `offset`); a newer load aborts and supersedes it. */
  load(cacheId: string, key: string, offset?: number): Promise<void>
  clear(): void
}

/** The preview store: never blocks, aborts the stale request, ignores late answers. */
export function createPreviewStore(transport: Transport) {
  let seq = 0
  let inflight: AbortController | null = null
  const abort = () => {
    inflight?.abort()
    inflight = null
  }
  return createStore<PreviewState>()((set, get) => ({
    key: null,
    status: 'idle',
    preview: null,
    error: null,
    offset: 0,
    load: async (cacheId, key, offset = 0) => {
      abort()
      const mine = ++seq
      const controller = (inflight = new AbortController())
      const samePreview = get().key === key
      set({
        key,
        offset,
        status: 'loading',
        error: null,
        ...(samePreview ? {} : { preview: null }),
      })
      try {
        const preview = await transport.invoke(
          'artifact.preview',
          { cacheId, key, offset, rows: PREVIEW_PAGE_ROWS },
          { signal: controller.signal },
        )
        if (mine === seq) set({ status: 'ready', preview })
      } catch (err) {
        if (mine === seq && !isAbort(err)) {
          set({ status: 'error', error: errorMessage(err) })
        }
      } finally {
        if (inflight === controller) inflight = null
      }
    },
    clear: () => {
      abort()
      seq++
      set({ key: null, status: 'idle', preview: null, error: null, offset: 0 })
    },
  }))
}

/** The store type createPreviewStore returns. */
export type PreviewStore = ReturnType<typeof createPreviewStore>
