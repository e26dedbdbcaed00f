import { describe, expect, it } from 'vitest'
import {
  collectionPreview,
  datasetPreview,
  nest,
} from '../../../electron/engine/dataset/dataset-json.js'
import { createDataset, ndarray } from '../../../electron/engine/dataset/memory.js'
import { sliceNdArray } from '../../../electron/engine/dataset/ndarray.js'
import { normalizeSelection } from '../../../electron/engine/dataset/selection.js'

function grid() {
  const n = 4 * 3 * 5
  return createDataset({
    coords: {
      time: {
        dims: ['time'],
        data: ndarray('datetime64[ns]', [4], [0n, 86_400_000_000_000n, -(2n ** 63n), 1n]),
      },
      lat: {
        dims: ['lat'],
        data: ndarray('float32', [3], [-10, 0, 10]),
        attrs: { units: 'degrees_north' },
      },
    },
    dataVars: {
      sst: {
        dims: ['time', 'lat', 'lon'],
        data: ndarray(
          'float32',
          [4, 3, 5],
          Array.from({ length: n }, (_, i) => (i === 7 ? NaN : i)),
        ),
        attrs: {
          valid_range: new Float32Array([0, 100]) as never,
          big: 2n ** 60n,
          small: 3n,
          bad: NaN,
        },
      },
      names: { dims: ['lat'], data: ndarray('object', [3], ['a', null, 'c']) },
      ok: { dims: ['lon'], data: ndarray('bool', [5], [1, 0, 1, 0, 1]) },
      lon: { dims: ['lon'], data: ndarray('int64', [5], [0n, 72n, 144n, 216n, 2n ** 62n]) },
    },
    attrs: new Map([
      ['__proto__', 'a name'],
      ['title', 'grid'],
    ]),
  })
}

describe('createDataset', () => {
  it('infers dims, and puts 1-D variables named after their dimension among the coordinates', () => {
    const ds = grid()
    expect(Object.fromEntries(ds.dims)).toEqual({ time: 4, lat: 3, lon: 5 })
    expect([...ds.coords.keys()]).toEqual(['time', 'lat', 'lon'])
    expect([...ds.dataVars.keys()]).toEqual(['sst', 'names', 'ok'])
  })
  it('refuses shapes that disagree with the dims, naming the variable and the dimension', () => {
    expect(() =>
      createDataset({
        dims: { x: 3 },
        dataVars: { v: { dims: ['x'], data: ndarray('float64', [2], [1, 2]) } },
      }),
    ).toThrow(/Variable 'v' has 2 elements along 'x', but 'x' has size 3 \(from dims\)/)
    expect(() =>
      createDataset({
        dataVars: { v: { dims: ['x', 'y'], data: ndarray('float64', [2], [1, 2]) } },
      }),
    ).toThrow(/1 dimensions of values but 2 dimension names/)
    expect(() =>
      createDataset({
        dataVars: {
          v: { dims: ['x'], data: { dtype: 'float32', shape: [2], data: new Float64Array(2) } },
        },
      }),
    ).toThrow(/float32 but its values are a Float64Array/)
    expect(() =>
      createDataset({
        dataVars: {
          v: { dims: ['x'], data: { dtype: 'int8', shape: [3], data: new Int8Array(2) } },
        },
      }),
    ).toThrow(/needs 3 values but 2 were given/)
  })
  it('slices in memory by selection: indices drop dims, ranges clamp, steps skip', async () => {
    const sst = grid().dataVars.get('sst')!
    const a = await sst.read([1, { start: 1, stop: 99 }, { start: 0, stop: 5, step: 2 }])
    expect(a.shape).toEqual([2, 3])
    expect(Array.from(a.data as Float32Array)).toEqual([20, 22, 24, 25, 27, 29])
    const b = await sst.read([null, 2, 4])
    expect(Array.from(b.data as Float32Array)).toEqual([14, 29, 44, 59])
    await expect(sst.read([4])).rejects.toThrow(/Index 4 is out of range for time/)
    const empty = sliceNdArray(
      ndarray('int8', [2, 2], [1, 2, 3, 4]),
      normalizeSelection([2, 2], [{ start: 1, stop: 1 }]),
    )
    expect(empty).toEqual({ dtype: 'int8', shape: [0, 2], data: new Int8Array(0) })
  })
})

