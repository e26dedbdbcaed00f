import type { CopyResult } from '../../../shared/ipc.js'
import { planCopy, runCopy, type CopyPlan } from '../../engine/copy.js'
import { toErrorShape } from '../../engine/errors.js'
import { forExplorerShape } from '../explorer-wording.js'
import type { HandlerTable } from './types.js'

/** The small wire form of a copy plan: per key counts, no object lists. */
export function copyResult(plan: CopyPlan): CopyResult {
  return {
    source: plan.source,
    destination: plan.destination,
    dryRun: plan.dryRun,
    onDuplicateKey: plan.onDuplicateKey,
    entries: plan.entries.map((e) => ({
      key: e.key,
      action: e.action,
      reason: e.reason,
      objects: e.objects.length,
      copyObjects: e.objects.filter((o) => o.copy).length,
      bytes: e.bytes,
      copyBytes: e.copyBytes,
    })),
    keys: plan.keys,
    objects: plan.objects,
    bytes: plan.bytes,
    copiedKeys: plan.copied.length,
    copiedBytes: plan.copiedBytes,
    cancelled: plan.cancelled,
  }
}

/**
 * copy.run: plans (and unless dry run, runs) a copy between two open caches as a job, as
 * table.export does: progress (bytes) as job events, the outcome in JobStatus.copy, job.cancel
 * stops it between objects. The destination's read-only state (toggle or permissions) is
 * enforced by the engine, before anything is planned.
 */
export const copyHandlers: HandlerTable<'copy.run'> = {
  async 'copy.run'(request, session) {
    const source = session.cache(request.sourceCacheId).store
    const destination = session.cache(request.destinationCacheId).store
    const job = session.addJob(0)
    const status = job.status
    status.copy = null
    const emit = () => session.emit({ type: 'job', status: { ...status } })
    void (async () => {
      try {
        const plan = await planCopy(
          source,
          destination,
          { keys: request.keys, where: request.where },
          { onDuplicateKey: request.onDuplicateKey },
        )
        status.total = plan.bytes
        // A cancel that came while planning stops the run before its first key.
        if (!request.dryRun) {
          emit()
          await runCopy(plan, {
            signal: job.controller.signal,
            onProgress: (p) => {
              status.done = p.bytesDone
              status.current = p.key
              emit()
            },
          })
        }
        status.copy = copyResult(plan)
      } catch (err) {
        status.error = forExplorerShape(toErrorShape(err))
      } finally {
        session.finishJob(job)
        emit()
      }
    })()
    return { jobId: status.jobId }
  },
}
