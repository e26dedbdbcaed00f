import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeDataset, settleTimeDtypes } from '../../../electron/engine/dataset/cf-decode.js'
import { createSourceDataset, ndarray } from '../../../electron/engine/dataset/memory.js'
import type { NdArray, Variable } from '../../../electron/engine/dataset/model.js'

// Raw variables and what xarray 2023.1's decode_cf gives for them
// (test/fixtures/datasets/cf-decode.py wrote cf-decode.json).
type Golden = {
  raw: Record<
    string,
    {
      dims: string[]
      dtype: string
      shape: number[]
      values: (number | string)[]
      attrs: Record<string, unknown>
    }
  >
  decoded: Record<
    string,
    {
      dims: string[]
      dtype: string
      values: unknown[]
      attrs: Record<string, unknown>
      encoding: Record<string, unknown>
    }
  >
  coords: string[]
  attrs: Record<string, unknown>
}
const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/datasets/cf-decode.json', import.meta.url), 'utf8'),
) as Golden

function source() {
  return createSourceDataset({
    variables: Object.entries(golden.raw).map(([name, v]) => ({
      name,
      dims: v.dims,
      data: ndarray(v.dtype, v.shape, v.values),
      attrs: v.attrs as never,
    })),
    attrs: { title: 't', coordinates: 'age' },
  })
}

function cells(a: NdArray): unknown[] {
  return Array.from(a.data as ArrayLike<unknown>, (v) => {
    if (typeof v === 'bigint') return v === -(2n ** 63n) ? null : String(v)
    if (typeof v === 'number' && Number.isNaN(v)) return null
    if (a.dtype === 'bool') return Boolean(v)
    return v
  })
}

describe('decodeDataset matches xarray decode_cf', () => {
  const ds = decodeDataset(source())
  const all = new Map<string, Variable>([...ds.coords, ...ds.dataVars])
  for (const [name, want] of Object.entries(golden.decoded)) {
    it(name, async () => {
      const v = all.get(name)!
      expect(v.dims).toEqual(want.dims)
      expect(v.dtype).toBe(want.dtype)
      const got = await v.read()
      expect(got.dtype).toBe(want.dtype)
      expect(cells(got)).toEqual(want.values)
      expect(Object.fromEntries(v.attrs)).toEqual(want.attrs)
      const enc = Object.fromEntries([...v.encoding].filter(([k]) => k !== 'original_shape'))
      expect(enc).toEqual(want.encoding)
    })
  }
  it('splits coordinates from data variables as xarray does', () => {
    expect([...ds.coords.keys()].sort()).toEqual(golden.coords)
    expect(Object.fromEntries(ds.attrs)).toEqual(golden.attrs)
    // The stacked char dimensions are gone, as in xarray's Dataset.dims.
    expect(ds.dims.has('nchar')).toBe(false)
    expect(ds.dims.get('t')).toBe(2)
  })
})

describe('decode options', () => {
  it('decodeCf: false leaves every variable as stored', async () => {
    const ds = decodeDataset(source(), { decodeCf: false })
    const packed = ds.dataVars.get('packed')!
    expect(packed.dtype).toBe('int16')
    expect(packed.attrs.get('scale_factor')).toBe(0.01)
    expect(ds.dataVars.get('names')!.dtype).toBe('|S1')
    expect(ds.coords.has('lat2d')).toBe(false)
  })
  it('maskAndScale: false keeps packing but still decodes times', async () => {
    const ds = decodeDataset(source(), { maskAndScale: false })
    expect(ds.dataVars.get('packed')!.dtype).toBe('int16')
    const t = (await ds.coords.get('time')?.read()) ?? (await ds.dataVars.get('time')!.read())
    expect(t.dtype).toBe('datetime64[ns]')
  })
  it('decodeTimes: false keeps the numbers and their units', async () => {
    const ds = decodeDataset(source(), { decodeTimes: false })
    const t = ds.dataVars.get('time_noleap')!
    expect(t.dtype).toBe('int32')
    expect(t.attrs.get('units')).toBe('days since 2000-01-01')
    expect(ds.coords.get('age')!.dtype).toBe('float64')
  })
  it('reads a selection through the char dimension and the decoding steps', async () => {
    const ds = decodeDataset(source())
    const names = await ds.dataVars.get('names')!.read([{ start: 1, stop: 2 }])
    expect(names).toEqual({ dtype: '|S3', shape: [1], data: ['x'] })
    const packed = await ds.dataVars.get('packed')!.read([1, { start: 0, stop: 3, step: 2 }])
    expect(packed.shape).toEqual([2])
    expect(Array.from(packed.data as Float32Array)).toEqual([274.1499938964844, 273.1999816894531])
  })
  it('settleTimeDtypes turns out-of-range standard times into cftime objects, as xarray does at open', async () => {
    const src = createSourceDataset({
      variables: [
        {
          name: 'time',
          dims: ['time'],
          data: ndarray('int32', [2], [0, 200000]),
          attrs: { units: 'days since 2000-01-01' },
        },
      ],
    })
    const ds = decodeDataset(src)
    expect(ds.coords.get('time')!.dtype).toBe('datetime64[ns]')
    await settleTimeDtypes(ds)
    expect(ds.coords.get('time')!.dtype).toBe('object')
    expect((await ds.coords.get('time')!.read()).data).toEqual([
      '2000-01-01T00:00:00',
      '2547-08-01T00:00:00',
    ])
  })
  it('notes undecodable time units instead of failing the whole dataset', () => {
    const src = createSourceDataset({
      variables: [
        {
          name: 'v',
          dims: ['x'],
          data: ndarray('int32', [1], [0]),
          attrs: { units: 'days since the flood' },
        },
      ],
    })
    const ds = decodeDataset(src)
    expect(ds.dataVars.get('v')!.dtype).toBe('int32')
    expect(ds.notes.join()).toMatch(/v: times not decoded.*the flood/)
  })
})

describe('use_cftime', () => {
  const src = () =>
    createSourceDataset({
      variables: [
        {
          name: 't',
          dims: ['t'],
          data: ndarray('int32', [2], [0, 200000]),
          attrs: { units: 'days since 2000-01-01' },
        },
        {
          name: 'u',
          dims: ['u'],
          data: ndarray('int32', [2], [0, 1]),
          attrs: { units: 'days since 2000-01-01' },
        },
      ],
    })
  it('true gives cftime-like dates even where datetime64 would fit', async () => {
    const ds = decodeDataset(src(), { useCftime: true })
    expect(ds.coords.get('u')!.dtype).toBe('object')
    expect((await ds.coords.get('u')!.read()).data).toEqual([
      '2000-01-01T00:00:00',
      '2000-01-02T00:00:00',
    ])
  })
  it('false refuses dates datetime64[ns] cannot hold, saying what to pass', async () => {
    const ds = decodeDataset(src(), { useCftime: false })
    expect((await ds.coords.get('u')!.read()).dtype).toBe('datetime64[ns]')
    await expect(ds.coords.get('t')!.read()).rejects.toThrow(/use_cftime=True/)
  })
})
