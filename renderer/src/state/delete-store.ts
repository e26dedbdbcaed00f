import { createStore } from 'zustand/vanilla'
import type { DeletePlanData, JobStatus, ResponseOf, XpersistEvent } from '../../../shared/ipc'
import { errorMessage, type Transport } from '../ipc/transport'

/** What a delete is about: artifacts by key and/or orphan payload files. */
export interface DeleteTarget {
  keys: readonly string[]
  orphans: readonly string[]
}

/** What trash.restore answers: per key, restored or why it was refused. */
export type RestoreResult = ResponseOf<'trash.restore'>

/** Undoing a delete that went to the trash: restoring its trash entry. */
export type UndoState =
  | { phase: 'running' }
  | { phase: 'done'; result: RestoreResult }
  | { phase: 'failed'; message: string }

/**
 * The delete flow, one phase at a time: the plan is fetched, the user types the count to
 * confirm, the job runs with progress and can be cancelled, and a summary closes it (with
 * Undo when the artifacts went to the trash). `permanent`: deleted for good, not trashed.
 */
export type DeletePhase =
  | { phase: 'idle' }
  | { phase: 'planning'; target: DeleteTarget }
  | {
      phase: 'confirm'
      target: DeleteTarget
      plan: DeletePlanData
      typed: string
      permanent: boolean
    }
  | { phase: 'starting'; target: DeleteTarget; plan: DeletePlanData; permanent: boolean }
  | {
      phase: 'running'
      plan: DeletePlanData
      jobId: string
      status: JobStatus | null
      cancelling: boolean
      permanent: boolean
    }
  | {
      phase: 'summary'
      plan: DeletePlanData
      result: DeletePlanData | null
      error: string | null
      undo: UndoState | null
    }
  | { phase: 'failed'; message: string }

/** The delete dialog's state and the moves between phases. */
export interface DeleteState {
  flow: DeletePhase
  /** Asks for the plan of a delete (the dialog opens on it). */
  begin(cacheId: string, target: DeleteTarget): Promise<void>
  setTyped(typed: string): void
  /** Ticks or unticks "Delete permanently" (the default moves the artifacts to the trash). */
  setPermanent(permanent: boolean): void
  /** After a delete into the trash: restores that trash entry. */
  undo(): Promise<void>
  /** Starts the job when the typed count matches. */
  confirm(): Promise<void>
  /** Asks the job to stop between artifacts. */
  cancel(): Promise<void>
  /** A pushed event; job progress for our job moves the flow on. */
  handleEvent(event: XpersistEvent): void
  close(): void
}

/** True when what the user typed is exactly the number of artifacts in the plan. */
export function confirmationMatches(plan: DeletePlanData, typed: string): boolean {
  return plan.entries.length > 0 && typed.trim() === String(plan.entries.length)
}

/** Options: the poll interval (job.status as a fallback to events) and who hears the end. */
export interface DeleteStoreOptions {
  pollMs?: number
  onFinished?: (result: DeletePlanData | null, target: DeleteTarget) => void
  /** Hears the keys an Undo restored. */
  onRestored?: (keys: string[]) => void
}

