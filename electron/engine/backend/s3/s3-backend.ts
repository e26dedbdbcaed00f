/**
 * The S3 backend: one bucket and a key prefix as a cache root, over @aws-sdk/client-s3.
 * Byte ranges through the Range header, create and if-match writes through If-None-Match: *
 * and If-Match (on CompleteMultipartUpload for payloads past the multipart threshold, see
 * multipart.ts), listings straight from ListObjectsV2 (sizes and ETags included, never a HEAD
 * per object), DeleteObjects in batches of 1,000. Every SDK error leaves as a closed-set error.
 * Sidecars (getManyText) and recursive listing pages are requests the engine signs and reads
 * itself (fast-path.ts), the SDK's CPU per request being what bounded cold and warm listings;
 * whatever that path does not settle, the SDK does.
 */
import type { S3Client } from '@aws-sdk/client-s3'
import {
  folderPrefix,
  type Backend,
  type ByteRange,
  type ListRange,
  type ListResult,
  type ObjectMeta,
  type PutOptions,
} from '../backend.js'
import { mapBounded, textOrBytes } from '../bounded.js'
import { rangeObjects } from '../list-order.js'
import { AlreadyExistsError, BackendError, ConflictError, NotSupportedError } from '../../errors.js'
import type { S3Sdk } from './client.js'
import { codeOf, mapS3Error, statusOf, type S3Place } from './errors.js'
import { FALLBACK, FastPath } from './fast-path.js'
import { isMultipart, putMultipart, UploadCancelled, type MultipartTuning } from './multipart.js'
import type { S3Settings } from './options.js'

/** Keys per DeleteObjects request: the API's maximum. */
export const DELETE_BATCH = 1_000
// Batches of DeleteObjects in flight at once (each is up to 1,000 deletes on the server).
const DELETE_CONCURRENCY = 4

const isMissing = (err: unknown) => {
  const code = codeOf(err)
  return (
    code === 'NoSuchKey' ||
    code === 'NotFound' ||
    (statusOf(err) === 404 && code !== 'NoSuchBucket')
  )
}

/** S3 quotes ETags; the contract's etag is opaque, so it is kept without the quotes. */
const bareEtag = (etag: string | undefined) => (etag ?? '').replace(/^"|"$/g, '')

/** A ListObjectsV2 page, as the SDK or the fast path (list-xml.ts) reads it. */
interface ListingPage {
  Contents?: { Key?: string; Size?: number; LastModified?: Date; ETag?: string }[]
  CommonPrefixes?: { Prefix?: string }[]
  IsTruncated?: boolean
  NextContinuationToken?: string
}

/** Tuning of an S3 backend: multipart sizes, and whether listings may split into key ranges. */
export interface S3Tuning extends MultipartTuning {
  keyRanges?: boolean
  /** false: sidecar GETs and listing pages too go through the SDK (fast-path.ts is the default). */
  fastPath?: boolean
  /** Hears each sidecar GET the fast path handed to the SDK (tests, diagnostics). */
  onFastFallback?: (path: string) => void
  /** Hears each listing page the fast path handed to the SDK, by the prefix listed. */
  onFastListFallback?: (prefix: string) => void
}

/** A cache root in an S3 bucket. */
export class S3Backend implements Backend {
  readonly url: string
  readonly listsKeyRanges: boolean
  private readonly place: S3Place
  /** The key prefix of the root, with a trailing '/' ('' for a whole bucket). */
  private readonly root: string
  /** Whether the bucket exists, asked once (see missingObject). */
  private bucketCheck: Promise<void> | undefined
  /** Requests signed here (fast-path.ts), opened at the first that can use them. */
  private fast: Promise<FastPath | undefined> | undefined

