import { createStore } from 'zustand/vanilla'
import type { CacheInfo, ResponseOf } from '../../../shared/ipc'
import { errorMessage, type Transport } from '../ipc/transport'
import { isRemote, parseStorageOptions, protocolProblem } from './location'

/** What `app.info` says about this build: mode, protocols, recent caches, serializers. */
export type AppInfo = ResponseOf<'app.info'>

/** The app: build info, the location field, and the open cache. */
export interface AppState {
  info: AppInfo | null
  infoError: string | null
  /** The location field's text, and the storage options shown for s3:// and gs://. */
  location: string
  storageOptionsText: string
  /** The read-only toggle: applies to the next open, and reopens an open cache. */
  readonlyWanted: boolean
  cache: CacheInfo | null
  opening: boolean
  openError: string | null
  /** Loads app.info and opens the initial cache, if the main side has one. */
  init(): Promise<void>
  setLocation(location: string): void
  setStorageOptionsText(text: string): void
  /** Opens the location field's cache (or the given one). */
  open(location?: string, readonly?: boolean): Promise<CacheInfo | null>
  /** Flips read-only, reopening the open cache so the engine enforces it. */
  setReadonly(readonly: boolean): Promise<void>
  /** Electron: the native folder picker; opens what the user picked. */
  pickFolder(): Promise<void>
}

/** Why the Open button cannot run for the current fields, or null. */
export function openProblem(
  state: Pick<AppState, 'info' | 'location' | 'storageOptionsText'>,
): string | null {
  const location = state.location.trim()
  if (location === '') return 'Type a folder path or an s3:// or gs:// URL first.'
  if (state.info) {
    const problem = protocolProblem(location, state.info.protocols)
    if (problem) return problem
  }
  if (isRemote(location)) {
    const options = parseStorageOptions(state.storageOptionsText)
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
  return createStore<AppState>()((set, get) => ({
    info: null,
    infoError: null,
    location: '',
    storageOptionsText: '{}',
    readonlyWanted: false,
    cache: null,
    opening: false,
    openError: null,
    init: async () => {
      try {
        const info = await transport.invoke('app.info', {})
        set({ info, infoError: null })
        if (info.initial) {
          set({ location: info.initial.location, readonlyWanted: info.initial.readonly })
          await get().open(info.initial.location, info.initial.readonly)
        }
      } catch (err) {
        set({ infoError: errorMessage(err) })
      }
    },
    setLocation: (location) => set({ location, openError: null }),
    setStorageOptionsText: (storageOptionsText) => set({ storageOptionsText }),
    open: async (location = get().location, readonly = get().readonlyWanted) => {
      set({ location })
      const problem = openProblem({ ...get(), location })
      if (problem) {
        set({ openError: problem })
        return null
      }
      const options = isRemote(location) ? parseStorageOptions(get().storageOptionsText) : null
      const storageOptions = options && options.ok ? options.value : {}
      const mine = ++openSeq
      set({ opening: true, openError: null })
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
        set({ cache, opening: false, readonlyWanted: cache.readonly, location: cache.location })
        onOpened(cache)
        return cache
      } catch (err) {
        if (mine === openSeq) set({ opening: false, openError: errorMessage(err) })
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
  }))
}

/** The store type createAppStore returns. */
export type AppStore = ReturnType<typeof createAppStore>
