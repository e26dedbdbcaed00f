import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../../electron/engine/backend/memory.js'
import { decodeDataset, settleTimeDtypes } from '../../../electron/engine/dataset/cf-decode.js'
import { toCells } from '../../../electron/engine/dataset/dataset-json.js'
import { openNetcdf3 } from '../../../electron/engine/dataset/netcdf3/reader.js'
import { CorruptPayloadError } from '../../../electron/engine/errors.js'
import { loadNetcdf } from '../../../electron/engine/serializers/xarray/netcdf-serializer.js'

// NetCDF3 files written by xarray (netCDF4 and scipy engines) and by netCDF4 directly, with
// what xr.open_dataset returned for each (test/fixtures/datasets/nc3-corpus.py).
const dir = new URL('../../fixtures/datasets/', import.meta.url)
const golden = JSON.parse(readFileSync(new URL('nc3-corpus.json', dir), 'utf8')) as Record<
  string,
  {
    dims: Record<string, number>
    coords: string[]
    data_vars: string[]
    attrs: Record<string, unknown>
    unlimited_dims: string[]
    variables: Record<
      string,
      { dims: string[]; dtype: string; attrs: Record<string, unknown>; values: unknown[] }
    >
  }
>

/** A memory backend holding `bytes` at 'f.nc', counting the ranges read. */
async function target(bytes: Uint8Array) {
  const backend = new MemoryBackend()
  await backend.put('f.nc', bytes)
  const ranges: { offset: number; length: number }[] = []
  const get = backend.get.bind(backend)
  backend.get = async (path, range) => {
    if (range && 'offset' in range) ranges.push(range)
    return get(path, range)
  }
  return { target: { backend, path: 'f.nc', putMode: 'overwrite' as const }, ranges }
}

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x))

describe.each(Object.keys(golden))('%s', (file) => {
  const want = golden[file]!
  it('decodes as xr.open_dataset does', async () => {
    const { target: t } = await target(readFileSync(new URL(file, dir)))
    const ds = decodeDataset(await openNetcdf3(t))
    await settleTimeDtypes(ds)
    expect(Object.fromEntries(ds.dims)).toEqual(want.dims)
    expect([...ds.coords.keys()].sort()).toEqual([...want.coords].sort())
    expect([...ds.dataVars.keys()].sort()).toEqual([...want.data_vars].sort())
    expect(plain(Object.fromEntries(ds.attrs))).toEqual(want.attrs)
    expect(ds.encoding.get('unlimited_dims')).toEqual(want.unlimited_dims)
    for (const [name, ev] of Object.entries(want.variables)) {
      const v = ds.coords.get(name) ?? ds.dataVars.get(name)!
      expect({ name, dims: v.dims, dtype: v.dtype }).toEqual({
        name,
        dims: ev.dims,
        dtype: ev.dtype,
      })
      expect({ name, attrs: plain(Object.fromEntries(v.attrs)) }).toEqual({ name, attrs: ev.attrs })
      expect({ name, values: toCells(await v.read()) }).toEqual({ name, values: ev.values })
    }
  })
})

describe('NetCDF3 reads by byte range', () => {
  it('reads a record variable slice record by record, and nothing else', async () => {
    const bytes = readFileSync(new URL('nc3-records-64bit.nc', dir))
    const { target: t, ranges } = await target(bytes)
    const src = await openNetcdf3(t)
    const temp = src.variables.find((v) => v.name === 'temp')!
    ranges.length = 0
    const got = await temp.array.read([{ start: 1, stop: 4, step: 2 }, 2, { start: 1, stop: 3 }])
    expect(got.shape).toEqual([2, 2])
    const all = golden['nc3-records-64bit.nc']!.variables.temp!.values
    expect(toCells(got)).toEqual([all[12 + 9], all[12 + 10], all[36 + 9], all[36 + 10]])
    // The file is smaller than the first header fetch, so it was all read then; ranges only
    // go to the backend for files bigger than the prefix (see the generated file below).
    expect(ranges).toEqual([])
  })
  it('reads the bytes of the records a lone record variable needs (no padding between records)', async () => {
    const { target: t } = await target(readFileSync(new URL('nc3-lone-record.nc', dir)))
    const src = await openNetcdf3(t)
    const b = await src.variables[0]!.array.read([{ start: 3, stop: 5 }])
    expect(Array.from(b.data as Int8Array)).toEqual([9, 10, 11, 12, 13, 14])
  })
})

