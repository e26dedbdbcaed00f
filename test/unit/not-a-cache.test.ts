import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../electron/engine/doctor.js'
import { CacheStore } from '../../electron/engine/store.js'
import { snapshot, userFolder } from '../helpers/user-folder.js'
import { testRegistry } from '../helpers/text-serializer.js'

describe('a folder that is not a cache (issue 6, item 3)', () => {
  it('open, keys, doctor and a delete plan leave it byte for byte unchanged', async () => {
    const dir = await userFolder()
    const before = await snapshot(dir)
    const store = await CacheStore.open(dir) // writable, as the explorer opens it
    expect(await store.keys()).toEqual([])
    const report = await diagnose(store)
    expect(report).toMatchObject({ notACache: 'no xpersist_metadata_store folder', orphans: [] })
    await expect(store.deleteMany(['thesis.pdf'])).rejects.toMatchObject({
      code: 'KEY_NOT_FOUND',
    })
    expect(await snapshot(dir)).toEqual(before)
  })

  it('deleteOrphans refuses there, even for a path doctor would once have called an orphan', async () => {
    const dir = await userFolder()
    const before = await snapshot(dir)
    const store = await CacheStore.open(dir)
    await expect(
      store.deleteOrphans(['thesis.pdf', 'data/results.csv'], { dryRun: false }),
    ).rejects.toThrow(
      /is not an xpersist cache \(no xpersist_metadata_store folder\).*nothing was deleted/,
    )
    expect(await snapshot(dir)).toEqual(before)
  })

  it("lists and cleans only the engine's own leftover of a first put killed while locking", async () => {
    const dir = await userFolder()
    const before = await snapshot(dir)
    // What `kill -9` leaves when it lands while the first put's lock file is being written.
    await fs.mkdir(path.join(dir, '.xpersist-locks'))
    const temp = '.xpersist-locks/.0a1b.json.xpersist-tmp-c0ffee'
    await fs.writeFile(path.join(dir, temp), '{"op": "put"')
    const store = await CacheStore.open(dir)
    const report = await diagnose(store)
    expect(report).toMatchObject({ notACache: 'no xpersist_metadata_store folder', ok: false })
    expect(report.orphans).toEqual([{ path: temp, bytes: 12 }])
    await expect(store.deleteOrphans(['thesis.pdf'], { dryRun: false })).rejects.toThrow(
      /is not an xpersist cache/,
    )
    await store.deleteOrphans([temp], { dryRun: false })
    expect((await diagnose(store)).ok).toBe(true)
    const after = await snapshot(dir)
    delete after['.xpersist-locks'] // the lock folder is kept, as in every cache
    expect(after).toEqual(before)
  })

  it('an empty metadata folder (made by Python, or an older xpersist) proves nothing either', async () => {
    const dir = await userFolder()
    await fs.mkdir(path.join(dir, 'xpersist_metadata_store'))
    const store = await CacheStore.open(dir)
    expect(await diagnose(store)).toMatchObject({
      notACache: 'its xpersist_metadata_store folder holds no sidecar',
      orphans: [],
      ok: true,
    })
    await expect(store.deleteOrphans(['thesis.pdf'], { dryRun: false })).rejects.toThrow(
      /not an xpersist cache/,
    )
    await fs.access(path.join(dir, 'thesis.pdf'))
  })

  it('a real cache still has its orphans found', async () => {
    const dir = await userFolder()
    const store = await CacheStore.open(dir, { registry: testRegistry() })
    await store.put('k', 'v')
    const report = await diagnose(store)
    expect(report.notACache).toBeNull()
    expect(report.orphans.map((o) => o.path)).toEqual(['data/results.csv', 'thesis.pdf'])
  })
})
