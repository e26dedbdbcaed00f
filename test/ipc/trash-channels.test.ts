import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobStatus } from '../../shared/ipc.js'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { call } from '../helpers/ipc-call.js'
import { fixtureCopy } from '../helpers/temp.js'

async function waitForJob(session: ExplorerSession, jobId: string): Promise<JobStatus> {
  for (let i = 0; i < 3000; i++) {
    const status = await call(session, 'job.status', { jobId })
    if (status.finished) return status
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('the job did not finish')
}

describe('trash channels', () => {
  it('delete.start with trash moves aside; trash.list, trash.restore and trash.empty plan first', async () => {
    const session = new ExplorerSession({ mode: 'browser', initial: null })
    const location = await fixtureCopy()
    const { cacheId } = await call(session, 'cache.open', { location })
    const plan = await call(session, 'delete.plan', { cacheId, keys: ['pi'], trash: true })
    expect(plan.trash).toEqual({ id: null, method: 'rename', copyObjects: 0, copyBytes: 0 })
    const { jobId } = await call(session, 'delete.start', {
      cacheId,
      keys: ['pi'],
      trash: true,
      confirmCount: 1,
    })
    const done = await waitForJob(session, jobId)
    const id = done.result?.trash?.id as string
    expect(id).toBeTruthy()
    await expect(fs.access(path.join(location, 'pi'))).rejects.toThrow()
    expect(await call(session, 'trash.list', { cacheId })).toMatchObject([{ id, keys: ['pi'] }])
    const dry = await call(session, 'trash.restore', { cacheId, id })
    expect(dry).toMatchObject({
      dryRun: true,
      restored: [],
      entries: [{ key: 'pi', refused: null }],
    })
    await expect(fs.access(path.join(location, 'pi'))).rejects.toThrow()
    const restored = await call(session, 'trash.restore', { cacheId, id, dryRun: false })
    expect(restored.restored).toEqual(['pi'])
    await fs.access(path.join(location, 'pi'))
    expect(await call(session, 'trash.list', { cacheId })).toEqual([])
    expect(await call(session, 'trash.empty', { cacheId })).toMatchObject({ entries: [] })
  })

  it('refuses a read-only cache in the engine, and an id that is no trash id', async () => {
    const session = new ExplorerSession({ mode: 'browser', initial: null })
    const { cacheId } = await call(session, 'cache.open', {
      location: await fixtureCopy(),
      readonly: true,
    })
    const empty = await invoke(session, 'trash.empty', { cacheId, dryRun: false })
    expect(empty).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } })
    const bad = await invoke(session, 'trash.restore', { cacheId, id: '../../etc' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  })
})
