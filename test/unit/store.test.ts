import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CacheStore } from '../../electron/engine/store.js'
import { PENDING_CREATE_MS } from '../../electron/engine/key-lock.js'
import { listFiles, tempDir } from '../helpers/temp.js'
import { testRegistry } from '../helpers/text-serializer.js'

async function fresh(options: Parameters<typeof CacheStore.open>[1] = {}) {
  const dir = path.join(await tempDir(), 'cache')
  const store = await CacheStore.open(dir, { registry: testRegistry(), ...options })
  return { dir, store }
}

describe('CacheStore.open', () => {
  it('creates nothing when writable either; the first put makes the root and metadata folder', async () => {
    const { dir, store } = await fresh()
    expect(await store.keys()).toEqual([])
    expect(await store.has('k')).toBe(false)
    for await (const info of store.artifacts()) expect.unreachable(info.key)
    expect(store.readonly).toBe(false)
    expect(await fs.readdir(path.dirname(dir))).toEqual([])
    await store.put('k', 'v')
    expect(await listFiles(dir)).toEqual(['k', 'xpersist_metadata_store/k.artifact.json'])
  })
  it('with create: false a missing folder is an error at once', async () => {
    const dir = path.join(await tempDir(), 'mistyped')
    await expect(CacheStore.open(dir, { create: false })).rejects.toThrow(
      /No cache folder at .*mistyped/,
    )
    await expect(fs.access(dir)).rejects.toThrow()
  })
  it('creates nothing when read-only', async () => {
    const dir = path.join(await tempDir(), 'missing')
    await expect(CacheStore.open(dir, { readonly: true })).rejects.toThrow(
      /No cache folder at .*missing/,
    )
    await expect(fs.access(dir)).rejects.toThrow()
  })
  it('refuses an unknown on_duplicate_key', async () => {
    await expect(fresh({ onDuplicateKey: 'check' as never })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
  })
})

describe('put and get', () => {
  it('writes payload and sidecar as Python lays them out, nested keys too', async () => {
    const { dir, store } = await fresh()
    const artifact = await store.put('runs/2022/a.txt', 'hello', {
      serializer: 'test.text',
      additionalMetadata: { experiment: 'ctrl', member: 3 },
    })
    expect(artifact).toMatchObject({
      key: 'runs/2022/a.txt',
      serializer: 'test.text',
      load_kwargs: {},
    })
    expect(await listFiles(dir)).toEqual([
      'runs/2022/a.txt',
      'xpersist_metadata_store/runs/2022/a.txt.artifact.json',
    ])
    const sidecar = await fs.readFile(
      path.join(dir, 'xpersist_metadata_store/runs/2022/a.txt.artifact.json'),
      'utf8',
    )
    expect(sidecar).toMatch(
      /^\{\n {2}"key": "runs\/2022\/a.txt",\n {2}"serializer": "test.text",\n {2}"load_kwargs": \{\},\n {2}"dump_kwargs": \{\},\n {2}"additional_metadata": \{\n {4}"experiment": "ctrl",\n {4}"member": 3\n {2}\},\n {2}"created_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?"\n\}$/,
    )
    expect(await store.get('runs/2022/a.txt')).toBe('hello')
    expect(await store.keys()).toEqual(['runs/2022/a.txt'])
  })

  it("uses 'auto' to pick a serializer and passes dump kwargs", async () => {
    const { store } = await fresh()
    const a = await store.put('k', 'v', { dumpKwargs: { suffix: '!' } })
    expect(a.serializer).toBe('joblib')
    expect(await store.get('k')).toBe('v!')
  })

  it('refuses unknown dump kwargs and writes nothing', async () => {
    const { dir, store } = await fresh()
    await expect(
      store.put('k', 'v', { serializer: 'test.text', dumpKwargs: { compresion: 3 } }),
    ).rejects.toThrow(/does not support dump kwarg 'compresion'; supported: suffix/)
    expect(await listFiles(dir)).toEqual([])
  })

  it('names unknown serializers and lists the known ones', async () => {
    const { store } = await fresh()
    await expect(store.put('k', 'v', { serializer: 'nope' })).rejects.toThrow(
      /No serializer 'nope'.*known: joblib, test.text/,
    )
  })

  it('getArtifact: KeyNotFoundError, and CorruptSidecarError naming the file', async () => {
    const { dir, store } = await fresh()
    await expect(store.getArtifact('absent')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' })
    await fs.mkdir(path.join(dir, 'xpersist_metadata_store'), { recursive: true })
    await fs.writeFile(
      path.join(dir, 'xpersist_metadata_store/bad.artifact.json'),
      '{"key": "bad",',
    )
    await expect(store.getArtifact('bad')).rejects.toThrow(
      /xpersist_metadata_store\/bad\.artifact\.json.*not valid JSON/,
    )
    await fs.writeFile(
      path.join(dir, 'xpersist_metadata_store/bad.artifact.json'),
      '{"key": "bad"}',
    )
    await expect(store.getArtifact('bad')).rejects.toThrow(/serializer/)
  })

  it('fills defaults as the pydantic model does and keeps unknown fields on rewrite', async () => {
    const { dir, store } = await fresh()
    await store.put('k', 'v', { serializer: 'test.text' })
    const file = path.join(dir, 'xpersist_metadata_store/k.artifact.json')
    await fs.writeFile(file, '{"key": "k", "serializer": "test.text", "future_field": [1.0, "x"]}')
    const entry = await store.getEntry('k')
    expect(entry.artifact).toMatchObject({
      load_kwargs: {},
      dump_kwargs: {},
      additional_metadata: {},
    })
    await store.updateMetadata('k', { a: 1 }, { expectedVersion: entry.version })
    const text = await fs.readFile(file, 'utf8')
    expect(text).toContain('"future_field": [\n    1.0,\n    "x"\n  ]')
  })
})

describe('on_duplicate_key', () => {
  it('skip keeps the first value and returns its artifact', async () => {
    const { store } = await fresh()
    const first = await store.put('k', 'one')
    const second = await store.put('k', 'two')
    expect(second.created_at).toBe(first.created_at)
    expect(await store.get('k')).toBe('one')
  })
  it('overwrite replaces value and sidecar', async () => {
    const { store } = await fresh({ onDuplicateKey: 'overwrite' })
    await store.put('k', 'one', { additionalMetadata: { v: 1 } })
    await store.put('k', 'two', { additionalMetadata: { v: 2 } })
    expect(await store.get('k')).toBe('two')
    expect((await store.getArtifact('k')).additional_metadata).toEqual({ v: 2 })
  })
  it('raise_error refuses an existing key and an orphan payload, changing nothing', async () => {
    const { dir, store } = await fresh({ onDuplicateKey: 'raise_error' })
    await store.put('k', 'one')
    await expect(store.put('k', 'two')).rejects.toMatchObject({ code: 'DUPLICATE_KEY' })
    expect(await store.get('k')).toBe('one')
    await fs.writeFile(path.join(dir, 'orphan'), 'left by a crash')
    // Left long ago: a younger payload without sidecar is a create in flight, waited for.
    const old = new Date(Date.now() - PENDING_CREATE_MS - 60_000)
    await fs.utimes(path.join(dir, 'orphan'), old, old)
    await expect(store.put('orphan', 'x')).rejects.toThrow(/interrupted put/)
    expect(await fs.readFile(path.join(dir, 'orphan'), 'utf8')).toBe('left by a crash')
    expect(await store.has('orphan')).toBe(false)
  })
})

describe('keys are validated before any I/O', () => {
  const bad = [
    '',
    '/abs',
    '../up',
    'a/../../b',
    'a//b',
    'a/',
    './a',
    'a\\b',
    'nul\0',
    'xpersist_metadata_store/x',
    'C:/x',
    'x.xpersist-tmp-1',
    'a/.xpersist-journal/b',
  ]
  it.each(bad)('%j is refused', async (key) => {
    const { dir, store } = await fresh()
    await expect(store.put(key, 'v')).rejects.toMatchObject({ code: 'INVALID_KEY' })
    await expect(store.get(key)).rejects.toMatchObject({ code: 'INVALID_KEY' })
    await expect(store.delete(key, { dryRun: false })).rejects.toMatchObject({
      code: 'INVALID_KEY',
    })
    expect(await fs.readdir(path.dirname(dir))).toEqual([])
  })
})

describe('read-only', () => {
  it('refuses put, delete and updateMetadata in the engine, and writes nothing', async () => {
    const { dir, store } = await fresh()
    await store.put('k', 'v')
    const ro = await CacheStore.open(dir, { readonly: true, registry: testRegistry() })
    expect(ro.readonly).toBe(true)
    const before = await listFiles(dir)
    await expect(ro.put('new', 'v')).rejects.toMatchObject({ code: 'READ_ONLY' })
    await expect(ro.delete('k', { dryRun: false })).rejects.toMatchObject({ code: 'READ_ONLY' })
    await expect(ro.updateMetadata('k', { a: 1 })).rejects.toMatchObject({ code: 'READ_ONLY' })
    expect((await ro.delete('k')).dryRun).toBe(true)
    expect(await listFiles(dir)).toEqual(before)
    expect(await ro.get('k')).toBe('v')
  })
})

describe('delete', () => {
  it('plans by default, then deletes sidecar first and prunes empty folders', async () => {
    const { dir, store } = await fresh()
    await store.put('a/b/c', '12345')
    await store.put('keep', 'x')
    const plan = await store.delete('a/b/c')
    expect(plan.dryRun).toBe(true)
    expect(plan.entries[0]?.files).toEqual([
      {
        path: 'xpersist_metadata_store/a/b/c.artifact.json',
        bytes: expect.any(Number),
        role: 'sidecar',
      },
      { path: 'a/b/c', bytes: 5, role: 'payload' },
    ])
    expect(plan.deleted).toEqual([])
    expect(await listFiles(dir)).toContain('a/b/c')
    const done = await store.delete('a/b/c', { dryRun: false })
    expect(done.deleted).toEqual(['xpersist_metadata_store/a/b/c.artifact.json', 'a/b/c'])
    expect(await listFiles(dir)).toEqual(['keep', 'xpersist_metadata_store/keep.artifact.json'])
    // The write-lock folder stays (empty): removing it could race another process's lock.
    expect((await fs.readdir(dir)).sort()).toEqual([
      '.xpersist-locks',
      'keep',
      'xpersist_metadata_store',
    ])
  })
  it('fails on an unknown key before deleting any other', async () => {
    const { store } = await fresh()
    await store.put('a', 'x')
    await expect(store.deleteMany(['a', 'zzz'], { dryRun: false })).rejects.toMatchObject({
      code: 'KEY_NOT_FOUND',
    })
    expect(await store.has('a')).toBe(true)
  })
  it('cancel stops between keys and leaves no key half-deleted', async () => {
    const { store } = await fresh()
    for (const k of ['a', 'b', 'c']) await store.put(k, k)
    const ctrl = new AbortController()
    const plan = await store.deleteMany(['a', 'b', 'c'], {
      dryRun: false,
      signal: ctrl.signal,
      onProgress: ({ done }) => done === 1 && ctrl.abort(),
    })
    expect(plan.cancelled).toBe(true)
    expect(await store.keys()).toEqual(['b', 'c'])
    expect(await store.get('b')).toBe('b')
  })
})

describe('dump kwargs', () => {
  it('must be a dict, or the sidecar written would read back as corrupt', async () => {
    const { dir, store } = await fresh()
    for (const bad of ['str', [1, 2], 5, null]) {
      await expect(store.put('k', 'v', { dumpKwargs: bad as never })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/dump_kwargs must be a JSON object/),
      })
    }
    // Refused before any write: not even the cache folder was made.
    expect(existsSync(dir)).toBe(false)
  })
  it('of a payload stored as it is are still checked against what dump takes', async () => {
    const dir = path.join(await tempDir(), 'cache')
    const store = await CacheStore.open(dir)
    const csv = new TextEncoder().encode('a\n1\n')
    const put = (dumpKwargs: Record<string, unknown>) =>
      store.importPayload('t.csv', csv, { serializer: 'pandas.csv', dumpKwargs })
    await expect(put({ bogus: 1 })).rejects.toThrow(/does not support dump kwarg 'bogus'/)
    await expect(put({ sep: 5 })).rejects.toThrow(/'sep' must be a single character/)
    expect(await store.keys()).toEqual([])
    expect((await put({ index: false })).dump_kwargs).toEqual({ index: false })
  })
})

