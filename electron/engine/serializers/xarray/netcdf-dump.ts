import { InvalidArgumentError } from '../../errors.js'
import { type EncodeFormat, encodeDataset } from '../../dataset/cf-encode.js'
import type { Dataset } from '../../dataset/model.js'
import { isDataset } from '../../pick.js'
import { checkKwargs, type Kwargs, type Target, writeTarget } from '../serializer.js'

// to_netcdf for 'xarray.netcdf': dump_kwargs format (NETCDF4 default), encoding, unlimited_dims
// and engine, as Python xpersist passes them to Dataset.to_netcdf.

const DUMP_KWARGS = ['format', 'encoding', 'unlimited_dims', 'engine']
const FORMATS = ['NETCDF4', 'NETCDF4_CLASSIC', 'NETCDF3_64BIT', 'NETCDF3_CLASSIC']

/** Checks dump kwargs without writing (for payloads put byte for byte). */
export function checkNetcdfDumpKwargs(kwargs: Kwargs): void {
  checkKwargs('xarray.netcdf', 'dump', kwargs, DUMP_KWARGS)
  const format = kwargs.format ?? 'NETCDF4'
  if (typeof format !== 'string' || !FORMATS.includes(format.toUpperCase())) {
    throw new InvalidArgumentError(
      `xarray.netcdf dump kwarg format=${JSON.stringify(format)} is not one of ${FORMATS.join(', ')}.`,
    )
  }
  const engine = kwargs.engine
  if (engine != null && !['netcdf4', 'h5netcdf', 'scipy'].includes(String(engine))) {
    throw new InvalidArgumentError(
      `xarray.netcdf dump kwarg engine=${JSON.stringify(engine)} is not netcdf4, h5netcdf or scipy.`,
    )
  }
  const u = kwargs.unlimited_dims
  if (
    u != null &&
    !(typeof u === 'string' || (Array.isArray(u) && u.every((x) => typeof x === 'string')))
  ) {
    throw new InvalidArgumentError(
      `xarray.netcdf dump kwarg unlimited_dims must be a dimension name or a list of them.`,
    )
  }
  const e = kwargs.encoding
  if (e != null && (typeof e !== 'object' || Array.isArray(e))) {
    throw new InvalidArgumentError(
      `xarray.netcdf dump kwarg encoding must map variable names to their encodings.`,
    )
  }
}

function encodingMap(e: unknown): Map<string, unknown> {
  if (e == null) return new Map()
  return e instanceof Map
    ? new Map(e as Map<string, unknown>)
    : new Map(Object.entries(e as object))
}

/** Writes a Dataset as NetCDF (NetCDF3 here, NetCDF4 through dataset/netcdf4). */
export async function dumpNetcdf(input: unknown, target: Target, kwargs: Kwargs): Promise<void> {
  if (!isDataset(input)) {
    throw new InvalidArgumentError(
      `xarray.netcdf writes xarray Datasets; ${target.path} was given something else.`,
    )
  }
  checkNetcdfDumpKwargs(kwargs)
  const value = input as Dataset
  const format = String(kwargs.format ?? 'NETCDF4').toUpperCase() as EncodeFormat
  const u = kwargs.unlimited_dims
  const unlimitedDims = u == null ? undefined : typeof u === 'string' ? [u] : (u as string[])
  for (const d of unlimitedDims ?? []) {
    if (!value.dims.has(d))
      throw new InvalidArgumentError(
        `unlimited_dims names '${d}', which is not a dimension of the dataset.`,
      )
  }
  const encoded = await encodeDataset(value, encodingMap(kwargs.encoding), {
    format,
    unlimitedDims,
  })
  if (format === 'NETCDF3_64BIT' || format === 'NETCDF3_CLASSIC') {
    const { writeNetcdf3 } = await import('../../dataset/netcdf3/writer.js')
    await writeTarget(target, writeNetcdf3(encoded, format))
    return
  }
  const { writeNetcdf4 } = await import('../../dataset/netcdf4/index.js')
  await writeNetcdf4(encoded, target, { format: format as 'NETCDF4' | 'NETCDF4_CLASSIC' })
}
