// The S3 backend against moto_server on 127.0.0.1: the shared conformance suite, then what is
// S3's own (key spelling, pagination past 1,000, batch deletes, the create race, error
// mapping without secrets). SeaweedFS runs the same in s3-seaweedfs.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Backend } from '../../electron/engine/backend/backend.js'
import { openBackend } from '../../electron/engine/backend/open.js'
import { openS3 } from '../../electron/engine/backend/s3/index.js'
import { listInRanges, splitPointsOf } from '../../electron/engine/list-ranges.js'
import { backendConformance } from '../backend-conformance.js'
import { MOTO_KEY, MOTO_SECRET, startMoto, type MotoServer } from '../servers/moto.js'
import { makeBucket } from '../servers/s3-buckets.js'
import {
  collect,
  createRace,
  expectFastListingAsSdk,
  expectNoSecret,
  fillPrefix,
} from './s3-helpers.js'

let moto: MotoServer
const BUCKET = 'xpersist-test'
let runs = 0

beforeAll(async () => {
  moto = await startMoto()
  await makeBucket(moto.storageOptions, BUCKET)
})
afterAll(async () => {
  await moto?.stop()
})

/** A fresh, empty cache root: a new prefix in the test bucket. */
async function fresh(): Promise<Backend> {
  return openBackend(`s3://${BUCKET}/run-${++runs}`, moto.storageOptions)
}

backendConformance('s3 (moto)', fresh, {
  pageSize: 1_000,
  deniedSkip: 'moto accepts any credentials; refusals run against SeaweedFS (s3-seaweedfs.test.ts)',
})

