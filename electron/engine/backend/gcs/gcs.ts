/**
 * A cache in a Google Cloud Storage bucket (gs://bucket/prefix), over @google-cloud/storage 7.
 * The SDK is imported only when a gs:// cache is opened. The version tag (etag) is the object's
 * generation: GCS changes it exactly when the content is replaced (the HTTP ETag also changes
 * on metadata edits), and it is what `ifGenerationMatch` takes, so if-match is one precondition
 * and create-only is `ifGenerationMatch: 0`. Uploads are single-request (non-resumable): GCS
 * applies them atomically, and emulators honour preconditions only on those.
 */
import type { Bucket, File, FileMetadata } from '@google-cloud/storage'
import {
  folderPrefix,
  inRange,
  endsRange,
  type Backend,
  type ByteRange,
  type ListRange,
  type ListResult,
  type ObjectMeta,
  type PutOptions,
} from '../backend.js'
import { AlreadyExistsError, ConflictError } from '../../errors.js'
import { BULK_CONCURRENCY, mapBounded, textOrBytes } from '../bounded.js'
import { gcsError, httpStatus, type GcsErrorContext } from './errors.js'
import { makeStorage, retryStale } from './client.js'
import type { Env } from '../fsspec-env.js'
import { parseGcsOptionsWithEnv, parseGcsUrl } from './options.js'

// GCS's largest listing page; tests pass smaller pages to cross page boundaries.
const PAGE_SIZE = 1000
// Only the fields a listing needs: a full object resource is ~20 fields.
const LIST_FIELDS = 'items(name,size,updated,generation),prefixes,nextPageToken'

/** Tuning for tests; users never set these. */
export interface GcsTuning {
  pageSize?: number
  /** False skips the listing at open (to build a backend whose every call is refused). */
  check?: boolean
  /** Where fsspec's FSSPEC_GS/FSSPEC_GCS defaults are read (process.env by default). */
  env?: Env
}

interface ListPage {
  items: FileMetadata[]
  prefixes: string[]
  next: string | undefined
}

/** The GCS backend; open it with `GcsBackend.open('gs://bucket/prefix', storageOptions)`. */
export class GcsBackend implements Backend {
  readonly url: string
  /** GCS lists in flat byte order from startOffset. */
  readonly listsKeyRanges = true

  private constructor(
    private readonly bucket: Bucket,
    private readonly root: string,
    private readonly ctx: GcsErrorContext,
    private readonly pageSize: number,
  ) {
    this.url = ctx.url
  }

  /** Checks the URL and options, then that the bucket answers (one listing request). */
  static async open(
    location: string,
    storageOptions: Record<string, unknown>,
    tuning: GcsTuning = {},
  ): Promise<GcsBackend> {
    const loc = parseGcsUrl(location)
    const opts = parseGcsOptionsWithEnv(storageOptions, tuning.env ?? process.env)
    const storage = await makeStorage(opts)
    const url = `${loc.protocol}://${loc.bucket}/${loc.prefix.replace(/\/$/, '')}`
    const ctx: GcsErrorContext = {
      url: url.replace(/\/$/, ''),
      bucket: loc.bucket,
      endpoint: opts.endpoint,
      auth: opts.auth,
      secrets: opts.secrets,
    }
    const backend = new GcsBackend(
      storage.bucket(loc.bucket),
      loc.prefix,
      ctx,
      tuning.pageSize ?? PAGE_SIZE,
    )
    if (tuning.check !== false) {
      await backend.listPage(loc.prefix, undefined, undefined, 1, 'opening the cache')
    }
    return backend
  }

  async head(path: string): Promise<ObjectMeta | undefined> {
    try {
      const [meta] = await retryStale(() => this.file(path).getMetadata())
      return this.toMeta(meta)
    } catch (e) {
      if (httpStatus(e) === 404) return undefined
      throw gcsError(e, `reading the metadata of ${path}`, this.ctx)
    }
  }

