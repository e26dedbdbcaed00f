import type { Artifact } from '../../shared/artifact.js'
import type { ErrorShape } from '../../shared/errors.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import type { Backend, ObjectMeta } from './backend/backend.js'
import { CacheFolderChangedError, KeyNotFoundError, toErrorShape } from './errors.js'
import { keyFromSidecarPath, METADATA_DIR, sidecarNameProblem, sidecarPath } from './keys.js'
import { decodeSidecar } from './sidecar.js'
import { SidecarIndex } from './sidecar-index.js'
import { EntryFailure, getManyTextSized, headMany } from './store-bulk.js'
import {
  describeListing,
  listRoot,
  listsWithMetadata,
  type ListProgress,
} from './store-list-remote.js'
import type { CacheStore } from './store.js'

export type { ListProgress } from './store-list-remote.js'

/** Options for listing artifacts. */
export interface ListOptions {
  /** How many batches are read at once (default 4): enough to hide latency, bounded for memory. */
  concurrency?: number
  /** Keys per batch (default 256). */
  batchSize?: number
  /** Only these keys (default: every sidecar, names that are no valid key as broken rows). */
  keys?: string[]
  /**
   * Where object-store listings keep sidecars between opens (see sidecar-index.ts; the CLI
   * and the explorer pass defaultSidecarIndexDir()); null or absent: no index. Local folders
   * never use one.
   */
  indexDir?: string | null
  /** Called as the listing goes: objects listed so far, then sidecars read. */
  onProgress?: (progress: ListProgress) => void
}

/** A listing whose names are known and whose rows are yet to be read. */
export interface Listing {
  /** Every name the listing has a row for, sorted (valid keys and broken names). */
  names: string[]
  /** The rows, in the order of `names`. */
  rows: AsyncIterable<ArtifactInfo>
}

/**
 * Every name a sidecar file gives, at any depth, sorted: the keys, and names that are no valid
 * key (`..artifact.json`, a backslash), which listings show as broken rows.
 */
