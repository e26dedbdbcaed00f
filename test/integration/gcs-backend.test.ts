// The GCS backend against fake-gcs-server on 127.0.0.1: the shared conformance suite, then
// what is GCS's own (generations as versions, a create race, range edges, listing pages, bulk
// calls). Options and errors: gcs-errors.test.ts; emulator limits and a CacheStore over gs://:
// gcs-emulator.test.ts.
import { createServer, type Server } from 'node:http'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GcsBackend } from '../../electron/engine/backend/gcs/gcs.js'
import { openBackend } from '../../electron/engine/backend/open.js'
import { backendConformance } from '../backend-conformance.js'
import { startFakeGcs, type FakeGcsServer } from '../servers/fake-gcs.js'
import { answers } from '../servers/server-process.js'

let server: FakeGcsServer
beforeAll(async () => {
  server = await startFakeGcs()
})
afterAll(async () => {
  await server?.stop()
})

const bytes = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : Buffer.from(b).toString()

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

/** A backend on a new, empty bucket; `prefix` puts the cache below the bucket's root. */
async function fresh(prefix = '', pageSize?: number): Promise<GcsBackend> {
  const bucket = await server.newBucket()
  return GcsBackend.open(`gs://${bucket}/${prefix}`, server.storageOptions, { pageSize })
}

// A loopback server answering every request 403, as GCS does for an account without access.
let refusing: Server
let refusingUrl: string
beforeAll(async () => {
  refusing = createServer((_req, res) => {
    res.statusCode = 403
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ error: { code: 403, message: 'caller does not have access' } }))
  })
  await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r))
  const addr = refusing.address()
  refusingUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
})
afterAll(async () => {
  await new Promise((r) => refusing?.close(r))
})
// Without the listing at open, which the refusing server would fail already.
const denied = () =>
  GcsBackend.open('gs://locked/cache', { endpoint_url: refusingUrl }, { check: false })

// Single-request uploads even for the 8 MiB put: no resumable-upload limits to declare.
backendConformance('gcs (fake-gcs-server)', () => fresh(), { denied, pageSize: 1000 })
// Below a prefix and with two-object pages, so every listing crosses page boundaries.
backendConformance('gcs (fake-gcs-server, prefix, 2-object pages)', () => fresh('team/cache', 2), {
  denied,
  pageSize: 2,
})

