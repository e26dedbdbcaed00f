// The GCS backend against fake-gcs-server on 127.0.0.1: the shared conformance suite, then
// what is GCS's own (gcsfs storage_options, generations as versions, listing pages, error
// mapping without secrets), the emulator's known limits, and a CacheStore over gs:// end to end.
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { Storage } from '@google-cloud/storage'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GcsBackend } from '../../electron/engine/backend/gcs/gcs.js'
import { parseGcsOptions, parseGcsUrl } from '../../electron/engine/backend/gcs/options.js'
import { openBackend } from '../../electron/engine/backend/open.js'
import { CacheStore } from '../../electron/engine/store.js'
import { FIXTURE_CACHE, REPO, tempDir } from '../helpers/temp.js'
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

// A key in the shape of a real one; the test only checks that it never appears in a message.
const SECRET_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDoNotARealKey0\n' +
  'NEVER-PRINT-THIS-SECRET-9f8e7d\n-----END PRIVATE KEY-----\n'
const SERVICE_ACCOUNT = {
  type: 'service_account',
  project_id: 'p',
  private_key_id: 'key-id-NEVER-PRINT-1234',
  private_key: SECRET_KEY,
  client_email: 'robot@p.iam.gserviceaccount.com',
  token_uri: 'http://127.0.0.1:9/token',
}
const noSecret = (message: string) => {
  expect(message).not.toContain('NEVER-PRINT')
  expect(message).not.toContain('BEGIN PRIVATE KEY')
}

describe('gcs storage_options (gcsfs vocabulary)', () => {
  it('parses token, project and endpoint_url', async () => {
    expect(parseGcsOptions({})).toMatchObject({ auth: { kind: 'default' }, endpoint: undefined })
    expect(parseGcsOptions({ token: 'anon', project: 'p' })).toMatchObject({
      auth: { kind: 'anon' },
      project: 'p',
    })
    expect(parseGcsOptions({ token: 'google_default' }).auth).toEqual({ kind: 'default' })
    // An emulator endpoint without a token sends no credentials, as gcsfs does with one.
    expect(parseGcsOptions({ endpoint_url: 'http://127.0.0.1:4443/' })).toMatchObject({
      auth: { kind: 'anon' },
      endpoint: 'http://127.0.0.1:4443',
    })
    const dict = parseGcsOptions({ token: SERVICE_ACCOUNT })
    expect(dict.auth).toMatchObject({ kind: 'credentials', source: 'the token dict' })
    expect(dict.secrets).toEqual(
      expect.arrayContaining([SECRET_KEY, SERVICE_ACCOUNT.private_key_id]),
    )
    const file = path.join(await tempDir(), 'sa.json')
    await fs.writeFile(file, JSON.stringify(SERVICE_ACCOUNT))
    expect(parseGcsOptions({ token: file }).auth).toMatchObject({
      kind: 'credentials',
      source: `the file ${file}`,
      credentials: { client_email: SERVICE_ACCOUNT.client_email },
    })
  })

  it('refuses unknown options by name, and bad values saying what is wanted, never a secret', async () => {
    const bad = (options: Record<string, unknown>) => {
      try {
        parseGcsOptions(options)
      } catch (e) {
        expect(e).toMatchObject({ code: 'INVALID_ARGUMENT' })
        noSecret((e as Error).message)
        return (e as Error).message
      }
      throw new Error(`accepted ${Object.keys(options).join(', ')}`)
    }
    expect(bad({ key: 'NEVER-PRINT-a', secret: 'NEVER-PRINT-b' })).toMatch(
      /Unknown GCS storage_options: key, secret/,
    )
    expect(bad({ token: 42 })).toMatch(/token must be 'anon', 'google_default'/)
    expect(bad({ token: 'browser' })).toMatch(/login flow/)
    expect(bad({ token: '/no/such/sa.json' })).toMatch(
      /cannot read credentials from \/no\/such\/sa.json \(no such file\)/,
    )
    expect(bad({ token: { ...SERVICE_ACCOUNT, client_email: undefined } })).toMatch(
      /lacks client_email/,
    )
    expect(bad({ token: { private_key: SECRET_KEY } })).toMatch(/needs a 'type'/)
    expect(bad({ endpoint_url: 'ftp://x' })).toMatch(/endpoint_url must be an http/)
    expect(bad({ endpoint_url: 'http://user:NEVER-PRINT-pw@127.0.0.1:1' })).toMatch(
      /without credentials/,
    )
    expect(bad({ project: 7 })).toMatch(/project must be a non-empty string/)
  })

  it('parses gs:// and gcs:// URLs into bucket and folder prefix', () => {
    expect(parseGcsUrl('gs://bkt')).toEqual({ protocol: 'gs', bucket: 'bkt', prefix: '' })
    expect(parseGcsUrl('GCS://bkt//a/b/')).toEqual({
      protocol: 'gcs',
      bucket: 'bkt',
      prefix: 'a/b/',
    })
    for (const url of ['gs://', 'gs://UPPER/x', 'gs://b/../x', 'gs://bkt/a?x=1']) {
      expect(() => parseGcsUrl(url)).toThrow(/cache location|'\.\.'/)
    }
  })
})

