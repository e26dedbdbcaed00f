import { readFileSync } from 'node:fs'
import type {
  Backend,
  ByteRange,
  ObjectMeta,
  PutOptions,
} from '../../../electron/engine/backend/backend.js'
import type { Target } from '../../../electron/engine/serializers/serializer.js'

/** Reads a fixture under test/fixtures as a plain Uint8Array. */
export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)))
}

/** Bytes from a hex string. */
export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'))
}

/** Hex of bytes, for comparing pickles. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/**
 * A minimal in-memory Backend so serializer tests exercise dump/load/preview through the real
 * Target contract without touching the disk.
 */
export class MemoryBackend implements Backend {
  readonly url = 'memory://test'
  readonly objects = new Map<string, Uint8Array>()
  gets = 0

  async head(path: string): Promise<ObjectMeta | undefined> {
    const data = this.objects.get(path)
    return data && { path, size: data.length, lastModified: new Date(0), etag: String(data.length) }
  }

  async get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    this.gets++
    const data = this.objects.get(path)
    if (!data || !range) return data
    if ('suffixLength' in range) return data.slice(-range.suffixLength)
    return data.slice(range.offset, range.offset + range.length)
  }

  async put(path: string, data: Uint8Array, _options?: PutOptions): Promise<ObjectMeta> {
    this.objects.set(path, data.slice())
    return (await this.head(path)) as ObjectMeta
  }

  async delete(path: string): Promise<void> {
    this.objects.delete(path)
  }

  async *list(prefix: string): AsyncIterable<ObjectMeta> {
    for (const path of this.objects.keys()) {
      if (path.startsWith(prefix)) yield (await this.head(path)) as ObjectMeta
    }
  }

  async *listPaths(prefix: string): AsyncIterable<string[]> {
    const page = [...this.objects.keys()].filter((path) => path.startsWith(prefix))
    if (page.length > 0) yield page
  }

  /** Bytes, never text: the contract lets a backend leave decoding to the caller. */
  async getManyText(paths: string[]): Promise<(Uint8Array | undefined)[]> {
    return Promise.all(paths.map((p) => this.get(p)))
  }

  async headMany(paths: string[]): Promise<(ObjectMeta | undefined)[]> {
    return Promise.all(paths.map((p) => this.head(p)))
  }

  async *listTempFiles(): AsyncIterable<string> {}

  async deleteMany(paths: string[]): Promise<void> {
    for (const p of paths) this.objects.delete(p)
  }

  async listWithDelimiter(): Promise<{ objects: ObjectMeta[]; prefixes: string[] }> {
    return { objects: [], prefixes: [] }
  }

  async isWritable(): Promise<boolean> {
    return true
  }

  /** A Target for `path` in this backend. */
  target(path: string): Target {
    return { backend: this, path, putMode: 'overwrite' }
  }
}