/** The delete store: plan -> typed confirmation -> running (progress, cancel) -> summary. */
export function createDeleteStore(transport: Transport, options: DeleteStoreOptions = {}) {
  const pollMs = options.pollMs ?? 250
  let cacheId = ''
  let target: DeleteTarget = { keys: [], orphans: [] }
  let timer: ReturnType<typeof setInterval> | null = null
  const stopPolling = () => {
    if (timer !== null) clearInterval(timer)
    timer = null
  }

  return createStore<DeleteState>()((set, get) => {
    const applyStatus = (status: JobStatus) => {
      const flow = get().flow
      if (flow.phase !== 'running' || flow.jobId !== status.jobId) return
      if (!status.finished) {
        set({ flow: { ...flow, status } })
        return
      }
      stopPolling()
      const error = status.error ? status.error.message : null
      set({
        flow: { phase: 'summary', plan: flow.plan, result: status.result, error, undo: null },
      })
      options.onFinished?.(status.result, target)
    }

    const poll = async (jobId: string) => {
      try {
        applyStatus(await transport.invoke('job.status', { jobId }))
      } catch {
        // a missed poll is retried on the next tick; events may still arrive
      }
    }

    return {
      flow: { phase: 'idle' },
      begin: async (id, t) => {
        stopPolling()
        cacheId = id
        target = { keys: [...t.keys], orphans: [...t.orphans] }
        set({ flow: { phase: 'planning', target } })
        try {
          // Planned as a move to the trash: the plan then says what an object store copies.
          const plan = await transport.invoke('delete.plan', {
            cacheId,
            keys: [...target.keys],
            orphans: [...target.orphans],
            trash: true,
          })
          if (get().flow.phase === 'planning')
            set({ flow: { phase: 'confirm', target, plan, typed: '', permanent: false } })
        } catch (err) {
          if (get().flow.phase === 'planning')
            set({ flow: { phase: 'failed', message: errorMessage(err) } })
        }
      },
      setTyped: (typed) => {
        const flow = get().flow
        if (flow.phase === 'confirm') set({ flow: { ...flow, typed } })
      },
      setPermanent: (permanent) => {
        const flow = get().flow
        if (flow.phase === 'confirm') set({ flow: { ...flow, permanent } })
      },
      undo: async () => {
        const flow = get().flow
        const id = flow.phase === 'summary' ? flow.result?.trash?.id : null
        if (flow.phase !== 'summary' || !id || flow.undo?.phase === 'running') return
        set({ flow: { ...flow, undo: { phase: 'running' } } })
        let undo: UndoState
        try {
          const result = await transport.invoke('trash.restore', { cacheId, id, dryRun: false })
          undo = { phase: 'done', result }
          options.onRestored?.(result.restored)
        } catch (err) {
          undo = { phase: 'failed', message: errorMessage(err) }
        }
        const now = get().flow
        if (now.phase === 'summary' && now.result?.trash?.id === id) set({ flow: { ...now, undo } })
      },
      confirm: async () => {
        const flow = get().flow
        if (flow.phase !== 'confirm' || !confirmationMatches(flow.plan, flow.typed)) return
        const { permanent } = flow
        set({ flow: { phase: 'starting', target: flow.target, plan: flow.plan, permanent } })
        try {
          const { jobId } = await transport.invoke('delete.start', {
            cacheId,
            keys: [...flow.target.keys],
            orphans: [...flow.target.orphans],
            confirmCount: flow.plan.entries.length,
            trash: !permanent,
          })
          if (get().flow.phase !== 'starting') return
          set({
            flow: {
              phase: 'running',
              plan: flow.plan,
              jobId,
              status: null,
              cancelling: false,
              permanent,
            },
          })
          timer = setInterval(() => void poll(jobId), pollMs)
          void poll(jobId)
        } catch (err) {
          set({ flow: { phase: 'failed', message: errorMessage(err) } })
        }
      },
      cancel: async () => {
        const flow = get().flow
        if (flow.phase !== 'running' || flow.cancelling) return
        set({ flow: { ...flow, cancelling: true } })
        try {
          applyStatus(await transport.invoke('job.cancel', { jobId: flow.jobId }))
        } catch (err) {
          const now = get().flow
          if (now.phase === 'running') set({ flow: { ...now, cancelling: false } })
          console.warn('job.cancel failed:', errorMessage(err))
        }
      },
      handleEvent: (event) => {
        if (event.type === 'job') applyStatus(event.status)
      },
      close: () => {
        // A running job keeps going on the main side; closing mid-run is only offered after it.
        if (get().flow.phase === 'running' || get().flow.phase === 'starting') return
        stopPolling()
        set({ flow: { phase: 'idle' } })
      },
    }
  })
}

/** The store type createDeleteStore returns. */
export type DeleteStore = ReturnType<typeof createDeleteStore>
