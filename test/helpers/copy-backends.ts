/**
 * Backends for copy tests: caches in memory reachable through CacheStore.open('memtest://name'),
 * and a wrapper that records every write and can fail the Nth put, as an interrupted copy would.
 */
import { createHash } from 'node:crypto'
import type {
  Backend,
  ByteRange,
  ListResult,
  ObjectMeta,
  PutOptions,
} from '../../electron/engine/backend/backend.js'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { registerBackend } from '../../electron/engine/backend/open.js'
import { BackendError } from '../../electron/engine/errors.js'
import { LOCK_DIR } from '../../electron/engine/keys.js'

const named = new Map<string, Backend>()
registerBackend('memtest', async (location) => {
  const found = named.get(location)
  if (!found) throw new BackendError(`no test backend ${location}`)
  return found
})

let counter = 0

/** Makes `backend` openable as a cache; returns its location ('memtest://...'). */
export function serve(backend: Backend): string {
  const location = `memtest://${++counter}`
  named.set(location, backend)
  return location
}

/** A fresh in-memory cache; returns its backend and location. */
export function memoryCache(): { backend: MemoryBackend; location: string } {
  const backend = new MemoryBackend()
  return { backend, location: serve(backend) }
}

/**
 * Wraps a backend: logs every put and delete (in order), counts gets, and with `failAt` fails
 * the put with that number (1-based, lock files included) with a BackendError before it lands.
 */
export class RecordingBackend implements Backend {
  readonly puts: string[] = []
  readonly deletes: string[] = []
  gets = 0
  failAt = 0
  private attempts = 0
  /** What `url` says (a test can present an inner memory backend as s3://). */
  url: string

  constructor(readonly inner: Backend) {
    this.url = inner.url
  }

  /** Puts of anything but write locks: what a copy actually wrote. */
  get dataPuts(): string[] {
    return this.puts.filter((p) => !p.startsWith(`${LOCK_DIR}/`))
  }

  /** Makes every ETag the content's hex MD5, as S3 gives for an object written in one PUT. */
  md5Etags = false

  private async tagged(meta: ObjectMeta): Promise<ObjectMeta> {
    if (!this.md5Etags) return meta
    const bytes = (await this.inner.get(meta.path)) ?? new Uint8Array()
    return { ...meta, etag: createHash('md5').update(bytes).digest('hex') }
  }

  async head(path: string): Promise<ObjectMeta | undefined> {
    const meta = await this.inner.head(path)
    return meta && this.tagged(meta)
  }
  get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    this.gets++
    return this.inner.get(path, range)
  }
  async put(path: string, data: Uint8Array, options?: PutOptions): Promise<ObjectMeta> {
    // Counted when called, not when done: parallel puts each get their own number.
    if (++this.attempts === this.failAt) {
      this.puts.push(`FAILED ${path}`)
      throw new BackendError(`test: put number ${this.failAt} (${path}) fails`)
    }
    const mode = options?.mode
    if (this.md5Etags && typeof mode === 'object') {
      // if-match names an MD5 tag: hand the inner backend its own tag when they agree.
      const current = await this.inner.head(path)
      const agrees = current && (await this.tagged(current)).etag === mode.ifMatch
      options = { mode: { ifMatch: agrees ? current.etag : 'no such tag' } }
    }
    const meta = await this.inner.put(path, data, options)
    this.puts.push(path)
    return this.tagged(meta)
  }
  delete(path: string): Promise<void> {
    this.deletes.push(path)
    return this.inner.delete(path)
  }
  async *list(prefix: string): AsyncIterable<ObjectMeta> {
    for await (const meta of this.inner.list(prefix)) yield this.tagged(meta)
  }
  async listWithDelimiter(prefix: string): Promise<ListResult> {
    const result = await this.inner.listWithDelimiter(prefix)
    return { ...result, objects: await Promise.all(result.objects.map((m) => this.tagged(m))) }
  }
  // The contract's bulk methods (required from issue 9 on), by the simple methods above so
  // the recording sees every read and write.
  async *listPaths(prefix: string): AsyncIterable<string[]> {
    for await (const m of this.inner.list(prefix)) yield [m.path]
  }
  getManyText(paths: string[]): Promise<(string | Uint8Array | undefined)[]> {
    return Promise.all(paths.map((p) => this.get(p)))
  }
  headMany(paths: string[]): Promise<(ObjectMeta | undefined)[]> {
    return Promise.all(paths.map((p) => this.head(p)))
  }
  // eslint-disable-next-line require-yield
  async *listTempFiles(): AsyncIterable<string> {
    return
  }
  async deleteMany(paths: string[]): Promise<void> {
    for (const p of paths) await this.delete(p)
  }
  async ensureDir(path: string): Promise<void> {
    await this.inner.ensureDir?.(path)
  }
  isWritable(): Promise<boolean> {
    return this.inner.isWritable()
  }
}
