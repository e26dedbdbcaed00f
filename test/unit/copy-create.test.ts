// The create-only copy (issue 9): a key the destination lacks entirely costs no request to plan
// and two exclusive creates to write, with no lock; locked writers and doctor take a young
// payload without sidecar for such a create in flight, so no interleaving shows a payload of
// one writer under the sidecar of another.
import { describe, expect, it, vi } from 'vitest'
import type { ObjectMeta, PutOptions } from '../../electron/engine/backend/backend.js'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { planCopy, runCopy } from '../../electron/engine/copy.js'
import { diagnose } from '../../electron/engine/doctor.js'
import { PENDING_CREATE_MS } from '../../electron/engine/key-lock.js'
import { LOCK_DIR, sidecarPath } from '../../electron/engine/keys.js'
import { awaitPendingCreate } from '../../electron/engine/pending-create.js'
import { CacheStore } from '../../electron/engine/store.js'
import { memoryCache, RecordingBackend, serve } from '../helpers/copy-backends.js'
import { CountingBackend } from '../helpers/counting-backend.js'
import { testRegistry } from '../helpers/text-serializer.js'

const K = 'k'
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a !== undefined && b !== undefined && Buffer.compare(a, b) === 0

async function source(keys: string[]) {
  const mem = memoryCache()
  const store = await CacheStore.open(mem.location, { registry: testRegistry() })
  for (const k of keys) await store.put(k, `payload of ${k} from the source`)
  return { store, backend: mem.backend }
}

/** A deferred: a promise with its resolve. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {}
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

/**
 * A destination that lets the test interleave two writers of key K deterministically, and
 * checks after every change that what a reader sees is whole: a sidecar of the source's
 * artifact over the source's payload, or another writer's sidecar over another payload.
 */
class Interleaving extends RecordingBackend {
  beforePut: (path: string, data: Uint8Array, options?: PutOptions) => Promise<void> =
    async () => {}
  afterPut: (path: string, data: Uint8Array, options?: PutOptions) => Promise<void> = async () => {}
  beforeHead: (path: string) => Promise<void> = async () => {}
  readonly mixed: string[] = []

  constructor(
    readonly memory: MemoryBackend,
    private readonly sourcePayload: Uint8Array,
    private readonly sourceSidecar: Uint8Array,
  ) {
    super(memory)
  }

  override async head(path: string): Promise<ObjectMeta | undefined> {
    await this.beforeHead(path)
    return super.head(path)
  }

  override async put(path: string, data: Uint8Array, options?: PutOptions): Promise<ObjectMeta> {
    await this.beforePut(path, data, options)
    try {
      return await super.put(path, data, options)
    } finally {
      await this.check(`after put ${path}`)
      await this.afterPut(path, data, options)
    }
  }

  override async delete(path: string): Promise<void> {
    await super.delete(path)
    await this.check(`after delete ${path}`)
  }

  private async check(when: string): Promise<void> {
    const sidecar = await this.memory.get(sidecarPath(K))
    if (sidecar === undefined) return
    const payload = await this.memory.get(K)
    const sourceSide = same(sidecar, this.sourceSidecar)
    if (payload === undefined || same(payload, this.sourcePayload) !== sourceSide) {
      this.mixed.push(when)
    }
  }
}

async function racing() {
  const src = await source([K])
  const payload = (await src.backend.get(K))!
  const sidecar = (await src.backend.get(sidecarPath(K)))!
  const dst = new Interleaving(new MemoryBackend(), payload, sidecar)
  const store = await CacheStore.open(serve(dst), {
    registry: testRegistry(),
    onDuplicateKey: 'overwrite',
  })
  return { src, dst, store, payload, sidecar }
}

describe('planning and writing a key the destination lacks', () => {
  it('plans it with no request to the destination but its listing, writes it with two creates', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `new/${String(i).padStart(2, '0')}`)
    const src = await source([...keys, 'there'])
    const dst = new CountingBackend()
    const destination = await CacheStore.open(serve(dst), { registry: testRegistry() })
    await destination.put('there', 'an older artifact')
    dst.reset()
    const plan = await planCopy(src.store, destination)
    expect(plan.entries.filter((e) => e.action === 'copy').map((e) => e.key)).toEqual(keys)
    // One listing page, and for the one key there: its sidecar and its payload looked at.
    expect(dst.counts.listPage).toBe(1)
    expect(dst.counts.get + dst.counts.head).toBeLessThanOrEqual(3)
    dst.reset()
    await runCopy(plan)
    expect(plan.copied.sort()).toEqual(keys)
    // Two puts a key, no lock, no other request.
    expect(dst.counts.put).toBe(2 * keys.length)
    expect(dst.counts.delete + dst.counts.head + dst.counts.get).toBe(0)
    for (const k of keys) {
      expect(await destination.get(k)).toBe(`payload of ${k} from the source`)
    }
  })

  it('falls back to the locked path, judged with on_duplicate_key, when a key appeared since planning', async () => {
    const src = await source(['a', 'b'])
    const { backend, location } = memoryCache()
    const destination = await CacheStore.open(location, { registry: testRegistry() })
    const plan = await planCopy(src.store, destination)
    await destination.put('a', 'written meanwhile')
    await runCopy(plan)
    // Default skip: the artifact written meanwhile stays whole; b is copied.
    expect(await destination.get('a')).toBe('written meanwhile')
    expect(await destination.get('b')).toBe('payload of b from the source')
    expect(plan.copied).toEqual(['b'])
    expect((await backend.listWithDelimiter(`${LOCK_DIR}/`)).objects).toEqual([])
  })
})

