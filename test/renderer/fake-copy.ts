/**
 * copy.run on top of a fake cache: a destination with some keys already there, dry runs that
 * finish at once, and real runs that move on only when the test says (so Cancel can land).
 */
import type { CopyResult, JobStatus, RequestOf } from '../../shared/ipc'
import { IpcError } from '../../renderer/src/ipc/transport'
import type { fakeCache } from './fake-cache'

type Entry = CopyResult['entries'][number]

/** Adds copy.run (and copy jobs in job.status / job.cancel) to a fake cache's transport. */
export function withFakeCopy(cache: ReturnType<typeof fakeCache>, destinationKeys: string[]) {
  const t = cache.transport
  const there = new Set(destinationKeys)
  const jobs = new Map<string, { status: JobStatus; entries: Entry[] }>()
  let next = 1

  const planOf = (req: RequestOf<'copy.run'>): CopyResult => {
    const policy = req.onDuplicateKey ?? 'raise_error'
    const entries: Entry[] = (req.keys ?? []).map((key) => {
      const bytes = cache.rows.get(key)?.bytes ?? 0
      const dup = there.has(key)
      const action = !dup
        ? 'copy'
        : policy === 'skip'
          ? 'skip'
          : policy === 'overwrite'
            ? 'overwrite'
            : 'refuse'
      const moves = action === 'copy' || action === 'overwrite'
      return {
        key,
        action,
        reason: dup ? 'the destination already has this key' : null,
        objects: 1,
        copyObjects: moves ? 1 : 0,
        bytes,
        copyBytes: moves ? bytes : 0,
      }
    })
    const moving = entries.filter((e) => e.copyObjects > 0)
    return {
      source: req.sourceCacheId,
      destination: req.destinationCacheId,
      dryRun: req.dryRun ?? true,
      onDuplicateKey: policy,
      entries,
      keys: moving.length,
      objects: moving.length,
      bytes: moving.reduce((n, e) => n + e.copyBytes, 0),
      copiedKeys: 0,
      copiedBytes: 0,
      cancelled: false,
    }
  }

  t.handle('copy.run', (req) => {
    const plan = planOf(req)
    const jobId = `copy-${next++}`
    const finished = req.dryRun !== false
    jobs.set(jobId, {
      entries: plan.entries.filter((e) => e.copyObjects > 0),
      status: {
        jobId,
        done: 0,
        total: plan.bytes,
        current: null,
        finished,
        result: null,
        copy: finished ? plan : { ...plan },
        error: null,
      },
    })
    return { jobId }
  })
  const status = t.handler('job.status')
  t.handle('job.status', (req) => {
    const job = jobs.get(req.jobId)
    if (job) return job.status
    if (!status) throw new IpcError('KEY_NOT_FOUND', `No job ${req.jobId}.`)
    return status(req)
  })
  const cancel = t.handler('job.cancel')
  t.handle('job.cancel', (req) => {
    const job = jobs.get(req.jobId)
    if (!job) {
      if (!cancel) throw new IpcError('KEY_NOT_FOUND', `No job ${req.jobId}.`)
      return cancel(req)
    }
    if (!job.status.finished) {
      job.status = {
        ...job.status,
        finished: true,
        copy: job.status.copy ? { ...job.status.copy, cancelled: true } : null,
      }
      t.emit({ type: 'job', status: job.status })
    }
    return job.status
  })

  return {
    /** Keys in the destination now. */
    destination: there,
    /** Copies the next key of a running job, pushing progress; finishes after the last. */
    advance(jobId: string) {
      const job = jobs.get(jobId)
      if (!job || job.status.finished || !job.status.copy) return
      const entry = job.entries[job.status.copy.copiedKeys]
      if (!entry) return
      there.add(entry.key)
      const copy = {
        ...job.status.copy,
        copiedKeys: job.status.copy.copiedKeys + 1,
        copiedBytes: job.status.copy.copiedBytes + entry.copyBytes,
      }
      const finished = copy.copiedKeys >= job.entries.length
      job.status = { ...job.status, done: copy.copiedBytes, current: entry.key, finished, copy }
      t.emit({ type: 'job', status: job.status })
    },
  }
}
