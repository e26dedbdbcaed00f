import { createStore } from 'zustand/vanilla'
import type { ResponseOf } from '../../../shared/ipc'
import { errorMessage, type Transport } from '../ipc/transport'

/** What `doctor.run` found. */
export type DoctorReportData = ResponseOf<'doctor.run'>

/** What Clean… deletes: artifacts by key and orphan files, as a delete plan's target. */
export interface CleanTarget {
  keys: string[]
  orphans: string[]
}

/**
 * What Clean… covers: every finding that deleting fixes without losing anything readable —
 * orphan files (temp files of interrupted writes among them), broken artifacts and sidecars
 * whose payload is gone. The other findings are listed but kept; doctor says why beside them.
 */
export function cleanTarget(report: DoctorReportData): CleanTarget {
  return {
    keys: [...report.brokenSidecars.map((b) => b.key), ...report.missingPayload],
    orphans: report.orphans.map((o) => o.path),
  }
}

/** The Doctor view: open or not, and the last report. */
export interface DoctorState {
  open: boolean
  status: 'idle' | 'running' | 'ready' | 'error'
  report: DoctorReportData | null
  error: string | null
  /** A repair of interrupted writes under way. */
  repairing: boolean
  /** Why the last repair failed, or null. */
  repairError: string | null
  /** Finishes or undoes the interrupted writes, then checks again. */
  repair(cacheId: string): Promise<void>
  /** Opens the view and runs the checks. */
  show(cacheId: string): Promise<void>
  /** Runs the checks again (after a clean). */
  run(cacheId: string): Promise<void>
  hide(): void
}

/** The doctor store. */
export function createDoctorStore(transport: Transport) {
  let seq = 0
  return createStore<DoctorState>()((set, get) => ({
    open: false,
    status: 'idle',
    report: null,
    error: null,
    repairing: false,
    repairError: null,
    repair: async (cacheId) => {
      set({ repairing: true, repairError: null })
      try {
        await transport.invoke('doctor.repair', { cacheId })
        set({ repairing: false })
      } catch (err) {
        set({ repairing: false, repairError: errorMessage(err) })
        return
      }
      await get().run(cacheId)
    },
    show: async (cacheId) => {
      set({ open: true })
      await get().run(cacheId)
    },
    run: async (cacheId) => {
      const mine = ++seq
      set({ status: 'running', error: null })
      try {
        const report = await transport.invoke('doctor.run', { cacheId })
        if (mine === seq) set({ status: 'ready', report })
      } catch (err) {
        if (mine === seq) set({ status: 'error', error: errorMessage(err) })
      }
    },
    hide: () => {
      seq++
      set({ open: false, status: 'idle', report: null, error: null, repairError: null })
    },
  }))
}

/** The store type createDoctorStore returns. */
export type DoctorStore = ReturnType<typeof createDoctorStore>
