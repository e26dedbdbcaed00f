import { createStore } from 'zustand/vanilla'
import type { ArtifactDetail } from '../../../shared/ipc'
import { errorMessage, type Transport } from '../ipc/transport'

/** The detail pane's artifact: its sidecar, files and version. */
export interface DetailState {
  key: string | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  detail: ArtifactDetail | null
  error: string | null
  /** Loads a key's detail; an answer for a key no longer shown is dropped. */
  load(cacheId: string, key: string): Promise<void>
  /** Shows a detail the caller already has (the answer of a metadata save). */
  replace(detail: ArtifactDetail): void
  clear(): void
}

/** The detail store: one `artifact.detail` call per selected key, late answers ignored. */
export function createDetailStore(transport: Transport) {
  let seq = 0
  return createStore<DetailState>()((set) => ({
    key: null,
    status: 'idle',
    detail: null,
    error: null,
    load: async (cacheId, key) => {
      const mine = ++seq
      set({ key, status: 'loading', error: null })
      try {
        const detail = await transport.invoke('artifact.detail', { cacheId, key })
        if (mine === seq) set({ status: 'ready', detail })
      } catch (err) {
        if (mine === seq) set({ status: 'error', detail: null, error: errorMessage(err) })
      }
    },
    replace: (detail) => {
      seq++
      set({ key: detail.key, status: 'ready', detail, error: null })
    },
    clear: () => {
      seq++
      set({ key: null, status: 'idle', detail: null, error: null })
    },
  }))
}

/** The store type createDetailStore returns. */
export type DetailStore = ReturnType<typeof createDetailStore>
