import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registry } from '../../electron/engine/builtins.js'
import type { Dataset, Variable } from '../../electron/engine/dataset/model.js'
import { setDatasetOps, type DatasetOps } from '../../electron/engine/dataset-ops.js'
import { datasetPreview } from '../../electron/engine/dataset/dataset-json.js'
import { CacheStore } from '../../electron/engine/store.js'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import type { Channel, JobStatus, RequestOf, ResponseOf, XpersistEvent } from '../../shared/ipc.js'
import { fixtureCopy } from '../helpers/temp.js'
import { tinyDataset, type Counters } from '../helpers/tiny-dataset.js'

// The dataset channels' wiring (task, open-dataset cache, job, progress, cancel), in process,
// with the format replaced by a tiny in-memory dataset and the slice/stats engine by a plain
// one: what is pinned here is what the channels do around them.

const counters: Counters & { loads: number } = { reads: 0, closes: 0, loads: 0 }
let release: (() => void) | null = null

const ops: DatasetOps = {
  async sliceVariable(ds, name, selection) {
    sliced.push(selection[0] ?? null)
    if (sliceGate) await sliceGate
    const v = (ds.dataVars.get(name) ?? ds.coords.get(name)) as Variable
    const a = await v.read(selection)
    const dims = v.dims.filter((_, i) => typeof selection[i] !== 'number')
    const values = Array.from(a.data as Float32Array, (x) => (Number.isNaN(x) ? null : x))
    return {
      variable: name,
      dims,
      shape: a.shape,
      dtype: a.dtype,
      values,
      coords: {},
      bytesRead: 0,
    }
  },
  // One "chunk" per time step; a test may hold it after the first chunk to cancel there.
  async variableStats(v, { signal, onProgress }) {
    let min = Infinity
    let nanCount = 0
    const total = v.shape[0] ?? 1
    for (let t = 0; t < total; t++) {
      if (signal?.aborted) throw new Error('aborted')
      const a = await v.read([t])
      for (const x of a.data as Float32Array) {
        if (Number.isNaN(x)) nanCount++
        else min = Math.min(min, x)
      }
      onProgress?.({ done: t + 1, total })
      if (release === null && t === 0 && holdAfterFirst)
        await new Promise<void>((r) => (release = r))
    }
    return { variable: v.name, min, max: 23, mean: null, nanCount, count: 24 - nanCount }
  },
}
let holdAfterFirst = false
const sliced: unknown[] = []
let sliceGate: Promise<void> | null = null

beforeAll(() => {
  const fake = (name: string) => ({
    name,
    async dump() {},
    async load() {
      counters.loads++
      const ds: Dataset = tinyDataset(counters)
      return name === 'xcollection' ? { kind: 'collection', datasets: new Map([['m', ds]]) } : ds
    },
    // As the dataset serializers do: their preview already is the dataset form.
    preview: async () => datasetPreview(tinyDataset(), { totalBytes: 1 }),
  })
  registry.serializers.register('xarray.netcdf', () => fake('xarray.netcdf'))
  registry.serializers.register('xcollection', () => fake('xcollection'))
  setDatasetOps(ops)
})
afterAll(() => setDatasetOps(null))

/** A channel's answer; throws the error's message if it failed. */
async function call<C extends Channel>(
  session: ExplorerSession,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const env = await invoke(session, channel, request)
  if (!env.ok) throw new Error(env.error.message)
  return env.data as ResponseOf<C>
}

/** A channel's error; fails the test if it answered. */
async function refused<C extends Channel>(
  session: ExplorerSession,
  channel: C,
  request: RequestOf<C>,
): Promise<{ code: string; message: string }> {
  const env = await invoke(session, channel, request)
  if (env.ok) throw new Error(`${channel} answered instead of refusing`)
  return env.error
}

async function open() {
  const session = new ExplorerSession({ mode: 'browser', initial: null })
  const location = await fixtureCopy()
  const { cacheId } = await call(session, 'cache.open', { location })
  return { session, location, cacheId }
}

