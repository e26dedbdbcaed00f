// What the S3 backend puts on the wire for each storage option, seen by a recording HTTP
// server on 127.0.0.1 (moto accepts any request, so it cannot show these): anon sends no
// signature, requester_pays its header, profile and the AWS environment their keys; and how
// refusals and server failures come back.
import { promises as fs } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openBackend } from '../../electron/engine/backend/open.js'
import { FAST_MAX_BYTES } from '../../electron/engine/backend/s3/fast-path.js'
import { openS3 } from '../../electron/engine/backend/s3/index.js'
import { tempDir } from '../helpers/temp.js'
import { collect, expectNoSecret } from './s3-helpers.js'

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}
let seen: Seen[] = []
let answer = { status: 404, code: 'NoSuchKey' }
// Requests being answered right now, and the most at once; `delay` holds answers back so that
// concurrent requests overlap.
let inFlight = 0
let maxInFlight = 0
let delay = 0
let bucketHeads = 0
let server: http.Server
let endpoint = ''

beforeAll(async () => {
  server = http.createServer((req, res) => {
    // HeadBucket (the backend's check after a HEAD's bare 404): the bucket is there.
    if (req.method === 'HEAD' && /^\/[^/]+\/?$/.test(req.url ?? '')) {
      bucketHeads++
      return void res.end()
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    req.on('end', async () => {
      if (delay > 0) await new Promise((r) => setTimeout(r, delay))
      inFlight--
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      res.statusCode = answer.status
      res.setHeader('content-type', 'application/xml')
      if (answer.code === 'IgnoreRange') return void res.end('0123456789')
      if (answer.code === 'Big') return void res.end('a'.repeat(FAST_MAX_BYTES + 1))
      res.end(
        answer.status === 200
          ? '<?xml version="1.0"?><DeleteResult></DeleteResult>'
          : `<?xml version="1.0"?><Error><Code>${answer.code}</Code><Message>m</Message></Error>`,
      )
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
})

const saved = { ...process.env }
afterEach(() => {
  seen = []
  answer = { status: 404, code: 'NoSuchKey' }
  delay = 0
  maxInFlight = 0
  bucketHeads = 0
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
  Object.assign(process.env, saved)
})

/** Makes the AWS chain find nothing on this machine (no env keys, files, or instance role). */
async function emptyAwsEnvironment(): Promise<string> {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k]
  const dir = await tempDir('xp-aws-')
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials')
  process.env.AWS_CONFIG_FILE = path.join(dir, 'config')
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
  return dir
}

const region = { region_name: 'eu-west-3' }

describe('S3 requests on the wire', () => {
  it('anon sends unsigned requests and is not writable', async () => {
    const b = await openBackend('s3://pub/data', { anon: true, endpoint_url: endpoint })
    expect(await b.get('k')).toBeUndefined()
    expect(seen[0]?.url).toBe('/pub/data/k?x-id=GetObject')
    expect(seen[0]?.headers.authorization).toBeUndefined()
    expect(await b.isWritable()).toBe(false)
  })

  it('keys sign requests in the region of client_kwargs; the secret never travels', async () => {
    const b = await openBackend('s3://bkt', {
      key: 'AKIDEXAMPLE',
      secret: 'wire-secret-123',
      token: 'wire-token-456',
      endpoint_url: endpoint,
      client_kwargs: region,
    })
    await b.head('x')
    const auth = String(seen[0]?.headers.authorization)
    expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-3\/s3\//)
    expect(seen[0]?.headers['x-amz-security-token']).toBe('wire-token-456')
    expect(JSON.stringify(seen)).not.toContain('wire-secret-123')
  })

  it('requester_pays adds x-amz-request-payer to every request', async () => {
    const b = await openBackend('s3://rp', {
      anon: true,
      requester_pays: true,
      endpoint_url: endpoint,
    })
    await b.get('k')
    answer = { status: 200, code: 'x' }
    await collect(b.list('')).catch(() => undefined)
    expect(seen.length).toBeGreaterThanOrEqual(2)
    for (const s of seen) expect(s.headers['x-amz-request-payer']).toBe('requester')
  })

  it('without keys, uses the AWS environment, then a named profile', async () => {
    const dir = await emptyAwsEnvironment()
    // Written first: the SDK caches credential files for the life of the process.
    await fs.writeFile(
      path.join(dir, 'credentials'),
      '[research]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n',
    )
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENV'
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret'
    await (await openBackend('s3://b', { endpoint_url: endpoint, client_kwargs: region })).head('k')
    expect(String(seen[0]?.headers.authorization)).toContain('Credential=AKIDFROMENV/')
    delete process.env.AWS_ACCESS_KEY_ID
    delete process.env.AWS_SECRET_ACCESS_KEY
    const b = await openBackend('s3://b', {
      profile: 'research',
      endpoint_url: endpoint,
      client_kwargs: region,
    })
    await b.head('k')
    expect(String(seen[1]?.headers.authorization)).toContain('Credential=AKIDPROFILE/')
  })

  it('no credentials anywhere is PERMISSION_DENIED saying what to set', async () => {
    await emptyAwsEnvironment()
    const b = await openBackend('s3://b/p', { endpoint_url: endpoint, client_kwargs: region })
    const err = await b.get('k').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'PERMISSION_DENIED' })
    expect((err as Error).message).toMatch(/No AWS credentials found for s3:\/\/b\/p/)
    expect((err as Error).message).toMatch(/key\s+and secret, or profile, or anon: true/)
  })

  it('403 is PERMISSION_DENIED naming the bucket and the option, never the secret', async () => {
    answer = { status: 403, code: 'AccessDenied' }
    const options = { key: 'AKIDDENIED', secret: 'denied-secret', endpoint_url: endpoint }
    const b = await openBackend('s3://private-bkt/cache', options)
    for (const step of [() => b.get('k'), () => b.put('k', new Uint8Array(1)), () => b.head('k')]) {
      const err = await step().catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'PERMISSION_DENIED' })
      expect((err as Error).message).toContain("bucket 'private-bkt'")
      expect((err as Error).message).toMatch(/key and secret/)
      expectNoSecret(err, ['AKIDDENIED', 'denied-secret'])
    }
    const anon = await openBackend('s3://private-bkt', { anon: true, endpoint_url: endpoint })
    const err = await anon.get('k').catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/does not allow anonymous \(anon: true\) access/)
  })

  it('deleteMany sends DeleteObjects with at most 1,000 keys each', async () => {
    answer = { status: 200, code: 'x' }
    const b = await openBackend('s3://b/root', { key: 'K', secret: 'S', endpoint_url: endpoint })
    const paths = Array.from({ length: 2_500 }, (_, i) => `z/${i}`)
    await b.deleteMany(paths)
    expect(new Set(seen.map((s) => `${s.method} ${s.url}`))).toEqual(new Set(['POST /b/?delete=']))
    const counts = seen.map((s) => s.body.split('<Key>').length - 1).sort((x, y) => y - x)
    expect(counts).toEqual([1_000, 1_000, 500])
    expect(
      seen.flatMap((s) => [...s.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).sort(),
    ).toEqual(paths.map((p) => `root/${p}`).sort())
  })

  it('getManyText and headMany keep at most 32 requests in flight', async () => {
    delay = 50
    const b = await openBackend('s3://b', { anon: true, endpoint_url: endpoint })
    const paths = Array.from({ length: 100 }, (_, i) => `m/${i}.json`)
    expect(await b.getManyText(paths)).toEqual(Array(100).fill(undefined))
    expect(seen.length).toBe(100)
    expect(maxInFlight).toBeLessThanOrEqual(32)
    expect(maxInFlight).toBeGreaterThan(1)
    maxInFlight = 0
    expect(await b.headMany(paths)).toEqual(Array(100).fill(undefined))
    expect(maxInFlight).toBeLessThanOrEqual(32)
    // 100 bare 404s on HEAD: the bucket's existence is asked once, not per object.
    expect(bucketHeads).toBe(1)
  })

  it('a server that ignores Range still gives only the bytes asked for', async () => {
    answer = { status: 200, code: 'IgnoreRange' }
    const b = await openBackend('s3://b', { anon: true, endpoint_url: endpoint })
    const text = async (r: Parameters<typeof b.get>[1]) =>
      new TextDecoder().decode(await b.get('k', r))
    expect(await text({ offset: 2, length: 3 })).toBe('234')
    expect(await text({ suffixLength: 4 })).toBe('6789')
    expect(seen.map((s) => s.headers.range)).toEqual(['bytes=2-4', 'bytes=-4'])
  })

  it('a failing server is BACKEND saying to try again later', async () => {
    answer = { status: 503, code: 'SlowDown' }
    const b = await openBackend('s3://b', { anon: true, endpoint_url: endpoint })
    const err = await b.get('k').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'BACKEND' })
    expect((err as Error).message).toMatch(/HTTP 503, SlowDown.*try again later/)
  })
})

