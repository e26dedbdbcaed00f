import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { call } from '../helpers/ipc-call.js'
import { fixtureCopy } from '../helpers/temp.js'

async function withUnreadableLock(readonly: boolean) {
  const location = await fixtureCopy()
  await fs.mkdir(path.join(location, '.xpersist-locks'), { recursive: true })
  await fs.writeFile(path.join(location, '.xpersist-locks', 'junk.json'), '{not json')
  const session = new ExplorerSession({ mode: 'browser', initial: null })
  const { cacheId } = await call(session, 'cache.open', { location, readonly })
  return { session, cacheId }
}

describe('doctor.repair', () => {
  it('repairs the interrupted writes doctor lists, so the next check has none', async () => {
    const { session, cacheId } = await withUnreadableLock(false)
    expect((await call(session, 'doctor.run', { cacheId })).interrupted).toHaveLength(1)
    expect(await call(session, 'doctor.repair', { cacheId })).toEqual({ repaired: 1 })
    expect((await call(session, 'doctor.run', { cacheId })).interrupted).toEqual([])
  })

  it('is refused on a read-only cache, in the explorer’s terms', async () => {
    const { session, cacheId } = await withUnreadableLock(true)
    const r = await invoke(session, 'doctor.repair', { cacheId })
    expect(r).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } })
    expect(!r.ok && r.error.message).not.toMatch(/--/)
  })
})
