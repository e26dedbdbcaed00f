/**
 * Bulk reads for listings: many sidecars or heads in one call, with a failure of one entry
 * kept to its entry. Backends without the bulk methods are read with bounded concurrency.
 */
import type { ErrorShape } from '../../shared/errors.js'
import type { Backend, ObjectMeta } from './backend/backend.js'
import { mapBounded } from './bounded.js'
import { CacheFolderChangedError, toErrorShape } from './errors.js'

/** Requests in flight at once when a backend has no bulk method of its own (the contract's bound). */
export const MAX_REQUESTS_IN_FLIGHT = 32

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
  return eachOrFailure(paths, (ps) =>
    backend.getManyText
      ? backend.getManyText(ps)
      : mapBounded(ps, MAX_REQUESTS_IN_FLIGHT, (p) => backend.get(p)),
  )
}

/** The metadata of many objects; undefined where missing. */
export async function headMany(
  backend: Backend,
  paths: string[],
): Promise<(ObjectMeta | undefined | EntryFailure)[]> {
  return eachOrFailure(paths, (ps) =>
    backend.headMany
      ? backend.headMany(ps)
      : mapBounded(ps, MAX_REQUESTS_IN_FLIGHT, (p) => backend.head(p)),
  )
}
