import { accessSync, constants, existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Backend, ByteRange, ListResult, ObjectMeta, PutOptions } from './backend.js'

/**
 * A writable cache whose folder does not exist yet. Python's CacheStore makes the folder when
 * it is opened; here opening and reading create nothing: until the first write this reads as
 * an empty cache, and the first write makes the folder and hands over to the real backend.
 */
export class PendingRootBackend implements Backend {
  readonly url: string
  private real: Promise<Backend> | undefined

  constructor(
    private readonly root: string,
    /** Opens the real backend; `create` makes the folder first. */
    private readonly open: (create: boolean) => Promise<Backend>,
  ) {
    this.url = pathToFileURL(root).href
  }

  /** The real backend: made now when `create`; undefined while the folder is still missing. */
  private async backend(create: boolean): Promise<Backend | undefined> {
    if (!this.real && !create && !existsSync(this.root)) return undefined
    const opening = (this.real ??= this.open(create))
    try {
      return await opening
    } catch (err) {
      if (this.real === opening) this.real = undefined
      throw err
    }
  }

  async head(rel: string): Promise<ObjectMeta | undefined> {
    return (await this.backend(false))?.head(rel)
  }

  async get(rel: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    return (await this.backend(false))?.get(rel, range)
  }

  async put(rel: string, data: Uint8Array, options?: PutOptions): Promise<ObjectMeta> {
    return (await this.backend(true))!.put(rel, data, options)
  }

  async delete(rel: string): Promise<void> {
    await (await this.backend(false))?.delete(rel)
  }

  async *list(prefix: string): AsyncIterable<ObjectMeta> {
    const b = await this.backend(false)
    if (b) yield* b.list(prefix)
  }

  async listWithDelimiter(prefix: string): Promise<ListResult> {
    const b = await this.backend(false)
    return b ? b.listWithDelimiter(prefix) : { objects: [], prefixes: [] }
  }

  async *listPaths(prefix: string): AsyncIterable<string[]> {
    const b = await this.backend(false)
    if (b?.listPaths) yield* b.listPaths(prefix)
    else if (b) for await (const m of b.list(prefix)) yield [m.path]
  }

  async getManyText(rels: string[]): Promise<(string | Uint8Array | undefined)[]> {
    const b = await this.backend(false)
    if (!b) return rels.map(() => undefined)
    return b.getManyText ? b.getManyText(rels) : Promise.all(rels.map((r) => b.get(r)))
  }

  async headMany(rels: string[]): Promise<(ObjectMeta | undefined)[]> {
    const b = await this.backend(false)
    if (!b) return rels.map(() => undefined)
    return b.headMany ? b.headMany(rels) : Promise.all(rels.map((r) => b.head(r)))
  }

  async ensureDir(rel: string): Promise<void> {
    await (await this.backend(true))!.ensureDir?.(rel)
  }

  /** Temp files of interrupted writes (none while the folder is missing); doctor reports them. */
  async *listTempFiles(prefix: string): AsyncIterable<string> {
    const b = (await this.backend(false)) as
      (Backend & { listTempFiles?: (p: string) => AsyncIterable<string> }) | undefined
    if (b?.listTempFiles) yield* b.listTempFiles(prefix)
  }

  /** Writable when the nearest folder that exists on the way to the root is. */
  async isWritable(): Promise<boolean> {
    const b = await this.backend(false)
    if (b) return b.isWritable()
    let dir = this.root
    while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir)
    try {
      accessSync(dir, constants.W_OK)
      return true
    } catch {
      return false
    }
  }
}
