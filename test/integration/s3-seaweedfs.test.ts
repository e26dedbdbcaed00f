// The S3 backend against SeaweedFS (a real distributed object store) on 127.0.0.1: the same
// conformance suite as moto, plus what SeaweedFS checks and moto does not: signatures
// (wrong credentials) and per-identity permissions (a read-only identity).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Backend } from '../../electron/engine/backend/backend.js'
import { openBackend } from '../../electron/engine/backend/open.js'
import { openS3 } from '../../electron/engine/backend/s3/index.js'
import { backendConformance } from '../backend-conformance.js'
import { AWKWARD_NAMES } from '../conformance/bulk.js'
import { makeBucket } from '../servers/s3-buckets.js'
import {
  SEAWEED_KEY,
  SEAWEED_READER_KEY,
  SEAWEED_READER_SECRET,
  SEAWEED_SECRET,
  startSeaweed,
  type SeaweedServer,
} from '../servers/seaweedfs.js'
import {
  collect,
  createRace,
  expectFastListingAsSdk,
  expectNoSecret,
  fillPrefix,
} from './s3-helpers.js'

let weed: SeaweedServer
const BUCKET = 'xpersist-weed'
const SECRETS = [SEAWEED_KEY, SEAWEED_SECRET, SEAWEED_READER_KEY, SEAWEED_READER_SECRET]
let runs = 0

beforeAll(async () => {
  weed = await startSeaweed()
  await makeBucket(weed.storageOptions, BUCKET)
})
afterAll(async () => {
  await weed?.stop()
})

async function fresh(): Promise<Backend> {
  return openBackend(`s3://${BUCKET}/run-${++runs}`, weed.storageOptions)
}

backendConformance('s3 (SeaweedFS)', fresh, {
  pageSize: 1_000,
  // SeaweedFS checks signatures: a wrong secret is refused for reads and writes alike.
  denied: async () =>
    openBackend(`s3://${BUCKET}/denied-${++runs}`, { ...weed.storageOptions, secret: 'wrong' }),
  limits: {
    emptyPrefixKept:
      'SeaweedFS 4.48 keeps the folder its filer made: a delimited listing still names a ' +
      'prefix whose objects were all deleted',
    keyRangesTreeOrder:
      "SeaweedFS 4.48 starts a listing at StartAfter in its filer's folder order: after 'a b' " +
      "it skips folder 'a' (whose 'a/1' sorts after 'a b' as a key)",
  },
})

describe('S3 backend on SeaweedFS', () => {
  it('wrong credentials are PERMISSION_DENIED, naming the bucket and the options, no secret', async () => {
    const wrong = { ...weed.storageOptions, secret: 'not-the-secret-either' }
    const b = await openBackend(`s3://${BUCKET}/x`, wrong)
    for (const step of [
      () => b.get('k'),
      () => collect(b.list('')),
      () => b.put('k', new Uint8Array(1)),
    ]) {
      const err = await step().catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'PERMISSION_DENIED' })
      expect((err as Error).message).toContain(`bucket '${BUCKET}'`)
      expect((err as Error).message).toMatch(/key, secret or token in the storage options/)
      expectNoSecret(err, [...SECRETS, 'not-the-secret-either'])
    }
  })

  it('a read-only identity reads, and its writes and deletes are PERMISSION_DENIED', async () => {
    const w = await fresh()
    await w.put('ro/k', new TextEncoder().encode('v'))
    const r = await openBackend(w.url, weed.readerOptions)
    expect(new TextDecoder().decode(await r.get('ro/k'))).toBe('v')
    for (const step of [
      () => r.put('ro/new', new Uint8Array(1)),
      () => r.put('ro/k', new Uint8Array(1), { mode: 'create' }),
      () => r.delete('ro/k'),
      () => r.deleteMany(['ro/k']),
    ]) {
      const err = await step().catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'PERMISSION_DENIED' })
      expectNoSecret(err, SECRETS)
    }
    expect(await r.head('ro/k')).toBeDefined()
  })

  it('lets exactly one of 20 racing creates win', async () => {
    const b = await fresh()
    const { winners, losers } = await createRace(b, 'race/key', 20)
    // If this fails with many winners, SeaweedFS ignores If-None-Match: * under concurrency;
    // the backend sends it, and nothing here may fake it.
    expect(winners).toBe(1)
    expect(losers).toEqual(Array(19).fill('ALREADY_EXISTS'))
  })

  it('pages and batch-deletes more than 1,000 objects', async () => {
    const b = await fresh()
    const paths = await fillPrefix(b, 'many', 1_020)
    const pages = await collect(b.listPaths('many'))
    expect(pages.length).toBeGreaterThanOrEqual(2)
    expect(pages.flat().sort()).toEqual(paths)
    expect((await b.listWithDelimiter('many')).objects.length).toBe(1_020)
    await b.deleteMany(paths)
    expect(await collect(b.list('many'))).toEqual([])
  })

  it('lists with requests the engine signs itself exactly what the SDK lists, awkward keys too', async () => {
    await expectFastListingAsSdk(`s3://${BUCKET}/fast-list-${++runs}`, weed.storageOptions)
  })

  it('accepts the signatures of sidecar GETs the engine signs itself, awkward keys too', async () => {
    const fallbacks: string[] = []
    const at = `s3://${BUCKET}/signed-${++runs}`
    const b = await openS3(
      at,
      weed.storageOptions,
      {},
      { onFastFallback: (p) => fallbacks.push(p) },
    )
    const names = [...AWKWARD_NAMES, "names/(p)!*'x,y;z:@$.json", 'names/~tilde/a.json']
    for (const n of names) await b.put(n, new TextEncoder().encode(`text of ${n}`))
    expect(await b.getManyText([...names, 'names/missing.json'])).toEqual([
      ...names.map((n) => `text of ${n}`),
      undefined,
    ])
    // Every one answered on the fast path: none was handed to the SDK.
    expect(fallbacks).toEqual([])
    // A wrong secret: refused there, then by the SDK, whose error names the options.
    const wrong = await openS3(
      at,
      { ...weed.storageOptions, secret: 'wrong' },
      {},
      {
        onFastFallback: (p) => fallbacks.push(p),
      },
    )
    const err = await wrong.getManyText([names[0] as string]).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'PERMISSION_DENIED' })
    expect(fallbacks).toEqual([names[0]])
  })
})
