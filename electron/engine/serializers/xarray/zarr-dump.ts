// Writing 'xarray.zarr' and 'xcollection' values: CF-encode each dataset as to_zarr does
// (dataset/cf-encode.ts, format 'zarr'), then lay it out as Zarr (dataset/zarr/write-zarr.ts).
import { encodeDataset } from '../../dataset/cf-encode.js'
import type { Collection, Dataset, EncodedDataset } from '../../dataset/model.js'
import { writeZarr } from '../../dataset/zarr/write-zarr.js'
import { writeCollection } from '../../dataset/zarr/xcollection.js'
import { InvalidArgumentError } from '../../errors.js'
import { isCollection, isDataset } from '../../pick.js'
import type { Kwargs, Target } from '../serializer.js'
import { COLLECTION_DUMP_KWARGS, ZARR_DUMP_KWARGS, zarrDumpOptions } from './zarr-kwargs.js'

/** Writes a Dataset as a Zarr store (Dataset.to_zarr with the dump kwargs). */
export async function dumpZarr(value: unknown, target: Target, kwargs: Kwargs): Promise<void> {
  if (!isDataset(value)) {
    throw new InvalidArgumentError(
      `xarray.zarr writes xarray Datasets; ${target.path} was given something else.`,
    )
  }
  const o = zarrDumpOptions('xarray.zarr', kwargs, ZARR_DUMP_KWARGS)
  const encoded = await encodeDataset(value as Dataset, o.encoding, { format: 'zarr' })
  await writeZarr(encoded, target, { zarrFormat: o.zarrFormat, consolidated: o.consolidated })
}

/** Writes a Collection as an xcollection store (Collection.to_zarr). */
export async function dumpCollection(
  value: unknown,
  target: Target,
  kwargs: Kwargs,
): Promise<void> {
  if (!isCollection(value)) {
    throw new InvalidArgumentError(
      `xcollection writes collections of datasets ({kind: 'collection', datasets}); ` +
        `${target.path} was given something else.`,
    )
  }
  const o = zarrDumpOptions('xcollection', kwargs, COLLECTION_DUMP_KWARGS)
  const encoded = new Map<string, EncodedDataset>()
  for (const [name, ds] of (value as Collection).datasets) {
    encoded.set(name, await encodeDataset(ds, new Map(), { format: 'zarr' }))
  }
  await writeCollection(encoded, target, { zarrFormat: o.zarrFormat, consolidated: o.consolidated })
}
