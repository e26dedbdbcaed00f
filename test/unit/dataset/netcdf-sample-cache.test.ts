import { readFileSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import { registry } from '../../../electron/engine/builtins.js'
import { previewNetcdf } from '../../../electron/engine/serializers/xarray/netcdf-serializer.js'

// The NetCDF3 keys of the Python-written sample cache, read here and compared with what
// Python xpersist's get() returned (sample-cache.expected.json `value`).
const root = new URL('../../fixtures/sample-cache', import.meta.url).pathname
const expected = JSON.parse(
  readFileSync(new URL('../../fixtures/sample-cache.expected.json', import.meta.url), 'utf8'),
) as { artifacts: Record<string, { value: ExpectedDataset }> }

interface ExpectedDataset {
  dims: Record<string, number>
  coords: string[]
  data_vars: string[]
  attrs: Record<string, unknown>
  variables: Record<
    string,
    {
      dims: string[]
      shape: number[]
      dtype: string
      attrs: Record<string, unknown>
      values?: unknown
    }
  >
}

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x))

describe.each(['sst-monthly-nc3-64bit.nc', 'sst-monthly-nc3-classic.nc'])('%s', (key) => {
  const want = expected.artifacts[key]!.value
  it('previews as Python xpersist get() returned it: structure, dtypes, attrs and every value', async () => {
    const backend = await LocalBackend.open(root)
    const got = await previewNetcdf({ backend, path: key, putMode: 'overwrite' }, {})
    expect(got.kind).toBe('dataset')
    expect(plain(got.dims)).toEqual(want.dims)
    expect(Object.keys(got.coords).sort()).toEqual([...want.coords].sort())
    expect(Object.keys(got.data_vars).sort()).toEqual([...want.data_vars].sort())
    expect(plain(got.attrs)).toEqual(want.attrs)
    for (const [name, ev] of Object.entries(want.variables)) {
      const gv = (got.coords[name] ?? got.data_vars[name]) as Record<string, unknown>
      expect({ name, dims: gv.dims, shape: gv.shape, dtype: gv.dtype }).toEqual({
        name,
        dims: ev.dims,
        shape: ev.shape,
        dtype: ev.dtype,
      })
      expect(plain(gv.attrs)).toEqual(ev.attrs)
      expect(plain(gv.values)).toEqual(ev.values)
    }
    // A file smaller than the first header fetch is read once, in one range.
    expect(got.bytesRead).toBe(got.totalBytes)
  })
  it('loads through the registry as a lazy Dataset', async () => {
    const backend = await LocalBackend.open(root)
    const serializer = await registry.serializers.get('xarray.netcdf')()
    const ds = (await serializer.load({ backend, path: key, putMode: 'overwrite' }, {})) as {
      dataVars: Map<
        string,
        { read: (s: unknown) => Promise<{ shape: number[]; data: Float32Array }> }
      >
      bytesRead(): number
    }
    const slab = await ds.dataVars.get('sst')!.read([3])
    expect(slab.shape).toEqual([4, 5])
    expect(slab.data[14]).toBeNaN()
    expect(slab.data[19]).toBeCloseTo(29.2282, 4)
    // The whole (small) file came with the header; the slab needed nothing more.
    expect(ds.bytesRead()).toBe(statSync(`${root}/${key}`).size)
  })
})
