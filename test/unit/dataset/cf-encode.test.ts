import { describe, expect, it } from 'vitest'
import { encodeDataset } from '../../../electron/engine/dataset/cf-encode.js'
import { createDataset, ndarray } from '../../../electron/engine/dataset/memory.js'
import type { EncodedDataset } from '../../../electron/engine/dataset/model.js'

// Expected values are what xarray 2023.1's encode_cf_variable / encode_dataset_coordinates
// printed for the same variables (numbers noted beside each case).
const byName = (e: EncodedDataset, n: string) => e.variables.find((v) => v.name === n)!

describe('encodeDataset', () => {
  it('packs with np.around (half to even) and fills NaN: [0.25, 0.35, nan, 1] -> [2, 3, -1, 10]', async () => {
    const ds = createDataset({
      dataVars: { v: { dims: ['x'], data: ndarray('float64', [4], [0.25, 0.35, NaN, 1]) } },
    })
    const e = await encodeDataset(
      ds,
      new Map([['v', { dtype: 'int16', scale_factor: 0.1, _FillValue: -1 }]]),
    )
    const v = byName(e, 'v')
    expect(v.data.dtype).toBe('int16')
    expect(Array.from(v.data.data as Int16Array)).toEqual([2, 3, -1, 10])
    expect(Object.fromEntries(v.attrs)).toEqual({ scale_factor: 0.1, _FillValue: -1 })
  })
  it('encodes time deltas in the coarsest unit dividing them (hours; NaT gives float NaN)', async () => {
    const h = 3_600_000_000_000n
    const ds = createDataset({
      dataVars: {
        a: { dims: ['x'], data: ndarray('timedelta64[ns]', [2], [h, 3n * h]) },
        b: { dims: ['y'], data: ndarray('timedelta64[ns]', [3], [h, 3n * h, -(2n ** 63n)]) },
      },
    })
    const e = await encodeDataset(ds)
    expect(byName(e, 'a').data).toEqual({
      dtype: 'int64',
      shape: [2],
      data: BigInt64Array.from([1n, 3n]),
    })
    expect(byName(e, 'a').attrs.get('units')).toBe('hours')
    expect(Array.from(byName(e, 'b').data.data as Float64Array)).toEqual([1, 3, NaN])
    expect(byName(e, 'b').attrs.get('_FillValue')).toBeNaN()
  })
  it('gives floats a NaN _FillValue unless the encoding sets _FillValue (null: none), ints none', async () => {
    const ds = createDataset({
      dataVars: {
        f: { dims: ['x'], data: ndarray('float32', [2], [1.5, NaN]) },
        g: { dims: ['x'], data: ndarray('float32', [2], [1.5, NaN]) },
        i: { dims: ['x'], data: ndarray('int32', [2], [1, 2]) },
      },
    })
    const e = await encodeDataset(ds, new Map([['g', { _FillValue: null }]]))
    expect(byName(e, 'f').attrs.get('_FillValue')).toBeNaN()
    expect(byName(e, 'g').attrs.has('_FillValue')).toBe(false)
    expect(byName(e, 'i').attrs.has('_FillValue')).toBe(false)
  })
  it("lists non-dimension coordinates in the data variables' coordinates attributes", async () => {
    const ds = createDataset({
      coords: {
        lat: { dims: ['y', 'x'], data: ndarray('float64', [2, 3], [1, 1, 1, 1, 1, 1]) },
        lonely: { dims: [], data: ndarray('float64', [], [1]) },
        x: { dims: ['x'], data: ndarray('int64', [3], [1n, 2n, 3n]) },
      },
      dataVars: {
        a: { dims: ['y', 'x'], data: ndarray('float64', [2, 3], [0, 0, 0, 0, 0, 0]) },
        b: { dims: ['x'], data: ndarray('float64', [3], [0, 0, 0]) },
      },
    })
    const e = await encodeDataset(ds)
    expect(byName(e, 'a').attrs.get('coordinates')).toBe('lat lonely')
    expect(byName(e, 'b').attrs.get('coordinates')).toBe('lonely')
    expect(byName(e, 'lat').attrs.has('coordinates')).toBe(false)
    expect(e.attrs.has('coordinates')).toBe(false)
  })
  it('stores strings as variable-length text for NETCDF4 and as UTF-8 chars for NETCDF3', async () => {
    const ds = createDataset({
      dataVars: { s: { dims: ['x'], data: ndarray('object', [2], ['é', null]) } },
    })
    const nc4 = byName(await encodeDataset(ds, new Map(), { format: 'NETCDF4' }), 's')
    expect(nc4.data).toEqual({ dtype: 'str', shape: [2], data: ['é', ''] })
    const e3 = await encodeDataset(ds, new Map(), { format: 'NETCDF3_64BIT' })
    const nc3 = byName(e3, 's')
    expect(nc3.dims).toEqual(['x', 'string2'])
    expect(nc3.data).toEqual({ dtype: '|S1', shape: [2, 2], data: ['\xc3', '\xa9', '\0', '\0'] })
    expect(nc3.attrs.get('_Encoding')).toBe('utf-8')
    expect(e3.dims.get('string2')).toBe(2)
  })
  it('refuses times whose attributes already hold units, and attributes netCDF cannot hold', async () => {
    const times = createDataset({
      coords: {
        t: { dims: ['t'], data: ndarray('datetime64[ns]', [1], [0n]), attrs: { units: 'days' } },
      },
    })
    await expect(encodeDataset(times)).rejects.toThrow(/'t' has 'units' in its attributes/)
    const bools = createDataset({
      dataVars: { v: { dims: [], data: ndarray('int8', [], [1]), attrs: { ok: true } } },
    })
    await expect(encodeDataset(bools)).rejects.toThrow(
      /Invalid value for attr 'ok' of variable 'v'/,
    )
  })
  it('keeps storage choices and drops the ones the target lacks or that no longer fit', async () => {
    const ds = createDataset({
      dataVars: {
        v: {
          dims: ['x'],
          data: ndarray('float32', [4], [1, 2, 3, 4]),
          encoding: {
            zlib: true,
            complevel: 4,
            chunksizes: [8],
            source: '/tmp/a.nc',
            compressor: null,
          },
        },
      },
    })
    const v = byName(await encodeDataset(ds, new Map(), { format: 'NETCDF4' }), 'v')
    expect(Object.fromEntries(v.encoding)).toEqual({ zlib: true, complevel: 4 })
    const z = byName(
      await encodeDataset(ds, new Map([['v', { chunks: [2], compressor: null }]]), {
        format: 'zarr',
      }),
      'v',
    )
    expect(Object.fromEntries(z.encoding)).toEqual({ chunks: [2], compressor: null })
    await expect(
      encodeDataset(ds, new Map([['v', { zlib: true }]]), { format: 'zarr' }),
    ).rejects.toThrow(/'zlib'/)
  })
})
