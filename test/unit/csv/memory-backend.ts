/**
 * A tiny in-memory Backend for serializer tests until the real local backend lands (the
 * integrator swaps it in). It records every `get` so tests can check that previews read
 * through byte ranges instead of the whole object.
 */
import type {
  Backend,
  ByteRange,
  ListResult,
  ObjectMeta,
  PutOptions,
} from '../../../electron/engine/backend/backend.js'
import { AlreadyExistsError, ConflictError } from '../../../electron/engine/errors.js'
import type { Target } from '../../../electron/engine/serializers/serializer.js'

/** An object store held in a Map; `gets` logs each read as [path, range]. */
export class MemoryBackend implements Backend {
  readonly url = 'memory://test'
  readonly gets: [string, ByteRange | undefined][] = []
  private readonly objects = new Map<string, { data: Uint8Array; meta: ObjectMeta }>()
  private version = 0

  async head(path: string): Promise<ObjectMeta | undefined> {
    return this.objects.get(path)?.meta
  }

  async get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    this.gets.push([path, range])
    const data = this.objects.get(path)?.data
    if (!data || !range) return data?.slice()
    if ('suffixLength' in range) return data.slice(Math.max(0, data.length - range.suffixLength))
    return data.slice(range.offset, range.offset + range.length)
  }

  async put(path: string, data: Uint8Array, options?: PutOptions): Promise<ObjectMeta> {
    const current = this.objects.get(path)
    const mode = options?.mode ?? 'overwrite'
    if (mode === 'create' && current) throw new AlreadyExistsError(`${path} exists`)
    if (typeof mode === 'object' && current?.meta.etag !== mode.ifMatch) {
      throw new ConflictError(`${path} changed`, current?.meta)
    }
    const meta = { path, size: data.length, lastModified: new Date(), etag: String(++this.version) }
    this.objects.set(path, { data: data.slice(), meta })
    return meta
  }

  async delete(path: string): Promise<void> {
    this.objects.delete(path)
  }

  async *list(prefix: string): AsyncIterable<ObjectMeta> {
    for (const { meta } of this.objects.values()) {
      if (prefix === '' || meta.path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/')) {
        yield meta
      }
    }
  }

  async listWithDelimiter(prefix: string): Promise<ListResult> {
    const base = prefix === '' || prefix.endsWith('/') ? prefix : prefix + '/'
    const objects: ObjectMeta[] = []
    const prefixes = new Set<string>()
    for (const { meta } of this.objects.values()) {
      if (!meta.path.startsWith(base)) continue
      const rest = meta.path.slice(base.length)
      if (rest.includes('/')) prefixes.add(base + rest.slice(0, rest.indexOf('/')))
      else objects.push(meta)
    }
    return { objects, prefixes: [...prefixes] }
  }

  async isWritable(): Promise<boolean> {
    return true
  }
}

/** A target at `path` in `backend`, written race-safely as the store would. */
export function memoryTarget(backend: MemoryBackend, path: string): Target {
  return { backend, path, putMode: 'create' }
}
