/**
 * The location and storage fields of a form that opens a cache, and their moves: one
 * implementation for the Open form (app store) and the Copy to… destination (copy store), so
 * both forget secrets after an open and both show which locations' secrets the main side keeps.
 */
import { isRemote } from './location'
import {
  formFromRemembered,
  storageKind,
  withoutSecrets,
  type StorageField,
  type StorageForm,
} from './storage-form'

/** Which locations' secrets the main side holds this session: flags only, never the keys. */
export interface KeptSecrets {
  has(location: string): boolean
  add(location: string): void
}

/** A recent cache as the forms use it (app.info's recent entry). */
export interface RecentLocation {
  location: string
  options?: Record<string, unknown> | undefined
  secretsNeeded?: boolean | undefined
}

/** The fields' state. */
export interface StorageFormFields {
  location: string
  storage: StorageForm
  storageOptionsText: string
  errorField: StorageField | 'auth' | 'extra' | null
  openError: string | null
}

/** The fields' moves. */
export interface StorageFormMoves {
  setLocation(location: string): void
  setStorage(patch: Partial<StorageForm>): void
  setStorageOptionsText(text: string): void
  /**
   * Fills the fields from a recent cache's remembered settings; false (with the error shown on
   * the field to type) when its secrets were never remembered and the main side holds none.
   */
  fillFromRecent(recent: RecentLocation): boolean
  /** After an open of `location` (now `cacheLocation`): secrets leave the form, marked as kept. */
  opened(location: string, cacheLocation: string): void
  /** Empties the secret fields without an open (a dialog closed). */
  forgetSecrets(): void
}

type Set_ = (patch: Partial<StorageFormFields>) => void

/** The moves over any store holding StorageFormFields. */
export function storageFormMoves(
  set: Set_,
  get: () => StorageFormFields,
  kept: KeptSecrets,
  /** The button that opens, as the form shows it (for the "type them again" message). */
  openButton = 'Open',
): StorageFormMoves {
  const edited = { openError: null, errorField: null }
  return {
    setLocation: (location) =>
      set({
        location,
        ...edited,
        storage: { ...get().storage, secretsKept: kept.has(location.trim()) },
      }),
    setStorage: (patch) => set({ storage: { ...get().storage, ...patch }, ...edited }),
    setStorageOptionsText: (storageOptionsText) => set({ storageOptionsText, ...edited }),
    fillFromRecent: (recent) => {
      const isKept = kept.has(recent.location)
      const storage = {
        ...formFromRemembered(recent.location, recent.options, recent.secretsNeeded === true),
        secretsKept: isKept,
      }
      set({ location: recent.location, storage, storageOptionsText: '', ...edited })
      if (!recent.secretsNeeded || isKept) return true
      set({
        openError: `Credentials are not remembered: type them again, then press ${openButton}.`,
        errorField: storageKind(recent.location) === 'gcs' ? 'serviceAccountPath' : 'key',
      })
      return false
    },
    opened: (location, cacheLocation) => {
      const storage = get().storage
      const gaveSecrets = Boolean(
        storage.key || storage.secret || storage.token || storage.serviceAccountPath,
      )
      const isKept = isRemote(location) && (gaveSecrets || storage.secretsKept)
      if (isKept) kept.add(cacheLocation)
      set({ storage: withoutSecrets(storage, isKept) })
    },
    forgetSecrets: () => {
      const storage = get().storage
      set({ storage: withoutSecrets(storage, storage.secretsKept) })
    },
  }
}

/** A KeptSecrets of its own (a copy store made without the app's, as in tests). */
export function localKeptSecrets(): KeptSecrets {
  const locations = new Set<string>()
  return { has: (l) => locations.has(l), add: (l) => void locations.add(l) }
}
