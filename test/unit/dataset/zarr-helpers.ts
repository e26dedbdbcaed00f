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

/** A Target whose backend records every path read with `get`. */
export function recording(target: Target): { target: Target; reads: string[] } {
  const reads: string[] = []
  const backend = new Proxy(target.backend, {
    get(obj, prop, receiver) {
      if (prop === 'get') {
        return (path: string, range?: unknown) => {
          reads.push(path)
          return obj.get(path, range as never)
        }
      }
      const v = Reflect.get(obj, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(obj) : v
    },
  })
  return { target: { ...target, backend }, reads }
}

/** Values of an NdArray as JSON-comparable values: NaN null, infinities as text, bigints kept. */
export function plainValues(data: ArrayLike<unknown>): unknown[] {
  return Array.from(data, (x) => {
    if (typeof x === 'number' && Number.isNaN(x)) return null
    if (x === Infinity) return 'Infinity'
    if (x === -Infinity) return '-Infinity'
    return x
  })
}
