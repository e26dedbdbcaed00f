import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { SidecarIndex, sidecarIndexFile } from '../../electron/engine/sidecar-index.js'
import type { ListProgress } from '../../electron/engine/store-list.js'
import { CacheStore } from '../../electron/engine/store.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import {
  CountingBackend,
  fillArtifacts,
  pythonSidecar,
  storeOver,
} from '../helpers/counting-backend.js'
import { tempDir } from '../helpers/temp.js'
import { testRegistry } from '../helpers/text-serializer.js'

const N = 1000
const sidecarOf = (key: string) => `xpersist_metadata_store/${key}.artifact.json`

async function rowsOf(
  store: CacheStore,
  indexDir: string | null,
  onProgress?: (p: ListProgress) => void,
) {
  const rows: ArtifactInfo[] = []
  for await (const r of store.artifacts({ indexDir, ...(onProgress ? { onProgress } : {}) })) {
    rows.push(r)
  }
  return rows
}

async function bucket(count = N) {
  const memory = new MemoryBackend()
  const keys = await fillArtifacts(memory, count)
  const backend = new CountingBackend(memory)
  return { memory, backend, keys, store: await storeOver(backend, { readonly: true }) }
}

describe('listing an object store: no request per object (issue 9)', () => {
  it('cold: sizes from the listing pages, no head, every sidecar fetched with <= 32 gets in flight', async () => {
    const { backend, keys, store } = await bucket()
    const rows = await rowsOf(store, await tempDir())
    expect(rows.map((r) => r.key)).toEqual(keys)
    expect(rows.every((r) => r.error === null && r.artifact?.key === r.key)).toBe(true)
    expect(rows.map((r) => r.payload.bytes)).toEqual(keys.map((_, i) => (i % 97) + 1))
    expect(backend.counts.head).toBe(0)
    expect(backend.counts.get).toBe(N)
    expect(backend.counts.listPage).toBe(Math.ceil((2 * N) / 1000))
    expect(backend.counts.maxGetsInFlight).toBeLessThanOrEqual(32)
    expect(backend.counts.maxGetsInFlight).toBeGreaterThan(1)
  })

  it('warm: reopening with nothing changed fetches no sidecar; 3 changed sidecars are 3 gets', async () => {
    const { memory, backend, keys, store } = await bucket()
    const indexDir = await tempDir()
    const cold = await rowsOf(store, indexDir)
    backend.reset()
    const again = await storeOver(backend, { readonly: true })
    expect(await rowsOf(again, indexDir)).toEqual(cold)
    expect(backend.counts).toMatchObject({ get: 0, head: 0, put: 0 })

    const changed = [keys[3], keys[500], keys[999]] as string[]
    for (const k of changed) await memory.put(sidecarOf(k), pythonSidecar(k, 7))
    await memory.delete(sidecarOf(keys[10] as string))
    backend.reset()
    const rows = await rowsOf(await storeOver(backend, { readonly: true }), indexDir)
    expect(backend.counts.get).toBe(3)
    expect(backend.counts.head).toBe(0)
    expect(rows).toHaveLength(N - 1)
    const n = new Map(rows.map((r) => [r.key, r.artifact?.additional_metadata.n]))
    expect(changed.map((k) => n.get(k))).toEqual([7, 7, 7])
    expect(n.get(keys[4] as string)).toBe(0)

    // The index followed: the next reopen is warm again, and the deleted key is not in it.
    backend.reset()
    await rowsOf(await storeOver(backend, { readonly: true }), indexDir)
    expect(backend.counts.get).toBe(0)
    const file = JSON.parse(await fs.readFile(sidecarIndexFile(indexDir, backend.url), 'utf8'))
    expect(file.entries).toHaveLength(N - 1)
  })

  it('the index lives in the given folder, never in the bucket', async () => {
    const { memory, backend, store } = await bucket(20)
    const before: string[] = []
    for await (const m of memory.list('')) before.push(m.path)
    const indexDir = await tempDir()
    await rowsOf(store, indexDir)
    const after: string[] = []
    for await (const m of memory.list('')) after.push(m.path)
    expect(after).toEqual(before)
    expect(backend.counts.put).toBe(0)
    expect(await fs.readdir(indexDir)).toEqual([
      path.basename(sidecarIndexFile(indexDir, backend.url)),
    ])
  })

  it('without an index folder nothing is kept: each listing fetches every sidecar', async () => {
    const { backend, store } = await bucket(50)
    await rowsOf(store, null)
    await rowsOf(store, null)
    expect(backend.counts.get).toBe(100)
  })

  it('a corrupt, truncated, foreign or wrong-shaped index file means a cold listing, never a crash', async () => {
    const { backend, store } = await bucket(40)
    const indexDir = await tempDir()
    const cold = await rowsOf(store, indexDir)
    const file = sidecarIndexFile(indexDir, backend.url)
    const good = JSON.parse(await fs.readFile(file, 'utf8'))
    const entry = good.entries[0]
    const bad = [
      'not json',
      JSON.stringify(good).slice(0, 100),
      JSON.stringify({ ...good, url: 'counting://another' }),
      JSON.stringify({ ...good, format: 'xpersist-sidecar-index/0' }),
      JSON.stringify({ ...good, entries: [...good.entries, [entry[0], entry[1], 'big', 0, '']] }),
      JSON.stringify({ ...good, entries: { 0: entry } }),
      JSON.stringify({ ...good, entries: [...good.entries, { __proto__: null }] }),
      'null',
      '[]',
    ]
    for (const text of bad) {
      await fs.writeFile(file, text)
      backend.reset()
      expect(await rowsOf(store, indexDir)).toEqual(cold)
      expect(backend.counts.get, text.slice(0, 40)).toBe(40)
    }
  })

  it('texts from the index are validated like fresh ones: a tampered entry is a broken row', async () => {
    const { backend, keys, store } = await bucket(5)
    const indexDir = await tempDir()
    await rowsOf(store, indexDir)
    const file = sidecarIndexFile(indexDir, backend.url)
    const index = JSON.parse(await fs.readFile(file, 'utf8'))
    index.entries[1][4] = '{"key": "k00001", "serializer": 1}'
    index.entries[2][4] = `{"a": ${'['.repeat(100_000)}`
    await fs.writeFile(file, JSON.stringify(index))
    backend.reset()
    const rows = await rowsOf(store, indexDir)
    expect(backend.counts.get).toBe(0)
    expect(rows.map((r) => [r.key, r.error?.code ?? null])).toEqual([
      [keys[0], null],
      [keys[1], 'CORRUPT_SIDECAR'],
      [keys[2], 'CORRUPT_SIDECAR'],
      [keys[3], null],
      [keys[4], null],
    ])
  })

  it('a sidecar too big to keep is fetched every time; the others stay warm', async () => {
    const { memory, backend, store } = await bucket(10)
    const big = { key: 'big', serializer: 'joblib', load_kwargs: {}, dump_kwargs: {} }
    const text = JSON.stringify({ ...big, additional_metadata: { pad: 'x'.repeat(300_000) } })
    await memory.put('big', new Uint8Array(3))
    await memory.put(sidecarOf('big'), new TextEncoder().encode(text))
    const indexDir = await tempDir()
    await rowsOf(store, indexDir)
    backend.reset()
    const rows = await rowsOf(store, indexDir)
    expect(backend.counts.get).toBe(1)
    expect(rows.find((r) => r.key === 'big')?.artifact?.serializer).toBe('joblib')
  })

  it('reports progress: objects listed, then sidecars read', async () => {
    const { store } = await bucket(1500)
    const seen: ListProgress[] = []
    await rowsOf(store, null, (p) => seen.push(p))
    const listing = seen.filter((p) => p.phase === 'listing').map((p) => p.done)
    expect(listing).toEqual([1000, 2000, 3000, 3000])
    const sidecars = seen.filter((p) => p.phase === 'sidecars')
    expect(sidecars.map((p) => p.done)).toEqual([256, 512, 768, 1024, 1280, 1500])
    expect(sidecars.every((p) => p.total === 1500)).toBe(true)
  })

  it('listing() gives the names before the first row, from the same single listing', async () => {
    const { backend, keys, store } = await bucket(30)
    const listing = await store.listing()
    expect(listing.names).toEqual(keys)
    expect(backend.counts.listPage).toBe(1)
    const rows: string[] = []
    for await (const r of listing.rows) rows.push(r.key)
    expect(rows).toEqual(keys)
    expect(backend.counts.listPage).toBe(1)
  })
})

