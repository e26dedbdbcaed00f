import { promises as fs } from 'node:fs'
import type { FolderPayload } from '../payload-folder.js'
import { NotSupportedError } from '../errors.js'
import {
  folderPrefix,
  type Backend,
  type ByteRange,
  type ListResult,
  inRange,
  type ListRange,
  type ObjectMeta,
} from './backend.js'
import { mapBounded, textOrBytes } from './bounded.js'

/**
 * A read-only backend showing a checked folder payload (see walkPayloadFolder) under `prefix`,
 * so a serializer can open it, as it will open the stored copy, before anything is written to
 * the cache. Only the walked files exist here: nothing else on disk is reachable through it.
 */
export class FolderView implements Backend {
  readonly url: string
  private readonly objects = new Map<string, { abs: string; meta: ObjectMeta }>()

  constructor(folder: FolderPayload, prefix: string) {
    this.url = `folder:${folder.root}`
    const lastModified = new Date(0)
    for (const f of folder.files) {
      const p = `${prefix}/${f.rel}`
      this.objects.set(p, { abs: f.abs, meta: { path: p, size: f.bytes, lastModified, etag: p } })
    }
  }

  async head(path: string): Promise<ObjectMeta | undefined> {
    return this.objects.get(path)?.meta
  }

  async get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    const o = this.objects.get(path)
    if (!o) return undefined
    const size = o.meta.size
    const start = !range
      ? 0
      : 'offset' in range
        ? range.offset
        : Math.max(0, size - range.suffixLength)
    const end = !range ? size : 'offset' in range ? Math.min(size, start + range.length) : size
    const handle = await fs.open(o.abs, 'r')
    try {
      const buf = new Uint8Array(Math.max(0, end - start))
      let done = 0
      while (done < buf.length) {
        const { bytesRead } = await handle.read(buf, done, buf.length - done, start + done)
        if (bytesRead === 0) break
        done += bytesRead
      }
      return buf.subarray(0, done)
    } finally {
      await handle.close()
    }
  }

  async put(): Promise<ObjectMeta> {
    throw new NotSupportedError('A folder being put is only read before it is stored.')
  }

  async delete(): Promise<void> {
    throw new NotSupportedError('A folder being put is only read before it is stored.')
  }

  async deleteMany(_paths: string[]): Promise<void> {
    throw new NotSupportedError('A folder being put is only read before it is stored.')
  }

  async *list(prefix: string, range?: ListRange): AsyncIterable<ObjectMeta> {
    const p = folderPrefix(prefix)
    for (const [path, o] of this.objects)
      if (path.startsWith(p) && inRange(path, range)) yield o.meta
  }

  /** The walked files under `prefix`, one page (the walk already holds them all). */
  async *listPaths(prefix: string): AsyncIterable<string[]> {
    const p = folderPrefix(prefix)
    const page = [...this.objects.keys()].filter((path) => path.startsWith(p))
    if (page.length > 0) yield page
  }

  async getManyText(paths: string[]): Promise<(string | Uint8Array | undefined)[]> {
    return mapBounded(paths, async (p) => textOrBytes(await this.get(p)))
  }

  async headMany(paths: string[]): Promise<(ObjectMeta | undefined)[]> {
    return paths.map((p) => this.objects.get(p)?.meta)
  }

  /** None: the walk only takes the files it checked, never a writer's leftovers. */
  async *listTempFiles(_prefix: string): AsyncIterable<string> {}

  async listWithDelimiter(dir: string): Promise<ListResult> {
    const prefix = folderPrefix(dir)
    const objects: ObjectMeta[] = []
    const prefixes = new Set<string>()
    for (const [p, o] of this.objects) {
      if (!p.startsWith(prefix)) continue
      const rest = p.slice(prefix.length)
      const slash = rest.indexOf('/')
      if (slash < 0) objects.push(o.meta)
      else prefixes.add(prefix + rest.slice(0, slash + 1))
    }
    return { objects, prefixes: [...prefixes] }
  }

  async isWritable(): Promise<boolean> {
    return false
  }
}
