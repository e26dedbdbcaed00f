/**
 * In-memory datasets behind a FakeTransport: 'dataset.slice' answers by slicing them, and
 * 'dataset.stats' runs as a job whose progress the test (or a timer) advances one chunk at a
 * time, with job events, job.status and job.cancel, as the engine answers.
 */
import type { JobStatus, VariableStats } from '../../../shared/ipc'
import { sliceMemoryArray, type MemoryArray } from '../preview/local-slice'
import type { FakeTransport } from './fake-transport'
import { IpcError } from './transport'

/** One dataset: variables (coordinates and data) by name, flat C-order decoded values. */
export type FakeDataset = ReadonlyMap<string, MemoryArray>

/** Options: how many chunks a stats job walks, and a timer to advance it by itself (demos). */
export interface FakeDatasetOptions {
  statsChunks?: number
  autoAdvanceMs?: number
}

interface StatsJob {
  status: JobStatus
  values: readonly unknown[]
  cancelled: boolean
}

/** Statistics of decoded values: numbers give min/max/mean, ISO times min/max; null is NaN. */
export function statsOf(variable: string, values: readonly unknown[]): VariableStats {
  let min: number | string | null = null
  let max: number | string | null = null
  let sum = 0
  let count = 0
  let nanCount = 0
  let numeric = true
  for (const v of values) {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) {
      nanCount++
      continue
    }
    count++
    if (typeof v === 'number') sum += v
    else numeric = false
    const x = v as number | string
    if (min === null || x < min) min = x
    if (max === null || x > max) max = x
  }
  return { variable, min, max, mean: numeric && count > 0 ? sum / count : null, nanCount, count }
}

/** Serves `datasets` (by key, or `key/member` for collection members) on the transport. */
export function serveFakeDatasets(
  transport: FakeTransport,
  datasets: ReadonlyMap<string, FakeDataset>,
  options: FakeDatasetOptions = {},
) {
  const chunks = options.statsChunks ?? 4
  const jobs = new Map<string, StatsJob>()
  let nextJob = 0
  const find = (key: string, member: string | undefined, variable: string) => {
    const ds = datasets.get(member === undefined ? key : `${key}/${member}`)
    if (!ds) throw new IpcError('KEY_NOT_FOUND', `No dataset ${key} in the fake cache.`)
    const array = ds.get(variable)
    if (!array) throw new IpcError('INVALID_ARGUMENT', `${key} has no variable named ${variable}.`)
    return { ds, array }
  }

  transport.handle('dataset.slice', (req) => {
    const { ds, array } = find(req.key, req.member, req.variable)
    const coords = new Map<string, readonly unknown[]>()
    for (const d of array.dims) {
      const c = ds.get(d)
      if (c && c.dims.length === 1 && c.dims[0] === d) coords.set(d, c.values)
    }
    try {
      return sliceMemoryArray(
        req.variable,
        array,
        req.selection ?? [],
        coords,
        req.maxElements ?? 1_000_000,
      )
    } catch (err) {
      throw new IpcError('INVALID_ARGUMENT', err instanceof Error ? err.message : String(err))
    }
  })

  transport.handle('dataset.stats', (req) => {
    const { array } = find(req.key, req.member, req.variable)
    const jobId = `stats-${nextJob++}`
    const status: JobStatus = {
      jobId,
      done: 0,
      total: chunks,
      current: req.variable,
      finished: false,
      result: null,
      stats: null,
      error: null,
    }
    jobs.set(jobId, { status, values: array.values, cancelled: false })
    return { jobId }
  })

  const publish = (job: StatsJob) => transport.emit({ type: 'job', status: { ...job.status } })
  const earlierStatus = transport.handler('job.status')
  const earlierCancel = transport.handler('job.cancel')
  transport.handle('job.status', (req) => {
    const job = jobs.get(req.jobId)
    if (job) return { ...job.status }
    if (earlierStatus) return earlierStatus(req)
    throw new IpcError('INVALID_ARGUMENT', `No job ${req.jobId}.`)
  })
  transport.handle('job.cancel', (req) => {
    const job = jobs.get(req.jobId)
    if (!job) {
      if (earlierCancel) return earlierCancel(req)
      throw new IpcError('INVALID_ARGUMENT', `No job ${req.jobId}.`)
    }
    const before = { ...job.status }
    if (!job.status.finished && !job.cancelled) {
      job.cancelled = true
      // As the engine does: the answer comes before the job stops, which then ends with a
      // "Cancelled" error in a job event.
      queueMicrotask(() => {
        job.status = {
          ...job.status,
          finished: true,
          current: null,
          error: {
            code: 'BACKEND',
            message: `Cancelled: the statistics of ${job.status.current ?? ''} were not finished.`,
          },
        }
        publish(job)
      })
    }
    return before
  })

  /** Moves every running stats job on by one chunk; the last chunk brings the result. */
  const advance = () => {
    for (const [, job] of jobs) {
      if (job.status.finished || job.cancelled) continue
      const done = job.status.done + 1
      const finished = done >= job.status.total
      job.status = {
        ...job.status,
        done,
        finished,
        current: finished ? null : job.status.current,
        stats: finished ? statsOf(job.status.current ?? '', job.values) : null,
      }
      publish(job)
    }
  }
  const timer =
    options.autoAdvanceMs !== undefined ? setInterval(advance, options.autoAdvanceMs) : null

  return {
    advance,
    /** The stats jobs started so far, by id. */
    jobs: (): ReadonlyMap<string, JobStatus> => new Map([...jobs].map(([id, j]) => [id, j.status])),
    /** Stops the auto-advance timer. */
    dispose: () => {
      if (timer !== null) clearInterval(timer)
    },
  }
}
