// GCS storage_options in gcsfs's vocabulary, and the backend's errors: the closed set, naming
// the bucket and the option to fix, never a secret. Loopback stub servers play GCS refusing,
// busy or absent; no emulator is needed.
import { createServer, type Server } from 'node:http'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GcsBackend } from '../../electron/engine/backend/gcs/gcs.js'
import { parseGcsOptions, parseGcsUrl } from '../../electron/engine/backend/gcs/options.js'
import { tempDir } from '../helpers/temp.js'

const bytes = (s: string) => new TextEncoder().encode(s)

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