describe('datasetPreview', () => {
  it('gives structure and decoded values: NaN as null, times as ISO text, bools, big ints', async () => {
    const p = await datasetPreview(grid(), { totalBytes: 123 })
    expect(p.kind).toBe('dataset')
    expect(p.dims).toEqual({ time: 4, lat: 3, lon: 5 })
    expect(p.totalBytes).toBe(123)
    const time = p.coords.time as { values: unknown; dtype: string }
    expect(time.dtype).toBe('datetime64[ns]')
    expect(time.values).toEqual([
      '1970-01-01T00:00:00',
      '1970-01-02T00:00:00',
      null,
      '1970-01-01T00:00:00.000000001',
    ])
    const sst = p.data_vars.sst as {
      values: number[][][]
      attrs: Record<string, unknown>
      shape: number[]
    }
    expect(sst.shape).toEqual([4, 3, 5])
    expect(sst.values[0]![1]).toEqual([5, 6, null, 8, 9])
    expect(sst.attrs).toEqual(
      Object.assign(Object.create(null), {
        valid_range: [0, 100],
        big: '1152921504606846976',
        small: 3,
        bad: null,
      }),
    )
    expect((p.data_vars.ok as { values: unknown }).values).toEqual([true, false, true, false, true])
    expect((p.data_vars.names as { values: unknown }).values).toEqual(['a', null, 'c'])
    expect((p.coords.lon as { values: unknown }).values).toEqual([
      0,
      72,
      144,
      216,
      '4611686018427387904',
    ])
    // Names from files live in null-prototype records.
    expect(Object.getPrototypeOf(p.attrs)).toBeNull()
    expect(Object.getPrototypeOf(p.data_vars)).toBeNull()
    expect(Object.keys(p.attrs)).toEqual(['__proto__', 'title'])
    expect(JSON.parse(JSON.stringify(p)).attrs.title).toBe('grid')
  })
  it('leaves values out of variables above maxValues, and never reads them', async () => {
    const ds = grid()
    let reads = 0
    const sst = ds.dataVars.get('sst')!
    const read = sst.read.bind(sst)
    ;(sst as { read: typeof read }).read = (...a) => {
      reads++
      return read(...a)
    }
    const p = await datasetPreview(ds, { maxValues: 59 })
    expect('values' in (p.data_vars.sst as object)).toBe(false)
    expect(reads).toBe(0)
    expect('values' in (p.coords.time as object)).toBe(true)
  })
  it('leaves out values above the 10,000 default', async () => {
    const big = createDataset({
      dataVars: {
        v: { dims: ['x'], data: ndarray('float64', [10_001], new Array(10_001).fill(1)) },
      },
    })
    const small = createDataset({
      dataVars: {
        v: { dims: ['x'], data: ndarray('float64', [10_000], new Array(10_000).fill(1)) },
      },
    })
    expect('values' in ((await datasetPreview(big)).data_vars.v as object)).toBe(false)
    expect(((await datasetPreview(small)).data_vars.v as { values: number[] }).values).toHaveLength(
      10_000,
    )
  })
  it('nests scalars and empty arrays', () => {
    expect(nest([5], [])).toBe(5)
    expect(nest([], [0, 3])).toEqual([])
    expect(nest([1, 2, 3, 4, 5, 6], [3, 2, 1])).toEqual([
      [[1], [2]],
      [[3], [4]],
      [[5], [6]],
    ])
  })
  it('collectionPreview gives each member in the dataset form', async () => {
    const p = await collectionPreview({
      kind: 'collection',
      datasets: new Map([
        ['a', grid()],
        ['__proto__', grid()],
      ]),
    })
    expect(p.kind).toBe('collection')
    expect(Object.keys(p.datasets)).toEqual(['a', '__proto__'])
    expect(p.datasets.a!.dims).toEqual({ time: 4, lat: 3, lon: 5 })
  })
})