// Sidecars (getManyText) go out signed by the engine itself (fast-path.ts, sigv4.ts), not
// through the SDK: no ?x-id=GetObject on the URL. Anything but a 200 or a NoSuchKey goes the
// SDK's way, so errors are the same ones.
describe('sidecar GETs signed by the engine', () => {
  const sdkGets = () => seen.filter((s) => s.url.includes('x-id=GetObject')).length

  it('signs with the keys, token and region, and encodes keys as SigV4 says', async () => {
    answer = { status: 200, code: 'IgnoreRange' }
    const b = await openBackend('s3://bkt/root', {
      key: 'AKIDEXAMPLE',
      secret: 'wire-secret-123',
      token: 'wire-token-456',
      endpoint_url: endpoint,
      client_kwargs: region,
    })
    expect(await b.getManyText(['a b/c+d.json', "é/(x)!'*.json"])).toEqual([
      '0123456789',
      '0123456789',
    ])
    expect(seen.map((s) => s.url).sort()).toEqual([
      '/bkt/root/%C3%A9/%28x%29%21%27%2A.json',
      '/bkt/root/a%20b/c%2Bd.json',
    ])
    for (const s of seen) {
      expect(String(s.headers.authorization)).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-3\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
      )
      expect(s.headers['x-amz-security-token']).toBe('wire-token-456')
    }
    expect(JSON.stringify(seen)).not.toContain('wire-secret-123')
  })

  it('sends anon unsigned, with requester pays; NoSuchKey is missing in one request', async () => {
    const b = await openBackend('s3://pub', {
      anon: true,
      requester_pays: true,
      endpoint_url: endpoint,
    })
    expect(await b.getManyText(['k1', 'k2'])).toEqual([undefined, undefined])
    expect(seen.map((s) => s.url).sort()).toEqual(['/pub/k1', '/pub/k2'])
    for (const s of seen) {
      expect(s.headers.authorization).toBeUndefined()
      expect(s.headers['x-amz-request-payer']).toBe('requester')
    }
  })

  it('a refusal goes the SDK way (same error), and the SDK serves the rest', async () => {
    answer = { status: 403, code: 'AccessDenied' }
    const options = { key: 'AKIDDENIED', secret: 'denied-secret', endpoint_url: endpoint }
    const b = await openBackend('s3://private-bkt/cache', options)
    const err = await b.getManyText(['k']).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'PERMISSION_DENIED' })
    expect((err as Error).message).toContain("bucket 'private-bkt'")
    expectNoSecret(err, ['AKIDDENIED', 'denied-secret'])
    expect(sdkGets()).toBeGreaterThanOrEqual(1)
    const before = seen.length
    await b.getManyText(['k2']).catch(() => undefined)
    expect(seen.slice(before).every((s) => s.url.includes('x-id=GetObject'))).toBe(true)
  })

  it('a server failure is BACKEND after the SDK retried it', async () => {
    answer = { status: 503, code: 'SlowDown' }
    const b = await openBackend('s3://b', { anon: true, endpoint_url: endpoint })
    const err = await b.getManyText(['k']).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'BACKEND' })
    expect((err as Error).message).toMatch(/HTTP 503, SlowDown.*try again later/)
    expect(sdkGets()).toBeGreaterThanOrEqual(1)
  })

  it('an object past the fast bound is read whole by the SDK', async () => {
    answer = { status: 200, code: 'Big' }
    const fallbacks: string[] = []
    const b = await openS3(
      's3://b',
      { anon: true, endpoint_url: endpoint },
      {},
      { onFastFallback: (p) => fallbacks.push(p) },
    )
    const [got] = await b.getManyText(['big.json'])
    expect((got as string).length).toBe(FAST_MAX_BYTES + 1)
    expect(fallbacks).toEqual(['big.json'])
    expect(sdkGets()).toBe(1)
  })

  it('no credentials anywhere is PERMISSION_DENIED as for any read', async () => {
    await emptyAwsEnvironment()
    const b = await openBackend('s3://b/p', { endpoint_url: endpoint, client_kwargs: region })
    const err = await b.getManyText(['k']).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'PERMISSION_DENIED' })
    expect((err as Error).message).toMatch(/No AWS credentials found for s3:\/\/b\/p/)
    expect(seen).toEqual([])
  })
})

