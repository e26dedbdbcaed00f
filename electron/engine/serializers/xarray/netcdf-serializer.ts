import { CorruptPayloadError, InvalidArgumentError, NotSupportedError } from '../../errors.js'
import { type DecodeOptions, decodeDataset, settleTimeDtypes } from '../../dataset/cf-decode.js'
import { datasetPreview } from '../../dataset/dataset-json.js'
import type { Dataset, SourceDataset } from '../../dataset/model.js'
import type { DatasetPreview } from '../../preview-types.js'
import { checkKwargs, type Kwargs, type Serializer, type Target } from '../serializer.js'
import { checkNetcdfDumpKwargs, dumpNetcdf } from './netcdf-dump.js'

// 'xarray.netcdf': a single NetCDF file, NetCDF3 (read and written here) or NetCDF4/HDF5
// (dataset/netcdf4). The format is sniffed from the magic bytes, never from the key's name.

const LOAD_KWARGS = [
  'decode_times',
  'decode_cf',
  'mask_and_scale',
  'concat_characters',
  'decode_coords',
  'decode_timedelta',
  'use_cftime',
  'engine',
  'chunks',
]

/** Which NetCDF flavour a payload's first bytes announce. */
export function sniffNetcdf(head: Uint8Array | undefined): 'nc3' | 'hdf5' | null {
  if (!head || head.length < 4) return null
  if (head[0] === 0x43 && head[1] === 0x44 && head[2] === 0x46 && (head[3] === 1 || head[3] === 2))
    return 'nc3'
  const hdf = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
  if (head.length >= 8 && hdf.every((b, i) => head[i] === b)) return 'hdf5'
  return null
}

function flag(kwargs: Kwargs, name: string): boolean | undefined {
  const v = kwargs[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') {
    throw new InvalidArgumentError(
      `xarray.netcdf load kwarg '${name}' must be true or false, not ${JSON.stringify(v)}.`,
    )
  }
  return v
}

/** open_dataset's decode kwargs as DecodeOptions (engine and chunks are accepted and change nothing). */
export function decodeOptions(kwargs: Kwargs): DecodeOptions {
  checkKwargs('xarray.netcdf', 'load', kwargs, LOAD_KWARGS)
  if (kwargs.decode_coords === 'all') {
    throw new InvalidArgumentError(
      `xarray.netcdf load kwarg decode_coords='all' is not supported; use true.`,
    )
  }
  return {
    decodeTimes: flag(kwargs, 'decode_times'),
    decodeCf: flag(kwargs, 'decode_cf'),
    maskAndScale: flag(kwargs, 'mask_and_scale'),
    concatCharacters: flag(kwargs, 'concat_characters'),
    decodeCoords: flag(kwargs, 'decode_coords'),
    decodeTimedelta: flag(kwargs, 'decode_timedelta'),
    useCftime: flag(kwargs, 'use_cftime') ?? null,
  }
}

/** Opens the stored (undecoded) dataset: NetCDF3 here, HDF5 through dataset/netcdf4. */
export async function openNetcdfSource(
  target: Target,
): Promise<{ source: SourceDataset; size: number }> {
  const meta = await target.backend.head(target.path)
  if (!meta) throw new CorruptPayloadError(`${target.path}: the NetCDF payload is missing.`)
  const head =
    meta.size === 0
      ? new Uint8Array(0)
      : await target.backend.get(target.path, { offset: 0, length: Math.min(8, meta.size) })
  const kind = sniffNetcdf(head)
  if (kind === 'nc3') {
    const { openNetcdf3 } = await import('../../dataset/netcdf3/reader.js')
    return { source: await openNetcdf3(target, meta.size), size: meta.size }
  }
  if (kind === 'hdf5') {
    const { openNetcdf4 } = await import('../../dataset/netcdf4/index.js')
    const source = await openNetcdf4(target).catch((e: unknown) => {
      // Say which serializer could not read it (the HDF5 side may be missing in a build).
      if (e instanceof NotSupportedError) throw new NotSupportedError(`xarray.netcdf: ${e.message}`)
      throw e
    })
    return { source, size: meta.size }
  }
  if (head && head[0] === 0x43 && head[1] === 0x44 && head[2] === 0x46 && head[3] === 5) {
    throw new NotSupportedError(
      `${target.path} is NetCDF3 with 64-bit data (CDF-5, NETCDF3_64BIT_DATA), which this version does not read; convert it to NETCDF4.`,
    )
  }
  throw new CorruptPayloadError(
    `${target.path} is not NetCDF: it starts with neither 'CDF\\x01'/'CDF\\x02' (NetCDF3) nor the HDF5 signature (NetCDF4).`,
  )
}

/** Loads a NetCDF payload as xr.open_dataset would (lazily: variables read on demand). */
export async function loadNetcdf(target: Target, kwargs: Kwargs): Promise<Dataset> {
  const options = decodeOptions(kwargs)
  const { source } = await openNetcdfSource(target)
  const ds = decodeDataset(source, options)
  await settleTimeDtypes(ds)
  return ds
}

/** The dataset JSON form: structure, and values of variables of at most 10,000 elements. */
export async function previewNetcdf(target: Target, kwargs: Kwargs): Promise<DatasetPreview> {
  const options = decodeOptions(kwargs)
  const { source, size } = await openNetcdfSource(target)
  const ds = decodeDataset(source, options)
  try {
    await settleTimeDtypes(ds)
    return await datasetPreview(ds, { totalBytes: size })
  } finally {
    await ds.close()
  }
}

/** The 'xarray.netcdf' serializer. */
export const xarrayNetcdfSerializer: Serializer = {
  name: 'xarray.netcdf',
  load: loadNetcdf,
  dump: dumpNetcdf,
  checkDumpKwargs: checkNetcdfDumpKwargs,
  preview: (target, options) => previewNetcdf(target, options.kwargs),
}
