// The Zarr reader against stores zarr-python wrote: every codec, dtype and fill value of the
// corpus (test/fixtures/datasets/zarr, golden.json from zarr-python), and the zarr keys of the
// sample cache compared with what xarray reported (sample-cache.expected.json).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { pyJsonParse } from '../../../shared/pyjson-parse.js'
import { PyFloat } from '../../../shared/pyjson.js'
import { openZarr } from '../../../electron/engine/dataset/zarr/open-zarr.js'
import { FIXTURE_CACHE, FIXTURE_EXPECTED, REPO } from '../../helpers/temp.js'
import { plainValues, recording, targetIn } from './zarr-helpers.js'

const CORPUS = path.join(REPO, 'test', 'fixtures', 'datasets', 'zarr')
type Golden = Record<
  string,
  Record<string, { dtype: string; shape: number[]; chunks: number[]; values: unknown[] }>
>
const golden = pyJsonParse(
  await fs.readFile(path.join(CORPUS, 'golden.json'), 'utf8'),
) as unknown as Golden
const expected = JSON.parse(await fs.readFile(FIXTURE_EXPECTED, 'utf8')) as {
  artifacts: Record<string, { value: ExpectedDataset }>
}
interface ExpectedVar {
  dims: string[]
  shape: number[]
  attrs: Record<string, unknown>
  encoding_after_load: Record<string, unknown>
  values: unknown
}
interface ExpectedDataset {
  dims: Record<string, number>
  coords: string[]
  data_vars: string[]
  attrs: Record<string, unknown>
  variables: Record<string, ExpectedVar>
}

function normalise(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v
  return v
}

describe('zarr-python corpus', () => {
  const cases = Object.entries(golden).flatMap(([store, arrays]) =>
    Object.keys(arrays).map((name) => [store, name] as const),
  )
  test.each(cases)('%s %s reads as zarr-python reads it', async (store, name) => {
    const want = golden[store]![name]!
    const ds = await openZarr(await targetIn(CORPUS, store))
    const v = ds.variables.find((x) => x.name === name)!
    expect(v.encoding.get('dtype')).toBe(want.dtype)
    expect(v.array.shape).toEqual(want.shape)
    expect(v.encoding.get('chunks')).toEqual(want.chunks)
    const got = await v.array.read()
    expect(got.shape).toEqual(want.shape)
    let values = plainValues(got.data as ArrayLike<unknown>)
    if (want.dtype.startsWith('|S'))
      values = values.map((s) => Buffer.from(s as string).toString('base64'))
    if (want.dtype === '|b1') values = values.map((x) => x === 1)
    expect(values.map(normalise)).toEqual(want.values.map(normalise))
  })

  test('a selection with steps and a dropped index matches numpy slicing', async () => {
    const ds = await openZarr(await targetIn(CORPUS, 'codecs.zarr'))
    const v = ds.variables.find((x) => x.name === 'blosc_zstd_1')!
    const got = await v.array.read([{ start: 1, stop: 6, step: 2 }, 4])
    // base[1:6:2, 4] with base = arange(42).reshape(6, 7) / 4
    expect(got.shape).toEqual([3])
    expect(Array.from(got.data as Float32Array)).toEqual([11, 25, 39].map((x) => x / 4))
    const dtypes = await openZarr(await targetIn(CORPUS, 'dtypes.zarr'))
    const f = dtypes.variables.find((x) => x.name === 'fortran')!
    const block = await f.array.read([
      { start: 1, stop: 4 },
      { start: 2, stop: 6, step: 3 },
    ])
    expect(Array.from(block.data as Int32Array)).toEqual([8, 11, 14, 17, 20, 23])
  })

  test('dataset attributes keep NaN as Python wrote it (bare NaN in .zattrs)', async () => {
    const ds = await openZarr(await targetIn(CORPUS, 'codecs.zarr'))
    expect(ds.attrs.get('title')).toBe('one array per codec')
    expect(ds.attrs.get('nan_attr')).toBeNaN()
  })
})

const ZARR_KEYS = Object.entries(expected.artifacts)
  .filter(([key]) => key.endsWith('.zarr'))
  .map(([key]) => key)

