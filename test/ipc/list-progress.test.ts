// cache.listProgress: what the window shows while a big bucket lists before its first page.
// The listing is held at a gate (a slow bucket, without sleeping) and polled meanwhile.
import { describe, expect, it } from 'vitest'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { call } from '../helpers/ipc-call.js'
import { fixtureCopy } from '../helpers/temp.js'
import { promises as fs } from 'node:fs'

describe('cache.listProgress', () => {
  it('says the listing is under way until the first page is out, then nothing', async () => {
    const dir = await fixtureCopy()
    const session = new ExplorerSession({ mode: 'browser', initial: null })
    try {
      const { cacheId } = await call(session, 'cache.open', { location: dir, readonly: true })
      expect(await call(session, 'cache.listProgress', { cacheId })).toBeNull()
      // Hold the sidecar listing until released, as a slow bucket would.
      const { backend } = session.cache(cacheId).store
      const listPaths = backend.listPaths.bind(backend)
      let release: () => void = () => {}
      const gate = new Promise<void>((r) => (release = r))
      let entered: () => void = () => {}
      const listing = new Promise<void>((r) => (entered = r))
      backend.listPaths = async function* (prefix: string) {
        entered()
        await gate
        yield* listPaths(prefix)
      }
      const page = invoke(session, 'cache.list', { cacheId, cursor: null, limit: 5 })
      await listing
      expect(await call(session, 'cache.listProgress', { cacheId })).toEqual({
        phase: 'listing',
        done: 0,
        total: null,
      })
      release()
      const first = await page
      expect(first).toMatchObject({ ok: true, data: { loaded: 5 } })
      expect(await call(session, 'cache.listProgress', { cacheId })).toBeNull()
    } finally {
      await session.close()
      await fs.rm(dir, { recursive: true, force: true })
    }
  })
})