  async get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    // No CRC32C check of whole downloads, as gcsfs (consistency 'none'): it doubled the time of
    // a small read (8 ms against 4 on fake-gcs-server), which a listing pays once per sidecar,
    // and TLS already guards the transfer. Ranged reads are never checked by the SDK anyway.
    let options: { start?: number; end?: number; validation?: false } = { validation: false }
    if (range) {
      const length = 'suffixLength' in range ? range.suffixLength : range.length
      // An empty range has no HTTP form; it is still undefined for a missing object.
      if (length <= 0) return (await this.head(path)) ? new Uint8Array(0) : undefined
      // The SDK sends a negative `end` as the suffix range `bytes=-N`.
      options =
        'suffixLength' in range
          ? { ...options, end: -range.suffixLength }
          : { ...options, start: range.offset, end: range.offset + range.length - 1 }
    }
    try {
      const [buf] = await retryStale(() => this.file(path).download(options))
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
    } catch (e) {
      const status = httpStatus(e)
      if (status === 404) return undefined
      // 416: the range starts at or past the end, which reads as no bytes, like a local file.
      if (status === 416) return new Uint8Array(0)
      throw gcsError(e, `reading ${path}`, this.ctx)
    }
  }

  async put(path: string, data: Uint8Array, options: PutOptions = {}): Promise<ObjectMeta> {
    const mode = options.mode ?? 'overwrite'
    let ifGenerationMatch: number | string | undefined
    if (mode === 'create') ifGenerationMatch = 0
    else if (typeof mode === 'object') {
      // Only a generation can match; an etag from another store names no version here. The
      // head still asks the server, so an account without access hears that instead.
      if (!/^[1-9]\d*$/.test(mode.ifMatch)) {
        await this.head(path)
        throw this.conflict(path)
      }
      ifGenerationMatch = mode.ifMatch
    }
    const file = this.file(path)
    try {
      await file.save(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
        resumable: false,
        ...(ifGenerationMatch === undefined ? {} : { preconditionOpts: { ifGenerationMatch } }),
      })
    } catch (e) {
      if (httpStatus(e) === 412) {
        if (mode === 'create') {
          throw new AlreadyExistsError(`${this.url}/${path} already exists.`)
        }
        throw this.conflict(path)
      }
      throw gcsError(e, `writing ${path}`, this.ctx)
    }
    const m = file.metadata
    return {
      path,
      size: Number(m.size ?? data.byteLength),
      lastModified: new Date(m.updated ?? Date.now()),
      etag: String(m.generation ?? ''),
    }
  }

  async delete(path: string): Promise<void> {
    try {
      await this.file(path).delete({ ignoreNotFound: true })
    } catch (e) {
      throw gcsError(e, `deleting ${path}`, this.ctx)
    }
  }

  async *list(prefix: string, range?: ListRange): AsyncIterable<ObjectMeta> {
    for await (const page of this.pages(prefix, undefined, range?.startAfter)) {
      let ended = false
      for (const item of page.items) {
        const meta = this.toMeta(item)
        if (!meta) continue
        // startOffset is inclusive and there is no inclusive end: both bounds are checked here.
        if (inRange(meta.path, range)) yield meta
        ended ||= endsRange(meta.path, range)
      }
      if (ended) return
    }
  }

  async listWithDelimiter(prefix: string): Promise<ListResult> {
    const objects: ObjectMeta[] = []
    // A Set: fake-gcs-server repeats every sub-prefix on every page of a delimited listing.
    const prefixes = new Set<string>()
    for await (const page of this.pages(prefix, '/')) {
      for (const item of page.items) {
        const meta = this.toMeta(item)
        if (meta) objects.push(meta)
      }
      for (const p of page.prefixes) prefixes.add(p.slice(this.root.length))
    }
    return { objects, prefixes: [...prefixes] }
  }

  async *listPaths(prefix: string): AsyncIterable<string[]> {
    for await (const page of this.pages(prefix)) {
      const paths: string[] = []
      for (const item of page.items) {
        const rel = this.relative(item.name)
        if (rel !== undefined) paths.push(rel)
      }
      if (paths.length > 0) yield paths
    }
  }

  async getManyText(paths: string[]): Promise<(string | Uint8Array | undefined)[]> {
    return mapBounded(paths, async (p) => textOrBytes(await this.get(p)), BULK_CONCURRENCY)
  }

  async headMany(paths: string[]): Promise<(ObjectMeta | undefined)[]> {
    return mapBounded(paths, (p) => this.head(p), BULK_CONCURRENCY)
  }

  /** Object stores write atomically: there are never leftovers of an interrupted write. */
  // eslint-disable-next-line require-yield
  async *listTempFiles(_prefix: string): AsyncIterable<string> {
    return
  }

  async deleteMany(paths: string[]): Promise<void> {
    await mapBounded(paths, (p) => this.delete(p), BULK_CONCURRENCY)
  }

  /**
   * Asks GCS whether this account may create objects. An endpoint that does not implement the
   * question (emulators) gets the benefit of the doubt: a refused write still says why.
   */
  async isWritable(): Promise<boolean> {
    try {
      const [allowed] = await this.bucket.iam.testPermissions(['storage.objects.create'])
      return allowed['storage.objects.create'] === true
    } catch (e) {
      const status = httpStatus(e)
      return !(status === 401 || status === 403)
    }
  }

  private file(path: string): File {
    return this.bucket.file(this.root + path)
  }

  private relative(name: string | undefined): string | undefined {
    // Names ending in '/' are folder placeholders (the console's "Create folder"), no object.
    if (!name || !name.startsWith(this.root) || name.endsWith('/')) return undefined
    return name.slice(this.root.length)
  }

  private toMeta(m: FileMetadata): ObjectMeta | undefined {
    const path = this.relative(m.name)
    if (path === undefined) return undefined
    return {
      path,
      size: Number(m.size ?? 0),
      lastModified: new Date(m.updated ?? 0),
      etag: String(m.generation ?? ''),
    }
  }

  private conflict(path: string): ConflictError {
    return new ConflictError(`${this.url}/${path} changed since it was read.`)
  }

  /** Every listing page under `prefix` (a folder path), following page tokens. */
  private async *pages(
    prefix: string,
    delimiter?: string,
    startAfter?: string,
  ): AsyncIterable<ListPage> {
    const full = this.root + folderPrefix(prefix)
    const startOffset = startAfter === undefined ? undefined : this.root + startAfter
    let token: string | undefined
    do {
      const page = await this.listPage(
        full,
        delimiter,
        token,
        this.pageSize,
        `listing ${prefix || 'the cache'}`,
        startOffset,
      )
      yield page
      token = page.next
    } while (token)
  }

  private async listPage(
    prefix: string,
    delimiter: string | undefined,
    pageToken: string | undefined,
    maxResults: number,
    action: string,
    startOffset?: string,
  ): Promise<ListPage> {
    try {
      const [, , response] = await retryStale(() =>
        this.bucket.getFiles({
          autoPaginate: false,
          prefix,
          maxResults,
          fields: LIST_FIELDS,
          ...(delimiter ? { delimiter } : {}),
          ...(pageToken ? { pageToken } : {}),
          ...(startOffset !== undefined ? { startOffset } : {}),
        }),
      )
      const r = (response ?? {}) as {
        items?: FileMetadata[]
        prefixes?: string[]
        nextPageToken?: string
      }
      return {
        items: r.items ?? [],
        prefixes: r.prefixes ?? [],
        next: r.nextPageToken || undefined,
      }
    } catch (e) {
      throw gcsError(e, action, this.ctx)
    }
  }
}
