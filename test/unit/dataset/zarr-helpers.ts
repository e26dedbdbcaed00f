// Helpers for the zarr tests: a Target over the fixture cache or a temp folder, and a stored
// dataset turned into the EncodedDataset a writer takes (its values read whole, attrs as stored).
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import type { EncodedDataset, SourceDataset } from '../../../electron/engine/dataset/model.js'
import type { Target } from '../../../electron/engine/serializers/serializer.js'

/** A Target for `key` in the folder `root`. */
export async function targetIn(root: string, key: string, create = false): Promise<Target> {
  const backend = await LocalBackend.open(root, { create })
  return { backend, path: key, putMode: 'overwrite' }
}

/** The stored dataset as a writer's input: what it would write to give the same store. */
export async function encodedFrom(src: SourceDataset): Promise<EncodedDataset> {
  const coords = new Set(src.dims.keys())
  return {
    dims: src.dims,
    attrs: src.attrs,
    unlimitedDims: [],
    variables: await Promise.all(
      src.variables.map(async (v) => ({
        name: v.name,
        dims: v.dims,
        attrs: v.attrs,
        data: await v.array.read(),
        encoding: new Map(v.encoding),
        isCoord: coords.has(v.name),
      })),
    ),
  }
}