describe('dataset.slice', () => {
  it('answers a slice, keeps the dataset open between slices, reopens it after an overwrite', async () => {
    const { session, location, cacheId } = await open()
    const before = counters.loads
    const call = (time: number) =>
      invoke(session, 'dataset.slice', {
        cacheId,
        key: 'sst-monthly.nc',
        variable: 'sst',
        selection: [time, 1],
      })
    expect(await call(0)).toMatchObject({
      ok: true,
      data: { variable: 'sst', dims: ['lon'], shape: [4], values: [4, null, 6, 7] },
    })
    expect(await call(2)).toMatchObject({ ok: true, data: { values: [20, 21, 22, 23] } })
    expect(counters.loads - before).toBe(1)
    const store = await CacheStore.open(location)
    await store.updateMetadata('sst-monthly.nc', { note: 'changed' })
    const closes = counters.closes
    expect(await call(1)).toMatchObject({ ok: true, data: { values: [12, 13, 14, 15] } })
    expect(counters.loads - before).toBe(2)
    await new Promise((r) => setImmediate(r))
    expect(counters.closes).toBe(closes + 1)
    // Closing the cache closes what was opened from it.
    await invoke(session, 'cache.close', { cacheId })
    await new Promise((r) => setImmediate(r))
    expect(counters.closes).toBe(closes + 2)
  })

  it('refuses a slice over maxElements with a step to pass, and names what is there', async () => {
    const { session, cacheId } = await open()
    const base = { cacheId, key: 'sst-monthly.nc' }
    const big = await invoke(session, 'dataset.slice', {
      ...base,
      variable: 'sst',
      maxElements: 10,
    })
    expect(big).toMatchObject({ ok: false, error: { code: 'LIMIT_EXCEEDED' } })
    if (!big.ok)
      expect(big.error.message).toMatch(/24 elements, over the limit of 10\. Pass a step/)
    const unknown = await invoke(session, 'dataset.slice', { ...base, variable: 'temp' })
    if (unknown.ok) throw new Error('expected an error')
    expect(unknown.error.message).toMatch(/no variable "temp"; data variables: "sst"/)
    const member = await invoke(session, 'dataset.slice', { ...base, variable: 'sst', member: 'm' })
    if (member.ok) throw new Error('expected an error')
    expect(member.error.message).toMatch(/single dataset, not a collection/)
    const range = await invoke(session, 'dataset.slice', {
      ...base,
      variable: 'sst',
      selection: [3],
    })
    if (range.ok) throw new Error('expected an error')
    expect(range.error.message).toMatch(/Index 3 is out of range for time, which has 3 elements/)
  })

  it('runs slices one at a time, in order; a queued one whose caller left never runs', async () => {
    const { session, cacheId } = await open()
    let open_ = () => {}
    sliceGate = new Promise<void>((r) => (open_ = r))
    sliced.length = 0
    try {
      const slice = (time: number, signal?: AbortSignal) =>
        invoke(
          session,
          'dataset.slice',
          { cacheId, key: 'sst-monthly.nc', variable: 'sst', selection: [time] },
          signal,
        )
      const first = slice(0)
      while (sliced.length === 0) await new Promise((r) => setImmediate(r))
      const left = new AbortController()
      const second = slice(1, left.signal)
      const third = slice(2)
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
      expect(sliced).toEqual([0])
      left.abort()
      expect(await second).toMatchObject({ ok: false, error: { message: /Stopped/ } })
      open_()
      expect(await first).toMatchObject({ ok: true, data: { values: [0, 1, 2, 3, 4, null, 6, 7] } })
      expect(await third).toMatchObject({ ok: true })
      expect(sliced).toEqual([0, 2])
    } finally {
      sliceGate = null
    }
  })

  it('reads a member of a collection', async () => {
    const { session, location, cacheId } = await open()
    const store = await CacheStore.open(location)
    await store.importPayload('coll', new Uint8Array([1]), { serializer: 'xcollection' })
    const base = { cacheId, key: 'coll', variable: 'lat' }
    expect(await invoke(session, 'dataset.slice', { ...base, member: 'm' })).toMatchObject({
      ok: true,
      data: { values: [-10, 10] },
    })
    const none = await refused(session, 'dataset.slice', base)
    expect(none.message).toMatch(/choose one with member \(its members: "m"\)/)
  })
})

describe('artifact.preview of a dataset', () => {
  it("passes the serializer's dataset form on as it is", async () => {
    const { session, cacheId } = await open()
    const preview = await call(session, 'artifact.preview', { cacheId, key: 'sst-monthly.nc' })
    expect(preview).toMatchObject({ kind: 'dataset', dims: { time: 3, lat: 2, lon: 4 } })
  })
})

describe('dataset.stats', () => {
  async function finished(session: ExplorerSession, jobId: string): Promise<JobStatus> {
    for (;;) {
      const s = await call(session, 'job.status', { jobId })
      if (s.finished) return s
      await new Promise((r) => setImmediate(r))
    }
  }

  it('runs as a job with progress events and the result in JobStatus.stats', async () => {
    const { session, cacheId } = await open()
    const events: XpersistEvent[] = []
    session.onEvent((e) => events.push(e))
    const { jobId } = await call(session, 'dataset.stats', {
      cacheId,
      key: 'sst-monthly.nc',
      variable: 'sst',
    })
    const status = await finished(session, jobId)
    expect(status).toMatchObject({
      done: 3,
      total: 3,
      error: null,
      stats: { variable: 'sst', min: 0, nanCount: 1, count: 23 },
    })
    expect(events.map((e) => e.status.done)).toEqual([1, 2, 3, 3])
  })

  it('job.cancel stops it between chunks', async () => {
    const { session, cacheId } = await open()
    holdAfterFirst = true
    release = null
    try {
      const { jobId } = await call(session, 'dataset.stats', {
        cacheId,
        key: 'sst-monthly.nc',
        variable: 'sst',
      })
      while (release === null) await new Promise((r) => setImmediate(r))
      const reads = counters.reads
      await invoke(session, 'job.cancel', { jobId: jobId })
      ;(release as () => void)()
      const status = await finished(session, jobId)
      expect(status.stats).toBeNull()
      expect(status.done).toBe(1)
      expect(status.error?.message).toMatch(/Cancelled: the statistics of sst were not finished/)
      expect(counters.reads).toBe(reads)
    } finally {
      holdAfterFirst = false
    }
  })
})
