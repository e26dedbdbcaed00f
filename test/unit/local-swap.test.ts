// A folder (or the root itself) swapped for a symlink after the backend has used it must not
// let any later call read, write or delete outside the cache root (issue 6: checks went stale).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalBackend } from '../../electron/engine/backend/local.js'
import { PathGuard } from '../../electron/engine/backend/local-guard.js'
import { previewArtifact } from '../../electron/engine/preview.js'
import { CacheStore } from '../../electron/engine/store.js'
import { listFiles, tempDir } from '../helpers/temp.js'
import { testRegistry } from '../helpers/text-serializer.js'

const bytes = (s: string) => new TextEncoder().encode(s)
const denied = { code: 'PERMISSION_DENIED' }

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

/** An outside folder holding `x` and a sentinel, whose listing the test compares after. */
async function outsideFolder(): Promise<string> {
  const outside = await tempDir('xp-outside-')
  await fs.writeFile(path.join(outside, 'x'), 'outside secret')
  await fs.writeFile(path.join(outside, 'sentinel'), 'keep me')
  return outside
}

/** Moves the folder `rel` under `root` away and puts a symlink to `target` in its place. */
async function swapForLink(root: string, rel: string, target: string): Promise<void> {
  await fs.rename(path.join(root, rel), path.join(root, `${rel}-moved`))
  await fs.symlink(target, path.join(root, rel))
}

describe('a folder swapped for a symlink after it was checked', () => {
  it('backend calls refuse it and touch nothing outside', async () => {
    const root = await tempDir()
    const outside = await outsideFolder()
    const b = await LocalBackend.open(root)
    await b.put('a/b/x', bytes('inside'))
    expect((await b.head('a/b/x'))?.size).toBe(6)
    await swapForLink(root, 'a/b', outside)

    await expect(b.put('a/b/y', bytes('new'))).rejects.toMatchObject(denied)
    await expect(b.put('a/b/z', bytes('new'), { mode: 'create' })).rejects.toMatchObject(denied)
    await expect(b.put('a/b/c/d', bytes('new'))).rejects.toMatchObject(denied)
    await expect(b.delete('a/b/x')).rejects.toMatchObject(denied)
    await expect(b.get('a/b/x')).rejects.toMatchObject(denied)
    await expect(b.get('a/b/x', { offset: 0, length: 3 })).rejects.toMatchObject(denied)
    await expect(b.head('a/b/x')).rejects.toMatchObject(denied)
    await expect(b.headMany(['a/b/x'])).rejects.toMatchObject(denied)
    await expect(b.getManyText(['a/b/x'])).rejects.toMatchObject(denied)
    await expect(b.listWithDelimiter('a/b/')).rejects.toMatchObject(denied)
    await expect(collect(b.list('a/b/'))).rejects.toMatchObject(denied)

    expect(await listFiles(outside)).toEqual(['sentinel', 'x'])
    expect(await fs.readFile(path.join(outside, 'x'), 'utf8')).toBe('outside secret')
  })

  it('a folder swapped higher up the chain is refused too', async () => {
    const root = await tempDir()
    const outside = await outsideFolder()
    await fs.mkdir(path.join(outside, 'b'))
    await fs.writeFile(path.join(outside, 'b', 'x'), 'outside secret')
    const b = await LocalBackend.open(root)
    await b.put('a/b/x', bytes('inside'))
    await swapForLink(root, 'a', outside)
    await expect(b.get('a/b/x')).rejects.toMatchObject(denied)
    await expect(b.put('a/b/y', bytes('new'))).rejects.toMatchObject(denied)
    await expect(b.delete('a/b/x')).rejects.toMatchObject(denied)
    expect(await listFiles(outside)).toEqual(['b/x', 'sentinel', 'x'])
  })

  it('store get, preview and delete refuse a swapped payload or metadata folder', async () => {
    const root = path.join(await tempDir(), 'cache')
    const outside = await outsideFolder()
    const store = await CacheStore.open(root)
    const csv = bytes('a,b\n1,2\n')
    await store.importPayload('a/b/x', csv, { serializer: 'pandas.csv' })
    await store.importPayload('m/n/k', csv, { serializer: 'pandas.csv' })
    expect(await previewArtifact(store, 'a/b/x')).toMatchObject({ kind: 'table' })
    expect(await store.getArtifact('m/n/k')).toMatchObject({ key: 'm/n/k' })
    await fs.writeFile(path.join(outside, 'x'), 'a,b\nsecret,1\n')
    await swapForLink(root, 'a/b', outside)

    await expect(store.get('a/b/x')).rejects.toMatchObject(denied)
    await expect(previewArtifact(store, 'a/b/x')).rejects.toMatchObject(denied)
    await expect(store.delete('a/b/x', { dryRun: false })).rejects.toMatchObject(denied)
    await expect(
      store.importPayload('a/b/y', csv, { serializer: 'pandas.csv' }),
    ).rejects.toMatchObject(denied)

    const metaOutside = await outsideFolder()
    await fs.writeFile(path.join(metaOutside, 'k.artifact.json'), '{"key": "m/n/k"}')
    await swapForLink(root, 'xpersist_metadata_store/m/n', metaOutside)
    await expect(store.getArtifact('m/n/k')).rejects.toMatchObject(denied)
    await expect(store.delete('m/n/k', { dryRun: false })).rejects.toMatchObject(denied)
    await expect(store.updateMetadata('m/n/k', { touched: true })).rejects.toMatchObject(denied)

    expect(await listFiles(outside)).toEqual(['sentinel', 'x'])
    expect(await fs.readFile(path.join(outside, 'x'), 'utf8')).toBe('a,b\nsecret,1\n')
    expect(await listFiles(metaOutside)).toEqual(['k.artifact.json', 'sentinel', 'x'])
    expect(await fs.readFile(path.join(metaOutside, 'k.artifact.json'), 'utf8')).toBe(
      '{"key": "m/n/k"}',
    )
  })

  it('pruning empty folders after a delete never removes a folder through a link', async () => {
    const root = await tempDir()
    const outside = await tempDir('xp-outside-')
    await fs.mkdir(path.join(outside, 'c'))
    const b = await LocalBackend.open(root)
    await b.put('a/b/c/x', bytes('1'))
    await b.put('a/keep', bytes('1'))
    await swapForLink(root, 'a/b', outside)
    await expect(b.delete('a/b/c/x')).rejects.toMatchObject(denied)
    expect((await fs.readdir(outside)).sort()).toEqual(['c'])
  })
})

