import type { DeletePlan } from '../../../shared/store-types.js'
import type { DoctorReport } from '../../../shared/store-types.js'
import { InvalidArgumentError, toErrorShape } from '../../engine/errors.js'
import { forExplorerShape } from '../explorer-wording.js'
import type { CacheStore } from '../../engine/store.js'
import { cacheRef } from './artifact.js'
import type { HandlerTable } from './types.js'

type Target = { keys: string[]; orphans: string[]; trash?: boolean }

function merge(a: DeletePlan, b: DeletePlan): DeletePlan {
  return {
    ...(a.trash ? { trash: a.trash } : {}),
    root: a.root,
    dryRun: a.dryRun,
    entries: [...a.entries, ...b.entries],
    bytes: a.bytes + b.bytes,
    deleted: [...a.deleted, ...b.deleted],
    cancelled: a.cancelled || b.cancelled,
  }
}

async function plan(store: CacheStore, target: Target): Promise<DeletePlan> {
  if (target.keys.length + target.orphans.length === 0) {
    throw new InvalidArgumentError('Nothing selected to delete.')
  }
  const keys = await store.deleteMany(target.keys, { dryRun: true, trash: target.trash === true })
  if (target.orphans.length === 0) return keys
  return merge(keys, await store.deleteOrphans(target.orphans, { dryRun: true }))
}

/** delete.plan, delete.start, job.status, job.cancel, doctor.run and doctor.repair. */
export const deleteHandlers: HandlerTable<
  'delete.plan' | 'delete.start' | 'job.status' | 'job.cancel' | 'doctor.run' | 'doctor.repair'
> = {
  async 'delete.plan'(request, session) {
    return plan(session.cache(request.cacheId).store, request)
  },

  async 'delete.start'(request, session) {
    const { store } = session.cache(request.cacheId)
    const planned = await plan(store, request)
    // The typed number must match what the plan holds, or nothing is deleted.
    if (request.confirmCount !== planned.entries.length) {
      throw new InvalidArgumentError(
        `Type ${planned.entries.length} to confirm deleting ${planned.entries.length} entries (got ${request.confirmCount}); nothing was deleted.`,
      )
    }
    const job = session.addJob(planned.entries.length)
    const status = job.status
    const options = {
      dryRun: false,
      trash: request.trash,
      signal: job.controller.signal,
      onProgress: ({ key }: { key: string }) => {
        status.done += 1
        status.current = key
        session.emit({ type: 'job', status: { ...status } })
      },
    }
    job.settled = (async () => {
      try {
        let result = await store.deleteMany(request.keys, options)
        if (request.orphans.length > 0 && !result.cancelled) {
          result = merge(result, await store.deleteOrphans(request.orphans, options))
        }
        status.result = result
      } catch (err) {
        status.error = forExplorerShape(toErrorShape(err))
      } finally {
        session.finishJob(job)
        session.emit({ type: 'job', status: { ...status } })
      }
    })()
    return { jobId: status.jobId }
  },

  async 'job.status'(request, session) {
    return session.job(request.jobId).status
  },

  async 'job.cancel'(request, session) {
    const job = session.job(request.jobId)
    job.controller.abort()
    return job.status
  },

  async 'doctor.run'(request, session, signal) {
    const task = { kind: 'doctor' as const, cache: cacheRef(session.cache(request.cacheId)) }
    const report = (await session.runTask(task, signal)) as DoctorReport
    const brokenSidecars = report.brokenSidecars.map((b) => ({
      ...b,
      error: forExplorerShape(b.error),
    }))
    return { ...report, brokenSidecars }
  },

  async 'doctor.repair'(request, session) {
    const plan = await session.cache(request.cacheId).store.repairInterrupted({ dryRun: false })
    return { repaired: plan.repaired.length }
  },
}