describe('gcs backend on fake-gcs-server', () => {
  it('the harness stops fake-gcs-server leaving no process, port or file behind', async () => {
    const other = await startFakeGcs()
    expect(await answers(`${other.endpoint}/storage/v1/b`)).toBe(true)
    await other.stop()
    expect(existsSync(other.dir)).toBe(false)
    expect(await answers(`${other.endpoint}/storage/v1/b`)).toBe(false)
    await other.stop() // twice is harmless
  })

  it('opens gs:// and gcs:// through the URL registry, naming the cache as written', async () => {
    const bucket = await server.newBucket()
    const gs = await openBackend(`gs://${bucket}/a/b/`, server.storageOptions)
    expect(gs.url).toBe(`gs://${bucket}/a/b`)
    await gs.put('k', bytes('v'))
    const gcs = await openBackend(`gcs://${bucket}/a`, server.storageOptions)
    expect(gcs.url).toBe(`gcs://${bucket}/a`)
    expect((await collect(gcs.list(''))).map((m) => m.path)).toEqual(['b/k'])
  })

  it('create-only uploads use ifGenerationMatch 0: of 20 racing creates exactly one wins', async () => {
    const b = await fresh()
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => b.put('race', bytes(`writer ${i}`), { mode: 'create' })),
    )
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r) => r.status === 'rejected')
    expect(won).toHaveLength(1)
    for (const r of lost) expect(r.reason).toMatchObject({ code: 'ALREADY_EXISTS' })
    const winner = (won[0] as PromiseFulfilledResult<{ etag: string }>).value
    expect((await b.head('race'))?.etag).toBe(winner.etag)
  })

  it('the version tag is the generation: if-match takes it, and a foreign etag conflicts', async () => {
    const b = await fresh()
    const v1 = await b.put('k', bytes('v1'))
    expect(v1.etag).toMatch(/^[1-9]\d*$/)
    expect((await b.head('k'))?.etag).toBe(v1.etag)
    const v2 = await b.put('k', bytes('v2'), { mode: { ifMatch: v1.etag } })
    await expect(b.put('k', bytes('v3'), { mode: { ifMatch: v1.etag } })).rejects.toMatchObject({
      code: 'CONFLICT',
    })
    // An S3-style ETag names no generation: refused, never written.
    await expect(b.put('k', bytes('v3'), { mode: { ifMatch: '"abc123"' } })).rejects.toMatchObject({
      code: 'CONFLICT',
    })
    // if-match on a missing object: there is no version to match.
    await expect(b.put('gone', bytes('x'), { mode: { ifMatch: v2.etag } })).rejects.toMatchObject({
      code: 'CONFLICT',
    })
    expect(text(await b.get('k'))).toBe('v2')
    expect(await b.head('gone')).toBeUndefined()
  })

  it('reads byte ranges at the edges: past the end, suffix longer than the object, empty', async () => {
    const b = await fresh()
    await b.put('r', bytes('0123456789'))
    expect(text(await b.get('r', { offset: 10, length: 5 }))).toBe('')
    expect(text(await b.get('r', { offset: 0, length: 0 }))).toBe('')
    expect(text(await b.get('r', { suffixLength: 100 }))).toBe('0123456789')
    expect(text(await b.get('r', { suffixLength: 1 }))).toBe('9')
    expect(await b.get('missing', { offset: 0, length: 0 })).toBeUndefined()
    expect(await b.get('missing', { suffixLength: 3 })).toBeUndefined()
  })

  it('keys with spaces, unicode and + round-trip through put, list and get', async () => {
    const b = await fresh('p q')
    const names = ['a b/c d.csv', 'ünï/cödé✓.json', 'x+y/1+1=2', 'pct%20/%2F']
    for (const n of names) await b.put(n, bytes(n))
    expect((await collect(b.list(''))).map((m) => m.path).sort()).toEqual([...names].sort())
    for (const n of names) expect(text(await b.get(n))).toBe(n)
    expect((await b.listWithDelimiter('')).prefixes.sort()).toEqual(
      ['a b/', 'pct%20/', 'x+y/', 'ünï/'].sort(),
    )
  })

  it('lists across pages: every object once, sub-prefixes once, paths in pages', async () => {
    const b = await fresh('c', 1)
    const paths = ['d/a', 'd/b', 'd/c', 'd/x/1', 'd/y/2', 'e']
    for (const p of paths) await b.put(p, bytes(p))
    expect((await collect(b.list('d'))).map((m) => m.path).sort()).toEqual(paths.slice(0, 5))
    const pages = await collect(b.listPaths('d/'))
    expect(pages.every((p) => p.length === 1)).toBe(true)
    expect(pages.flat().sort()).toEqual(paths.slice(0, 5))
    // fake-gcs-server repeats every sub-prefix on every page of a delimited listing.
    const level = await b.listWithDelimiter('d')
    expect(level.objects.map((m) => m.path).sort()).toEqual(['d/a', 'd/b', 'd/c'])
    expect(level.prefixes.sort()).toEqual(['d/x/', 'd/y/'])
  })

  it('skips folder placeholders (names ending in /) in listings', async () => {
    const bucket = await server.newBucket()
    const b = await GcsBackend.open(`gs://${bucket}`, server.storageOptions)
    await putRaw(bucket, 'f/', '')
    await b.put('f/real', bytes('1'))
    expect((await collect(b.list(''))).map((m) => m.path)).toEqual(['f/real'])
    expect((await collect(b.listPaths(''))).flat()).toEqual(['f/real'])
    expect(await b.listWithDelimiter('f/')).toMatchObject({ prefixes: [] })
  })

  it('bulk calls: order kept, missing paths fine, bytes for text that is not UTF-8', async () => {
    const b = await fresh()
    const paths = Array.from({ length: 70 }, (_, i) => `m/${i}`)
    for (const p of paths) await b.put(p, bytes(p))
    await b.put('bad', Uint8Array.of(0x61, 0xff, 0x62))
    const texts = await b.getManyText(['m/3', 'nope', 'bad', 'm/69'])
    expect(texts.slice(0, 2)).toEqual(['m/3', undefined])
    expect(texts[2]).toEqual(Uint8Array.of(0x61, 0xff, 0x62))
    expect(texts[3]).toBe('m/69')
    const metas = await b.headMany(['m/1', 'nope', 'm/10'])
    expect(metas.map((m) => m?.size)).toEqual([3, undefined, 4])
    await b.deleteMany([...paths, 'never-was'])
    expect((await collect(b.list(''))).map((m) => m.path)).toEqual(['bad'])
    expect(await collect(b.listTempFiles(''))).toEqual([])
  })

  it('is writable on the emulator (it has no permissions to test)', async () => {
    expect(await (await fresh()).isWritable()).toBe(true)
  })

  it('a missing bucket is named at open', async () => {
    await expect(
      GcsBackend.open('gs://no-such-bucket-here/x', server.storageOptions),
    ).rejects.toMatchObject({
      code: 'BACKEND',
      message: expect.stringMatching(/no bucket 'no-such-bucket-here' at http:\/\/127\.0\.0\.1/),
    })
  })
})

/** Writes an object with the JSON API directly, as other tools do. */
async function putRaw(bucket: string, name: string, body: string): Promise<void> {
  const url = `${server.endpoint}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(name)}`
  const res = await fetch(url, { method: 'POST', body })
  await res.text()
  if (!res.ok) throw new Error(`raw upload of ${name}: ${res.status}`)
}
