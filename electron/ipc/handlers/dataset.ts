import type { DatasetSlice, VariableStats } from '../../../shared/ipc.js'
import { toErrorShape } from '../../engine/errors.js'
import { forExplorerShape } from '../explorer-wording.js'
import { cacheRef } from './artifact.js'
import type { HandlerTable } from './types.js'

/**
 * dataset.slice and dataset.stats. Both run where tasks run (a worker the host can stop), on
 * datasets kept open there between calls (see open-datasets.ts). A slice answers the call;
 * statistics are a job, as a delete is: progress comes as job events and through job.status,
 * the result in JobStatus.stats, and job.cancel stops them.
 */
export const datasetHandlers: HandlerTable<'dataset.slice' | 'dataset.stats'> = {
  async 'dataset.slice'(request, session, signal) {
    const cache = session.cache(request.cacheId)
    const task = {
      kind: 'slice' as const,
      cache: cacheRef(cache),
      key: request.key,
      ...(request.member !== undefined ? { member: request.member } : {}),
      variable: request.variable,
      selection: request.selection,
      maxElements: request.maxElements,
    }
    return (await session.runTask(task, signal)) as DatasetSlice
  },

  async 'dataset.stats'(request, session) {
    const cache = session.cache(request.cacheId)
    const task = {
      kind: 'stats' as const,
      cache: cacheRef(cache),
      key: request.key,
      ...(request.member !== undefined ? { member: request.member } : {}),
      variable: request.variable,
    }
    const job = session.addJob(0)
    const status = job.status
    status.current = request.variable
    status.stats = null
    const onProgress = ({ done, total }: { done: number; total: number }) => {
      status.done = done
      status.total = total
      session.emit({ type: 'job', status: { ...status } })
    }
    void (async () => {
      try {
        status.stats = (await session.runTask(
          task,
          job.controller.signal,
          onProgress,
        )) as VariableStats
      } catch (err) {
        status.error = job.controller.signal.aborted
          ? {
              code: 'BACKEND',
              message: `Cancelled: the statistics of ${request.variable} were not finished.`,
            }
          : forExplorerShape(toErrorShape(err))
      } finally {
        session.finishJob(job)
        session.emit({ type: 'job', status: { ...status } })
      }
    })()
    return { jobId: status.jobId }
  },
}
