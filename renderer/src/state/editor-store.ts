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

/** An unsaved edit of one key's metadata: the text, and the version it was based on. */
export interface MetadataDraft {
  text: string
  /** Sent as expectedVersion on save, so a stale draft meets the CONFLICT check. */
  baseVersion: string
  /** additional_metadata as it was at baseVersion. */
  original: string
}

/** The metadata editor: text, validation, save, conflict resolution, and unsaved drafts. */
export interface EditorState {
  cacheId: string | null
  key: string | null
  /** The version the edit is based on; sent as expectedVersion. */
  baseVersion: string | null
  original: string
  text: string
  /** The newest metadata seen for the key (what Revert goes back to). */
  onDisk: { text: string; version: string } | null
  /** Every key with an unsaved edit, the open one included; kept when another key opens. */
  drafts: ReadonlyMap<string, MetadataDraft>
  /** True when the text came back from a draft, until it is saved or reverted. */
  restored: boolean
  check: MetadataCheck
  saving: boolean
  error: string | null
  conflict: MetadataConflict | null
  /** True right after a successful save, until the next edit. */
  saved: boolean
  /**
   * Starts editing a detail's metadata, from the key's draft if it has one. A newer detail of
   * the key being edited keeps the edit (saving it then meets the CONFLICT check).
   */
  open(cacheId: string, detail: ArtifactDetail): void
  /** Leaves the key (another row was selected); its draft stays. */
  close(): void
  setText(text: string): void
  /** Saves; resolves to the new detail, or null when refused (error or conflict). */
  save(): Promise<ArtifactDetail | null>
  /** After a conflict: write my version over the one now on disk. */
  keepMine(): Promise<ArtifactDetail | null>
  /** After a conflict: drop my edit and continue from the disk version. */
  takeDisk(): void
  /** Drops the edit and its draft, back to the newest metadata seen. */
  revert(): void
  /** Drops the drafts of keys not in `keys` (after the listing reloads). */
  retainDrafts(keys: ReadonlySet<string>): void
  /** Swaps in another cache's drafts, handing back the ones it replaces. */
  swapDrafts(drafts: ReadonlyMap<string, MetadataDraft>): ReadonlyMap<string, MetadataDraft>
}

function withDraft(
  drafts: ReadonlyMap<string, MetadataDraft>,
  key: string,
  draft: MetadataDraft | null,
): ReadonlyMap<string, MetadataDraft> {
  if (draft === null && !drafts.has(key)) return drafts
  const next = new Map(drafts)
  if (draft === null) next.delete(key)
  else next.set(key, draft)
  return next
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
        const now = get()
        if (now.key === key) {
          // Text typed while saving is a new edit, based on the version just saved.
          const typed = now.text !== text
          const base = { baseVersion: detail.version, original: detail.metadataText }
          set({
            ...base,
            saving: false,
            conflict: null,
            onDisk: { text: detail.metadataText, version: detail.version },
            text: typed ? now.text : detail.metadataText,
            check: typed ? now.check : { ok: true },
            saved: !typed,
            restored: false,
            drafts: withDraft(now.drafts, key, typed ? { ...base, text: now.text } : null),
          })
        } else if (now.drafts.get(key)?.text === text) {
          set({ drafts: withDraft(now.drafts, key, null) })
        }
        onSaved(detail)
        return detail
      } catch (err) {
        // Another key is open: the draft stays, and meets the same refusal when saved again.
        if (get().key !== key) return null
        if (err instanceof IpcError && err.code === 'CONFLICT' && err.current) {
          const { metadataText, version } = err.current
          set({
            saving: false,
            conflict: { mine: text, disk: metadataText, diskVersion: version },
            onDisk: { text: metadataText, version },
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
      onDisk: null,
      drafts: new Map(),
      restored: false,
      check: { ok: true },
      saving: false,
      error: null,
      conflict: null,
      saved: false,
      open: (cacheId, detail) => {
        const { key, drafts } = get()
        const onDisk = { text: detail.metadataText, version: detail.version }
        const draft = drafts.get(detail.key)
        if (key === detail.key && draft) {
          set({ cacheId, onDisk }) // a reload of the key being edited: keep the edit
          return
        }
        const from = draft ?? {
          text: onDisk.text,
          baseVersion: onDisk.version,
          original: onDisk.text,
        }
        set({
          cacheId,
          key: detail.key,
          baseVersion: from.baseVersion,
          original: from.original,
          text: from.text,
          onDisk,
          restored: draft !== undefined,
          check: checkMetadataText(from.text),
          saving: false,
          error: null,
          conflict: null,
          saved: false,
        })
      },
      close: () =>
        set({
          key: null,
          baseVersion: null,
          original: '',
          text: '',
          onDisk: null,
          restored: false,
          check: { ok: true },
          saving: false,
          error: null,
          conflict: null,
          saved: false,
        }),
      setText: (text) => {
        const { key, baseVersion, original, drafts } = get()
        const draft =
          baseVersion === null || text === original ? null : { text, baseVersion, original }
        set({
          text,
          check: checkMetadataText(text),
          saved: false,
          error: null,
          drafts: key === null ? drafts : withDraft(drafts, key, draft),
        })
      },
      save: () => submit(get().baseVersion ?? ''),
      keepMine: async () => {
        const conflict = get().conflict
        if (!conflict) return null
        set({ text: conflict.mine })
        return submit(conflict.diskVersion)
      },
      takeDisk: () => {
        const { conflict, key, drafts } = get()
        if (!conflict || key === null) return
        set({
          text: conflict.disk,
          original: conflict.disk,
          baseVersion: conflict.diskVersion,
          onDisk: { text: conflict.disk, version: conflict.diskVersion },
          check: checkMetadataText(conflict.disk),
          conflict: null,
          error: null,
          restored: false,
          drafts: withDraft(drafts, key, null),
        })
      },
      revert: () => {
        const { key, onDisk, drafts } = get()
        if (key === null || onDisk === null) return
        set({
          text: onDisk.text,
          original: onDisk.text,
          baseVersion: onDisk.version,
          check: checkMetadataText(onDisk.text),
          error: null,
          conflict: null,
          saved: false,
          restored: false,
          drafts: withDraft(drafts, key, null),
        })
      },
      retainDrafts: (keys) => {
        const { drafts } = get()
        const kept = [...drafts].filter(([key]) => keys.has(key))
        if (kept.length < drafts.size) set({ drafts: new Map(kept) })
      },
      swapDrafts: (drafts) => {
        const previous = get().drafts
        set({ drafts })
        return previous
      },
    }
  })
}

/** The store type createEditorStore returns. */
export type EditorStore = ReturnType<typeof createEditorStore>