describe('the root listing decides payloads as the per-key listing does', () => {
  it('folder payloads, nested keys, a sibling prefix, broken names and engine files', async () => {
    const memory = new MemoryBackend()
    const put = (p: string, n: number) => memory.put(p, new Uint8Array(n))
    for (const key of ['z', 'z/inner', 'a', 'ab', 'solo', 'nopayload']) {
      await memory.put(sidecarOf(key), pythonSidecar(key))
    }
    await put('z/.zarray', 10)
    await put('z/0.0', 20)
    await put('z/sub/1.0', 30)
    await put('z/inner', 5) // a nested key's own payload: never part of z's
    await put('a/0', 1)
    await put('ab/0', 100) // owned by ab: the prefix 'a' never takes it
    await put('ab/1', 200)
    await put('solo', 7)
    await put('solo/stray', 9) // an object at the key wins, as head() decides
    await put('.xpersist-locks/z.json', 50)
    await put('orphan/x', 3)
    await memory.put(sidecarOf('bad\\name'), pythonSidecar('bad\\name'))
    await memory.put(sidecarOf('broken'), new TextEncoder().encode('{'))
    const backend = new CountingBackend(memory)
    const store = await storeOver(backend, { readonly: true })
    const fast = await rowsOf(store, null)
    const perKey: ArtifactInfo[] = []
    for await (const r of store.artifacts({ keys: fast.map((r) => r.key) })) perKey.push(r)
    expect(fast).toEqual(perKey)
    const files = new Map(fast.map((r) => [r.key, r.payload.files.map((f) => f.path)]))
    expect(Object.fromEntries(files)).toEqual({
      a: ['a/0'],
      ab: ['ab/0', 'ab/1'],
      'bad\\name': [],
      broken: [],
      nopayload: [],
      solo: ['solo'],
      z: ['z/.zarray', 'z/0.0', 'z/sub/1.0'],
      'z/inner': ['z/inner'],
    })
    expect(fast.find((r) => r.key === 'z')?.payload.bytes).toBe(60)
    expect(fast.filter((r) => r.error).map((r) => [r.key, r.error?.code])).toEqual([
      ['bad\\name', 'INVALID_KEY'],
      ['broken', 'CORRUPT_SIDECAR'],
    ])
  })
})

