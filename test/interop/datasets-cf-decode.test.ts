/**
 * CF decoding alone, against xarray: every NetCDF entry of the corpus as stored (raw/<key>.json:
 * netCDF4 with masking, scaling and char joining off) is fed to the engine's decodeDataset
 * through an in-memory SourceDataset, and the result must equal the golden of what
 * xr.open_dataset decodes. No file reader is involved, so when datasets-py-to-ts fails and this
 * passes, the reader is at fault; when both fail the same way, the decoding is.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeDataset, settleTimeDtypes } from '../../electron/engine/dataset/cf-decode.js'
import { datasetPreview } from '../../electron/engine/dataset/dataset-json.js'
import { createSourceDataset, ndarray } from '../../electron/engine/dataset/memory.js'
import type { AttrValue, Dataset } from '../../electron/engine/dataset/model.js'
import { tempDir } from '../helpers/temp.js'
import { datasetFormOf, formDifferences, type DatasetForm } from './helpers/dataset-form.js'
import { HOOK_TIMEOUT_MS, runPython, skipWithoutPython } from './helpers/python.js'

interface RawVariable {
  name: string
  dims: string[]
  dtype: string
  attrs: Record<string, unknown>
  values: unknown
}
interface Raw {
  dims: Record<string, number>
  unlimited_dims: string[]
  attrs: Record<string, unknown>
  variables: RawVariable[]
}

// The corpus's NetCDF entries (write_datasets.py writes raw/<key>.json for each).
const NETCDF = [
  'nc4-netcdf4.nc',
  'nc4-h5netcdf.nc',
  'nc4-classic.nc',
  'nc3-classic.nc',
  'nc3-64bit.nc',
  'cf-encodings.nc',
  'cf-encodings-nc3.nc',
  'calendars.nc',
]
const FLOAT_TAGS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }

// An attribute of raw_netcdf.py's form as the readers give it (NaN and infinities untagged).
function attr(v: unknown): AttrValue {
  if (Array.isArray(v)) return v.map(attr)
  if (v !== null && typeof v === 'object' && '__float__' in v) {
    return FLOAT_TAGS[(v as { __float__: string }).__float__]!
  }
  return v as AttrValue
}

function attrs(o: Record<string, unknown>): Map<string, AttrValue> {
  return new Map(Object.entries(o).map(([k, v]) => [k, attr(v)]))
}

function shapeOf(values: unknown): number[] {
  const shape: number[] = []
  for (let v = values; Array.isArray(v); v = v[0]) shape.push(v.length)
  return shape
}

/** The raw form as the SourceDataset a NetCDF reader would return. */
function sourceOf(raw: Raw) {
  return createSourceDataset({
    variables: raw.variables.map((v) => ({
      name: v.name,
      dims: v.dims,
      attrs: attrs(v.attrs),
      data: ndarray(
        v.dtype,
        // A 0-d variable's values are a scalar: shape [].
        v.dims.length === 0 ? [] : shapeOf(v.values),
        (v.dims.length === 0 ? [v.values] : [v.values].flat(v.dims.length)) as (
          number | string | null
        )[],
      ),
    })),
    attrs: attrs(raw.attrs),
    unlimitedDims: raw.unlimited_dims,
  })
}

const SUITE = 'CF decoding of the corpus as stored, against xarray'

describe.skipIf(skipWithoutPython(SUITE))(SUITE, () => {
  let dir = ''
  const read = async <T>(rel: string): Promise<T> =>
    JSON.parse(await fs.readFile(path.join(dir, rel), 'utf8')) as T

  beforeAll(async () => {
    dir = path.join(await tempDir('xp-interop-cf-'), 'corpus')
    await runPython('write_datasets.py', [dir])
  }, HOOK_TIMEOUT_MS)

  describe.each(NETCDF)('%s', (key) => {
    const decoded = async (): Promise<Dataset> => {
      const ds = decodeDataset(sourceOf(await read<Raw>(`raw/${key}.json`)))
      await settleTimeDtypes(ds)
      return ds
    }

    it('decodes to what xr.open_dataset gives', async () => {
      const golden = await read<DatasetForm>(`golden/${key}.json`)
      expect(formDifferences(await datasetFormOf(await decoded()), golden)).toEqual([])
    })

    it('and its datasetPreview is the golden form', async () => {
      const golden = await read<DatasetForm>(`golden/${key}.json`)
      const form = (await datasetPreview(await decoded())) as unknown as DatasetForm
      expect(formDifferences(form, golden)).toEqual([])
    })
  })
})
