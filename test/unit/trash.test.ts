import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../electron/engine/doctor.js'
import { encodeJournal, lockPathOf, newJournal } from '../../electron/engine/key-lock.js'
import { sidecarPath, validateKey } from '../../electron/engine/keys.js'
import { CacheStore } from '../../electron/engine/store.js'
import { newTrashId, trashDirOf } from '../../electron/engine/trash-move.js'
import { CountingBackend, pythonSidecar, storeOver } from '../helpers/counting-backend.js'
import { fixtureCopy, listFiles } from '../helpers/temp.js'

const ZARR = 'sst-monthly-consolidated.zarr'
const NC = 'sst-monthly.nc'

/** Every file under `dir` with the sha256 of its bytes. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const f of await listFiles(dir)) {
    const bytes = await fs.readFile(path.join(dir, f))
    out.set(f, createHash('sha256').update(bytes).digest('hex'))
  }
  return out
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number
}

/** A memory-backed cache (no rename: moves copy then delete) with `a`, `b` and folder `runs`. */
async function memoryCache() {
  const backend = new CountingBackend()
  for (const key of ['a', 'b']) {
    await backend.put(key, new TextEncoder().encode(`payload of ${key}`))
    await backend.put(sidecarPath(key), pythonSidecar(key))
  }
  for (const f of ['runs/.zgroup', 'runs/x/0', 'runs/x/1', 'runs/2022/config']) {
    await backend.put(f, new TextEncoder().encode(f))
  }
  await backend.put(sidecarPath('runs'), pythonSidecar('runs'))
  // A nested key inside the folder payload of `runs`: never moved with it.
  await backend.put(sidecarPath('runs/2022/config'), pythonSidecar('runs/2022/config'))
  return { backend, store: await storeOver(backend) }
}

describe('trash on local disk', () => {
  it('moves a Zarr folder and a NetCDF file aside by rename and restores them byte for byte', async () => {
    const dir = await fixtureCopy()
    const before = await snapshot(dir)
    const store = await CacheStore.open(dir)
    const keysBefore = await store.keys()

    const dry = await store.deleteMany([ZARR, NC], { trash: true })
    expect(dry.trash).toEqual({ id: null, method: 'rename', copyObjects: 0, copyBytes: 0 })
    expect(await snapshot(dir)).toEqual(before)

    const plan = await store.deleteMany([ZARR, NC], { trash: true, dryRun: false })
    const id = plan.trash?.id as string
    expect(id).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/)
    expect(plan.deleted[0]).toBe(sidecarPath(ZARR))
    expect(await store.keys()).toEqual(keysBefore.filter((k) => k !== ZARR && k !== NC))
    await expect(fs.access(path.join(dir, ZARR))).rejects.toThrow()
    await expect(fs.access(path.join(dir, '.xpersist-trash', id, NC))).resolves.toBeUndefined()
    // Trashed files are no keys, orphans or interrupted writes.
    const report = await diagnose(store)
    expect(report.ok).toBe(true)

    const [entry, ...more] = await store.trashEntries()
    expect(more).toEqual([])
    expect(entry).toMatchObject({ id, keys: [ZARR, NC].sort() })
    expect(entry?.bytes).toBeGreaterThan(0)

    const restore = await store.restoreFromTrash(id, [], { dryRun: false })
    expect(restore.restored.sort()).toEqual([ZARR, NC].sort())
    expect(restore.entries.every((e) => e.refused === null)).toBe(true)
    expect(await snapshot(dir)).toEqual(before)
    expect(await store.trashEntries()).toEqual([])
    expect((await diagnose(store)).ok).toBe(true)
  })

  it('refuses every change on a read-only cache, in the engine', async () => {
    const dir = await fixtureCopy()
    const store = await CacheStore.open(dir, { readonly: true })
    await expect(store.deleteMany([NC], { trash: true, dryRun: false })).rejects.toMatchObject({
      code: 'READ_ONLY',
    })
    await expect(store.emptyTrash({ dryRun: false })).rejects.toMatchObject({ code: 'READ_ONLY' })
    await expect(store.restoreFromTrash(newTrashId(), [], { dryRun: false })).rejects.toMatchObject(
      { code: 'READ_ONLY' },
    )
    await fs.access(path.join(dir, NC))
  })

  it('never takes a key named inside the trash folder', () => {
    expect(() => validateKey('.xpersist-trash/20261202T121453123Z-a1b2c3/a')).toThrow(/trash/)
  })
})

