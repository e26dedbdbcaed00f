// The parts a copy is built from (issue 9): key patterns, the gate bounding concurrency and
// memory, hashing by ranges, and a source that changes while it is copied.
import { describe, expect, it } from 'vitest'
import type { ByteRange } from '../../electron/engine/backend/backend.js'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { contentMd5, HASH_CHUNK, ObjectComparer } from '../../electron/engine/copy-compare.js'
import { Gate } from '../../electron/engine/copy-gate.js'
import { globToRegExp } from '../../electron/engine/copy-select.js'
import { planCopy, runCopy } from '../../electron/engine/copy.js'
import { sidecarPath } from '../../electron/engine/keys.js'
import { CacheStore } from '../../electron/engine/store.js'
import { memoryCache, RecordingBackend, serve } from '../helpers/copy-backends.js'
import { testRegistry } from '../helpers/text-serializer.js'

describe('key patterns', () => {
  it.each([
    ['*.parquet', ['a.parquet'], ['runs/a.parquet', 'a.parquet.bak']],
    ['runs/*', ['runs/a', 'runs/b c'], ['runs/a/b', 'runs', 'xruns/a']],
    ['runs/**', ['runs/a', 'runs/a/b/c'], ['runs', 'other/a']],
    ['a/**/b', ['a/b', 'a/x/b', 'a/x/y/b'], ['a/xb', 'b']],
    ['run-?', ['run-1', 'run-x'], ['run-10', 'run-/']],
    ['run-[0-2]', ['run-0', 'run-2'], ['run-3']],
    ['run-[!0-2]', ['run-3', 'run-x'], ['run-1', 'run-/']],
    ['c++ (v2).nc', ['c++ (v2).nc'], ['c (v2).nc']],
    ['\\*literal', ['*literal'], ['xliteral']],
    ['東京/*', ['東京/ü ñ'], ['大阪/a']],
  ])('%s', (glob, yes, no) => {
    const re = globToRegExp(glob)
    for (const k of yes) expect(re.test(k), k).toBe(true)
    for (const k of no) expect(re.test(k), k).toBe(false)
  })

  it.each([
    ['', '1 to 1000 characters'],
    ['x'.repeat(1001), '1 to 1000 characters'],
    ['runs/[abc', "a '[' without its closing ']'"],
    ['trailing\\', 'a backslash at the end'],
  ])('refuses %j: %s', (glob, why) => {
    expect(() => globToRegExp(glob)).toThrow(why)
  })
})

describe('the gate', () => {
  it('holds at most its slots and its byte budget at once; a larger object goes alone', async () => {
    const gate = new Gate(3, 100)
    let running = 0
    let held = 0
    let maxRunning = 0
    let maxHeld = 0
    let bigAlone = true
    const sizes = [40, 40, 40, 10, 250, 10, 60, 60, 5, 5, 5, 99, 1]
    await Promise.all(
      sizes.map((bytes) =>
        gate.run(bytes, async () => {
          running++
          held += bytes
          maxRunning = Math.max(maxRunning, running)
          if (bytes <= 100) maxHeld = Math.max(maxHeld, held)
          if (bytes > 100 && running > 1) bigAlone = false
          await new Promise((r) => setTimeout(r, 1))
          running--
          held -= bytes
        }),
      ),
    )
    expect(maxRunning).toBe(3)
    expect(maxHeld).toBeLessThanOrEqual(100)
    expect(bigAlone).toBe(true)
  })
})

describe('comparing objects', () => {
  it('hashes an object by ranges of HASH_CHUNK, once per version', async () => {
    const ranges: (ByteRange | undefined)[] = []
    class Ranged extends MemoryBackend {
      override async get(path: string, range?: ByteRange) {
        ranges.push(range)
        return super.get(path, range)
      }
    }
    const a = new Ranged()
    const b = new MemoryBackend()
    const big = new Uint8Array(2 * HASH_CHUNK + 1000).map((_, i) => i % 251)
    const ma = await a.put('x', big)
    const mb = await b.put('x', big)
    const comparer = new ObjectComparer(new Gate())
    expect(await comparer.same(a, ma, b, mb)).toBe(true)
    expect(ranges).toEqual([
      { offset: 0, length: HASH_CHUNK },
      { offset: HASH_CHUNK, length: HASH_CHUNK },
      { offset: 2 * HASH_CHUNK, length: 1000 },
    ])
    expect(await comparer.same(a, ma, b, mb)).toBe(true)
    expect(ranges.length).toBe(3)
    const changed = big.slice()
    changed[HASH_CHUNK + 5] = 7
    const mc = await b.put('x', changed)
    expect(await comparer.same(a, ma, b, mc)).toBe(false)
  })

  it('takes an ETag for content MD5 only on s3:// and only in its single-PUT form', () => {
    const meta = (etag: string) => ({ path: 'p', size: 1, lastModified: new Date(), etag })
    const s3 = new RecordingBackend(new MemoryBackend())
    s3.url = 's3://bucket/cache'
    const md5 = '0cc175b9c0f1b6a831c399e269772661'
    expect(contentMd5(s3, meta(`"${md5}"`))).toBe(md5)
    expect(contentMd5(s3, meta(md5.toUpperCase()))).toBe(md5)
    expect(contentMd5(s3, meta(`${md5}-3`))).toBeUndefined()
    expect(contentMd5(new MemoryBackend(), meta(md5))).toBeUndefined()
  })
})

describe('a source that changes while it is copied', () => {
  async function setup() {
    const mem = memoryCache()
    const source = await CacheStore.open(mem.location, { registry: testRegistry() })
    await source.put('k', 'first')
    const dst = new MemoryBackend()
    const destination = await CacheStore.open(serve(new RecordingBackend(dst)), {
      registry: testRegistry(),
    })
    return { mem, source, destination, dst }
  }

  it('a rewritten sidecar stops that key: nothing of it lands', async () => {
    const { mem, source, destination, dst } = await setup()
    const plan = await planCopy(source, destination)
    await source.put('k', 'other', { onDuplicateKey: 'overwrite' })
    await expect(runCopy(plan)).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(await destination.keys()).toEqual([])
    expect(await dst.head('k')).toBeUndefined()
    expect(await mem.backend.head(sidecarPath('k'))).toBeDefined()
  })

  it('a payload of another size stops that key too', async () => {
    const { mem, source, destination } = await setup()
    const plan = await planCopy(source, destination)
    await mem.backend.put('k', new TextEncoder().encode('much longer now'))
    await expect(runCopy(plan)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('changed in memory:// while copying'),
    })
    expect(await destination.keys()).toEqual([])
  })
})
