import { createStore } from 'zustand/vanilla'
import type { ResponseOf } from '../../../shared/ipc'
import { errorMessage, type Transport } from '../ipc/transport'

/** What `doctor.run` found. */
export type DoctorReportData = ResponseOf<'doctor.run'>

/** The Doctor view: open or not, and the last report. */
export interface DoctorState {
  open: boolean
  status: 'idle' | 'running' | 'ready' | 'error'
  report: DoctorReportData | null
  error: string | null
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
      set({ open: false, status: 'idle', report: null, error: null })
    },
  }))
}

/** The store type createDoctorStore returns. */
export type DoctorStore = ReturnType<typeof createDoctorStore>