describe('gcs errors: the closed set, naming bucket and option, never a secret', () => {
  let stub: Server
  let stubUrl: string
  beforeAll(async () => {
    // A loopback server that lets a listing through and refuses everything else, as GCS does
    // for an account with objects.list but not objects.get/create.
    stub = createServer((req, res) => {
      const listing =
        req.method === 'GET' && /^\/storage\/v1\/b\/[^/]+\/o(\?|$)/.test(req.url ?? '')
      res.setHeader('content-type', 'application/json')
      if (listing) {
        res.end(JSON.stringify({ kind: 'storage#objects' }))
        return
      }
      res.statusCode = 403
      res.end(
        JSON.stringify({
          error: { code: 403, message: 'caller does not have storage.objects.get access' },
        }),
      )
    })
    await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r))
    const addr = stub.address()
    stubUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  })
  afterAll(async () => {
    await new Promise((r) => stub.close(r))
  })

  it('403 is PermissionDeniedError naming the bucket and storage_options.token', async () => {
    const b = await GcsBackend.open('gs://locked/c', { endpoint_url: stubUrl })
    expect(await b.isWritable()).toBe(false)
    for (const attempt of [() => b.get('k'), () => b.head('k'), () => b.put('k', bytes('x'))]) {
      const err = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringMatching(
          /refused access to bucket 'locked' \(HTTP 403.*storage_options\.token \(now anonymous access/,
        ),
      })
      expect((err as Error).cause).toBeUndefined()
    }
  })

  it('credentials that cannot sign in are PermissionDeniedError without the key in it', async () => {
    // An explicit token is used even with an endpoint; this key cannot sign, so the auth
    // library fails before any request leaves.
    const err = await GcsBackend.open('gs://locked/c', {
      endpoint_url: stubUrl,
      token: SERVICE_ACCOUNT,
    }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining('could not sign in with the credentials in the token dict'),
    })
    noSecret((err as Error).message)
    expect((err as Error).cause).toBeUndefined()
  })

  it('a busy server (503 after the retries) is BackendError saying to try again later', async () => {
    const busy = createServer((_req, res) => {
      res.statusCode = 503
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ error: { code: 503, message: 'backend overloaded' } }))
    })
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
    const addr = busy.address()
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
    try {
      await expect(GcsBackend.open('gs://bkt/c', { endpoint_url: url })).rejects.toMatchObject({
        code: 'BACKEND',
        message: expect.stringMatching(
          /answered HTTP 503 \(backend overloaded\)\. The server may be busy: try again later/,
        ),
      })
    } finally {
      await new Promise((r) => busy.close(r))
    }
  })

  it('an endpoint nobody answers is BackendError saying it cannot be reached', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const addr = closed.address()
    const port = typeof addr === 'object' && addr ? addr.port : 0
    await new Promise((r) => closed.close(r))
    await expect(
      GcsBackend.open('gs://bkt', { endpoint_url: `http://127.0.0.1:${port}` }),
    ).rejects.toMatchObject({
      code: 'BACKEND',
      message: expect.stringMatching(
        new RegExp(`cannot reach http://127.0.0.1:${port} \\(ECONNREFUSED\\).*endpoint_url`),
      ),
    })
  })
})