describe('the cache root swapped after it was opened', () => {
  it('a root replaced by a symlink is refused, naming the fix', async () => {
    const parent = await tempDir()
    const root = path.join(parent, 'cache')
    await fs.mkdir(root)
    const outside = await outsideFolder()
    const b = await LocalBackend.open(root)
    await b.put('x', bytes('inside'))
    await fs.rename(root, path.join(parent, 'moved'))
    await fs.symlink(outside, root)

    const changed = { code: 'PERMISSION_DENIED', message: expect.stringMatching(/reopen it/) }
    await expect(b.get('x')).rejects.toMatchObject(changed)
    await expect(b.head('x')).rejects.toMatchObject(changed)
    await expect(b.getManyText(['x'])).rejects.toMatchObject(changed)
    await expect(b.put('y', bytes('new'))).rejects.toMatchObject(changed)
    await expect(b.delete('x')).rejects.toMatchObject(changed)
    await expect(collect(b.listPaths(''))).rejects.toMatchObject(changed)
    await expect(b.listWithDelimiter('')).rejects.toMatchObject(changed)
    expect(await listFiles(outside)).toEqual(['sentinel', 'x'])
  })

  it('a root replaced by another real folder is refused', async () => {
    const parent = await tempDir()
    const root = path.join(parent, 'cache')
    const store = await CacheStore.open(root, { registry: testRegistry() })
    await store.put('x', 'inside', { serializer: 'test.text' })
    await fs.rename(root, path.join(parent, 'moved'))
    await fs.mkdir(path.join(root, 'xpersist_metadata_store'), { recursive: true })
    await fs.writeFile(path.join(root, 'x'), 'impostor')
    await fs.writeFile(
      path.join(root, 'xpersist_metadata_store', 'x.artifact.json'),
      '{"key": "x", "serializer": "test.text"}',
    )

    await expect(store.get('x')).rejects.toThrow(/changed since it was opened; reopen it/)
    await expect(store.keys()).rejects.toThrow(/reopen it/)
    await expect(store.delete('x', { dryRun: false })).rejects.toThrow(/reopen it/)
    expect(await fs.readFile(path.join(root, 'x'), 'utf8')).toBe('impostor')
  })
})

describe('PathGuard', () => {
  it('tells a folder that is gone or replaced (discard what was read) from a link (refuse)', async () => {
    const root = await fs.realpath(await tempDir())
    await fs.mkdir(path.join(root, 'a', 'b'), { recursive: true })
    const guard = PathGuard.of(root)
    const id = guard.checkDir('a/b', false)
    expect(id).toBeDefined()
    if (!id) return
    expect(guard.unchanged('a/b', id)).toBe(true)
    await fs.rename(path.join(root, 'a', 'b'), path.join(root, 'a', 'gone'))
    expect(guard.unchanged('a/b', id)).toBe(false)
    await fs.mkdir(path.join(root, 'a', 'b'))
    expect(guard.unchanged('a/b', id)).toBe(false)
    expect(() => guard.recheck('a/b', id)).toThrow(/moved or replaced/)
    await fs.rmdir(path.join(root, 'a', 'b'))
    await fs.symlink(path.join(root, 'a', 'gone'), path.join(root, 'a', 'b'))
    expect(() => guard.unchanged('a/b', id)).toThrow(/symbolic link/)
  })
})
