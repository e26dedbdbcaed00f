import type { Target } from '../../serializers/serializer.js'
import type { EncodedDataset, SourceDataset } from '../model.js'
import { openSource } from './open.js'
import { writeFile } from './write.js'

// NetCDF4/HDF5 (h5wasm) entry points the 'xarray.netcdf' serializer calls.

/** Opens a NetCDF4/HDF5 payload lazily: metadata now, hyperslabs on read. */
export async function openNetcdf4(target: Target): Promise<SourceDataset> {
  return openSource(target)
}

/** Writes an encoded dataset as NetCDF4 (or NETCDF4_CLASSIC) to the target. */
export async function writeNetcdf4(
  dataset: EncodedDataset,
  target: Target,
  options: { format: 'NETCDF4' | 'NETCDF4_CLASSIC' },
): Promise<void> {
  return writeFile(dataset, target, options)
}