describe('updateMetadata', () => {
  it('refuses when the sidecar changed since it was read, and returns both sides', async () => {
    const { store } = await fresh()
    await store.put('k', 'v', { additionalMetadata: { n: 1 } })
    const seen = await store.getEntry('k')
    const other = await store.updateMetadata('k', { n: 2 }, { expectedVersion: seen.version })
    expect(other.version).not.toBe(seen.version)
    const err = await store
      .updateMetadata('k', { n: 3 }, { expectedVersion: seen.version })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'CONFLICT' })
    expect(err.current.artifact.additional_metadata).toEqual({ n: 2 })
    expect((await store.getArtifact('k')).additional_metadata).toEqual({ n: 2 })
  })

  it('keeps a null or missing created_at as it was: unknown, never now', async () => {
    const { dir, store } = await fresh()
    const sidecar = (n: number, created: string) =>
      `{\n  "key": "k",\n  "serializer": "test.text",\n  "load_kwargs": {},\n  "dump_kwargs": {},\n` +
      `  "additional_metadata": {\n    "n": ${n}\n  }${created}\n}`
    const file = path.join(dir, 'xpersist_metadata_store/k.artifact.json')
    await store.put('k', 'v')
    for (const created of [',\n  "created_at": null', '']) {
      await fs.writeFile(file, sidecar(1, created))
      const entry = await store.getEntry('k')
      const seen = Object.hasOwn(entry.artifact, 'created_at')
        ? entry.artifact.created_at
        : 'missing'
      expect(seen).toBe(created ? null : 'missing')
      await store.updateMetadata('k', { n: 2 }, { expectedVersion: entry.version })
      expect(await fs.readFile(file, 'utf8')).toBe(sidecar(2, created))
    }
  })
})

