/**
 * A backend that counts requests the way an object store bills them (a `get`, a `head`, a
 * listing page of 1,000, a batch delete of up to 1,000) over any inner backend, optionally
 * adding a latency per request; it also records the most `get`s ever in flight at once.
 * Its url is its own (`counting://<name>`), so a sidecar index of one test is never another's.
 */
import {
  comparePaths,
  type Backend,
  type ByteRange,
  type ListRange,
  type ListResult,
  type ObjectMeta,
  type PutOptions,
} from '../../electron/engine/backend/backend.js'
import { compareTreePaths, rangeObjects } from '../../electron/engine/backend/list-order.js'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { registerBackend } from '../../electron/engine/backend/open.js'
import { mapBounded } from '../../electron/engine/backend/bounded.js'
import { CacheStore } from '../../electron/engine/store.js'

/** Request counts, by kind. */
export interface Counts {
  head: number
  get: number
  put: number
  delete: number
  /** Listing requests: one per page of `pageSize` objects (at least one per listing). */
  listPage: number
  /** deleteMany calls, and the paths they named. */
  deleteMany: number
  deleteManyPaths: number
  /** Most `get`s in flight at once. */
  maxGetsInFlight: number
  /** Most `head`s in flight at once. */
  maxHeadsInFlight: number
  /** Most listing pages in flight at once. */
  maxListsInFlight: number
}

const zero = (): Counts => ({
  head: 0,
  get: 0,
  put: 0,
  delete: 0,
  listPage: 0,
  deleteMany: 0,
  deleteManyPaths: 0,
  maxGetsInFlight: 0,
  maxHeadsInFlight: 0,
  maxListsInFlight: 0,
})

let instances = 0

/** Counts every request to `inner` (a fresh MemoryBackend by default). */
export class CountingBackend implements Backend {
  readonly url: string
  /** Lists ranges as S3 does (see list). */
  readonly listsKeyRanges = true
  counts: Counts = zero()
  private getsInFlight = 0
  private headsInFlight = 0
  private listsInFlight = 0

  constructor(
    readonly inner: Backend = new MemoryBackend(),
    readonly options: {
      latencyMs?: number
      pageSize?: number
      name?: string
      order?: 'bytes' | 'tree'
      ignoresStartAfter?: boolean
    } = {},
  ) {
    this.url = `counting://${options.name ?? `b${++instances}-${process.pid}`}`
  }

  /** Starts counting from zero again. */
  reset(): void {
    this.counts = zero()
  }

  private async request(): Promise<void> {
    const ms = this.options.latencyMs ?? 0
    if (ms > 0) await new Promise((r) => setTimeout(r, ms))
  }

  async head(path: string): Promise<ObjectMeta | undefined> {
    this.counts.head++
    this.headsInFlight++
    this.counts.maxHeadsInFlight = Math.max(this.counts.maxHeadsInFlight, this.headsInFlight)
    try {
      await this.request()
      return await this.inner.head(path)
    } finally {
      this.headsInFlight--
    }
  }