describe('a locked overwrite racing a create-only copy of the same key', () => {
  it('waits for the create in flight, then overwrites the whole artifact', async () => {
    const { src, dst, store, payload, sidecar } = await racing()
    const created = deferred()
    const copyDone = deferred()
    let paused: ReturnType<typeof deferred> | null = null
    let sidecarHeads = 0
    // The copy stops between its payload create and its sidecar create...
    dst.afterPut = async (path, data, options) => {
      if (path === K && options?.mode === 'create' && same(data, payload) && !paused) {
        paused = deferred()
        created.resolve()
        await paused.promise
      }
      if (path === sidecarPath(K) && same(data, sidecar)) copyDone.resolve()
    }
    // ...and finishes its sidecar once the locked writer waits for it (its second look at the
    // sidecar) or, were nothing waited for, right before the locked writer's payload lands.
    const finishCopy = async () => {
      paused?.resolve()
      await copyDone.promise
    }
    dst.beforeHead = async (path) => {
      if (paused && path === sidecarPath(K) && ++sidecarHeads === 2) await finishCopy()
    }
    dst.beforePut = async (path, data) => {
      if (paused && path === K && !same(data, payload)) await finishCopy()
    }
    const plan = await planCopy(src.store, store)
    const copying = runCopy(plan)
    await created.promise
    await store.put(K, 'the locked writer', { onDuplicateKey: 'overwrite' })
    await copying
    expect(plan.copied).toEqual([K])
    // The locked writer judged the copy's artifact as existing and replaced it whole.
    expect(await store.get(K)).toBe('the locked writer')
    expect(same(await dst.memory.get(sidecarPath(K)), sidecar)).toBe(false)
    expect((await diagnose(store)).ok).toBe(true)
  })

  it('a put that judged the key absent never overwrites a create that lands after', async () => {
    const { src, dst, store, payload } = await racing()
    const waiting = deferred()
    const go = deferred()
    let held = false
    // The locked writer stops right before its payload put, the copy then runs whole.
    dst.beforePut = async (path, data) => {
      if (path === K && !same(data, payload) && !held) {
        held = true
        waiting.resolve()
        await go.promise
      }
    }
    // Planned while the destination had nothing of the key (not even the writer's lock).
    const plan = await planCopy(src.store, store)
    const putting = store.put(K, 'the locked writer', { onDuplicateKey: 'overwrite' })
    const outcome = putting.then(
      () => 'written',
      (err: unknown) => err,
    )
    await waiting.promise
    await runCopy(plan)
    expect(plan.copied).toEqual([K])
    go.resolve()
    expect(await outcome).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/Another writer is creating 'k'.*Try again later/s),
    })
    expect(dst.mixed).toEqual([])
    expect(await store.get(K)).toBe(`payload of ${K} from the source`)
    expect((await diagnose(store)).ok).toBe(true)
  })
})

describe('a young payload without sidecar', () => {
  it('is listed by doctor as being written, not as an orphan, and is not cleaned', async () => {
    const { backend, location } = memoryCache()
    const store = await CacheStore.open(location, { registry: testRegistry() })
    await store.put('whole', 'a whole artifact')
    await backend.put('young', new TextEncoder().encode('a create in flight'))
    const report = await diagnose(store)
    expect(report.orphans).toEqual([])
    expect(report.beingWritten).toEqual([{ path: 'young', bytes: 18 }])
    expect(report.ok).toBe(true)
    await expect(store.deleteOrphans(['young'], { dryRun: false })).rejects.toThrow(/Not orphans/)
    expect(await backend.head('young')).toBeDefined()
    // Past the window it is an orphan as before, and cleaning removes it.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + PENDING_CREATE_MS + 60_000 })
    try {
      expect((await diagnose(store)).orphans).toEqual([{ path: 'young', bytes: 18 }])
      await store.deleteOrphans(['young'], { dryRun: false })
    } finally {
      vi.useRealTimers()
    }
    expect(await backend.head('young')).toBeUndefined()
  })

  it('makes a locked writer give up with a clear ConflictError when its sidecar never comes', async () => {
    const { backend, location } = memoryCache()
    const store = await CacheStore.open(location, { registry: testRegistry() })
    const meta = await backend.put('young', new TextEncoder().encode('stalled create'))
    await expect(awaitPendingCreate(store, 'young', [meta], 50)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/Another writer is creating 'young'.*Try again later/s),
    })
    const old = { ...meta, lastModified: new Date(Date.now() - PENDING_CREATE_MS - 1) }
    expect(await awaitPendingCreate(store, 'young', [old], 50)).toBe(false)
  })
})
