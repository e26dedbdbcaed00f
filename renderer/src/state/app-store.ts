import { createStore } from 'zustand/vanilla'
import type { CacheInfo, ResponseOf } from '../../../shared/ipc'
import { errorMessage, type Transport } from '../ipc/transport'
import { isRemote, parseStorageOptions, protocolProblem } from './location'
import {
  buildStorageOptions,
  EMPTY_STORAGE_FORM,
  fieldOfError,
  storageKind,
  type StorageField,
  type StorageForm,
} from './storage-form'
import { storageFormMoves, type KeptSecrets } from './storage-form-slice'

/** A recent cache as app.info lists it (non-secret options only). */
export type RecentCache = AppInfo['recent'][number]

/** What `app.info` says about this build: mode, protocols, recent caches, serializers. */
export type AppInfo = ResponseOf<'app.info'>

/** The app: build info, the location field, and the open cache. */
export interface AppState {
  info: AppInfo | null
  infoError: string | null
  /** The location field's text, and the storage options shown for s3:// and gs://. */
  location: string
  /** Extra storage options as JSON, beside the fields (the s3fs / gcsfs vocabulary). */
  storageOptionsText: string
  /** The storage fields (endpoint, region, credentials) for s3:// and gs:// locations. */
  storage: StorageForm
  /** The field the last open error is about, to mark and focus. */
  errorField: StorageField | 'auth' | 'extra' | null
  /** Locations opened with keys this session: the main side holds them, the form does not. */
  keptSecrets: readonly string[]
  /** keptSecrets as the copy destination's form reads and adds to it. */
  keptSecretsFlags: KeptSecrets
  /** The read-only toggle: applies to the next open, and reopens an open cache. */
  readonlyWanted: boolean
  cache: CacheInfo | null
  opening: boolean
  openError: string | null
  /** Loads app.info and opens the initial cache, if the main side has one. */
  init(): Promise<void>
  setLocation(location: string): void
  setStorageOptionsText(text: string): void
  setStorage(patch: Partial<StorageForm>): void
  /** A recent cache: fills the fields from its remembered settings, then opens it, unless its keys must be typed again. */
  pickRecent(recent: RecentCache): Promise<void>
  /** Opens the location field's cache (or the given one). */
  open(location?: string, readonly?: boolean): Promise<CacheInfo | null>
  /** Flips read-only, reopening the open cache so the engine enforces it. */
  setReadonly(readonly: boolean): Promise<void>
  /** Electron: the native folder picker; opens what the user picked. */
  pickFolder(): Promise<void>
}

/** Why the Open button cannot run for the current fields, or null. */
export function openProblem(
  state: Pick<AppState, 'info' | 'location' | 'storageOptionsText'> & { storage?: StorageForm },
): string | null {
  const location = state.location.trim()
  if (location === '') return 'Type a folder path or an s3:// or gs:// URL first.'
  if (state.info) {
    const problem = protocolProblem(location, state.info.protocols)
    if (problem) return problem
  }
  if (isRemote(location)) {
    const options = state.storage
      ? buildStorageOptions(location, state.storage, state.storageOptionsText)
      : parseStorageOptions(state.storageOptionsText)
    if (!options.ok) return options.message
  }
  return null
}

/** The app store; `onOpened` hears each cache that opens (to list it). */
export function createAppStore(
  transport: Transport,
  onOpened: (cache: CacheInfo) => void = () => {},
) {
  let openSeq = 0
  return createStore<AppState>()((set, get) => {
    const kept: KeptSecrets = {
      has: (location) => get().keptSecrets.includes(location),
      add: (location) => set({ keptSecrets: [...new Set([...get().keptSecrets, location])] }),
    }
    const form = storageFormMoves(set, get, kept)
    return {
      info: null,
      infoError: null,
      location: '',
      storageOptionsText: '',
      storage: EMPTY_STORAGE_FORM,
      errorField: null,
      keptSecrets: [],
      readonlyWanted: false,
      cache: null,
      opening: false,
      openError: null,
      init: async () => {
        try {
          const info = await transport.invoke('app.info', {})
          const held = info.recent.filter((r) => r.secretsKept).map((r) => r.location)
          set({ info, infoError: null, keptSecrets: [...new Set([...get().keptSecrets, ...held])] })
          if (info.initial) {
            set({ location: info.initial.location, readonlyWanted: info.initial.readonly })
            await get().open(info.initial.location, info.initial.readonly)
          }
        } catch (err) {
          set({ infoError: errorMessage(err) })
        }
      },
      setLocation: form.setLocation,
      setStorageOptionsText: form.setStorageOptionsText,
      setStorage: form.setStorage,
      keptSecretsFlags: kept,
      pickRecent: async (recent) => {
        if (!form.fillFromRecent(recent)) return
        await get().open(recent.location, recent.readonly)
      },
      open: async (location = get().location, readonly = get().readonlyWanted) => {
        set({ location })
        const problem = openProblem({ ...get(), location })
        if (problem) {
          set({ openError: problem })
          return null
        }
        const options = isRemote(location)
          ? buildStorageOptions(location, get().storage, get().storageOptionsText)
          : null
        const storageOptions = options && options.ok ? options.value : {}
        const mine = ++openSeq
        set({ opening: true, openError: null, errorField: null })
        try {
          const cache = await transport.invoke('cache.open', {
            location: location.trim(),
            readonly,
            storageOptions,
          })
          if (mine !== openSeq) {
            void transport.invoke('cache.close', { cacheId: cache.cacheId }).catch(() => {})
            return null
          }
          // The main side keeps an open cache (and its listings) until told: release the old one.
          const previous = get().cache
          if (previous && previous.cacheId !== cache.cacheId) {
            void transport.invoke('cache.close', { cacheId: previous.cacheId }).catch(() => {})
          }
          // Keys go to the main side once; the form forgets them (the main side keeps them).
          form.opened(location, cache.location)
          set({ cache, opening: false, readonlyWanted: cache.readonly, location: cache.location })
          onOpened(cache)
          // The recent list changed on the main side (this cache first, its settings remembered).
          void transport
            .invoke('app.info', {})
            .then((info) => set({ info }))
            .catch(() => {})
          return cache
        } catch (err) {
          if (mine === openSeq) {
            const message = errorMessage(err)
            set({
              opening: false,
              openError: message,
              errorField: fieldOfError(message, storageKind(location), get().storage),
            })
          }
          return null
        }
      },
      setReadonly: async (readonly) => {
        if (!readonly && get().info?.readonlyCeiling) return // started with --readonly: a ceiling
        set({ readonlyWanted: readonly })
        const cache = get().cache
        if (cache && cache.readonly !== readonly) await get().open(cache.location, readonly)
      },
      pickFolder: async () => {
        try {
          const { location } = await transport.invoke('dialog.pickFolder', {})
          if (location !== null) await get().open(location)
        } catch (err) {
          set({ openError: errorMessage(err) })
        }
      },
    }
  })
}

/** The store type createAppStore returns. */
export type AppStore = ReturnType<typeof createAppStore>
