import type { ArtifactInfo } from '../../shared/store-types.js'
import type { Backend } from './backend/backend.js'
import { toErrorShape } from './errors.js'
import { keyFromSidecarPath, METADATA_DIR } from './keys.js'
import type { CacheStore } from './store.js'

/** Options for listing artifacts. */
export interface ListOptions {
  /** How many keys are read at once (default 16): enough to hide latency, bounded for memory. */
  concurrency?: number
  /** Only these keys (default: every key). */
  keys?: string[]
}

async function* sidecarPaths(backend: Backend): AsyncIterable<string> {
  if (backend.listPaths) {
    yield* backend.listPaths(`${METADATA_DIR}/`)
    return
  }
  for await (const m of backend.list(`${METADATA_DIR}/`)) yield m.path
}

/** Every key with a sidecar, at any depth, sorted. */
export async function listKeys(backend: Backend): Promise<string[]> {
  const keys: string[] = []
  for await (const p of sidecarPaths(backend)) {
    const key = keyFromSidecarPath(p)
    if (key !== undefined) keys.push(key)
  }
  return keys.sort()
}

async function describe(store: CacheStore, key: string): Promise<ArtifactInfo> {
  const [entry, files] = await Promise.all([
    store.getArtifact(key).then(
      (artifact) => ({ artifact, error: null }),
      (err: unknown) => ({ artifact: null, error: toErrorShape(err) }),
    ),
    store.payloadFiles(key),
  ])
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0)
  return { key, ...entry, payload: { files, bytes } }
}

/**
 * Streams ArtifactInfo in key order, reading up to `concurrency` keys ahead. A broken sidecar
 * yields a row with `error` set instead of ending the listing.
 */
export async function* listArtifacts(
  store: CacheStore,
  options: ListOptions = {},
): AsyncIterable<ArtifactInfo> {
  const keys = options.keys ?? (await listKeys(store.backend))
  const width = Math.max(1, options.concurrency ?? 16)
  const window: Promise<ArtifactInfo>[] = []
  let next = 0
  while (next < keys.length && window.length < width)
    window.push(describe(store, keys[next++] as string))
  while (window.length > 0) {
    const info = await (window.shift() as Promise<ArtifactInfo>)
    if (next < keys.length) window.push(describe(store, keys[next++] as string))
    yield info
  }
}