describe('corrupt NetCDF3 input', () => {
  const good = readFileSync(new URL('nc3-records-64bit.nc', dir))
  it('refuses a truncated file, naming it and what is missing', async () => {
    const { target: t } = await target(good.subarray(0, 700))
    await expect(openNetcdf3(t)).rejects.toThrow(CorruptPayloadError)
    await expect(openNetcdf3(t)).rejects.toThrow(/f\.nc.*(truncated|cut short)/)
  })
  it('refuses a header claiming 2^31 dimensions before allocating anything', async () => {
    const bad = new Uint8Array(good)
    new DataView(bad.buffer).setUint32(12, 2 ** 31)
    const { target: t } = await target(bad)
    await expect(openNetcdf3(t)).rejects.toThrow(
      /2147483648 dimensions, more than the \d+ bytes left can hold/,
    )
  })
  it('refuses every truncation of the header with a clear error, never a hang', async () => {
    for (let n = 0; n < 600; n += 7) {
      const { target: t } = await target(good.subarray(0, n))
      await expect(openNetcdf3(t)).rejects.toThrow(CorruptPayloadError)
    }
  })
  it('says a payload that is not NetCDF is not NetCDF', async () => {
    const { target: t } = await target(new TextEncoder().encode('PAR1 definitely not netcdf'))
    await expect(loadNetcdf(t, {})).rejects.toThrow(/f\.nc is not NetCDF/)
  })
  it('refuses unknown load kwargs, naming them', async () => {
    const { target: t } = await target(good)
    await expect(loadNetcdf(t, { decode_times: false, group: 'x' })).rejects.toThrow(/'group'/)
    const ds = await loadNetcdf(t, { decode_times: false, engine: 'netcdf4', chunks: {} })
    expect(ds.coords.get('time')!.dtype).toBe('int32')
  })
})

describe('NetCDF3 reads of a file bigger than the header fetch', () => {
  async function big(unlimited: boolean) {
    const { createDataset, ndarray } = await import('../../../electron/engine/dataset/memory.js')
    const { encodeDataset } = await import('../../../electron/engine/dataset/cf-encode.js')
    const { writeNetcdf3 } = await import('../../../electron/engine/dataset/netcdf3/writer.js')
    const n = 40 * 60 * 80
    const ds = createDataset({
      dataVars: {
        v: {
          dims: ['time', 'lat', 'lon'],
          data: ndarray(
            'float32',
            [40, 60, 80],
            Array.from({ length: n }, (_, i) => i),
          ),
        },
        w: {
          dims: ['time'],
          data: ndarray(
            'int32',
            [40],
            Array.from({ length: 40 }, (_, i) => i),
          ),
        },
      },
    })
    const enc = await encodeDataset(ds, new Map(), {
      format: 'NETCDF3_64BIT',
      unlimitedDims: unlimited ? ['time'] : [],
    })
    return target(writeNetcdf3(enc, 'NETCDF3_64BIT'))
  }
  it.each([false, true])(
    'one time step reads the header and that step only (record dim: %s)',
    async (unlimited) => {
      const { target: t, ranges } = await big(unlimited)
      const src = await openNetcdf3(t)
      expect(ranges).toEqual([{ offset: 0, length: 64 * 1024 }])
      ranges.length = 0
      const step = await src.variables[0]!.array.read([30])
      expect((step.data as Float32Array)[0]).toBe(30 * 4800)
      expect(ranges).toEqual([{ offset: expect.any(Number), length: 4800 * 4 }])
    },
  )
  it.each([false, true])(
    'a time series at one point reads 40 small runs, not the variable (record dim: %s)',
    async (unlimited) => {
      const { target: t, ranges } = await big(unlimited)
      const src = await openNetcdf3(t)
      ranges.length = 0
      const series = await src.variables[0]!.array.read([null, 59, 79])
      expect(Array.from(series.data as Float32Array).slice(0, 3)).toEqual([4799, 9599, 14399])
      const bytes = ranges.reduce((s, r) => s + r.length, 0)
      expect(bytes).toBeLessThanOrEqual(40 * 4 * 2)
    },
  )
})

describe('NetCDF3 reader under damage', () => {
  const good = readFileSync(new URL('nc3-records-64bit.nc', dir))
  it('reads the record count from the file size when the header says "streaming"', async () => {
    const streaming = new Uint8Array(good)
    new DataView(streaming.buffer).setUint32(4, 0xffffffff)
    const { target: t } = await target(streaming)
    const src = await openNetcdf3(t)
    expect(src.dims.get('time')).toBe(5)
  })
  it('200 files with random bytes flipped: each opens and reads, or fails with an engine error', async () => {
    const { XpersistError } = await import('../../../electron/engine/errors.js')
    let seed = 7
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    let failed = 0
    for (let i = 0; i < 200; i++) {
      const bad = new Uint8Array(good)
      for (let k = 0; k < 4; k++) bad[Math.floor(rand() * 700)] = Math.floor(rand() * 256)
      const { target: t } = await target(bad)
      try {
        const ds = decodeDataset(await openNetcdf3(t))
        for (const v of [...ds.coords.values(), ...ds.dataVars.values()]) await v.read()
      } catch (e) {
        failed++
        expect(e, String(e)).toBeInstanceOf(XpersistError)
      }
    }
    expect(failed).toBeGreaterThan(0)
  })
})
