// 'xarray.zarr': a Zarr store (v2 as zarr-python 2 writes it, or v3) under the key's folder.
// Loading opens it as xr.open_zarr does: metadata only, each variable read lazily, chunk by
// chunk, then CF-decoded.
import { decodeDataset, settleTimeDtypes } from '../../dataset/cf-decode.js'
import { datasetPreview } from '../../dataset/dataset-json.js'
import type { Dataset, SourceDataset } from '../../dataset/model.js'
import { openZarr } from '../../dataset/zarr/open-zarr.js'
import type { DatasetPreview } from '../../preview-types.js'
import type { Kwargs, Serializer, Target } from '../serializer.js'
import {
  ZARR_DUMP_KWARGS,
  ZARR_LOAD_KWARGS,
  zarrDumpOptions,
  zarrLoadOptions,
} from './zarr-kwargs.js'

const NAME = 'xarray.zarr'

/** Without the variables drop_variables names, as xarray drops them before decoding. */
export function withoutVariables(src: SourceDataset, drop: readonly string[]): SourceDataset {
  if (drop.length === 0) return src
  const variables = src.variables.filter((v) => !drop.includes(v.name))
  const dims = new Map([...src.dims].filter(([d]) => variables.some((v) => v.dims.includes(d))))
  return Object.assign(Object.create(src) as SourceDataset, { variables, dims })
}

/** Bytes of every object under `target.path`, for previews' totalBytes. */
export async function folderBytes(target: Target): Promise<number> {
  let total = 0
  for await (const m of target.backend.list(`${target.path}/`)) total += m.size
  return total
}

/** Loads a Zarr payload as xr.open_zarr would (lazily). */
export async function loadZarr(target: Target, kwargs: Kwargs): Promise<Dataset> {
  const o = zarrLoadOptions(NAME, kwargs, ZARR_LOAD_KWARGS)
  const src = await openZarr(target, { consolidated: o.consolidated, group: o.group })
  const ds = decodeDataset(withoutVariables(src, o.dropVariables), o.decode)
  await settleTimeDtypes(ds)
  return ds
}

/** The dataset JSON form of a Zarr payload: structure, and values of small variables. */
export async function previewZarr(target: Target, kwargs: Kwargs): Promise<DatasetPreview> {
  const [ds, totalBytes] = await Promise.all([loadZarr(target, kwargs), folderBytes(target)])
  try {
    return await datasetPreview(ds, { totalBytes })
  } finally {
    await ds.close()
  }
}

/** The 'xarray.zarr' serializer. */
export const xarrayZarrSerializer: Serializer = {
  name: NAME,
  load: loadZarr,
  async dump(value: unknown, target: Target, kwargs: Kwargs): Promise<void> {
    const { dumpZarr } = await import('./zarr-dump.js')
    await dumpZarr(value, target, kwargs)
  },
  checkDumpKwargs: (kwargs) => void zarrDumpOptions(NAME, kwargs, ZARR_DUMP_KWARGS),
  preview: (target, options) => previewZarr(target, options.kwargs),
}