describe('trash on an object store (copy, then delete)', () => {
  it('says what the copies cost, keeps a nested key in place, and restores', async () => {
    const { backend, store } = await memoryCache()
    const plan = await store.deleteMany(['runs', 'a'], { trash: true })
    // runs: sidecar + 3 payload files (runs/2022/config is another key's); a: sidecar + payload.
    expect(plan.trash).toMatchObject({ method: 'copy', copyObjects: 6, copyBytes: plan.bytes })
    const run = await store.deleteMany(['runs', 'a'], { trash: true, dryRun: false })
    expect(await store.keys()).toEqual(['b', 'runs/2022/config'])
    expect(await backend.head('runs/2022/config')).toBeDefined()
    expect(await backend.head('runs/x/0')).toBeUndefined()
    expect((await diagnose(store)).ok).toBe(true)
    const id = run.trash?.id as string
    expect((await store.trashEntries()).map((e) => e.keys)).toEqual([['a', 'runs']])

    const restore = await store.restoreFromTrash(id, ['runs'], { dryRun: false })
    expect(restore.move).toMatchObject({ method: 'copy', copyObjects: 4 })
    expect(await store.keys()).toEqual(['b', 'runs', 'runs/2022/config'])
    expect(new TextDecoder().decode(await backend.get('runs/x/1'))).toBe('runs/x/1')
    expect((await store.trashEntries()).map((e) => e.keys)).toEqual([['a']])
  })

  it('restore refuses a key written since, per key, and restores the rest', async () => {
    const { store } = await memoryCache()
    const run = await store.deleteMany(['a', 'b'], { trash: true, dryRun: false })
    const id = run.trash?.id as string
    await store.importPayload('a', new TextEncoder().encode(',x\n0,1\n'), {
      serializer: 'pandas.csv',
    })
    const dry = await store.restoreFromTrash(id)
    expect(dry.entries.find((e) => e.key === 'a')?.refused).toMatch(
      /'a' exists in the cache now \(written since it was deleted\)/,
    )
    const done = await store.restoreFromTrash(id, [], { dryRun: false })
    expect(done.restored).toEqual(['b'])
    expect((await store.getArtifact('a')).serializer).toBe('pandas.csv')
    expect((await store.trashEntries()).map((e) => e.keys)).toEqual([['a']])
    await expect(store.restoreFromTrash(id, ['zzz'])).rejects.toThrow(/holds no 'zzz'/)
  })

  it('empties entries older than a cutoff only, after a plan', async () => {
    const { store } = await memoryCache()
    const first = await store.deleteMany(['a'], { trash: true, dryRun: false })
    // Two entries made in the same millisecond have one date, and no cutoff lies between them.
    const made = Date.parse((await store.trashEntries())[0]?.createdAt as string)
    while (Date.now() <= made + 1) await new Promise((resolve) => setTimeout(resolve, 5))
    const second = await store.deleteMany(['b'], { trash: true, dryRun: false })
    const now = Date.parse((await store.trashEntries())[1]?.createdAt as string) + 1
    const olderThanMs = now - Date.parse((await store.trashEntries())[0]?.createdAt as string) - 1
    const plan = await store.emptyTrash({ olderThanMs, now })
    expect(plan.entries.map((e) => e.id)).toEqual([first.trash?.id])
    expect((await store.trashEntries()).length).toBe(2)
    const done = await store.emptyTrash({ ids: [first.trash?.id as string], dryRun: false })
    expect(done.emptied).toEqual([first.trash?.id])
    expect((await store.trashEntries()).map((e) => e.id)).toEqual([second.trash?.id])
  })
})