// Recursive listing pages also go out signed by the engine (fast-path.ts, list-xml.ts); the
// SDK's requests carry its amz-sdk-invocation-id header, the engine's do not.
describe('listing pages signed by the engine', () => {
  const bySdk = () => seen.filter((s) => s.headers['amz-sdk-invocation-id'] !== undefined)

  it('signs the query as SigV4 says; a page it cannot read goes to the SDK', async () => {
    // The recording server answers a DeleteResult, which is no listing: the SDK reads it.
    answer = { status: 200, code: 'Ok' }
    const fallbacks: string[] = []
    const b = await openS3(
      's3://bkt/root',
      {
        key: 'AKIDEXAMPLE',
        secret: 'wire-secret-123',
        endpoint_url: endpoint,
        client_kwargs: region,
      },
      {},
      { onFastListFallback: (p) => fallbacks.push(p) },
    )
    await collect(b.list('a b+c', { startAfter: 'a b+c/é' }))
    const [mine, sdk] = seen
    expect(mine?.headers['amz-sdk-invocation-id']).toBeUndefined()
    expect(mine?.url).toBe(
      '/bkt?list-type=2&prefix=root%2Fa%20b%2Bc%2F&start-after=root%2Fa%20b%2Bc%2F%C3%A9',
    )
    expect(String(mine?.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-3\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    )
    expect(fallbacks).toEqual(['a b+c'])
    expect(bySdk()).toEqual([sdk])
    expect(JSON.stringify(seen)).not.toContain('wire-secret-123')
  })

  it('a refusal goes the SDK way (same error), and later pages go there at once', async () => {
    answer = { status: 403, code: 'AccessDenied' }
    const options = { key: 'AKIDDENIED', secret: 'denied-secret', endpoint_url: endpoint }
    const b = await openBackend('s3://private-bkt', options)
    const err = await collect(b.list('')).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'PERMISSION_DENIED' })
    expect((err as Error).message).toContain("bucket 'private-bkt'")
    expectNoSecret(err, ['AKIDDENIED', 'denied-secret'])
    const before = seen.length
    expect(before - bySdk().length).toBe(1)
    await collect(b.list('')).catch(() => undefined)
    expect(seen.slice(before).every((s) => s.headers['amz-sdk-invocation-id'] !== undefined)).toBe(
      true,
    )
  })
})
