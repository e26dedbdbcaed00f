import { readFileSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import { decodeDataset } from '../../../electron/engine/dataset/cf-decode.js'
import { attrToJson, datasetPreview } from '../../../electron/engine/dataset/dataset-json.js'
import { openNetcdf4 } from '../../../electron/engine/dataset/netcdf4/index.js'

// The NetCDF4 (HDF5) keys of the Python-written sample cache, opened by the HDF5 reader,
// decoded by cf-decode and shown by datasetPreview, compared with what Python xpersist's get()
// returned (sample-cache.expected.json `value`), storage encoding included.
const root = new URL('../../fixtures/sample-cache', import.meta.url).pathname
const expected = JSON.parse(
  readFileSync(new URL('../../fixtures/sample-cache.expected.json', import.meta.url), 'utf8'),
) as { artifacts: Record<string, { value: ExpectedDataset }> }

interface ExpectedDataset {
  dims: Record<string, number>
  coords: string[]
  data_vars: string[]
  attrs: Record<string, unknown>
  encoding_after_load: Record<string, unknown>
  variables: Record<
    string,
    {
      dims: string[]
      shape: number[]
      dtype: string
      attrs: Record<string, unknown>
      encoding_after_load: Record<string, unknown>
      values?: unknown
    }
  >
}

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x))

describe.each(['sst-monthly.nc', 'experiments/run-1/ssta.nc'])('%s', (key) => {
  const want = expected.artifacts[key]!.value
  it('decodes and previews as Python xpersist get() returned it, encoding included', async () => {
    const backend = await LocalBackend.open(root)
    const source = await openNetcdf4({ backend, path: key, putMode: 'overwrite' })
    const ds = decodeDataset(source)
    try {
      const got = await datasetPreview(ds, { totalBytes: statSync(`${root}/${key}`).size })
      expect(plain(got.dims)).toEqual(want.dims)
      expect(Object.keys(got.coords)).toEqual(want.coords)
      expect(Object.keys(got.data_vars)).toEqual(want.data_vars)
      expect(plain(got.attrs)).toEqual(want.attrs)
      expect(got.notes).toEqual([])
      expect(plain(attrToJson(ds.encoding.get('unlimited_dims') ?? []))).toEqual(
        want.encoding_after_load.unlimited_dims,
      )
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
        const variable = ds.coords.get(name) ?? ds.dataVars.get(name)
        // The goldens write NaN as the string "NaN" in encodings.
        const encoding = Object.fromEntries(
          [...(variable?.encoding ?? [])]
            .filter(([k]) => k in ev.encoding_after_load)
            .map(([k, v]) => [k, Number.isNaN(v) ? 'NaN' : attrToJson(v)]),
        )
        expect(plain(encoding)).toEqual(ev.encoding_after_load)
      }
      expect(got.bytesRead).toBeGreaterThan(0)
      expect(got.bytesRead).toBeLessThanOrEqual(got.totalBytes)
    } finally {
      await ds.close()
    }
  })
})