describe('S3 backend on moto', () => {
  it('opens a cache from fsspec environment defaults alone (FSSPEC_S3 JSON)', async () => {
    const env = { FSSPEC_S3: JSON.stringify(moto.storageOptions) }
    const b = await openBackend(`s3://${BUCKET}/env-${++runs}`, {}, false, env)
    await b.put('e', new TextEncoder().encode('from env'))
    expect(new TextDecoder().decode(await b.get('e'))).toBe('from env')
    // An explicit endpoint wins over the environment's: a dead port, refused at once.
    const dead = await openBackend(
      `s3://${BUCKET}/x`,
      { endpoint_url: 'http://127.0.0.1:9' },
      false,
      env,
    )
    await expect(dead.head('e')).rejects.toThrow()
  })

  it('keeps keys with spaces, unicode and + as they are', async () => {
    const b = await fresh()
    const paths = ['a b/c d.txt', 'ünï/cødé€.json', 'x+y/1+1=2', "q'uote/(p)"]
    for (const p of paths) await b.put(p, new TextEncoder().encode(p))
    expect((await collect(b.list(''))).map((m) => m.path).sort()).toEqual([...paths].sort())
    for (const p of paths) expect(new TextDecoder().decode(await b.get(p))).toBe(p)
    expect(await b.head('x y/c d.txt')).toBeUndefined() // '+' is not a space
    expect((await b.listWithDelimiter('')).prefixes.sort()).toEqual(
      ['a b/', "q'uote/", 'x+y/', 'ünï/'].sort(),
    )
  })

  it('gets ranges past the end, and of zero length', async () => {
    const b = await fresh()
    await b.put('r', new TextEncoder().encode('0123456789'))
    expect((await b.get('r', { offset: 20, length: 5 }))?.length).toBe(0)
    expect((await b.get('r', { offset: 3, length: 0 }))?.length).toBe(0)
    expect(await b.get('missing', { offset: 3, length: 0 })).toBeUndefined()
    expect(new TextDecoder().decode(await b.get('r', { suffixLength: 50 }))).toBe('0123456789')
  })

  it('lists, pages and batch-deletes more than 1,000 objects', async () => {
    const b = await fresh()
    const paths = await fillPrefix(b, 'many', 1_050)
    await b.put('many/sub/deeper', new Uint8Array(1))
    const all = await collect(b.list('many'))
    expect(all.length).toBe(1_051)
    const pages = await collect(b.listPaths('many/'))
    expect(pages.length).toBeGreaterThanOrEqual(2)
    expect(Math.max(...pages.map((p) => p.length))).toBeLessThanOrEqual(1_000)
    expect(pages.flat().sort()).toEqual(all.map((m) => m.path).sort())
    const level = await b.listWithDelimiter('many')
    expect(level.objects.length).toBe(1_050)
    expect(level.prefixes).toEqual(['many/sub/'])
    await b.deleteMany([...paths, 'many/sub/deeper', 'many/never-there'])
    expect(await collect(b.list(''))).toEqual([])
  })

  it('lists 2,500 objects as key ranges at once, the same as one listing, with any hints', async () => {
    const at = `s3://${BUCKET}/ranges-${++runs}`
    const b = await openS3(at, moto.storageOptions, {}, { keyRanges: true })
    expect(b.listsKeyRanges).toBe(true)
    // Sidecars and payloads: 2,500 objects on 3 pages, split where the plain listing's pages end.
    await fillPrefix(b, 'k', 1_250)
    await fillPrefix(b, 'xpersist_metadata_store', 1_250)
    const plain = await listInRanges(b, [])
    expect(plain).toHaveLength(2_500)
    const points = splitPointsOf(plain)
    expect(points).toEqual(['k/00899', 'xpersist_metadata_store/00549'])
    const ranged = await listInRanges(b, points)
    expect(ranged).toEqual(plain)
    // Stale, unsorted, made-up and out-of-bounds hints: the same objects, once each.
    for (const hints of [
      ['xpersist_metadata_store/00100x', 'k/00500', 'k', 'nope/', '\u{10FFFF}', ''],
      ['k/00999', 'k/00999', 'k/01249'],
      ['zzz'],
    ]) {
      expect((await listInRanges(b, hints)).map((m) => m.path)).toEqual(plain.map((m) => m.path))
    }
    // Opened as users open it (a custom endpoint), it lists ranges too: they are right in
    // either order a server lists in (list-order.ts).
    expect((await openBackend(at, moto.storageOptions)).listsKeyRanges).toBe(true)
  })

  it('lists with requests the engine signs itself exactly what the SDK lists, awkward keys too', async () => {
    await expectFastListingAsSdk(`s3://${BUCKET}/fast-list-${++runs}`, moto.storageOptions)
  })

  it('reads many sidecars and heads at once, in order, undefined where missing', async () => {
    const b = await fresh()
    await b.put('m/1.json', new TextEncoder().encode('{"a": "é"}'))
    await b.put('m/2.bin', new Uint8Array([0xff, 0xfe, 0x00]))
    const texts = await b.getManyText(['m/1.json', 'm/none', 'm/2.bin'])
    expect(texts[0]).toBe('{"a": "é"}')
    expect(texts[1]).toBeUndefined()
    expect(texts[2]).toEqual(new Uint8Array([0xff, 0xfe, 0x00]))
    const heads = await b.headMany(['m/2.bin', 'm/none', 'm/1.json'])
    expect(heads.map((h) => h?.size)).toEqual([3, undefined, 11])
    expect(await collect(b.listTempFiles(''))).toEqual([])
  })

  it('lets exactly one of 20 racing creates win', async () => {
    const b = await fresh()
    const { winners, losers } = await createRace(b, 'race/key', 20)
    expect(winners).toBe(1)
    expect(losers).toEqual(Array(19).fill('ALREADY_EXISTS'))
  })

  it('if-match on a deleted object is a conflict', async () => {
    const b = await fresh()
    const v1 = await b.put('gone', new Uint8Array([1]))
    await b.delete('gone')
    await expect(
      b.put('gone', new Uint8Array([2]), { mode: { ifMatch: v1.etag } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('stays inside its prefix: a sibling prefix with the same start is not listed', async () => {
    const inner = await openBackend(`s3://${BUCKET}/side`, moto.storageOptions)
    const sibling = await openBackend(`s3://${BUCKET}/side-by`, moto.storageOptions)
    await sibling.put('x', new Uint8Array([1]))
    await inner.put('y', new Uint8Array([1]))
    expect((await collect(inner.list(''))).map((m) => m.path)).toEqual(['y'])
    expect(inner.url).toBe(`s3://${BUCKET}/side`)
  })

  it('says clearly that a bucket does not exist, without a secret', async () => {
    const b = await openBackend('s3://no-such-bucket-here/x', moto.storageOptions)
    for (const step of [() => collect(b.list('')), () => b.head('k'), () => b.get('k')]) {
      const err = await step().catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'BACKEND' })
      expect((err as Error).message).toMatch(/bucket 'no-such-bucket-here' does not exist/)
      expectNoSecret(err, [MOTO_KEY, MOTO_SECRET])
    }
  })

  it('says an endpoint cannot be reached, without a secret', async () => {
    const options = { ...moto.storageOptions, endpoint_url: 'http://127.0.0.1:9' }
    const b = await openBackend(`s3://${BUCKET}/x`, options)
    const err = await b.get('k').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'BACKEND' })
    expect((err as Error).message).toMatch(/Cannot reach the S3 endpoint http:\/\/127\.0\.0\.1:9/)
    expectNoSecret(err, [MOTO_KEY, MOTO_SECRET])
  })

  it('opens through the registry without loading the SDK for a local path', async () => {
    expect((await openBackend(`s3://${BUCKET}`, moto.storageOptions)).url).toBe(`s3://${BUCKET}`)
    await expect(
      openBackend(`s3://${BUCKET}`, { ...moto.storageOptions, color: 'red' }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("'color'"),
    })
  })
})
