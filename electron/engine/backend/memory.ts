import {
  folderPrefix,
  type Backend,
  type ByteRange,
  type ListResult,
  inRange,
  type ListRange,
  type ObjectMeta,
  type PutOptions,
} from './backend.js'
import { textOrBytes } from './bounded.js'
import { AlreadyExistsError, ConflictError } from '../errors.js'

// Listings come in pages of this many paths, as an object store's do, so callers meet pages.
const PAGE_SIZE = 1000

/** An in-memory backend: for validating payloads before they are written, and for tests. */
export class MemoryBackend implements Backend {
  readonly url = 'memory://'
  private readonly objects = new Map<string, { data: Uint8Array; meta: ObjectMeta }>()
  private version = 0

  async head(path: string): Promise<ObjectMeta | undefined> {
    const meta = this.objects.get(path)?.meta
    return meta && { ...meta }
  }

  // Copies out, so a caller editing the bytes it got never edits the stored object.
  async get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    const data = this.objects.get(path)?.data
    if (!data || !range) return data?.slice()
    if ('suffixLength' in range) return data.slice(Math.max(0, data.length - range.suffixLength))
    return data.slice(range.offset, range.offset + range.length)
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
    return { ...meta }
  }

  async delete(path: string): Promise<void> {
    this.objects.delete(path)
  }

  async deleteMany(paths: string[]): Promise<void> {
    for (const p of paths) this.objects.delete(p)
  }

  /** Ranges are exact filters here. */
  readonly listsKeyRanges = true

  async *list(prefix: string, range?: ListRange): AsyncIterable<ObjectMeta> {
    const p = folderPrefix(prefix)
    for (const [path, { meta }] of this.objects) {
      if (path.startsWith(p) && inRange(path, range)) yield { ...meta }
    }
  }

  async *listPaths(prefix: string): AsyncIterable<string[]> {
    const p = folderPrefix(prefix)
    let page: string[] = []
    for (const path of this.objects.keys()) {
      if (!path.startsWith(p)) continue
      page.push(path)
      if (page.length === PAGE_SIZE) {
        yield page
        page = []
      }
    }
    if (page.length > 0) yield page
  }

  async getManyText(paths: string[]): Promise<(string | Uint8Array | undefined)[]> {
    return paths.map((p) => textOrBytes(this.objects.get(p)?.data.slice()))
  }

  async headMany(paths: string[]): Promise<(ObjectMeta | undefined)[]> {
    return Promise.all(paths.map((p) => this.head(p)))
  }

  /** None: a put here is atomic, so no write leaves anything behind. */
  async *listTempFiles(_prefix: string): AsyncIterable<string> {}

  async listWithDelimiter(prefix: string): Promise<ListResult> {
    const p = folderPrefix(prefix)
    const result: ListResult = { objects: [], prefixes: [] }
    const seen = new Set<string>()
    for (const [path, { meta }] of this.objects) {
      if (!path.startsWith(p)) continue
      const rest = path.slice(p.length)
      const slash = rest.indexOf('/')
      if (slash < 0) result.objects.push({ ...meta })
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
