import { createStore } from 'zustand/vanilla'
import { errorMessage, type Transport } from '../ipc/transport'
import { checkMetadataText, type MetadataCheck } from './metadata-validate'

/** The file to store: the browser's File (streamed up on submit) or a picker handle (Electron). */
export interface PutFile {
  name: string
  bytes: number
  blob?: Blob
  handle?: string
  /** A folder (a Zarr store) picked in Electron: the engine tells its serializer from its content. */
  folder?: boolean
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
  error: null,
}

/** The Put store; `onStored` hears the key of each stored artifact. */
export function createPutStore(transport: Transport, onStored: (key: string) => void = () => {}) {
  return createStore<PutState>()((set, get) => ({
    open: false,
    ...EMPTY,
    show: () => set({ open: true, ...EMPTY }),
    hide: () => set({ open: false }),
    setFile: (file) =>
      set({ file, error: null, ...(get().keyEdited || !file ? {} : { key: file.name }) }),
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
          (file.blob && transport.upload ? (await transport.upload(file.blob)).handle : null)
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
        set({ submitting: false, open: false })
        onStored(stored.key)
        return stored.key
      } catch (err) {
        set({ submitting: false, error: errorMessage(err) })
        return null
      }
    },
  }))
}

/** The store type createPutStore returns. */
export type PutStore = ReturnType<typeof createPutStore>
