import { createStore } from 'zustand/vanilla'
import {
  errorMessage,
  type FolderFile,
  type FolderProgress,
  type Transport,
} from '../ipc/transport'
import { checkMetadataText, type MetadataCheck } from './metadata-validate'

/** The file to store: the browser's File (streamed up on submit) or a picker handle (Electron). */
export interface PutFile {
  name: string
  bytes: number
  blob?: Blob
  handle?: string
  /** A folder (a Zarr store): the engine tells its serializer from its content. */
  folder?: boolean
  /** Browser mode: the folder's files, paths relative to the folder itself (its store root). */
  files?: FolderFile[]
}

/**
 * A browser folder pick (`<input webkitdirectory>`) as a PutFile: each file's
 * webkitRelativePath starts with the chosen folder's own name, which is dropped so the
 * payload's root is the store's root; the folder's name becomes the key. A string says why not.
 */
export function folderFromPick(picked: readonly File[]): PutFile | string {
  const rel = (file: File) => file.webkitRelativePath || '' // absent where folders cannot be picked
  const top = picked[0] ? rel(picked[0]).split('/')[0] : ''
  if (!top) return 'That folder is empty (or this browser cannot send folders).'
  const files: FolderFile[] = []
  for (const file of picked) {
    if (!rel(file).startsWith(`${top}/`)) {
      return `${rel(file) || file.name} is not inside ${top}; choose one folder.`
    }
    files.push({ path: rel(file).slice(top.length + 1), blob: file })
  }
  const bytes = files.reduce((sum, f) => sum + f.blob.size, 0)
  return { name: top, bytes, folder: true, files }
}

/** What `on_duplicate_key` does when the key exists. */
export type OnDuplicate = 'raise_error' | 'skip' | 'overwrite'

/** The serializer 'auto' picks for a file name, as the engine does; null when it cannot. */
export function autoSerializer(name: string): string | null {
  const ext = /\.([^./]+)$/.exec(name.toLowerCase())?.[1]
  if (ext === 'csv') return 'pandas.csv'
  if (ext === 'json' || ext === 'pkl' || ext === 'joblib') return 'joblib'
  // The engine checks the content (CDF or HDF5 magic) before storing it byte for byte.
  if (ext === 'nc' || ext === 'nc4' || ext === 'cdf' || ext === 'netcdf') return 'xarray.netcdf'
  return null
}

/** The Put dialog's fields and submission. */
export interface PutState {
  open: boolean
  file: PutFile | null
  key: string
  /** Once the user edits the key, picking another file no longer renames it. */
  keyEdited: boolean
  serializer: string
  onDuplicate: OnDuplicate
  metadataText: string
  check: MetadataCheck
  submitting: boolean
  /** A folder upload under way: files and bytes sent so far. */
  progress: FolderProgress | null
  error: string | null
  show(): void
  hide(): void
  setFile(file: PutFile | null): void
  setKey(key: string): void
  setSerializer(serializer: string): void
  setOnDuplicate(policy: OnDuplicate): void
  setMetadataText(text: string): void
  /** Electron: the native picker (a handle, never a path): a file, or with `folder` a Zarr folder. */
  pickFile(folder?: boolean): Promise<void>
  /** Why Put cannot run yet, or null. */
  problem(): string | null
  /** Stores the file; resolves to the stored key, or null when refused. */
  submit(cacheId: string): Promise<string | null>
  /** Stops a folder upload under way; nothing is stored and the server drops what arrived. */
  cancelUpload(): void
}

const EMPTY = {
  file: null,
  key: '',
  keyEdited: false,
  serializer: 'auto',
  onDuplicate: 'raise_error' as OnDuplicate,
  metadataText: '{}',
  check: { ok: true } as MetadataCheck,
  submitting: false,
  progress: null,
  error: null,
}

/** The Put store; `onStored` hears the key of each stored artifact. */
export function createPutStore(transport: Transport, onStored: (key: string) => void = () => {}) {
  let sending: AbortController | null = null
  const stopSending = () => {
    sending?.abort()
    sending = null
  }
  return createStore<PutState>()((set, get) => ({
    open: false,
    ...EMPTY,
    show: () => set({ open: true, ...EMPTY }),
    hide: () => {
      stopSending()
      set({ open: false })
    },
    cancelUpload: stopSending,
    setFile: (file) => {
      const { keyEdited, file: before } = get()
      // A serializer chosen for a file cannot write a folder, nor the other way round.
      const kindChanged = Boolean(before?.folder) !== Boolean(file?.folder)
      set({
        file,
        error: null,
        ...(keyEdited || !file ? {} : { key: file.name }),
        ...(kindChanged ? { serializer: 'auto' } : {}),
      })
    },
    setKey: (key) => set({ key, keyEdited: true, error: null }),
    setSerializer: (serializer) => set({ serializer, error: null }),
    setOnDuplicate: (onDuplicate) => set({ onDuplicate, error: null }),
    setMetadataText: (metadataText) =>
      set({ metadataText, check: checkMetadataText(metadataText), error: null }),
    pickFile: async (folder = false) => {
      try {
        const picked = await transport.invoke('dialog.pickFile', { folder })
        if (picked)
          get().setFile({ name: picked.name, bytes: picked.bytes, handle: picked.handle, folder })
      } catch (err) {
        set({ error: errorMessage(err) })
      }
    },
    problem: () => {
      const { file, key, serializer, check } = get()
      if (!file) return 'Choose a file to store.'
      if (key.trim() === '') return 'Give the artifact a key.'
      if (serializer === 'auto' && !file.folder && autoSerializer(file.name) === null) {
        return `'auto' cannot tell the serializer of ${file.name}; pick one.`
      }
      if (!check.ok) return check.message
      return null
    },
    submit: async (cacheId) => {
      // Each submit sends the folder again: a folder upload's handle is used up by one put.
      const sendFolder = async (files: FolderFile[]) => {
        stopSending()
        const controller = new AbortController()
        sending = controller
        set({ progress: { files: 0, bytes: 0 } })
        try {
          const sent = await transport.uploadFolder!(files, {
            signal: controller.signal,
            onProgress: (progress) => set({ progress }),
          })
          return sent.handle
        } finally {
          if (sending === controller) sending = null
        }
      }
      const problem = get().problem()
      if (problem) {
        set({ error: problem })
        return null
      }
      const { file, key, serializer, onDuplicate, metadataText } = get()
      if (!file) return null
      set({ submitting: true, error: null })
      try {
        // An upload's temp file is used up by one put, so each submit streams the file again.
        const handle =
          file.handle ??
          (file.files && transport.uploadFolder
            ? await sendFolder(file.files)
            : file.blob && transport.upload
              ? (await transport.upload(file.blob)).handle
              : null)
        if (handle === null)
          throw new Error('This window cannot send files; choose the file again.')
        const stored = await transport.invoke('artifact.put', {
          cacheId,
          key: key.trim(),
          serializer,
          onDuplicateKey: onDuplicate,
          metadataText,
          file: { name: file.name, handle },
        })
        set({ submitting: false, progress: null, open: false })
        onStored(stored.key)
        return stored.key
      } catch (err) {
        const stopped = (err as { name?: unknown } | null)?.name === 'AbortError'
        set({
          submitting: false,
          progress: null,
          error: stopped ? 'Upload stopped; nothing was stored.' : errorMessage(err),
        })
        return null
      }
    },
  }))
}

/** The store type createPutStore returns. */
export type PutStore = ReturnType<typeof createPutStore>
