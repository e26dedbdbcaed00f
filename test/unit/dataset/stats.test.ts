import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import { createDataset, ndarray } from '../../../electron/engine/dataset/memory.js'
import type { NdArray, Selection, Variable } from '../../../electron/engine/dataset/model.js'
import { slabShape, sliceVariable, variableStats } from '../../../electron/engine/dataset/stats.js'
import { loadNetcdf } from '../../../electron/engine/serializers/xarray/netcdf-serializer.js'

const root = new URL('../../fixtures/sample-cache', import.meta.url).pathname
const expected = JSON.parse(
  readFileSync(new URL('../../fixtures/sample-cache.expected.json', import.meta.url), 'utf8'),
)

function grid(chunks?: number[]) {
  const n = 6 * 4 * 5
  return createDataset({
    coords: {
      time: {
        dims: ['time'],
        data: ndarray('datetime64[ns]', [6], [0n, 1n, 2n, 3n, 4n, -(2n ** 63n)]),
      },
      lat: { dims: ['lat'], data: ndarray('float32', [4], [-30, -10, 10, 30]) },
    },
    dataVars: {
      v: {
        dims: ['time', 'lat', 'lon'],
        data: ndarray(
          'float64',
          [6, 4, 5],
          Array.from({ length: n }, (_, i) => (i % 17 === 0 ? NaN : i)),
        ),
        chunks,
      },
    },
  })
}

/** Wraps a variable's read to record the selections and the largest result. */
function spy(v: Variable) {
  const calls: Selection[] = []
  let largest = 0
  const read = v.read.bind(v)
  const wrapped: Variable = {
    ...v,
    name: v.name,
    dims: v.dims,
    shape: v.shape,
    dtype: v.dtype,
    attrs: v.attrs,
    encoding: v.encoding,
    chunks: v.chunks,
    read: async (s?: Selection, signal?: AbortSignal): Promise<NdArray> => {
      calls.push(s ?? [])
      const a = await read(s, signal)
      largest = Math.max(largest, a.data.length)
      return a
    },
  }
  return { v: wrapped, calls, largest: () => largest }
}

describe('sliceVariable', () => {
  it('returns the kept dims, flat decoded values and coordinates along kept dims', async () => {
    const s = await sliceVariable(grid(), 'v', [2, { start: 1, stop: 3 }])
    expect(s.dims).toEqual(['lat', 'lon'])
    expect(s.shape).toEqual([2, 5])
    expect(s.values).toEqual([45, 46, 47, 48, 49, 50, null, 52, 53, 54])
    expect(s.coords).toEqual(Object.assign(Object.create(null), { lat: [-10, 10] }))
    expect(s.dtype).toBe('float64')
  })
  it('names the variables there are when the name is wrong, and refuses oversized slices', async () => {
    await expect(sliceVariable(grid(), 'sst', [])).rejects.toThrow(
      /No variable 'sst'.*'v', 'time', 'lat'/,
    )
    await expect(sliceVariable(grid(), 'v', [], { maxElements: 100 })).rejects.toThrow(
      /120 elements, more than 100/,
    )
  })
  it('gives times as ISO text', async () => {
    const s = await sliceVariable(grid(), 'time', [{ start: 4, stop: 6 }])
    expect(s.values).toEqual(['1970-01-01T00:00:00.000000004', null])
  })
})

describe('variableStats', () => {
  it('matches a direct computation, streaming in slabs no bigger than asked', async () => {
    const { v, calls, largest } = spy(grid([2, 4, 5]).dataVars.get('v')!)
    const progress: number[] = []
    const st = await variableStats(v, {
      slabElements: 45,
      onProgress: (d: number, _t: number) => progress.push(d),
    })
    const all = Array.from({ length: 120 }, (_, i) => i).filter((i) => i % 17 !== 0)
    expect(st).toEqual({
      variable: 'v',
      min: 1,
      max: Math.max(...all),
      mean: all.reduce((a, b) => a + b, 0) / all.length,
      nanCount: 120 - all.length,
      count: all.length,
    })
    // Two whole chunks along time (2 x 20 = 40 <= 45) per slab: three reads.
    expect(calls).toHaveLength(3)
    expect(largest()).toBe(40)
    expect(progress).toEqual([40, 80, 120])
  })
  it('reports progress as (done, total), or as { done, total } to a one-parameter callback', async () => {
    const v = grid().dataVars.get('v')!
    const pairs: number[][] = []
    await variableStats(v, {
      slabElements: 60,
      onProgress: (d: number, t: number) => pairs.push([d, t]),
    })
    expect(pairs).toEqual([
      [60, 120],
      [120, 120],
    ])
    const objects: unknown[] = []
    await variableStats(v, {
      slabElements: 60,
      onProgress: (p: { done: number; total: number }) => objects.push(p),
    })
    expect(objects).toEqual([
      { done: 60, total: 120 },
      { done: 120, total: 120 },
    ])
  })
  it('is cancelled between slabs', async () => {
    const ac = new AbortController()
    const v = grid().dataVars.get('v')!
    await expect(
      variableStats(v, {
        slabElements: 20,
        signal: ac.signal,
        onProgress: (d: number, _t: number) => void (d >= 40 && ac.abort()),
      }),
    ).rejects.toThrow(/abort/i)
  })
  it('cuts below a chunk when one chunk row is too big, keeping memory bounded', () => {
    expect(slabShape([100, 1000, 1000], [10, 500, 500], 4_000_000)).toEqual([4, 1000, 1000])
    expect(slabShape([100, 1000, 1000], [10, 500, 500], 500_000)).toEqual([1, 500, 1000])
    expect(slabShape([3], undefined, 10)).toEqual([3])
  })
  it('agrees with the sample cache figures xarray computed (sst-monthly-nc3-64bit.nc)', async () => {
    const backend = await LocalBackend.open(root)
    const ds = await loadNetcdf(
      { backend, path: 'sst-monthly-nc3-64bit.nc', putMode: 'overwrite' },
      {},
    )
    for (const name of ['sst', 't2m_packed']) {
      const want = expected.artifacts['sst-monthly-nc3-64bit.nc'].value.variables[name]
      const st = await variableStats(ds.dataVars.get(name)!)
      expect(st.nanCount).toBe(want.nan_count)
      expect(st.min).toBe(want.min)
      expect(st.max).toBe(want.max)
      expect(st.mean).toBeCloseTo(want.mean, 9)
    }
    const t = await variableStats(ds.coords.get('time')!)
    expect([t.min, t.max, t.mean]).toEqual(['2000-01-01T00:00:00', '2000-06-01T00:00:00', null])
  })
})
