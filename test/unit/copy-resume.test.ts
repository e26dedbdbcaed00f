// Interrupted copies (issue 9): a cancelled copy keeps only whole keys and a rerun copies only
// the rest; a copy failing at any put never leaves a sidecar visible before its payload is
// whole; payload objects already there equal are not sent again (hashes, or S3 MD5 ETags).
import { describe, expect, it, vi } from 'vitest'
import type { PutOptions } from '../../electron/engine/backend/backend.js'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { copyArtifacts, planCopy, runCopy } from '../../electron/engine/copy.js'
import { Gate } from '../../electron/engine/copy-gate.js'
import { BackendError } from '../../electron/engine/errors.js'
import { PENDING_CREATE_MS } from '../../electron/engine/key-lock.js'
import { LOCK_DIR, METADATA_DIR, sidecarPath } from '../../electron/engine/keys.js'
import { CacheStore } from '../../electron/engine/store.js'
import { memoryCache, RecordingBackend, serve } from '../helpers/copy-backends.js'
import { fixtureCopy } from '../helpers/temp.js'
import { testRegistry } from '../helpers/text-serializer.js'

const ZARR = 'sst-monthly.zarr'

/** A destination cache in memory behind a recorder. */
async function recordedDestination(inner: MemoryBackend = new MemoryBackend()) {
  const backend = new RecordingBackend(inner)
  const store = await CacheStore.open(serve(backend), { registry: testRegistry() })
  return { backend, store, inner }
}

/** A memory source: single-object keys and one folder key (three objects). */
async function textSource(keys = ['a', 'b', 'c', 'd', 'e', 'f']) {
  const mem = memoryCache()
  const store = await CacheStore.open(mem.location, { registry: testRegistry() })
  for (const k of keys) await store.put(k, `payload of ${k}`)
  return { store, backend: mem.backend }
}

async function withFolderKey(source: { store: CacheStore; backend: MemoryBackend }) {
  const enc = new TextEncoder()
  for (const f of ['.zgroup', 'v/.zarray', 'v/0.0'])
    await source.backend.put(`z/${f}`, enc.encode(f))
  await source.backend.put(sidecarPath('z'), (await source.backend.get(sidecarPath('a')))!)
}

/** Every object of the cache except write locks, with its bytes as text. */
async function contents(backend: MemoryBackend): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for await (const m of backend.list('')) {
    if (!m.path.startsWith(`${LOCK_DIR}/`)) {
      out.set(m.path, Buffer.from((await backend.get(m.path))!).toString('latin1'))
    }
  }
  return out
}

/** Asserts every key the destination lists has exactly the source's sidecar and payload. */
async function everyVisibleKeyWhole(src: CacheStore, dst: CacheStore): Promise<string[]> {
  const keys = await dst.keys()
  for (const key of keys) {
    expect(Buffer.from((await dst.backend.get(sidecarPath(key)))!)).toEqual(
      Buffer.from((await src.backend.get(sidecarPath(key)))!),
    )
    const want = await src.payloadObjects(key)
    const have = await dst.payloadObjects(key)
    expect(have.map((m) => m.path)).toEqual(want.map((m) => m.path))
    for (const m of want) {
      expect(Buffer.from((await dst.backend.get(m.path))!)).toEqual(
        Buffer.from((await src.backend.get(m.path))!),
      )
    }
  }
  return keys
}

/**
 * A memory backend whose payload puts stop as S3's multipart put does: the put numbered
 * `stopAt` cancels the copy (aborts `controller`), and a put whose signal is aborted rejects
 * having written nothing. Records the signal each payload put was given.
 */
class StoppingBackend extends MemoryBackend {
  readonly signals: (AbortSignal | undefined)[] = []
  constructor(
    private readonly controller: AbortController,
    private readonly isPayload: (path: string) => boolean,
    private readonly stopAt: number,
  ) {
    super()
  }
  override async put(path: string, data: Uint8Array, options?: PutOptions) {
    if (this.isPayload(path)) {
      this.signals.push(options?.signal)
      if (this.signals.length === this.stopAt) this.controller.abort()
      if (options?.signal?.aborted) throw new BackendError(`Writing ${path} was cancelled.`)
    }
    return super.put(path, data, options)
  }
}

