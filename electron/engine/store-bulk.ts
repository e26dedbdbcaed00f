/**
 * Bulk calls: reads for listings (many sidecars or heads in one call, the backend bounding how
 * many requests are in flight, a failure of one entry kept to its entry) and batch deletes.
 */
import type { ErrorShape } from '../../shared/errors.js'
import type { Backend, ObjectMeta, SizedText } from './backend/backend.js'
import { CacheFolderChangedError, toErrorShape } from './errors.js'

/** Why one entry of a bulk call failed. */
export class EntryFailure {
  constructor(readonly error: ErrorShape) {}
}

/**
 * `bulk` over all paths at once; if that throws, path by path, so one bad entry (a link, a
 * file where a folder should be) fails alone instead of sinking its batch. A cache folder
 * that changed since it was opened still fails the whole call: every entry would.
 */
async function eachOrFailure<T>(
  paths: string[],
  bulk: (paths: string[]) => Promise<T[]>,
): Promise<(T | EntryFailure)[]> {
  try {
    return await bulk(paths)
  } catch (err) {
    if (err instanceof CacheFolderChangedError) throw err
    if (paths.length === 1) return [new EntryFailure(toErrorShape(err))]
  }
  const out: (T | EntryFailure)[] = []
  for (const p of paths) {
    try {
      out.push((await bulk([p]))[0] as T)
    } catch (err) {
      if (err instanceof CacheFolderChangedError) throw err
      out.push(new EntryFailure(toErrorShape(err)))
    }
  }
  return out
}

/** The texts (or bytes, to decode strictly) of many small objects; undefined where missing. */
export async function getManyText(
  backend: Backend,
  paths: string[],
): Promise<(string | Uint8Array | undefined | EntryFailure)[]> {
  return eachOrFailure(paths, (ps) => backend.getManyText(ps))
}

/**
 * The texts of many small objects with the bytes each takes on disk, where the backend can
 * say (local disks); elsewhere the texts alone.
 */
export async function getManyTextSized(
  backend: Backend,
  paths: string[],
): Promise<(SizedText | EntryFailure)[]> {
  const sized = backend.getManyTextSized?.bind(backend)
  if (sized) return eachOrFailure(paths, sized)
  const texts = await getManyText(backend, paths)
  return texts.map((t) => (t instanceof EntryFailure ? t : { text: t }))
}

/** The metadata of many objects; undefined where missing. */
export async function headMany(
  backend: Backend,
  paths: string[],
): Promise<(ObjectMeta | undefined | EntryFailure)[]> {
  return eachOrFailure(paths, (ps) => backend.headMany(ps))
}

/** Objects per batch delete: S3's DeleteObjects takes at most 1,000 keys per request. */
export const DELETE_BATCH = 1000

/**
 * Removes `paths` in batches of DELETE_BATCH (one request each on an object store, where a
 * Zarr payload is thousands of objects); `deleted` hears each batch once it is gone.
 */
export async function deleteInBatches(
  backend: Backend,
  paths: string[],
  deleted?: (batch: string[]) => void,
): Promise<void> {
  for (let i = 0; i < paths.length; i += DELETE_BATCH) {
    const batch = paths.slice(i, i + DELETE_BATCH)
    await backend.deleteMany(batch)
    deleted?.(batch)
  }
}
