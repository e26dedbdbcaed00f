// copy.run over the real engine (issue 9, the explorer's "Copy to…"): a plan as a job that
// writes nothing, a run with progress in bytes and the outcome in JobStatus.copy, a read-only
// destination refused, and a cancel that leaves nothing half-copied.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import {
  channels,
  type Channel,
  type JobStatus,
  type RequestOf,
  type ResponseOf,
  type XpersistEvent,
} from '../../shared/ipc.js'
import { fixtureCopy, listFiles, tempDir } from '../helpers/temp.js'

async function call<C extends Channel>(
  session: ExplorerSession,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const env = await invoke(session, channel, request)
  if (!env.ok) throw new Error(env.error.message)
  return env.data as ResponseOf<C>
}

async function finished(session: ExplorerSession, jobId: string): Promise<JobStatus> {
  for (let i = 0; i < 20_000; i++) {
    const status = await call(session, 'job.status', { jobId })
    if (status.finished) return channels['job.status'].response.parse(status)
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error('job did not finish')
}

async function open(readonlyDestination = false) {
  const session = new ExplorerSession({ mode: 'browser', initial: null })
  const src = await fixtureCopy()
  const dst = path.join(await tempDir('xp-copy-ipc-'), 'dst')
  await fs.mkdir(dst)
  const source = await call(session, 'cache.open', { location: src, readonly: true })
  const destination = await call(session, 'cache.open', {
    location: dst,
    readonly: readonlyDestination,
  })
  return {
    session,
    src,
    dst,
    sourceCacheId: source.cacheId,
    destinationCacheId: destination.cacheId,
  }
}

describe('copy.run', () => {
  it('plans as a job (the default) and writes nothing', async () => {
    const { session, dst, sourceCacheId, destinationCacheId } = await open()
    const { jobId } = await call(session, 'copy.run', {
      sourceCacheId,
      destinationCacheId,
      where: ['sst-monthly.zarr', 'p*'],
    })
    const status = await finished(session, jobId)
    expect(status.error).toBeNull()
    expect(status.copy).toMatchObject({ dryRun: true, keys: 4, copiedKeys: 0, cancelled: false })
    expect(status.copy!.entries.find((e) => e.key === 'sst-monthly.zarr')).toMatchObject({
      action: 'copy',
      objects: 21,
      copyObjects: 21,
      reason: null,
    })
    expect(await fs.readdir(dst)).toEqual([])
  })

  it('runs with progress in bytes; the copy is byte for byte', async () => {
    const { session, src, dst, sourceCacheId, destinationCacheId } = await open()
    const events: XpersistEvent[] = []
    session.onEvent((e) => events.push(e))
    const { jobId } = await call(session, 'copy.run', {
      sourceCacheId,
      destinationCacheId,
      keys: ['sst-monthly.zarr', 'pi'],
      dryRun: false,
    })
    const status = await finished(session, jobId)
    expect(status.error).toBeNull()
    expect(status.copy).toMatchObject({ dryRun: false, keys: 2, copiedKeys: 2, cancelled: false })
    expect(status.done).toBe(status.total)
    expect(status.total).toBe(status.copy!.bytes)
    const progress = events.filter((e) => e.status.jobId === jobId).map((e) => e.status.done)
    expect(progress.length).toBeGreaterThan(3)
    expect([...progress].sort((a, b) => a - b)).toEqual(progress)
    const files = (await listFiles(dst)).filter((f) => !f.startsWith('.xpersist-locks'))
    expect(files.length).toBe(21 + 1 + 2)
    for (const f of files) {
      expect(await fs.readFile(path.join(dst, f))).toEqual(await fs.readFile(path.join(src, f)))
    }
    // The destination's listing shows them at once.
    const listed = await call(session, 'cache.list', { cacheId: destinationCacheId })
    expect(listed.rows.map((r) => r.key)).toEqual(['pi', 'sst-monthly.zarr'])
  })

  it('refuses a destination opened read-only, writing nothing', async () => {
    const { session, dst, sourceCacheId, destinationCacheId } = await open(true)
    const { jobId } = await call(session, 'copy.run', {
      sourceCacheId,
      destinationCacheId,
      dryRun: false,
    })
    const status = await finished(session, jobId)
    expect(status.copy).toBeNull()
    expect(status.error).toMatchObject({ code: 'READ_ONLY' })
    expect(await fs.readdir(dst)).toEqual([])
  })

  it('a cancel while planning stops before any key is written', async () => {
    const { session, dst, sourceCacheId, destinationCacheId } = await open()
    const { jobId } = await call(session, 'copy.run', {
      sourceCacheId,
      destinationCacheId,
      dryRun: false,
    })
    await call(session, 'job.cancel', { jobId })
    const status = await finished(session, jobId)
    expect(status.error).toBeNull()
    expect(status.copy).toMatchObject({ dryRun: false, copiedKeys: 0, cancelled: true })
    expect(await fs.readdir(dst)).not.toContain('xpersist_metadata_store')
  })

  it('rejects a bad request before starting a job', async () => {
    const { session, sourceCacheId } = await open()
    const env = await invoke(session, 'copy.run', { sourceCacheId, onDuplicateKey: 'replace' })
    expect(env).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  })
})
