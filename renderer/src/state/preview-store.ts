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
  return createStore<PreviewState>()((set, get) => {
    // "Rows 1–100 of counting…" resolves when the streaming count answers; a new load aborts
    // it (the engine keeps the checkpoints it recorded, so the next count resumes there). A
    // failed count leaves the page as it is: the rows shown are still right.
    const countRows = async (cacheId: string, key: string, mine: number, signal: AbortSignal) => {
      try {
        const { rowCount } = await transport.invoke(
          'artifact.rowCount',
          { cacheId, key },
          { signal },
        )
        const current = get().preview
        if (mine === seq && rowCount !== null && current?.kind === 'table') {
          set({ preview: { ...current, rowCount } })
        }
      } catch {
        // Aborted by a newer load, or the count failed: nothing to change.
      }
    }
    return {
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
          if (mine === seq && preview.kind === 'table' && preview.rowCount === null) {
            await countRows(cacheId, key, mine, controller.signal)
          }
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
    }
  })
}

/** The store type createPreviewStore returns. */
export type PreviewStore = ReturnType<typeof createPreviewStore>
