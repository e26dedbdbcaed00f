import { createStore } from 'zustand/vanilla'
import type { CacheInfo, CopyResult, JobStatus } from '../../../shared/ipc'
import { errorMessage, type Transport } from '../ipc/transport'
import type { RecentCache } from './app-store'
import { followJob, type FollowedJob } from './job-wait'
import { isRemote, protocolProblem } from './location'
import {
  buildStorageOptions,
  EMPTY_STORAGE_FORM,
  fieldOfError,
  storageKind,
  type StorageField,
  type StorageForm,
} from './storage-form'
import { localKeptSecrets, storageFormMoves, type KeptSecrets } from './storage-form-slice'

/** What `on_duplicate_key` does with a key the destination already holds. */
export type DuplicatePolicy = CopyResult['onDuplicateKey']

/**
 * The copy flow: pick and open the destination, see the dry-run plan (nothing written yet),
 * run it with progress and Cancel, then a summary of what was copied, skipped and failed.
 */
export type CopyPhase =
  | { phase: 'idle' }
  | { phase: 'destination'; opening: boolean }
  | { phase: 'planning' }
  | { phase: 'plan'; plan: CopyResult }
  | { phase: 'running'; plan: CopyResult; status: JobStatus | null; cancelling: boolean }
  | { phase: 'summary'; plan: CopyResult; result: CopyResult | null; error: string | null }
  | { phase: 'failed'; message: string }

/**
 * The destination form's fields: the Open form's state and moves (storage-form-slice), so
 * secrets leave it after an open and the kept ones show as kept, as in the Open form.
 */
export interface DestinationForm {
  location: string
  storage: StorageForm
  storageOptionsText: string
  errorField: StorageField | 'auth' | 'extra' | null
  setStorage(patch: Partial<StorageForm>): void
  setStorageOptionsText(text: string): void
}

/** The copy dialog's state and its moves. */
export interface CopyState extends DestinationForm {
  flow: CopyPhase
  keys: readonly string[]
  policy: DuplicatePolicy
  destination: CacheInfo | null
  openError: string | null
  /** Opens the dialog for these keys of the source cache. */
  begin(sourceCacheId: string, sourceLocation: string, keys: readonly string[]): void
  setLocation(location: string): void
  /** A recent cache: its remembered non-secret settings fill the form. */
  pickRecent(recent: RecentCache): void
  /** Opens the destination through cache.open, then asks for the dry-run plan. */
  openDestination(protocols?: readonly string[]): Promise<void>
  /** Back to the destination form (another cache). */
  changeDestination(): void
  /** Another duplicate policy: the plan is made again with it. */
  setPolicy(policy: DuplicatePolicy): Promise<void>
  /** Runs the plan shown (only from the plan phase, with something to copy). */
  run(): Promise<void>
  /** Asks the job to stop between objects (a key cut short is rolled back). */
  cancel(): Promise<void>
  close(): void
}

/** Keys the plan writes (copy or overwrite); the rest are skipped, and the plan says why. */
export function keysToCopy(plan: CopyResult): number {
  return plan.entries.filter((e) => e.action === 'copy' || e.action === 'overwrite').length
}

/** Options: the job poll interval and who hears a finished copy (to refresh listings). */
export interface CopyStoreOptions {
  pollMs?: number
  /** Which locations' secrets the main side keeps: the app's, so both forms agree. */
  keptSecrets?: KeptSecrets
  onFinished?: (result: CopyResult | null, destination: CacheInfo) => void
}