describe('artifacts()', () => {
  it('streams every key in order with payload bytes; a broken sidecar is a row, not a failure', async () => {
    const { dir, store } = await fresh()
    await store.put('b', '22')
    await store.put('a', '1')
    await fs.writeFile(path.join(dir, 'xpersist_metadata_store/c.artifact.json'), 'not json')
    const rows = []
    for await (const info of store.artifacts({ concurrency: 2 })) rows.push(info)
    expect(rows.map((r) => [r.key, r.payload.bytes, r.error?.code ?? null])).toEqual([
      ['a', 1, null],
      ['b', 2, null],
      ['c', 0, 'CORRUPT_SIDECAR'],
    ])
  })
})

describe('getArtifacts', () => {
  it('reads many sidecars in bulk; missing and broken ones carry their error', async () => {
    const { dir, store } = await fresh()
    await store.put('a', 'x', { additionalMetadata: { n: 1 } })
    await store.put('d/b', 'y')
    await fs.writeFile(path.join(dir, 'xpersist_metadata_store/c.artifact.json'), '[')
    await fs.writeFile(
      path.join(dir, 'xpersist_metadata_store/e.artifact.json'),
      Buffer.from([0x7b, 0xff]),
    )
    const got = await store.getArtifacts(['a', 'd/b', 'c', 'missing', 'e'])
    expect(got.map((r) => [r.key, r.artifact?.key ?? null, r.error?.code ?? null])).toEqual([
      ['a', 'a', null],
      ['d/b', 'd/b', null],
      ['c', null, 'CORRUPT_SIDECAR'],
      ['missing', null, 'KEY_NOT_FOUND'],
      ['e', null, 'CORRUPT_SIDECAR'],
    ])
    expect(got[0]?.artifact?.additional_metadata).toEqual({ n: 1 })
    await expect(store.getArtifacts(['../x'])).rejects.toMatchObject({ code: 'INVALID_KEY' })
  })
})