describe('an interrupted move is finished or undone like an interrupted delete', () => {
  it('a trash killed after the sidecar left: doctor reports it, repair finishes the move', async () => {
    const { backend, store } = await memoryCache()
    const dir = trashDirOf(newTrashId())
    const payload = ['runs/.zgroup', 'runs/x/0', 'runs/x/1']
    const journal = {
      ...newJournal('trash', 'runs'),
      pid: deadPid(),
      trashDir: dir,
      oldPayload: payload.map((p) => ({ path: p, etag: '' })),
    }
    await backend.put(lockPathOf('runs'), encodeJournal(journal), { mode: 'create' })
    // Sidecar and one payload file moved; the process died copying the second.
    for (const p of [sidecarPath('runs'), 'runs/.zgroup']) {
      await backend.put(`${dir}/${p}`, (await backend.get(p)) as Uint8Array)
      await backend.delete(p)
    }
    await backend.put(`${dir}/runs/x/0`, (await backend.get('runs/x/0')) as Uint8Array)
    expect(await store.keys()).toEqual(['a', 'b', 'runs/2022/config'])
    const report = await diagnose(store)
    expect(report.interrupted).toMatchObject([
      { key: 'runs', op: 'trash', repair: expect.stringMatching(/finish moving it to the trash/) },
    ])
    await store.repairInterrupted({ dryRun: false })
    expect((await diagnose(store)).ok).toBe(true)
    expect(await backend.head('runs/x/1')).toBeUndefined()
    const id = dir.split('/')[1] as string
    await store.restoreFromTrash(id, [], { dryRun: false })
    expect(await store.keys()).toEqual(['a', 'b', 'runs', 'runs/2022/config'])
    for (const p of payload) expect(new TextDecoder().decode(await backend.get(p))).toBe(p)
  })

  it('a restore killed halfway is undone, so the entry is whole and can be restored again', async () => {
    const { backend, store } = await memoryCache()
    const run = await store.deleteMany(['runs'], { trash: true, dryRun: false })
    const id = run.trash?.id as string
    const dir = trashDirOf(id)
    const payload = ['runs/.zgroup', 'runs/x/0', 'runs/x/1']
    const journal = {
      ...newJournal('restore', 'runs'),
      pid: deadPid(),
      trashDir: dir,
      oldPayload: payload.map((p) => ({ path: p, etag: '' })),
    }
    await backend.put(lockPathOf('runs'), encodeJournal(journal), { mode: 'create' })
    await backend.put('runs/.zgroup', (await backend.get(`${dir}/runs/.zgroup`)) as Uint8Array)
    await backend.delete(`${dir}/runs/.zgroup`)
    await backend.put('runs/x/0', (await backend.get(`${dir}/runs/x/0`)) as Uint8Array)
    const report = await diagnose(store)
    expect(report.interrupted[0]?.repair).toMatch(/undo its restore/)
    await store.repairInterrupted({ dryRun: false })
    expect((await diagnose(store)).ok).toBe(true)
    expect(await backend.head('runs/x/0')).toBeUndefined()
    expect((await store.trashEntries())[0]?.objects).toBe(5) // sidecar, 3 files, manifest
    expect((await store.restoreFromTrash(id, [], { dryRun: false })).restored).toEqual(['runs'])
  })

  it('a move that fails in this process is finished at once (no key half in the trash)', async () => {
    const { backend, store } = await memoryCache()
    const put = backend.put.bind(backend)
    let failed = false
    backend.put = async (p, data, options) => {
      if (p.endsWith('runs/x/0') && !failed) {
        failed = true
        throw new Error('network down')
      }
      return put(p, data, options)
    }
    await expect(store.deleteMany(['runs'], { trash: true, dryRun: false })).rejects.toThrow(
      /network down/,
    )
    expect(await store.keys()).toEqual(['a', 'b', 'runs/2022/config'])
    expect((await diagnose(store)).ok).toBe(true)
    expect((await store.trashEntries())[0]?.keys).toEqual(['runs'])
  })
})

describe('LocalBackend.rename', () => {
  it('never follows a link, and with noReplace never replaces a file', async () => {
    const dir = await fixtureCopy()
    const store = await CacheStore.open(dir)
    const rename = store.backend.rename?.bind(store.backend)
    if (!rename) throw new Error('the local backend renames')
    await fs.symlink(path.join(dir, 'pi'), path.join(dir, 'link'))
    await expect(rename('link', 'moved')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
    await expect(rename('pi', 'greeting', { noReplace: true })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    })
    await fs.access(path.join(dir, 'pi'))
    expect(await rename('nothing-here', 'x')).toBe(false)
    expect(await rename('pi', 'a/b/pi')).toBe(true)
    await fs.access(path.join(dir, 'a/b/pi'))
  })
})