describe('cancel and resume', () => {
  it('a copy cancelled after two keys keeps them whole; the rerun writes only the rest', async () => {
    const src = await textSource()
    const dst = await recordedDestination()
    const controller = new AbortController()
    const plan = await planCopy(src.store, dst.store)
    await runCopy(plan, {
      keyConcurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.keysDone === 2) controller.abort()
      },
    })
    expect(plan.cancelled).toBe(true)
    expect(plan.copied).toEqual(['a', 'b'])
    expect(await everyVisibleKeyWhole(src.store, dst.store)).toEqual(['a', 'b'])
    expect(dst.backend.dataPuts).toEqual(['a', sidecarPath('a'), 'b', sidecarPath('b')])

    const again = await recordedDestination(dst.inner)
    const rest = await copyArtifacts(src.store, again.store, {}, { dryRun: false })
    expect(rest.entries.map((e) => e.action)).toEqual([
      'same',
      'same',
      'copy',
      'copy',
      'copy',
      'copy',
    ])
    expect(rest.copied.sort()).toEqual(['c', 'd', 'e', 'f'])
    expect(again.backend.dataPuts.sort()).toEqual(
      ['c', 'd', 'e', 'f'].flatMap((k) => [k, sidecarPath(k)]).sort(),
    )
    expect(await everyVisibleKeyWhole(src.store, again.store)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ])
  })

  it('a Zarr key cancelled halfway is rolled back, never visible; the rerun copies it whole', async () => {
    const dir = await fixtureCopy()
    const src = await CacheStore.open(dir, { readonly: true })
    const dst = await recordedDestination()
    const controller = new AbortController()
    // One object at a time, so the cancel lands after exactly three of them.
    const plan = await planCopy(src, dst.store, { keys: [ZARR] }, { gate: new Gate(1) })
    const objects = plan.entries[0]!.objects.length
    let sent = 0
    await runCopy(plan, {
      signal: controller.signal,
      onProgress: () => {
        if (++sent === 3) controller.abort()
      },
    })
    expect(plan.cancelled).toBe(true)
    expect(plan.copied).toEqual([])
    expect(dst.backend.dataPuts.length).toBe(3)
    expect(await dst.store.keys()).toEqual([])
    // Rolled back under the key's lock: no object of it, no lock left behind.
    expect([...(await contents(dst.inner)).keys()]).toEqual([])
    expect(await dst.inner.listWithDelimiter(`${LOCK_DIR}/`)).toEqual({ objects: [], prefixes: [] })

    const again = await recordedDestination(dst.inner)
    const rest = await copyArtifacts(src, again.store, { keys: [ZARR] }, { dryRun: false })
    expect(rest.copied).toEqual([ZARR])
    expect(again.backend.dataPuts.length).toBe(objects + 1)
    expect(again.backend.dataPuts.at(-1)).toBe(sidecarPath(ZARR))
    expect(await everyVisibleKeyWhole(src, again.store)).toEqual([ZARR])
  })

  it('hands the cancel signal to each payload put: a write it stops rolls the key back', async () => {
    const dir = await fixtureCopy()
    const src = await CacheStore.open(dir, { readonly: true })
    const controller = new AbortController()
    const stopping = new StoppingBackend(controller, (p) => p.startsWith(`${ZARR}/`), 3)
    const dst = await recordedDestination(stopping)
    const plan = await planCopy(src, dst.store, { keys: [ZARR] }, { gate: new Gate(1) })
    await runCopy(plan, { signal: controller.signal })
    expect(stopping.signals).toEqual([controller.signal, controller.signal, controller.signal])
    expect(plan.cancelled).toBe(true)
    expect(plan.copied).toEqual([])
    expect([...(await contents(dst.inner)).keys()]).toEqual([])
  })

  it('create-only copies hand the signal to the payload put too', async () => {
    const src = await textSource(['a', 'b', 'c'])
    const controller = new AbortController()
    const payloads = new Set(['a', 'b', 'c'])
    const stopping = new StoppingBackend(controller, (p) => payloads.has(p), 2)
    const dst = await recordedDestination(stopping)
    const plan = await planCopy(src.store, dst.store)
    await runCopy(plan, { keyConcurrency: 1, signal: controller.signal })
    expect(stopping.signals).toEqual([controller.signal, controller.signal])
    expect(plan.cancelled).toBe(true)
    expect(plan.copied).toEqual(['a'])
    expect(await everyVisibleKeyWhole(src.store, dst.store)).toEqual(['a'])
    expect([...(await contents(dst.inner)).keys()].sort()).toEqual(['a', sidecarPath('a')].sort())
  })

  it('objects of a payload already there, equal, are not sent again (compared by hash)', async () => {
    const dir = await fixtureCopy()
    const src = await CacheStore.open(dir, { readonly: true })
    const inner = new MemoryBackend()
    // Half of the store arrived before (as from an interrupted Python put), one of them damaged.
    const all = await src.payloadObjects(ZARR)
    const half = all.slice(0, 10)
    for (const m of half) await inner.put(m.path, (await src.backend.get(m.path))!)
    const damaged = half[9]!
    const bytes = (await src.backend.get(damaged.path))!.slice()
    bytes[0] = bytes[0]! ^ 0xff
    await inner.put(damaged.path, bytes)
    const dst = await recordedDestination(inner)
    // Interrupted long ago: younger, a payload without sidecar is a create in flight, waited for.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + PENDING_CREATE_MS + 60_000 })
    const plan = await copyArtifacts(src, dst.store, { keys: [ZARR] }, { dryRun: false }).finally(
      () => vi.useRealTimers(),
    )
    const entry = plan.entries[0]!
    expect(entry.objects.filter((o) => !o.copy).map((o) => o.path)).toEqual(
      half.slice(0, 9).map((m) => m.path),
    )
    expect(dst.backend.dataPuts.sort()).toEqual(
      [...all.slice(9).map((m) => m.path), sidecarPath(ZARR)].sort(),
    )
    expect(await everyVisibleKeyWhole(src, dst.store)).toEqual([ZARR])
  })

  it('with content-MD5 ETags on both sides equality costs no read of any payload', async () => {
    const src = await textSource(['a', 'b'])
    await withFolderKey(src)
    const srcRec = new RecordingBackend(src.backend)
    srcRec.url = 's3://source-bucket/cache'
    srcRec.md5Etags = true
    const source = await CacheStore.open(serve(srcRec), { readonly: true })
    const dstRec = new RecordingBackend(new MemoryBackend())
    dstRec.url = 's3://destination-bucket/cache'
    dstRec.md5Etags = true
    const destination = await CacheStore.open(serve(dstRec), { registry: testRegistry() })
    await copyArtifacts(source, destination, {}, { dryRun: false })
    srcRec.gets = 0
    dstRec.gets = 0
    const plan = await planCopy(source, destination)
    expect(plan.entries.map((e) => e.action)).toEqual(['same', 'same', 'same'])
    // Only the three sidecars, on each side (the source's read by the plan, compared there).
    expect(srcRec.gets).toBe(3)
    expect(dstRec.gets).toBe(3)
  })
})

