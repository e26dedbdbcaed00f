import { createStore } from 'zustand/vanilla'
import type { ArtifactDetail } from '../../../shared/ipc'
import { IpcError, errorMessage, type Transport } from '../ipc/transport'
import { checkMetadataText, type MetadataCheck } from './metadata-validate'

/** A save refused because the sidecar changed on disk since it was opened. */
export interface MetadataConflict {
  /** The user's edit, kept as typed. */
  mine: string
  /** additional_metadata as it is on disk now, and that sidecar's version. */
  disk: string
  diskVersion: string
}

/** The metadata editor: text, validation, save, and conflict resolution. */
export interface EditorState {
  cacheId: string | null
  key: string | null
  /** The version the edit is based on; sent as expectedVersion. */
  baseVersion: string | null
  original: string
  text: string
  check: MetadataCheck
  saving: boolean
  error: string | null
  conflict: MetadataConflict | null
  /** True right after a successful save, until the next edit. */
  saved: boolean
  /** Starts editing a detail's metadata (replacing any edit of another key). */
  open(cacheId: string, detail: ArtifactDetail): void
  setText(text: string): void
  /** Saves; resolves to the new detail, or null when refused (error or conflict). */
  save(): Promise<ArtifactDetail | null>
  /** After a conflict: write my version over the one now on disk. */
  keepMine(): Promise<ArtifactDetail | null>
  /** After a conflict: drop my edit and continue from the disk version. */
  takeDisk(): void
  /** Undo the edit. */
  revert(): void
}

/** The editor store; `onSaved` hears every saved detail (to refresh the panes). */
export function createEditorStore(
  transport: Transport,
  onSaved: (d: ArtifactDetail) => void = () => {},
) {
  return createStore<EditorState>()((set, get) => {
    const submit = async (expectedVersion: string): Promise<ArtifactDetail | null> => {
      const { cacheId, key, text } = get()
      if (cacheId === null || key === null) return null
      const check = checkMetadataText(text)
      if (!check.ok) {
        set({ check })
        return null
      }
      set({ saving: true, error: null, saved: false })
      try {
        const detail = await transport.invoke('artifact.updateMetadata', {
          cacheId,
          key,
          metadataText: text,
          expectedVersion,
        })
        if (get().key !== key) return detail
        set({
          saving: false,
          conflict: null,
          baseVersion: detail.version,
          original: detail.metadataText,
          text: detail.metadataText,
          check: { ok: true },
          saved: true,
        })
        onSaved(detail)
        return detail
      } catch (err) {
        if (get().key !== key) return null
        if (err instanceof IpcError && err.code === 'CONFLICT' && err.current) {
          set({
            saving: false,
            conflict: {
              mine: text,
              disk: err.current.metadataText,
              diskVersion: err.current.version,
            },
          })
        } else {
          set({ saving: false, error: errorMessage(err) })
        }
        return null
      }
    }

    return {
      cacheId: null,
      key: null,
      baseVersion: null,
      original: '',
      text: '',
      check: { ok: true },
      saving: false,
      error: null,
      conflict: null,
      saved: false,
      open: (cacheId, detail) =>
        set({
          cacheId,
          key: detail.key,
          baseVersion: detail.version,
          original: detail.metadataText,
          text: detail.metadataText,
          check: checkMetadataText(detail.metadataText),
          saving: false,
          error: null,
          conflict: null,
          saved: false,
        }),
      setText: (text) => set({ text, check: checkMetadataText(text), saved: false, error: null }),
      save: () => submit(get().baseVersion ?? ''),
      keepMine: async () => {
        const conflict = get().conflict
        if (!conflict) return null
        set({ text: conflict.mine })
        return submit(conflict.diskVersion)
      },
      takeDisk: () => {
        const conflict = get().conflict
        if (!conflict) return
        set({
          text: conflict.disk,
          original: conflict.disk,
          baseVersion: conflict.diskVersion,
          check: checkMetadataText(conflict.disk),
          conflict: null,
          error: null,
        })
      },
      revert: () =>
        set({ text: get().original, check: checkMetadataText(get().original), error: null }),
    }
  })
}

/** The store type createEditorStore returns. */
export type EditorStore = ReturnType<typeof createEditorStore>