  constructor(
    private readonly sdk: S3Sdk,
    private readonly client: S3Client,
    private readonly bucket: string,
    prefix: string,
    private readonly settings: S3Settings,
    private readonly tuning: S3Tuning = {},
  ) {
    // Ranges are right in either listing order (list-order.ts), so every endpoint gets them
    // unless the caller says otherwise (tests, measurements).
    this.listsKeyRanges = tuning.keyRanges ?? true
    this.url = prefix === '' ? `s3://${bucket}` : `s3://${bucket}/${prefix}`
    this.root = folderPrefix(prefix)
    this.place = { url: this.url, bucket, settings }
  }

  private key(path: string): string {
    return this.root + path
  }

  private relative(key: string): string {
    return key.slice(this.root.length)
  }

  private fail(err: unknown, action: string): never {
    throw mapS3Error(err, this.place, action)
  }

  async head(path: string): Promise<ObjectMeta | undefined> {
    try {
      const out = await this.client.send(
        new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.key(path) }),
      )
      return {
        path,
        size: out.ContentLength ?? 0,
        lastModified: out.LastModified ?? new Date(0),
        etag: bareEtag(out.ETag),
      }
    } catch (err) {
      if (isMissing(err)) return this.missingObject()
      this.fail(err, `reading the metadata of ${path}`)
    }
  }

  /**
   * A HEAD answers a bare 404 both for a missing object and for a missing bucket; the first
   * time, one HeadBucket tells them apart, so a mistyped bucket is not taken for an empty cache.
   */
  private async missingObject(): Promise<undefined> {
    // One check shared by every HEAD in flight (headMany sends 32 at once).
    this.bucketCheck ??= this.client
      .send(new this.sdk.HeadBucketCommand({ Bucket: this.bucket }))
      .then(
        () => undefined,
        (err: unknown) => {
          if (statusOf(err) === 404) this.fail({ Code: 'NoSuchBucket' }, 'checking the bucket')
          // Anything else (no permission to check it): the object is missing, as S3 said.
        },
      )
    try {
      await this.bucketCheck
    } catch (err) {
      this.bucketCheck = undefined // a missing bucket may be created later: ask again then
      throw err
    }
    return undefined
  }

  async get(path: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    let header: string | undefined
    if (range) {
      const n = 'suffixLength' in range ? range.suffixLength : range.length
      // A zero-length range has no HTTP form; the object's existence still decides the answer.
      if (n <= 0) return (await this.head(path)) ? new Uint8Array(0) : undefined
      header =
        'suffixLength' in range
          ? `bytes=-${range.suffixLength}`
          : `bytes=${range.offset}-${range.offset + range.length - 1}`
    }
    try {
      const out = await this.client.send(
        new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.key(path), Range: header }),
      )
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0)
      // A server that ignores Range answers 200 with the whole object: cut the range here.
      if (!range || out.$metadata.httpStatusCode === 206) return bytes
      if ('suffixLength' in range)
        return bytes.subarray(Math.max(0, bytes.length - range.suffixLength))
      return bytes.subarray(range.offset, range.offset + range.length)
    } catch (err) {
      if (isMissing(err)) return undefined
      // A range that starts past the end: the bytes there are none.
      if (statusOf(err) === 416 || codeOf(err) === 'InvalidRange') return new Uint8Array(0)
      this.fail(err, `reading ${path}`)
    }
  }

  async put(path: string, data: Uint8Array, options: PutOptions = {}): Promise<ObjectMeta> {
    const mode = options.mode ?? 'overwrite'
    const conditions =
      mode === 'create'
        ? { IfNoneMatch: '*' }
        : typeof mode === 'object'
          ? { IfMatch: `"${mode.ifMatch}"` }
          : {}
    try {
      let etag: string | undefined
      if (isMultipart(data.length, this.tuning)) {
        const target = { sdk: this.sdk, client: this.client, bucket: this.bucket, conditions }
        etag = await putMultipart(
          { ...target, key: this.key(path) },
          data,
          this.tuning,
          options.signal,
        )
      } else {
        const input = {
          Bucket: this.bucket,
          Key: this.key(path),
          Body: data,
          ContentLength: data.length,
        }
        // One short atomic request: not cut off, or a write could land after "cancelled".
        const out = await this.client.send(
          new this.sdk.PutObjectCommand({ ...input, ...conditions }),
        )
        etag = out.ETag
      }
      return { path, size: data.length, lastModified: new Date(), etag: bareEtag(etag) }
    } catch (err) {
      if (err instanceof UploadCancelled) {
        throw new BackendError(`Writing ${path} to ${this.url} was cancelled; nothing was written.`)
      }
      const status = statusOf(err)
      // 412: the precondition failed; 409: a concurrent conditional write won the race.
      if (mode === 'create' && (status === 412 || status === 409)) {
        throw new AlreadyExistsError(`${path} already exists in ${this.url}.`)
      }
      if (typeof mode === 'object' && (status === 412 || status === 409 || isMissing(err))) {
        throw new ConflictError(`${path} in ${this.url} changed since it was read.`)
      }
      this.fail(err, `writing ${path}`)
    }
  }

  async copy(from: string, to: string): Promise<boolean> {
    // CopySource is bucket/key, URL-encoded (a key may hold any character), '/' kept.
    const source = encodeURIComponent(this.key(from)).replace(/%2F/g, '/')
    try {
      await this.client.send(
        new this.sdk.CopyObjectCommand({
          Bucket: this.bucket,
          Key: this.key(to),
          CopySource: `${encodeURIComponent(this.bucket)}/${source}`,
        }),
      )
      return true
    } catch (err) {
      if (isMissing(err)) return false
      // Over 5 GB CopyObject refuses (a multipart copy would be needed): read and write it.
      if (codeOf(err) === 'InvalidRequest')
        throw new NotSupportedError(`${from} in ${this.url} is too large for one CopyObject.`)
      this.fail(err, `copying ${from} to ${to}`)
    }
  }

  async delete(path: string): Promise<void> {
    try {
      await this.client.send(
        new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(path) }),
      )
    } catch (err) {
      if (isMissing(err)) return
      this.fail(err, `deleting ${path}`)
    }
  }

  /** ListObjectsV2 pages under the root + `prefix`, with or without the '/' delimiter. */
  private async *pages(prefix: string, delimiter: boolean, startAfter?: string) {
    // Recursive pages go the fast way first (fast-path.ts); delimited ones are few.
    const fast = delimiter ? undefined : await this.fastPath()
    const ask = {
      Bucket: this.bucket,
      Prefix: this.key(folderPrefix(prefix)),
      Delimiter: delimiter ? '/' : undefined,
      StartAfter: startAfter === undefined ? undefined : this.key(startAfter),
    }
    let token: string | undefined
    do {
      const out: ListingPage = await this.page(prefix, ask, token, fast)
      yield out
      token = out.IsTruncated ? out.NextContinuationToken : undefined
    } while (token)
  }

  // One page: the fast path's, or the SDK's when there is none or it does not settle it.
  private async page(
    prefix: string,
    ask: { Bucket: string; Prefix: string; Delimiter?: string; StartAfter?: string },
    token: string | undefined,
    fast: FastPath | undefined,
  ): Promise<ListingPage> {
    if (fast) {
      const got = await fast.listPage({
        prefix: ask.Prefix,
        startAfter: ask.StartAfter,
        continuationToken: token,
      })
      if (got !== FALLBACK) return got
      this.tuning.onFastListFallback?.(prefix)
    }
    try {
      return await this.client.send(
        new this.sdk.ListObjectsV2Command({ ...ask, ContinuationToken: token }),
      )
    } catch (err) {
      this.fail(err, `listing ${prefix === '' ? 'the cache' : prefix}`)
    }
  }

  /** The fast path, opened once (undefined: turned off, or this setup cannot use it). */
  private async fastPath(): Promise<FastPath | undefined> {
    if (this.tuning.fastPath === false) return undefined
    this.fast ??= FastPath.open(this.client, this.settings, this.bucket)
    return this.fast
  }

  /** Listing entries that are objects: not folder markers ('a/'), which some servers keep. */
  private metas(contents: ListingPage['Contents'] = []) {
    const out: ObjectMeta[] = []
    for (const c of contents) {
      if (c.Key === undefined || c.Key.endsWith('/') || !c.Key.startsWith(this.root)) continue
      out.push({
        path: this.relative(c.Key),
        size: c.Size ?? 0,
        lastModified: c.LastModified ?? new Date(0),
        etag: bareEtag(c.ETag),
      })
    }
    return out
  }

  async *list(prefix: string, range?: ListRange): AsyncIterable<ObjectMeta> {
    // The end has no S3 parameter; both bounds are checked in either listing order, since an
    // endpoint may walk a folder tree (list-order.ts). A server that ignored StartAfter would
    // cost pages, never an object.
    yield* rangeObjects(this.objectPages(prefix, range?.startAfter), range)
  }

  private async *objectPages(prefix: string, startAfter?: string) {
    for await (const page of this.pages(prefix, false, startAfter)) yield this.metas(page.Contents)
  }

  async listWithDelimiter(prefix: string): Promise<ListResult> {
    const result: ListResult = { objects: [], prefixes: [] }
    for await (const page of this.pages(prefix, true)) {
      result.objects.push(...this.metas(page.Contents))
      for (const p of page.CommonPrefixes ?? []) {
        if (p.Prefix?.startsWith(this.root)) result.prefixes.push(this.relative(p.Prefix))
      }
    }
    return result
  }

  async *listPaths(prefix: string): AsyncIterable<string[]> {
    for await (const page of this.pages(prefix, false)) {
      const paths = this.metas(page.Contents).map((m) => m.path)
      if (paths.length > 0) yield paths
    }
  }

  async getManyText(paths: string[]): Promise<(string | Uint8Array | undefined)[]> {
    const fast = paths.length > 0 ? await this.fastPath() : undefined
    return mapBounded(paths, async (p) => {
      const got = fast ? await fast.get(this.key(p)) : FALLBACK
      if (got !== FALLBACK) return textOrBytes(got)
      if (fast) this.tuning.onFastFallback?.(p)
      return textOrBytes(await this.get(p))
    })
  }

  async headMany(paths: string[]): Promise<(ObjectMeta | undefined)[]> {
    return mapBounded(paths, (p) => this.head(p))
  }

  async *listTempFiles(): AsyncIterable<string> {
    // Puts to S3 are atomic: an interrupted one leaves nothing to clean up.
  }

  async deleteMany(paths: string[]): Promise<void> {
    const batches: string[][] = []
    for (let i = 0; i < paths.length; i += DELETE_BATCH)
      batches.push(paths.slice(i, i + DELETE_BATCH))
    await mapBounded(batches, (batch) => this.deleteBatch(batch), DELETE_CONCURRENCY)
  }

  private async deleteBatch(paths: string[]): Promise<void> {
    let out
    try {
      out = await this.client.send(
        new this.sdk.DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: paths.map((p) => ({ Key: this.key(p) })), Quiet: true },
        }),
      )
    } catch (err) {
      this.fail(err, `deleting ${paths.length} objects`)
    }
    const errors = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey')
    if (errors.length === 0) return
    const first = errors[0]!
    const path = this.relative(first.Key ?? '')
    const more = errors.length > 1 ? ` and ${errors.length - 1} more objects` : ''
    throw mapS3Error({ Code: first.Code }, this.place, `deleting ${path}${more}`)
  }

  /**
   * Writes are assumed possible unless the requests are anonymous: S3 has no way to ask
   * "may I write here" without writing (even deleting a missing key leaves a delete marker
   * in a versioned bucket). A denied write fails with PermissionDeniedError naming the bucket.
   */
  async isWritable(): Promise<boolean> {
    return !this.settings.anon
  }

  /** Closes the client's sockets. */
  destroy(): void {
    this.client.destroy()
    void this.fast?.then((f) => f?.destroy())
  }
}
