import { accessSync, constants, existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type {
  Backend,
  ByteRange,
  ListResult,
  ListRange,
  ObjectMeta,
  PutOptions,
  RandomReader,
} from './backend.js'
import { NotSupportedError } from '../errors.js'

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

  async *list(prefix: string, range?: ListRange): AsyncIterable<ObjectMeta> {
    const b = await this.backend(false)
    if (b) yield* b.list(prefix, range)
  }

  async listWithDelimiter(prefix: string): Promise<ListResult> {
    const b = await this.backend(false)
    return b ? b.listWithDelimiter(prefix) : { objects: [], prefixes: [] }
  }

  async deleteMany(rels: string[]): Promise<void> {
    await (await this.backend(false))?.deleteMany(rels)
  }

  async *listPaths(prefix: string): AsyncIterable<string[]> {
    const b = await this.backend(false)
    if (b) yield* b.listPaths(prefix)
  }

  async getManyText(rels: string[]): Promise<(string | Uint8Array | undefined)[]> {
    const b = await this.backend(false)
    return b ? b.getManyText(rels) : rels.map(() => undefined)
  }

  async headMany(rels: string[]): Promise<(ObjectMeta | undefined)[]> {
    const b = await this.backend(false)
    return b ? b.headMany(rels) : rels.map(() => undefined)
  }

  async ensureDir(rel: string): Promise<void> {
    await (await this.backend(true))!.ensureDir?.(rel)
  }

  /** Random reads through the real backend (local disk); undefined while the folder is missing. */
  async openRead(rel: string): Promise<RandomReader | undefined> {
    const b = await this.backend(false)
    if (b && !b.openRead) throw new NotSupportedError(`${this.url} has no random-access reads.`)
    return b?.openRead?.(rel)
  }

  /** Temp files of interrupted writes (none while the folder is missing); doctor reports them. */
  async *listTempFiles(prefix: string): AsyncIterable<string> {
    const b = await this.backend(false)
    if (b) yield* b.listTempFiles(prefix)
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
