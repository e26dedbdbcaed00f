import { NotSupportedError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { EncodedDataset } from '../model.js'

/** Writes an encoded dataset as a NetCDF4 file and puts it at the target. */
export async function writeFile(
  _dataset: EncodedDataset,
  target: Target,
  _options: { format: 'NETCDF4' | 'NETCDF4_CLASSIC' },
): Promise<void> {
  throw new NotSupportedError(`Writing NetCDF4/HDF5 (${target.path}) is not available yet.`)
}
