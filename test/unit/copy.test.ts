// Copy between caches (issue 9): local to local and memory to local, a Python-written Zarr
// folder, dry runs that write nothing, on_duplicate_key, keys with spaces and unicode, and a
// read-only destination refused.
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { copyArtifacts, planCopy, runCopy } from '../../electron/engine/copy.js'
import { CacheStore } from '../../electron/engine/store.js'
import { memoryCache } from '../helpers/copy-backends.js'
import { fixtureCopy, listFiles, tempDir } from '../helpers/temp.js'
import { testRegistry } from '../helpers/text-serializer.js'

const ZARR = 'sst-monthly.zarr'

async function fixtureStore() {
  const dir = await fixtureCopy()
  return { dir, store: await CacheStore.open(dir, { readonly: true, create: false }) }
}

async function emptyLocal() {
  const dir = path.join(await tempDir('xp-cp-'), 'dst')
  return { dir, store: await CacheStore.open(dir, { registry: testRegistry() }) }
}

/** Every file of `key` (payload and sidecar) in a local cache, relative, with its bytes. */
async function filesOf(dir: string, key: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>()
  for (const f of await listFiles(dir)) {
    if (
      f === key ||
      f.startsWith(`${key}/`) ||
      f === `xpersist_metadata_store/${key}.artifact.json`
    ) {
      out.set(f, await fs.readFile(path.join(dir, f)))
    }
  }
  return out
}

describe('copy local to local', () => {
  it('copies single-object and Zarr folder artifacts byte for byte, sidecars included', async () => {
    const src = await fixtureStore()
    const dst = await emptyLocal()
    const keys = ['gauges.parquet', ZARR, 'experiments/run-1/ssta.zarr', 'pi']
    const plan = await copyArtifacts(src.store, dst.store, { keys }, { dryRun: false })
    expect(plan.copied.sort()).toEqual([...keys].sort())
    expect(plan.cancelled).toBe(false)
    expect(await dst.store.keys()).toEqual([...keys].sort())
    for (const key of keys) {
      const want = await filesOf(src.dir, key)
      expect(want.size).toBeGreaterThan(key.endsWith('.zarr') ? 10 : 1)
      expect(await filesOf(dst.dir, key)).toEqual(want)
    }
    // Nothing but those files and the (empty) lock folder.
    const all = await listFiles(dst.dir)
    expect(all.filter((f) => !f.startsWith('.xpersist-locks/')).length).toBe(
      (await Promise.all(keys.map((k) => filesOf(src.dir, k)))).reduce((s, m) => s + m.size, 0),
    )
    expect(all.filter((f) => f.startsWith('.xpersist-locks/'))).toEqual([])
    // A copied Zarr store opens: its artifact reads back through the engine.
    const reopened = await CacheStore.open(dst.dir, { readonly: true })
    expect((await reopened.getArtifact(ZARR)).serializer).toBe('xarray.zarr')
  })

  it('a dry run writes nothing: the destination folder is not even created', async () => {
    const src = await fixtureStore()
    const dst = await emptyLocal()
    const plan = await planCopy(src.store, dst.store, { where: ['**'] })
    expect(plan.dryRun).toBe(true)
    expect(plan.keys).toBe((await src.store.keys()).length)
    const zarr = plan.entries.find((e) => e.key === ZARR)!
    expect(zarr.action).toBe('copy')
    expect(zarr.objects.length).toBe((await filesOf(src.dir, ZARR)).size - 1)
    expect(zarr.copyBytes).toBe(zarr.bytes)
    expect(existsSync(dst.dir)).toBe(false)
    expect(existsSync(path.dirname(dst.dir))).toBe(true)
  })

  it('a rerun finds every key already equal and writes nothing', async () => {
    const src = await fixtureStore()
    const dst = await emptyLocal()
    await copyArtifacts(src.store, dst.store, { where: ['sst-*'] }, { dryRun: false })
    const before = await fs.stat(path.join(dst.dir, ZARR, '.zmetadata'))
    const again = await copyArtifacts(src.store, dst.store, { where: ['sst-*'] }, { dryRun: false })
    expect(again.entries.every((e) => e.action === 'same')).toBe(true)
    expect(again.keys).toBe(0)
    expect(again.copied).toEqual([])
    const after = await fs.stat(path.join(dst.dir, ZARR, '.zmetadata'))
    expect(after.mtimeMs).toBe(before.mtimeMs)
    expect(after.ino).toBe(before.ino)
  })
})

describe('copy memory to local', () => {
  it('copies keys with spaces, unicode and +, chosen by patterns', async () => {
    const mem = memoryCache()
    const src = await CacheStore.open(mem.location, { registry: testRegistry() })
    const keys = ['plain', 'with space/a b.txt', 'unicodé/東京 ü+ñ', 'runs/inner']
    for (const k of keys) await src.put(k, `value of ${k}`)
    const dst = await emptyLocal()
    const plan = await copyArtifacts(src, dst.store, { where: ['*', '*/**'] }, { dryRun: false })
    expect(plan.copied.sort()).toEqual([...keys].sort())
    for (const k of keys) {
      expect(await fs.readFile(path.join(dst.dir, k), 'utf8')).toBe(`value of ${k}`)
      const sidecar = await fs.readFile(
        path.join(dst.dir, 'xpersist_metadata_store', `${k}.artifact.json`),
      )
      expect(
        Buffer.from((await mem.backend.get(`xpersist_metadata_store/${k}.artifact.json`))!),
      ).toEqual(sidecar)
    }
  })
})

