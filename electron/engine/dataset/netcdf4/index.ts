import { NotSupportedError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { EncodedDataset, SourceDataset } from '../model.js'

// NetCDF4/HDF5 (h5wasm) entry points the 'xarray.netcdf' serializer calls; the reader and
// writer land with the HDF5 work. Until then both say so, rather than guess.

/** Opens a NetCDF4/HDF5 payload lazily: metadata now, hyperslabs on read. */
export async function openNetcdf4(target: Target): Promise<SourceDataset> {
  throw new NotSupportedError(`Reading NetCDF4/HDF5 (${target.path}) is not available yet.`)
}

/** Writes an encoded dataset as NetCDF4 (or NETCDF4_CLASSIC) to the target. */
export async function writeNetcdf4(
  _dataset: EncodedDataset,
  target: Target,
  _options: { format: 'NETCDF4' | 'NETCDF4_CLASSIC' },
): Promise<void> {
  throw new NotSupportedError(`Writing NetCDF4/HDF5 (${target.path}) is not available yet.`)
}
