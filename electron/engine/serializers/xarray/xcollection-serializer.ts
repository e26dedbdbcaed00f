// 'xcollection': several datasets in one Zarr v2 store, one group each (xcollection
// 2021.12.23's Collection.to_zarr / open_collection). The value is a Collection of Datasets,
// in group_keys() order.
import { decodeDataset, settleTimeDtypes } from '../../dataset/cf-decode.js'
import { collectionPreview } from '../../dataset/dataset-json.js'
import type { Collection, Dataset } from '../../dataset/model.js'
import { openCollection } from '../../dataset/zarr/xcollection.js'
import type { CollectionPreview } from '../../preview-types.js'
import type { Kwargs, Serializer, Target } from '../serializer.js'
import {
  COLLECTION_DUMP_KWARGS,
  COLLECTION_LOAD_KWARGS,
  zarrDumpOptions,
  zarrLoadOptions,
} from './zarr-kwargs.js'
import { folderBytes } from './zarr-serializer.js'

const NAME = 'xcollection'

/** Loads an xcollection payload: each member as xr.open_dataset(engine='zarr', group=name). */
export async function loadCollection(target: Target, kwargs: Kwargs): Promise<Collection> {
  const o = zarrLoadOptions(NAME, kwargs, COLLECTION_LOAD_KWARGS)
  const members = await openCollection(target, { consolidated: o.consolidated })
  const datasets = new Map<string, Dataset>()
  for (const [name, src] of members) {
    const ds = decodeDataset(src, o.decode)
    await settleTimeDtypes(ds)
    datasets.set(name, ds)
  }
  return { kind: 'collection', datasets }
}

/** The collection JSON form: every member in the dataset form. */
export async function previewCollection(
  target: Target,
  kwargs: Kwargs,
): Promise<CollectionPreview> {
  const [c, totalBytes] = await Promise.all([loadCollection(target, kwargs), folderBytes(target)])
  return collectionPreview(c, { totalBytes })
}

/** The 'xcollection' serializer. */
export const xcollectionSerializer: Serializer = {
  name: NAME,
  load: loadCollection,
  async dump(value: unknown, target: Target, kwargs: Kwargs): Promise<void> {
    const { dumpCollection } = await import('./zarr-dump.js')
    await dumpCollection(value, target, kwargs)
  },
  checkDumpKwargs: (kwargs) => void zarrDumpOptions(NAME, kwargs, COLLECTION_DUMP_KWARGS),
  preview: (target, options) => previewCollection(target, options.kwargs),
}
