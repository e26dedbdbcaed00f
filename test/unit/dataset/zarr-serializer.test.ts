// The 'xarray.zarr' and 'xcollection' serializers through the registry, as `show` and the
// explorer call them: every zarr key of the Python-written fixture cache, and sst-collection,
// previewed and compared with sample-cache.expected.json (what xarray / xcollection returned).
import { promises as fs } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { registry } from '../../../electron/engine/builtins.js'
import { InvalidArgumentError } from '../../../electron/engine/errors.js'
import type { Kwargs } from '../../../electron/engine/serializers/serializer.js'
import type { Collection, Dataset } from '../../../electron/engine/dataset/model.js'
import { FIXTURE_CACHE, FIXTURE_EXPECTED } from '../../helpers/temp.js'
import { targetIn } from './zarr-helpers.js'

interface ExpectedVar {
  dims: string[]
  shape: number[]
  dtype: string
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
const expected = JSON.parse(await fs.readFile(FIXTURE_EXPECTED, 'utf8')) as {
  artifacts: Record<
    string,
    { serializer: string; sidecar: { load_kwargs: Kwargs }; value: unknown }
  >
}
const ZARR_KEYS = Object.keys(expected.artifacts).filter(
  (k) => expected.artifacts[k]!.serializer === 'xarray.zarr',
)

// expected.json writes NaN as "NaN" in encodings; the preview's JSON form writes null.
function previewForm(v: unknown): unknown {
  return v === 'NaN' ? null : v
}

function compareDataset(got: Record<string, unknown>, want: ExpectedDataset): void {
  expect(got.kind).toBe('dataset')
  expect(got.dims).toEqual(want.dims)
  expect(Object.keys(got.dims as object)).toEqual(Object.keys(want.dims))
  expect(Object.keys(got.coords as object)).toEqual(want.coords)
  expect(Object.keys(got.data_vars as object)).toEqual(want.data_vars)
  expect(got.attrs).toEqual(want.attrs)
  const vars = { ...(got.coords as object), ...(got.data_vars as object) } as Record<
    string,
    Record<string, unknown>
  >
  for (const [name, w] of Object.entries(want.variables)) {
    const v = vars[name]!
    expect([name, v.dims, v.shape, v.dtype]).toEqual([name, w.dims, w.shape, w.dtype])
    expect(v.attrs).toEqual(w.attrs)
    expect(v.values).toEqual(w.values)
    const enc = v.encoding as Record<string, unknown>
    for (const [k, x] of Object.entries(w.encoding_after_load)) {
      expect([name, k, enc[k]]).toEqual([name, k, previewForm(x)])
    }
  }
}

describe('xarray.zarr', () => {
  test.each(ZARR_KEYS)('%s previews as xarray loaded it', async (key) => {
    const serializer = await registry.serializers.get('xarray.zarr')()
    const target = await targetIn(FIXTURE_CACHE, key)
    const preview = (await serializer.preview!(target, {
      kwargs: expected.artifacts[key]!.sidecar.load_kwargs,
    })) as unknown as Record<string, unknown>
    compareDataset(preview, expected.artifacts[key]!.value as ExpectedDataset)
    const files = (expected.artifacts[key] as unknown as { files: { size: number }[] }).files
    expect(preview.totalBytes).toBe(files.reduce((a, f) => a + f.size, 0))
    expect(preview.bytesRead).toBeGreaterThan(0)
  })

  test('load gives a lazy Dataset; decode kwargs and drop_variables act as in xr.open_zarr', async () => {
    const serializer = await registry.serializers.get('xarray.zarr')()
    const target = await targetIn(FIXTURE_CACHE, 'sst-monthly.zarr')
    const ds = (await serializer.load(target, {})) as Dataset
    expect(ds.kind).toBe('dataset')
    expect(ds.dataVars.get('t2m_packed')!.dtype).toBe('float32')
    expect(ds.coords.get('time')!.dtype).toBe('datetime64[ns]')
    const raw = (await serializer.load(target, {
      mask_and_scale: false,
      decode_times: false,
      drop_variables: ['sst'],
      chunks: {},
    })) as Dataset
    expect(raw.dataVars.get('t2m_packed')!.dtype).toBe('int16')
    expect(raw.coords.get('time')!.dtype).toBe('int64')
    expect(raw.dataVars.has('sst')).toBe(false)
  })

  test('unknown kwargs are refused by name', async () => {
    const serializer = await registry.serializers.get('xarray.zarr')()
    const target = await targetIn(FIXTURE_CACHE, 'sst-monthly.zarr')
    await expect(
      serializer.load(target, { storage_options: {}, use_cftime: true }),
    ).rejects.toThrow(
      /xarray\.zarr does not support load kwargs 'storage_options', 'use_cftime'; supported: decode_cf/,
    )
    expect(() => serializer.checkDumpKwargs!({ append_dim: 'time' })).toThrow(InvalidArgumentError)
    expect(() => serializer.checkDumpKwargs!({ mode: 'a' })).toThrow(/mode="a" is not supported/)
    expect(() => serializer.checkDumpKwargs!({ zarr_format: 4 })).toThrow(/must be 2 or 3/)
    expect(() =>
      serializer.checkDumpKwargs!({ consolidated: false, zarr_format: 3, mode: 'w' }),
    ).not.toThrow()
  })
})

describe('xcollection', () => {
  test('sst-collection previews as xcollection loaded it, members in group_keys() order', async () => {
    const serializer = await registry.serializers.get('xcollection')()
    const target = await targetIn(FIXTURE_CACHE, 'sst-collection')
    const want = expected.artifacts['sst-collection']!.value as {
      dataset_names: string[]
      datasets: Record<string, ExpectedDataset>
    }
    const preview = (await serializer.preview!(target, { kwargs: {} })) as unknown as {
      kind: string
      datasets: Record<string, Record<string, unknown>>
      bytesRead: number
    }
    expect(preview.kind).toBe('collection')
    expect(Object.keys(preview.datasets)).toEqual(Object.keys(want.datasets))
    for (const [name, ds] of Object.entries(want.datasets))
      compareDataset(preview.datasets[name]!, ds)
    expect(preview.bytesRead).toBeGreaterThan(7649) // .zmetadata counted once, plus the chunks
    const value = (await serializer.load(target, {})) as Collection
    expect(value.kind).toBe('collection')
    expect([...value.datasets.keys()]).toEqual(['anomaly', 'sst'])
  })
})