  async get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    this.counts.get++
    this.getsInFlight++
    this.counts.maxGetsInFlight = Math.max(this.counts.maxGetsInFlight, this.getsInFlight)
    try {
      await this.request()
      return await this.inner.get(path, range)
    } finally {
      this.getsInFlight--
    }
  }

  async put(path: string, data: Uint8Array, options?: PutOptions): Promise<ObjectMeta> {
    this.counts.put++
    await this.request()
    return this.inner.put(path, data, options)
  }

  async delete(path: string): Promise<void> {
    this.counts.delete++
    await this.request()
    return this.inner.delete(path)
  }

  /** Like S3 DeleteObjects: one request per 1,000 paths at most. */
  async deleteMany(paths: string[]): Promise<void> {
    if (paths.length > 1000) throw new Error(`deleteMany of ${paths.length} paths: at most 1,000`)
    this.counts.deleteMany++
    this.counts.deleteManyPaths += paths.length
    await this.request()
    for (const p of paths) await this.inner.delete(p)
  }

  /**
   * Like ListObjectsV2 as S3Backend consumes it (rangeObjects): pages in path order from
   * StartAfter on, up to the page reaching endAt. With `order: 'tree'` the pages come as
   * SeaweedFS lists a folder tree ('/' before every other character; StartAfter `s` also skips
   * the keys under `s/`); with `ignoresStartAfter` every listing starts at the first object.
   */
  async *list(prefix: string, range?: ListRange): AsyncIterable<ObjectMeta> {
    yield* rangeObjects(this.pagesAfter(prefix, range?.startAfter), range)
  }

  private async *pagesAfter(prefix: string, startAfter?: string): AsyncIterable<ObjectMeta[]> {
    const size = this.options.pageSize ?? 1000
    const tree = this.options.order === 'tree'
    let all: ObjectMeta[] = []
    for await (const m of this.inner.list(prefix)) all.push(m)
    all.sort((a, b) => (tree ? compareTreePaths(a.path, b.path) : comparePaths(a.path, b.path)))
    const s = this.options.ignoresStartAfter === true ? undefined : startAfter
    if (s !== undefined) {
      all = tree
        ? all.filter((m) => compareTreePaths(m.path, s) > 0 && !m.path.startsWith(`${s}/`))
        : all.filter((m) => comparePaths(m.path, s) > 0)
    }
    let i = 0
    do {
      this.counts.listPage++
      this.listsInFlight++
      this.counts.maxListsInFlight = Math.max(this.counts.maxListsInFlight, this.listsInFlight)
      try {
        await this.request()
      } finally {
        this.listsInFlight--
      }
      yield all.slice(i, i + size)
      i += size
    } while (i < all.length)
  }

  async *listPaths(prefix: string): AsyncIterable<string[]> {
    const page: string[] = []
    for await (const m of this.list(prefix)) page.push(m.path)
    if (page.length > 0) yield page
  }

  async listWithDelimiter(prefix: string): Promise<ListResult> {
    this.counts.listPage++
    await this.request()
    return this.inner.listWithDelimiter(prefix)
  }

  /** Bounded to 32 gets in flight, as the contract asks of object stores. */
  async getManyText(paths: string[]): Promise<(string | Uint8Array | undefined)[]> {
    return mapBounded(paths, (p) => this.get(p), 32)
  }

  async headMany(paths: string[]): Promise<(ObjectMeta | undefined)[]> {
    return mapBounded(paths, (p) => this.head(p), 32)
  }

  async *listTempFiles(): AsyncIterable<string> {
    // Object-store puts are atomic: there are no temp files.
  }

  async isWritable(): Promise<boolean> {
    return true
  }
}

const opened = new Map<string, Backend>()

/** A CacheStore over `backend` (through a 'counting://' opener, as a real URL would open). */
export async function storeOver(
  backend: CountingBackend,
  options: Parameters<typeof CacheStore.open>[1] = {},
): Promise<CacheStore> {
  if (opened.size === 0) {
    registerBackend('counting', async (location) => {
      const b = opened.get(location)
      if (!b) throw new Error(`no counting backend ${location}`)
      return b
    })
  }
  opened.set(backend.url, backend)
  return CacheStore.open(backend.url, options)
}

/** The sidecar text Python writes for `key` (serializer 'pandas.parquet', one metadata field). */
export function pythonSidecar(key: string, n = 0): Uint8Array {
  const artifact = {
    key,
    serializer: 'pandas.parquet',
    load_kwargs: {},
    dump_kwargs: {},
    additional_metadata: { n },
    created_at: '2026-11-26T14:43:29.478718',
  }
  return new TextEncoder().encode(JSON.stringify(artifact, null, 2))
}

/** Writes `count` artifacts `k00000`... straight into `backend`: a payload of `i % 97 + 1` bytes each. */
export async function fillArtifacts(backend: Backend, count: number): Promise<string[]> {
  const keys: string[] = []
  for (let i = 0; i < count; i++) {
    const key = `k${String(i).padStart(5, '0')}`
    keys.push(key)
    await backend.put(key, new Uint8Array((i % 97) + 1))
    await backend.put(`xpersist_metadata_store/${key}.artifact.json`, pythonSidecar(key))
  }
  return keys
}
