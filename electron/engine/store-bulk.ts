/**
 * Bulk reads for listings: many sidecars or heads in one call (the backend bounds how many
 * requests are in flight), with a failure of one entry kept to its entry.
 */
import type { ErrorShape } from '../../shared/errors.js'
import type { Backend, ObjectMeta } from './backend/backend.js'
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

/** The metadata of many objects; undefined where missing. */
export async function headMany(
  backend: Backend,
  paths: string[],
): Promise<(ObjectMeta | undefined | EntryFailure)[]> {
  return eachOrFailure(paths, (ps) => backend.headMany(ps))
}