describe('sample cache zarr keys', () => {
  test('there are six', () => expect(ZARR_KEYS).toHaveLength(6))

  test.each(ZARR_KEYS)('%s: structure, attributes, encoding and undecoded values', async (key) => {
    const want = expected.artifacts[key]!.value
    const { target, reads } = recording(await targetIn(FIXTURE_CACHE, key))
    const ds = await openZarr(target)
    // Opening reads metadata only.
    expect(
      reads.filter((p) => !/(\.zmetadata|\.zgroup|\.zattrs|\.zarray|zarr\.json)$/.test(p)),
    ).toEqual([])
    expect(Object.fromEntries(ds.dims)).toEqual(want.dims)
    expect([...ds.dims.keys()]).toEqual(Object.keys(want.dims))
    expect(ds.variables.map((v) => v.name).sort()).toEqual(
      [...want.coords, ...want.data_vars].sort(),
    )
    expect(Object.fromEntries(ds.attrs)).toEqual(want.attrs)
    for (const v of ds.variables) {
      const w = want.variables[v.name]!
      expect(v.dims).toEqual(w.dims)
      const enc = w.encoding_after_load
      expect(v.encoding.get('dtype')).toBe(enc.dtype)
      expect(v.encoding.get('chunks')).toEqual(enc.chunks)
      expect(v.encoding.get('compressor')).toEqual(enc.compressor)
      expect(v.encoding.get('filters')).toEqual(enc.filters)
      expect(Object.fromEntries(v.encoding.get('preferred_chunks') as Map<string, number>)).toEqual(
        enc.preferred_chunks,
      )
      // xarray moved the fill value from attributes to encoding: the reader gives it as an attr.
      if ('_FillValue' in enc) {
        const fill = v.attrs.get('_FillValue')
        expect(enc._FillValue === 'NaN' ? Number.isNaN(fill) : fill === enc._FillValue).toBe(true)
      } else expect(v.attrs.has('_FillValue')).toBe(false)
      // Variables CF decoding leaves alone (no packing, no time units) equal xarray's values.
      const units = String(v.attrs.get('units') ?? '')
      if (!v.attrs.has('scale_factor') && !units.includes(' since ')) {
        const got = await v.array.read()
        expect(plainValues(got.data as ArrayLike<unknown>)).toEqual((w.values as unknown[]).flat(3))
      }
    }
  })

  test('a selection fetches only the chunks it intersects', async () => {
    const { target, reads } = recording(await targetIn(FIXTURE_CACHE, 'sst-monthly-chunked.zarr'))
    const ds = await openZarr(target)
    const sst = ds.variables.find((v) => v.name === 'sst')!
    expect(sst.array.chunks).toEqual([2, 2, 5])
    reads.length = 0
    const one = await sst.array.read([3])
    expect(one.shape).toEqual([4, 5])
    expect(reads.sort()).toEqual([
      'sst-monthly-chunked.zarr/sst/1.0.0',
      'sst-monthly-chunked.zarr/sst/1.1.0',
    ])
    reads.length = 0
    await sst.array.read([{ start: 0, stop: 6, step: 5 }, 0])
    expect(reads.sort()).toEqual([
      'sst-monthly-chunked.zarr/sst/0.0.0',
      'sst-monthly-chunked.zarr/sst/2.0.0',
    ])
    expect(ds.bytesRead()).toBeGreaterThan(0)
  })

  test('consolidated: false lists the folder instead; consolidated: true requires .zmetadata', async () => {
    const { target, reads } = recording(await targetIn(FIXTURE_CACHE, 'sst-monthly.zarr'))
    const ds = await openZarr(target, { consolidated: false })
    expect(reads).not.toContain('sst-monthly.zarr/.zmetadata')
    expect(ds.variables).toHaveLength(6)
    const un = await targetIn(FIXTURE_CACHE, 'sst-monthly-unconsolidated.zarr')
    await expect(openZarr(un, { consolidated: true })).rejects.toThrow(
      /\.zmetadata in .* is missing/,
    )
    expect((await openZarr(un)).variables).toHaveLength(6)
  })
})