describe('local folders', () => {
  it('never read or write a sidecar index (a stat costs what a read does), and report progress too', async () => {
    const dir = path.join(await tempDir(), 'cache')
    const writer = await CacheStore.open(dir, { registry: testRegistry() })
    for (const k of ['a', 'b/c', 'd']) await writer.put(k, `value ${k}`)
    const indexDir = path.join(await tempDir(), 'index')
    // An index file at the name this cache's would have: a local listing must not use it.
    await fs.mkdir(indexDir)
    await fs.writeFile(sidecarIndexFile(indexDir, writer.url), 'not json')
    const store = await CacheStore.open(dir, { readonly: true })
    const seen: ListProgress[] = []
    const rows = await rowsOf(store, indexDir, (p) => seen.push(p))
    expect(rows.map((r) => [r.key, r.error, r.payload.bytes])).toEqual([
      ['a', null, 7],
      ['b/c', null, 9],
      ['d', null, 7],
    ])
    expect(await fs.readdir(indexDir)).toEqual([
      path.basename(sidecarIndexFile(indexDir, writer.url)),
    ])
    expect(await fs.readFile(sidecarIndexFile(indexDir, writer.url), 'utf8')).toBe('not json')
    expect(seen.at(-1)).toEqual({ phase: 'sidecars', done: 3, total: 3 })
    expect(seen.filter((p) => p.phase === 'listing').at(-1)?.done).toBe(3)
  })
})

describe('SidecarIndex', () => {
  const meta = (p: string, etag = '1') => ({ path: p, size: 3, etag, lastModified: new Date(5) })

  it('keeps at most its byte budget (measured as written): sidecars past it are dropped', async () => {
    const dir = await tempDir()
    const text = `{"k": "${'é\\n"'.repeat(100)}"}`
    const one = Buffer.byteLength(JSON.stringify(['p000', '1', 3, 5, text])) + 1
    const index = await SidecarIndex.load(dir, 'counting://cap', one * 10 + 5)
    for (let i = 0; i < 25; i++) index.remember(meta(`p${String(i).padStart(3, '0')}`), text)
    await index.save()
    const file = sidecarIndexFile(dir, 'counting://cap')
    expect((await fs.stat(file)).size).toBeLessThanOrEqual(one * 10 + 5 + 4096)
    const again = await SidecarIndex.load(dir, 'counting://cap', one * 10 + 5)
    expect(again.loaded).toBe(10)
    expect(again.lookup(meta('p009'))).toBe(text)
    expect(again.lookup(meta('p010'))).toBeUndefined()
    expect(again.lookup(meta('p000', '2'))).toBeUndefined()
  })

  it('an unchanged index is not written again; a save failure is ignored', async () => {
    const dir = await tempDir()
    const index = await SidecarIndex.load(dir, 'counting://same')
    index.remember(meta('a'), '{}')
    await index.save()
    const file = sidecarIndexFile(dir, 'counting://same')
    const first = (await fs.stat(file)).mtimeMs
    await fs.utimes(file, new Date(1000), new Date(1000))
    const again = await SidecarIndex.load(dir, 'counting://same')
    expect(again.lookup(meta('a'))).toBe('{}')
    await fs.utimes(file, new Date(1000), new Date(1000))
    await again.save()
    expect((await fs.stat(file)).mtimeMs).toBe(1000)
    expect(first).toBeGreaterThan(1000)
    // A file where the index folder should be: saving fails quietly, listing goes on.
    const blocked = path.join(dir, 'blocked')
    await fs.writeFile(blocked, '')
    const nowhere = await SidecarIndex.load(path.join(blocked, 'index'), 'counting://x')
    nowhere.remember(meta('a'), '{}')
    await expect(nowhere.save()).resolves.toBeUndefined()
  })
})
