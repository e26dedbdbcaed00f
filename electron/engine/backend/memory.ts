import type { Backend, ByteRange, ListResult, ObjectMeta, PutOptions } from './backend.js'
import { AlreadyExistsError, ConflictError } from '../errors.js'

/** An in-memory backend: for validating payloads before they are written, and for tests. */
export class MemoryBackend implements Backend {
  readonly url = 'memory://'
  private readonly objects = new Map<string, { data: Uint8Array; meta: ObjectMeta }>()
  private version = 0

  async head(path: string): Promise<ObjectMeta | undefined> {
    return this.objects.get(path)?.meta
  }

  async get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    const data = this.objects.get(path)?.data
    if (!data || !range) return data
    if ('suffixLength' in range) return data.subarray(Math.max(0, data.length - range.suffixLength))
    return data.subarray(range.offset, range.offset + range.length)
  }

  async put(path: string, data: Uint8Array, options: PutOptions = {}): Promise<ObjectMeta> {
    const current = this.objects.get(path)
    const mode = options.mode ?? 'overwrite'
    if (mode === 'create' && current) throw new AlreadyExistsError(`${path} already exists.`)
    if (typeof mode === 'object' && current?.meta.etag !== mode.ifMatch) {
      throw new ConflictError(`${path} changed since it was read.`)
    }
    const meta = { path, size: data.length, lastModified: new Date(), etag: String(++this.version) }
    this.objects.set(path, { data: data.slice(), meta })
    return meta
  }

  async delete(path: string): Promise<void> {
    this.objects.delete(path)
  }

  async *list(prefix: string): AsyncIterable<ObjectMeta> {
    const p = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`
    for (const [path, { meta }] of this.objects) if (path.startsWith(p)) yield meta
  }

  async listWithDelimiter(prefix: string): Promise<ListResult> {
    const p = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`
    const result: ListResult = { objects: [], prefixes: [] }
    const seen = new Set<string>()
    for (const [path, { meta }] of this.objects) {
      if (!path.startsWith(p)) continue
      const rest = path.slice(p.length)
      const slash = rest.indexOf('/')
      if (slash < 0) result.objects.push(meta)
      else if (!seen.has(rest.slice(0, slash))) {
        seen.add(rest.slice(0, slash))
        result.prefixes.push(`${p}${rest.slice(0, slash)}/`)
      }
    }
    return result
  }

  async isWritable(): Promise<boolean> {
    return true
  }
}