/** The copy store: destination -> dry-run plan -> run (progress, cancel) -> summary. */
export function createCopyStore(transport: Transport, options: CopyStoreOptions = {}) {
  const pollMs = options.pollMs ?? 250
  let sourceCacheId = ''
  let sourceLocation = ''
  let job: FollowedJob | null = null
  let seq = 0
  const stopJob = () => {
    job?.stop()
    job = null
  }

  return createStore<CopyState>()((set, get) => {
    const form = storageFormMoves(
      set,
      get,
      options.keptSecrets ?? localKeptSecrets(),
      'Open and plan',
    )
    // The job id of each copy.run, by its sequence number: Cancel stops the current one.
    const jobIds = new Map<number, string>()
    // A dry-run or real copy.run job, followed to its end; null when superseded.
    const runJob = async (dryRun: boolean, onStatus: (s: JobStatus) => void) => {
      const dest = get().destination
      if (!dest) return null
      const mine = ++seq
      const { jobId } = await transport.invoke('copy.run', {
        sourceCacheId,
        destinationCacheId: dest.cacheId,
        keys: [...get().keys],
        where: [],
        onDuplicateKey: get().policy,
        dryRun,
      })
      if (mine !== seq) return null
      stopJob()
      job = followJob(transport, jobId, onStatus, pollMs)
      jobIds.set(mine, jobId)
      const status = await job.done
      return mine === seq ? status : null
    }
    const plan = async () => {
      set({ flow: { phase: 'planning' } })
      try {
        const status = await runJob(true, () => {})
        if (!status) return
        if (status.error || !status.copy) {
          set({ flow: { phase: 'failed', message: status.error?.message ?? 'No plan came back.' } })
          return
        }
        set({ flow: { phase: 'plan', plan: status.copy } })
      } catch (err) {
        set({ flow: { phase: 'failed', message: errorMessage(err) } })
      }
    }

    const releaseDestination = () => {
      const dest = get().destination
      if (dest && dest.cacheId !== sourceCacheId)
        void transport.invoke('cache.close', { cacheId: dest.cacheId }).catch(() => {})
    }

    return {
      flow: { phase: 'idle' },
      keys: [],
      policy: 'skip',
      destination: null,
      openError: null,
      location: '',
      storage: EMPTY_STORAGE_FORM,
      storageOptionsText: '',
      errorField: null,
      begin: (id, location, keys) => {
        stopJob()
        sourceCacheId = id
        sourceLocation = location
        set({
          flow: { phase: 'destination', opening: false },
          keys: [...keys],
          destination: null,
          openError: null,
          errorField: null,
        })
      },
      setLocation: form.setLocation,
      setStorage: form.setStorage,
      setStorageOptionsText: form.setStorageOptionsText,
      pickRecent: (recent) => void form.fillFromRecent(recent),
      openDestination: async (protocols) => {
        const flow = get().flow
        if (flow.phase !== 'destination' || flow.opening) return
        const location = get().location.trim()
        const problem =
          location === ''
            ? 'Type the destination: a folder path or an s3:// or gs:// URL.'
            : location === sourceLocation
              ? 'That is the cache the artifacts come from: choose another one.'
              : protocols
                ? protocolProblem(location, protocols)
                : null
        const options = isRemote(location)
          ? buildStorageOptions(location, get().storage, get().storageOptionsText)
          : null
        const message = problem ?? (options && !options.ok ? options.message : null)
        if (message) {
          set({ openError: message })
          return
        }
        set({ flow: { phase: 'destination', opening: true }, openError: null })
        try {
          const cache = await transport.invoke('cache.open', {
            location,
            readonly: false,
            storageOptions: options && options.ok ? options.value : {},
          })
          if (get().flow.phase !== 'destination') {
            if (cache.cacheId !== sourceCacheId)
              void transport.invoke('cache.close', { cacheId: cache.cacheId }).catch(() => {})
            return
          }
          if (cache.cacheId === sourceCacheId || cache.location === sourceLocation) {
            set({
              flow: { phase: 'destination', opening: false },
              openError: 'That is the cache the artifacts come from: choose another one.',
            })
            return
          }
          if (cache.readonly) {
            void transport.invoke('cache.close', { cacheId: cache.cacheId }).catch(() => {})
            set({
              flow: { phase: 'destination', opening: false },
              openError: `${cache.location} is read-only${cache.readonlyReason ? ` (${cache.readonlyReason})` : ''}: choose a cache you can write to.`,
            })
            return
          }
          // Secrets went to the main side once; the form forgets them (all of them, the
          // service-account path too) and shows them as kept, as the Open form does.
          form.opened(location, cache.location)
          set({ destination: cache })
          await plan()
        } catch (err) {
          const msg = errorMessage(err)
          set({
            flow: { phase: 'destination', opening: false },
            openError: msg,
            errorField: fieldOfError(msg, storageKind(location), get().storage),
          })
        }
      },
      changeDestination: () => {
        if (get().flow.phase === 'running') return
        seq++
        stopJob()
        releaseDestination()
        set({ flow: { phase: 'destination', opening: false }, destination: null })
      },
      setPolicy: async (policy) => {
        if (policy === get().policy) return
        set({ policy })
        if (get().flow.phase === 'plan' || get().flow.phase === 'planning') await plan()
      },
      run: async () => {
        const flow = get().flow
        if (flow.phase !== 'plan' || keysToCopy(flow.plan) === 0) return
        const planned = flow.plan
        set({ flow: { phase: 'running', plan: planned, status: null, cancelling: false } })
        try {
          const status = await runJob(false, (s) => {
            const now = get().flow
            if (now.phase === 'running' && !s.finished) set({ flow: { ...now, status: s } })
          })
          if (!status) return
          set({
            flow: {
              phase: 'summary',
              plan: planned,
              result: status.copy ?? null,
              error: status.error ? status.error.message : null,
            },
          })
          const dest = get().destination
          if (dest) options.onFinished?.(status.copy ?? null, dest)
        } catch (err) {
          set({ flow: { phase: 'failed', message: errorMessage(err) } })
        }
      },
      cancel: async () => {
        const flow = get().flow
        const jobId = jobIds.get(seq)
        if (flow.phase !== 'running' || flow.cancelling || !jobId) return
        set({ flow: { ...flow, cancelling: true } })
        try {
          await transport.invoke('job.cancel', { jobId })
        } catch (err) {
          const now = get().flow
          if (now.phase === 'running') set({ flow: { ...now, cancelling: false } })
          console.warn('job.cancel failed:', errorMessage(err))
        }
      },
      close: () => {
        // A running copy keeps going on the main side; closing is offered once it ends.
        if (get().flow.phase === 'running') return
        seq++
        stopJob()
        releaseDestination()
        form.forgetSecrets() // typed but never sent: not kept in the renderer either
        set({ flow: { phase: 'idle' }, destination: null, openError: null })
      },
    }
  })
}

/** The store type createCopyStore returns. */
export type CopyStore = ReturnType<typeof createCopyStore>