export async function listSidecarNames(
  backend: Backend,
  onProgress?: (p: ListProgress) => void,
): Promise<string[]> {
  const names: string[] = []
  let listed = 0
  for await (const page of backend.listPaths(`${METADATA_DIR}/`)) {
    listed += page.length
    onProgress?.({ phase: 'listing', done: listed, total: null })
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

/** One key's sidecar from a bulk read: the Artifact, or the error that kept it from loading. */
export interface SidecarResult {
  key: string
  artifact: Artifact | null
  error: ErrorShape | null
  /** The sidecar's size in bytes, when it was read. */
  sidecarBytes?: number
}

/** readSidecars' results, with what each sidecar takes on disk where the backend says. */
type SidecarRead = SidecarResult & { allocated?: number }

/** The sidecars of `keys`, read in one bulk request; a broken one carries its error. */
export async function readSidecars(store: CacheStore, keys: string[]): Promise<SidecarResult[]> {
  return (await readSidecarsSized(store, keys)).map(({ allocated: _, ...result }) => result)
}

async function readSidecarsSized(store: CacheStore, keys: string[]): Promise<SidecarRead[]> {
  const sidecars = await getManyTextSized(store.backend, keys.map(sidecarPath))
  return keys.map((key, i) => {
    const entry = sidecars[i]
    if (entry instanceof EntryFailure) return { key, artifact: null, error: entry.error }
    const bytes = entry?.text
    if (bytes === undefined) {
      const missing = new KeyNotFoundError(`No artifact '${key}' (no sidecar).`)
      return { key, artifact: null, error: toErrorShape(missing) }
    }
    const allocated = entry?.allocated === undefined ? {} : { allocated: entry.allocated }
    // Text comes back only when it is valid UTF-8, so its UTF-8 length is the file's.
    const sidecarBytes = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length
    try {
      const artifact = decodeSidecar(bytes, `${sidecarPath(key)} in ${store.url}`)
      return { key, artifact, error: null, sidecarBytes, ...allocated }
    } catch (err) {
      return { key, artifact: null, error: toErrorShape(err), sidecarBytes, ...allocated }
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
    readSidecarsSized(store, keys),
    headMany(store.backend, keys),
  ])
  const out: ArtifactInfo[] = []
  for (let i = 0; i < keys.length; i++) {
    const { allocated: sidecarAllocated, ...sidecar } = sidecars[i] as SidecarRead
    const head = heads[i]
    let error = sidecar.error
    let objects: ObjectMeta[] = []
    if (head instanceof EntryFailure) error ??= head.error
    else if (head) objects = [head]
    else {
      // No single object: a folder payload (zarr), or none at all.
      try {
        objects = await store.payloadObjects(keys[i] as string, allKeys)
      } catch (err) {
        if (err instanceof CacheFolderChangedError) throw err
        error ??= toErrorShape(err)
      }
    }
    const files = objects.map((m) => ({ path: m.path, bytes: m.size }))
    const total = files.reduce((sum, f) => sum + f.bytes, 0)
    const allocated = allocatedBytes(objects, sidecarAllocated)
    out.push({
      ...sidecar,
      error,
      payload: { files, bytes: total },
      ...(allocated === undefined ? {} : { allocatedBytes: allocated }),
    })
  }
  return out
}

/**
 * What payload objects and sidecar take on disk, when every one of them says (local disks);
 * undefined otherwise: a partial sum would read as the whole.
 */
function allocatedBytes(
  objects: readonly ObjectMeta[],
  sidecar: number | undefined,
): number | undefined {
  let sum = sidecar
  for (const m of objects) {
    if (sum === undefined || m.allocated === undefined) return undefined
    sum += m.allocated
  }
  return sum
}

/**
 * Lists the cache: the names first, then rows streamed in that order. An object store is
 * listed once from its root (sizes and ETags from the listing, sidecars fetched only where
 * the index lacks them); a local folder, or a listing of given keys, reads per key in bulk.
 */
export async function openListing(store: CacheStore, options: ListOptions = {}): Promise<Listing> {
  const size = Math.max(1, options.batchSize ?? 256)
  const width = Math.max(1, options.concurrency ?? 4)
  if (options.keys === undefined && listsWithMetadata(store.backend)) {
    // The index first: it knows where to split the listing into ranges listed at once.
    const index = await SidecarIndex.load(options.indexDir ?? null, store.url)
    const listing = await listRoot(store.backend, options.onProgress, index.splits)
    const rows = describeListing(store.backend, listing, index, {
      batchSize: size,
      ahead: width,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })
    return { names: listing.names, rows }
  }
  const names = options.keys ?? (await listSidecarNames(store.backend, options.onProgress))
  const subset = options.keys !== undefined
  return { names, rows: describeInBatches(store, names, subset, size, width, options.onProgress) }
}

/** Streams ArtifactInfo in key order (see openListing). */
export async function* listArtifacts(
  store: CacheStore,
  options: ListOptions = {},
): AsyncIterable<ArtifactInfo> {
  yield* (await openListing(store, options)).rows
}

/**
 * Streams ArtifactInfo for `keys` in order. Keys are described in batches of `size` (sidecars
 * and payload sizes fetched in bulk), with up to `width` batches in flight. A broken entry (an
 * unreadable sidecar, a name that is no valid key, a link) yields a row with `error` set
 * instead of ending the listing.
 */
async function* describeInBatches(
  store: CacheStore,
  keys: string[],
  subset: boolean,
  size: number,
  width: number,
  onProgress?: (p: ListProgress) => void,
): AsyncIterable<ArtifactInfo> {
  // Only folder payloads need the whole key set; a subset listing reads it when one appears.
  // Names that are no valid key own nothing, so they stay out of it.
  let all: Promise<ReadonlySet<string>> | undefined
  const allKeys = () =>
    (all ??= subset
      ? listKeys(store.backend).then((k) => new Set(k))
      : Promise.resolve(new Set(keys.filter((k) => sidecarNameProblem(k) === null))))
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
  let read = 0
  while (window.length > 0) {
    const batch = await (window.shift() as Promise<ArtifactInfo[]>)
    if (next < keys.length) launch()
    read += batch.length
    onProgress?.({ phase: 'sidecars', done: read, total: keys.length })
    yield* batch
  }
}
