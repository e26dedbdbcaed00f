import type { Artifact } from '../../shared/artifact.js'
import type { ErrorShape } from '../../shared/errors.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import type { Backend, ObjectMeta } from './backend/backend.js'
import { KeyNotFoundError, toErrorShape } from './errors.js'
import { keyFromSidecarPath, METADATA_DIR, sidecarPath } from './keys.js'
import { decodeSidecar } from './sidecar.js'
import type { CacheStore } from './store.js'

/** Options for listing artifacts. */
export interface ListOptions {
  /** How many batches are read at once (default 4): enough to hide latency, bounded for memory. */
  concurrency?: number
  /** Keys per batch (default 256). */
  batchSize?: number
  /** Only these keys (default: every key). */
  keys?: string[]
}

async function* sidecarPaths(backend: Backend): AsyncIterable<string[]> {
  if (backend.listPaths) {
    yield* backend.listPaths(`${METADATA_DIR}/`)
    return
  }
  for await (const m of backend.list(`${METADATA_DIR}/`)) yield [m.path]
}

/** Every key with a sidecar, at any depth, sorted. */
export async function listKeys(backend: Backend): Promise<string[]> {
  const keys: string[] = []
  for await (const page of sidecarPaths(backend)) {
    for (const p of page) {
      const key = keyFromSidecarPath(p)
      if (key !== undefined) keys.push(key)
    }
  }
  return keys.sort()
}

async function getManyText(
  backend: Backend,
  paths: string[],
): Promise<(string | Uint8Array | undefined)[]> {
  if (backend.getManyText) return backend.getManyText(paths)
  return Promise.all(paths.map((p) => backend.get(p)))
}

async function headMany(backend: Backend, paths: string[]): Promise<(ObjectMeta | undefined)[]> {
  return backend.headMany ? backend.headMany(paths) : Promise.all(paths.map((p) => backend.head(p)))
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
 * ArtifactInfo for a batch of keys: sidecars and payload heads fetched in bulk. `allKeys` (every
 * key of the cache, read once per listing) decides which files under a folder payload are this
 * key's and which belong to a nested key.
 */
async function describeBatch(
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
    const head = heads[i]
    // No single object: a folder payload (zarr), or none at all.
    const files = head
      ? [{ path: head.path, bytes: head.size }]
      : await store.payloadFiles(keys[i] as string, allKeys)
    const total = files.reduce((sum, f) => sum + f.bytes, 0)
    out.push({ ...(sidecars[i] as SidecarResult), payload: { files, bytes: total } })
  }
  return out
}

/**
 * Streams ArtifactInfo in key order. Keys are described in batches of `batchSize` (sidecars
 * and payload sizes fetched in bulk), with up to `concurrency` batches in flight. A broken
 * sidecar yields a row with `error` set instead of ending the listing.
 */
export async function* listArtifacts(
  store: CacheStore,
  options: ListOptions = {},
): AsyncIterable<ArtifactInfo> {
  const keys = options.keys ?? (await listKeys(store.backend))
  // Only folder payloads need the whole key set; a subset listing reads it when one appears.
  let all: Promise<ReadonlySet<string>> | undefined
  const allKeys = () =>
    (all ??= options.keys
      ? listKeys(store.backend).then((k) => new Set(k))
      : Promise.resolve(new Set(keys)))
  const size = Math.max(1, options.batchSize ?? 256)
  const width = Math.max(1, options.concurrency ?? 4)
  const window: Promise<ArtifactInfo[]>[] = []
  let next = 0
  const launch = () => {
    window.push(describeBatch(store, keys.slice(next, next + size), allKeys))
    next += size
  }
  while (next < keys.length && window.length < width) launch()
  while (window.length > 0) {
    const batch = await (window.shift() as Promise<ArtifactInfo[]>)
    if (next < keys.length) launch()
    yield* batch
  }
}
