// Writing 'xarray.zarr' and 'xcollection' values: CF-encode each dataset (ds-core's
// cf-encode.ts), then lay it out as Zarr (dataset/zarr/write-zarr.ts).
import { NotSupportedError } from '../../errors.js'
import type { Kwargs, Target } from '../serializer.js'

function notYet(name: string): never {
  throw new NotSupportedError(
    `Writing ${name} values is not available in this build yet (it waits for the CF encoder); ` +
      `reading and previews work.`,
  )
}

/** Writes a Dataset as a Zarr store (Dataset.to_zarr). */
export async function dumpZarr(_value: unknown, _target: Target, _kwargs: Kwargs): Promise<void> {
  notYet('xarray.zarr')
}

/** Writes a Collection as an xcollection store (Collection.to_zarr). */
export async function dumpCollection(
  _value: unknown,
  _target: Target,
  _kwargs: Kwargs,
): Promise<void> {
  notYet('xcollection')
}