// fake-gcs-server's gaps, checked with the SDK directly so a fixed release shows up here. The
// backend does not depend on any of them: it uses single-request uploads (whose
// ifGenerationMatch the server honours, tested above), no delete or metageneration
// preconditions, and follows page tokens whatever the page holds.
describe('fake-gcs-server known limits (emulator, not GCS)', () => {
  let bucket: ReturnType<Storage['bucket']>
  beforeAll(async () => {
    const storage = new Storage({ apiEndpoint: server.endpoint, projectId: 'test-project' })
    bucket = storage.bucket(await server.newBucket())
  })
  const read = async (name: string) => (await bucket.file(name).download())[0].toString()

  it('ignores ifGenerationMatch on resumable uploads', async () => {
    await bucket.file('r').save('first', { resumable: false })
    await bucket
      .file('r')
      .save('second', { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } })
    expect(await read('r')).toBe('second') // GCS would answer 412
  })

  it('ignores ifGenerationMatch on delete', async () => {
    await bucket.file('d').save('x', { resumable: false })
    await bucket.file('d').delete({ ifGenerationMatch: 12345 })
    expect((await bucket.file('d').exists())[0]).toBe(false) // GCS would answer 412
  })

  it('ignores ifMetagenerationMatch', async () => {
    await bucket.file('m').save('first', { resumable: false })
    await bucket
      .file('m')
      .save('second', { resumable: false, preconditionOpts: { ifMetagenerationMatch: 999 } })
    expect(await read('m')).toBe('second') // GCS would answer 412
  })

  it('ignores maxResults for sub-prefixes with a delimiter, repeating them on every page', async () => {
    for (const n of ['l/a', 'l/b', 'l/x/1', 'l/y/1', 'l/z/1'])
      await bucket.file(n).save('z', { resumable: false })
    const [, , first] = await bucket.getFiles({
      autoPaginate: false,
      prefix: 'l/',
      delimiter: '/',
      maxResults: 1,
    })
    const page = first as { items?: unknown[]; prefixes?: string[]; nextPageToken?: string }
    // GCS counts prefixes toward maxResults: one entry per page, each prefix once.
    expect(page.prefixes).toEqual(['l/x/', 'l/y/', 'l/z/'])
    expect(page.items).toHaveLength(1)
    const [, , second] = await bucket.getFiles({
      autoPaginate: false,
      prefix: 'l/',
      delimiter: '/',
      maxResults: 1,
      pageToken: page.nextPageToken as string,
    })
    expect((second as { prefixes?: string[] }).prefixes).toEqual(['l/x/', 'l/y/', 'l/z/'])
  })
})

describe('a CacheStore over gs:// end to end', () => {
  it('puts, gets, lists and deletes a joblib value and a CSV', async () => {
    const bucket = await server.newBucket()
    const store = await CacheStore.open(`gs://${bucket}/team/cache`, {
      storageOptions: server.storageOptions,
    })
    expect(store.readonly).toBe(false)
    expect(await store.keys()).toEqual([])
    const value = { model: 'ridge', alpha: 0.5, coefs: [1, 2, 3] }
    await store.put('models/ridge', value, { serializer: 'joblib' })
    const csv = bytes('a,b\n1,x\n2,y\n')
    await store.importPayload('tables/t.csv', csv, { serializer: 'pandas.csv' })
    expect(await store.keys()).toEqual(['models/ridge', 'tables/t.csv'])
    // Python dicts load as Maps (their keys come from the file).
    expect(await store.get('models/ridge')).toEqual(new Map(Object.entries(value)))
    const table = (await store.get('tables/t.csv')) as {
      numRows: number
      schema: { names: string[] }
    }
    expect(table.numRows).toBe(2)
    expect(table.schema.names).toEqual(expect.arrayContaining(['a', 'b']))
    expect(await store.getArtifact('tables/t.csv')).toMatchObject({ serializer: 'pandas.csv' })

    // Python's layout in the bucket: payload at <key>, sidecar beside in the metadata folder.
    const raw = await GcsBackend.open(`gs://${bucket}`, server.storageOptions)
    expect((await collect(raw.list(''))).map((m) => m.path).sort()).toEqual([
      'team/cache/models/ridge',
      'team/cache/tables/t.csv',
      'team/cache/xpersist_metadata_store/models/ridge.artifact.json',
      'team/cache/xpersist_metadata_store/tables/t.csv.artifact.json',
    ])
    expect(text(await raw.get('team/cache/tables/t.csv'))).toBe('a,b\n1,x\n2,y\n')

    await store.delete('models/ridge', { dryRun: false })
    await store.delete('tables/t.csv', { dryRun: false })
    expect(await store.keys()).toEqual([])
    expect(await collect(raw.list(''))).toEqual([])
  })
})

describe('the GCS SDK loads only for gs:// caches', () => {
  // A resolve hook reports every import of the SDK; the engine runs from dist/ as the CLI does.
  const run = (location: string, options: Record<string, unknown>) =>
    new Promise<string>((resolve, reject) => {
      const hook = `export async function resolve(s, c, n) { if (s.startsWith('@google-cloud/')) console.log('SDK ' + s); return n(s, c) }`
      const script = `
        import { register } from 'node:module'
        register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}))
        const { CacheStore } = await import(${JSON.stringify(`${REPO}/dist/electron/engine/store.js`)})
        const store = await CacheStore.open(${JSON.stringify(location)}, { readonly: true, storageOptions: ${JSON.stringify(options)} })
        console.log('keys ' + (await store.keys()).length)`
      execFile(process.execPath, ['--input-type=module', '-e', script], (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      )
    })

  it('a local cache never imports @google-cloud/storage; a gs:// one does', async () => {
    const local = await run(FIXTURE_CACHE, {})
    expect(local).toMatch(/^keys [1-9]\d*$/m)
    expect(local).not.toContain('SDK ')
    const remote = await run(`gs://${await server.newBucket()}/c`, server.storageOptions)
    expect(remote).toContain('SDK @google-cloud/storage')
    expect(remote).toMatch(/^keys 0$/m)
  })
})
