import type { Artifact } from '../../shared/artifact.js'
import type { ErrorShape } from '../../shared/errors.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import type { Backend, ObjectMeta } from './backend/backend.js'
import { CacheFolderChangedError, KeyNotFoundError, toErrorShape } from './errors.js'
import { keyFromSidecarPath, METADATA_DIR, sidecarNameProblem, sidecarPath } from './keys.js'
import { decodeSidecar } from './sidecar.js'
import type { CacheStore } from './store.js'

/** Options for listing artifacts. */
export interface ListOptions {
  /** How many batches are read at once (default 4): enough to hide latency, bounded for memory. */
  concurrency?: number
  /** Keys per batch (default 256). */
  batchSize?: number
  /** Only these keys (default: every sidecar, names that are no valid key as broken rows). */
  keys?: string[]
}

/**
 * Every name a sidecar file gives, at any depth, sorted: the keys, and names that are no valid
 * key (`..artifact.json`, a backslash), which listings show as broken rows.
 */
export async function listSidecarNames(backend: Backend): Promise<string[]> {
  const names: string[] = []
  for await (const page of backend.listPaths(`${METADATA_DIR}/`)) {
    for (const p of page) {
      const name = keyFromSidecarPath(p)
      if (name !== undefined) names.push(name)
    }
  }
  return names.sort()
}

/** Every key with a sidecar, at any depth, sorted. */
export async function listKeys(backend: Backend): Promise<string[]> {
  return (await listSidecarNames(backend)).filter((name) => sidecarNameProblem(name) === null)
}

/** Why one entry of a bulk call failed. */
class EntryFailure {
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

async function getManyText(
  backend: Backend,
  paths: string[],
): Promise<(string | Uint8Array | undefined | EntryFailure)[]> {
  return eachOrFailure(paths, (ps) => backend.getManyText(ps))
}

async function headMany(
  backend: Backend,
  paths: string[],
): Promise<(ObjectMeta | undefined | EntryFailure)[]> {
  return eachOrFailure(paths, (ps) => backend.headMany(ps))
}

/** One key's sidecar from a bulk read: the Artifact, or the error that kept it from loading. */
export interface SidecarResult {
  key: string
  artifact: Artifact | null
  error: ErrorShape | null
}

/** The sidecars of `keys`, read in one bulk request; a broken one carries its error. */
export async function readSidecars(store: CacheStore, keys: string[]): Promise<SidecarResult[]> {
  const sidecars = await getManyText(store.backend, keys.map(sidecarPath))
  return keys.map((key, i) => {
    const bytes = sidecars[i]
    if (bytes instanceof EntryFailure) return { key, artifact: null, error: bytes.error }
    try {
      if (bytes === undefined) throw new KeyNotFoundError(`No artifact '${key}' (no sidecar).`)
      return {
        key,
        artifact: decodeSidecar(bytes, `${sidecarPath(key)} in ${store.url}`),
        error: null,
      }
    } catch (err) {
      return { key, artifact: null, error: toErrorShape(err) }
    }
  })
}

/**
 * ArtifactInfo for a batch of sidecar names; a name that is no valid key is a broken row.
 * `allKeys` (every key of the cache, read once per listing) decides which files under a folder
 * payload are this key's and which belong to a nested key.
 */
async function describeBatch(
  store: CacheStore,
  names: string[],
  allKeys: () => Promise<ReadonlySet<string>>,
): Promise<ArtifactInfo[]> {
  const problems = names.map(sidecarNameProblem)
  const described = await describeKeys(
    store,
    names.filter((_, i) => problems[i] === null),
    allKeys,
  )
  let next = 0
  return names.map((name, i) => {
    const problem = problems[i]
    if (!problem) return described[next++] as ArtifactInfo
    return {
      key: name,
      artifact: null,
      error: toErrorShape(problem),
      payload: { files: [], bytes: 0 },
    }
  })
}

/**
 * ArtifactInfo for a batch of valid keys: sidecars and payload heads fetched in bulk. A key
 * whose payload cannot be reached safely (a link, a file where a folder should be) keeps its
 * sidecar and carries the error.
 */
async function describeKeys(
  store: CacheStore,
  keys: string[],
  allKeys: () => Promise<ReadonlySet<string>>,
): Promise<ArtifactInfo[]> {
  const [sidecars, heads] = await Promise.all([
    readSidecars(store, keys),
    headMany(store.backend, keys),
  ])
  const out: ArtifactInfo[] = []
  for (let i = 0; i < keys.length; i++) {
    const sidecar = sidecars[i] as SidecarResult
    const head = heads[i]
    let error = sidecar.error
    let files: ArtifactInfo['payload']['files'] = []
    if (head instanceof EntryFailure) error ??= head.error
    else if (head) files = [{ path: head.path, bytes: head.size }]
    else {
      // No single object: a folder payload (zarr), or none at all.
      try {
        files = await store.payloadFiles(keys[i] as string, allKeys)
      } catch (err) {
        if (err instanceof CacheFolderChangedError) throw err
        error ??= toErrorShape(err)
      }
    }
    const total = files.reduce((sum, f) => sum + f.bytes, 0)
    out.push({ ...sidecar, error, payload: { files, bytes: total } })
  }
  return out
}

/**
 * Streams ArtifactInfo in key order. Keys are described in batches of `batchSize` (sidecars
 * and payload sizes fetched in bulk), with up to `concurrency` batches in flight. A broken
 * entry (an unreadable sidecar, a name that is no valid key, a link) yields a row with `error`
 * set instead of ending the listing.
 */
export async function* listArtifacts(
  store: CacheStore,
  options: ListOptions = {},
): AsyncIterable<ArtifactInfo> {
  const keys = options.keys ?? (await listSidecarNames(store.backend))
  // Only folder payloads need the whole key set; a subset listing reads it when one appears.
  // Names that are no valid key own nothing, so they stay out of it.
  let all: Promise<ReadonlySet<string>> | undefined
  const allKeys = () =>
    (all ??= options.keys
      ? listKeys(store.backend).then((k) => new Set(k))
      : Promise.resolve(new Set(keys.filter((k) => sidecarNameProblem(k) === null))))
  const size = Math.max(1, options.batchSize ?? 256)
  const width = Math.max(1, options.concurrency ?? 4)
  const window: Promise<ArtifactInfo[]>[] = []
  let next = 0
  const launch = () => {
    const batch = describeBatch(store, keys.slice(next, next + size), allKeys)
    // Awaited in turn below; this only keeps a failure of a batch not yet awaited from being
    // reported as unhandled when an earlier one ends the listing first.
    batch.catch(() => undefined)
    window.push(batch)
    next += size
  }
  while (next < keys.length && window.length < width) launch()
  while (window.length > 0) {
    const batch = await (window.shift() as Promise<ArtifactInfo[]>)
    if (next < keys.length) launch()
    yield* batch
  }
}