describe('a failure at any put', () => {
  it('never leaves a sidecar visible before its payload is whole, and a rerun completes', async () => {
    const src = await textSource(['a', 'b'])
    await withFolderKey(src)
    const probe = await recordedDestination()
    await copyArtifacts(src.store, probe.store, {}, { dryRun: false, keyConcurrency: 1 })
    // Payload first, then sidecar, for every key.
    for (const key of ['a', 'b', 'z']) {
      const sidecarAt = probe.backend.puts.indexOf(sidecarPath(key))
      const payloadAt = probe.backend.puts
        .map((p, i) => [p, i] as const)
        .filter(([p]) => p === key || p.startsWith(`${key}/`))
        .map(([, i]) => i)
      expect(payloadAt.length).toBeGreaterThan(0)
      expect(Math.max(...payloadAt)).toBeLessThan(sidecarAt)
    }
    // a and b by two creates each, z under its lock (lock, journal, 3 objects, sidecar).
    const total = probe.backend.puts.length
    expect(total).toBeGreaterThanOrEqual(10)
    for (let n = 1; n <= total; n++) {
      const dst = await recordedDestination()
      dst.backend.failAt = n
      await expect(
        copyArtifacts(src.store, dst.store, {}, { dryRun: false, keyConcurrency: 1 }),
      ).rejects.toMatchObject({ code: 'BACKEND' })
      const failed = dst.backend.puts.find((p) => p.startsWith('FAILED '))!.slice(7)
      const visible = await everyVisibleKeyWhole(src.store, dst.store)
      if (!failed.startsWith(`${LOCK_DIR}/`) && !failed.startsWith(`${METADATA_DIR}/`)) {
        const key = failed.startsWith('z/') ? 'z' : failed
        expect(visible, `put ${n} (${failed})`).not.toContain(key)
        // Nothing of it stays behind either: rolled back under its lock.
        const left = [...(await contents(dst.inner)).keys()]
        expect(left.filter((p) => p === key || p.startsWith(`${key}/`))).toEqual([])
      }
      const locks = await dst.inner.listWithDelimiter(`${LOCK_DIR}/`)
      expect(locks.objects, `put ${n} left a lock`).toEqual([])
      const rerun = await recordedDestination(dst.inner)
      await copyArtifacts(src.store, rerun.store, {}, { dryRun: false })
      expect(await everyVisibleKeyWhole(src.store, rerun.store)).toEqual(['a', 'b', 'z'])
    }
  })
})