describe('on_duplicate_key', () => {
  async function setup() {
    const mem = memoryCache()
    const src = await CacheStore.open(mem.location, { registry: testRegistry() })
    await src.put('a', 'new a')
    await src.put('b', 'new b')
    const dst = await emptyLocal()
    await dst.store.put('a', 'old a')
    return { src, dst }
  }

  it('raise_error refuses before copying anything, naming the key', async () => {
    const { src, dst } = await setup()
    const plan = await planCopy(src, dst.store, {}, { onDuplicateKey: 'raise_error' })
    expect(plan.entries.map((e) => [e.key, e.action])).toEqual([
      ['a', 'refuse'],
      ['b', 'copy'],
    ])
    await expect(runCopy(plan)).rejects.toMatchObject({
      code: 'DUPLICATE_KEY',
      message: expect.stringContaining("'a' already exist"),
    })
    expect(await dst.store.keys()).toEqual(['a'])
    expect(await fs.readFile(path.join(dst.dir, 'a'), 'utf8')).toBe('old a')
  })

  it('skip keeps the different artifact there and copies the rest', async () => {
    const { src, dst } = await setup()
    const plan = await copyArtifacts(src, dst.store, {}, { onDuplicateKey: 'skip', dryRun: false })
    expect(plan.entries.find((e) => e.key === 'a')).toMatchObject({ action: 'skip' })
    expect(plan.copied).toEqual(['b'])
    expect(await fs.readFile(path.join(dst.dir, 'a'), 'utf8')).toBe('old a')
    expect(await fs.readFile(path.join(dst.dir, 'b'), 'utf8')).toBe('new b')
  })

  it('overwrite replaces it, sidecar included', async () => {
    const { src, dst } = await setup()
    const plan = await copyArtifacts(
      src,
      dst.store,
      {},
      { onDuplicateKey: 'overwrite', dryRun: false },
    )
    expect(plan.entries.find((e) => e.key === 'a')).toMatchObject({ action: 'overwrite' })
    expect(plan.copied.sort()).toEqual(['a', 'b'])
    expect(await fs.readFile(path.join(dst.dir, 'a'), 'utf8')).toBe('new a')
    expect(await dst.store.getArtifact('a')).toEqual(await src.getArtifact('a'))
  })

  it('overwrite turns a folder payload into a single object and back, leaving no stale object', async () => {
    const src = await fixtureStore()
    const dst = await emptyLocal()
    // The destination holds a text artifact under the Zarr key, and a Zarr store under 'pi'.
    await dst.store.put(ZARR, 'not a zarr')
    const mem = memoryCache()
    const other = await CacheStore.open(mem.location, { registry: testRegistry() })
    await copyArtifacts(src.store, other, { keys: [ZARR] }, { dryRun: false })
    await mem.backend.put(
      'xpersist_metadata_store/pi.artifact.json',
      (await mem.backend.get(`xpersist_metadata_store/${ZARR}.artifact.json`))!,
    )
    for await (const m of mem.backend.list(`${ZARR}/`)) {
      await mem.backend.put(`pi/${m.path.slice(ZARR.length + 1)}`, (await mem.backend.get(m.path))!)
    }
    await copyArtifacts(other, dst.store, { keys: ['pi'] }, { dryRun: false })
    expect((await listFiles(dst.dir)).filter((f) => f.startsWith('pi/')).length).toBeGreaterThan(10)
    const plan = await copyArtifacts(
      src.store,
      dst.store,
      { keys: [ZARR, 'pi'] },
      { onDuplicateKey: 'overwrite', dryRun: false },
    )
    expect(plan.entries.map((e) => e.action)).toEqual(['overwrite', 'overwrite'])
    expect(plan.entries.find((e) => e.key === 'pi')!.remove.length).toBeGreaterThan(10)
    for (const key of [ZARR, 'pi'])
      expect(await filesOf(dst.dir, key)).toEqual(await filesOf(src.dir, key))
  })
})

describe('refusals', () => {
  it('refuses a read-only destination, planning included', async () => {
    const src = await fixtureStore()
    const dst = await fixtureCopy()
    const readonly = await CacheStore.open(dst, { readonly: true })
    await expect(planCopy(src.store, readonly, { keys: ['pi'] })).rejects.toMatchObject({
      code: 'READ_ONLY',
      message: expect.stringContaining('read-only'),
    })
  })

  it('refuses copying a cache onto itself, and a named key the source lacks', async () => {
    const src = await fixtureStore()
    const same = await CacheStore.open(src.dir)
    await expect(planCopy(src.store, same, { keys: ['pi'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
    const dst = await emptyLocal()
    await expect(planCopy(src.store, dst.store, { keys: ['pi', 'nope'] })).rejects.toMatchObject({
      code: 'KEY_NOT_FOUND',
      message: expect.stringContaining("'nope'"),
    })
    expect(existsSync(dst.dir)).toBe(false)
  })

  it('reports a broken source sidecar instead of copying it', async () => {
    const src = await fixtureCopy()
    await fs.writeFile(path.join(src, 'xpersist_metadata_store', 'pi.artifact.json'), '{"key": ')
    const store = await CacheStore.open(src, { readonly: true })
    const dst = await emptyLocal()
    const plan = await copyArtifacts(
      store,
      dst.store,
      { keys: ['pi', 'greeting'] },
      { dryRun: false },
    )
    expect(plan.entries.find((e) => e.key === 'pi')).toMatchObject({
      action: 'broken',
      reason: expect.stringContaining('not valid JSON'),
    })
    expect(plan.copied).toEqual(['greeting'])
  })
})
