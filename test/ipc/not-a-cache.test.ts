import { describe, expect, it } from 'vitest'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { call } from '../helpers/ipc-call.js'
import { snapshot, userFolder } from '../helpers/user-folder.js'

describe('the explorer on a folder that is not a cache (issue 6, item 3)', () => {
  it('cache.open -> doctor.run -> delete.start deletes none of the user files', async () => {
    const dir = await userFolder()
    const before = await snapshot(dir)
    const session = new ExplorerSession({ mode: 'browser', initial: null })
    const { cacheId, readonly } = await call(session, 'cache.open', {
      location: dir,
      readonly: false,
    })
    expect(readonly).toBe(false)
    const report = await call(session, 'doctor.run', { cacheId })
    expect(report).toMatchObject({ notACache: 'no xpersist_metadata_store folder', orphans: [] })
    // What the old doctor called orphans, sent as the Clean button did.
    const orphans = ['data/results.csv', 'thesis.pdf']
    const started = await invoke(session, 'delete.start', { cacheId, orphans, confirmCount: 2 })
    expect(started).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/not an xpersist cache/) },
    })
    expect(await snapshot(dir)).toEqual(before)
  })

  it('cache.open of a mistyped path is an error and creates nothing', async () => {
    const dir = await userFolder()
    const before = await snapshot(dir)
    const session = new ExplorerSession({ mode: 'browser', initial: null })
    const opened = await invoke(session, 'cache.open', { location: `${dir}/typo`, readonly: false })
    expect(opened).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/No cache folder at .*typo/) },
    })
    expect(await snapshot(dir)).toEqual(before)
  })
})
