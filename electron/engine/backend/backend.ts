/**
 * The one storage interface every backend (local disk, S3, GCS) implements, shaped like
 * object_store / zarrita: small required set, `undefined` for a missing object, byte ranges
 * for previews, conditional writes for race safety. Paths are '/'-separated and relative to
 * the backend's root; they are validated by the caller (see keys.ts) before they get here.
 */

/** What a listing or `head` says about one object. */
export interface ObjectMeta {
  /** Path relative to the backend root, '/'-separated. */
  path: string
  size: number
  lastModified: Date
  /** Opaque version tag; changes whenever the object's content changes. */
  etag: string
  /**
   * Bytes the object takes on disk (st_blocks * 512: a sparse file less than its size, a small
   * one a whole block); local disks only, absent on object stores, which bill for `size`.
   */
  allocated?: number
}

/** One text of getManyTextSized: as getManyText gives it, and its allocated bytes if known. */
export interface SizedText {
  text: string | Uint8Array | undefined
  allocated?: number
}

/**
 * A byte range: from `offset`, `length` bytes; or the last `suffixLength` bytes. A range
 * reaching past the end gives the bytes that exist (none from the end on), a suffix longer
 * than the object the whole object, a zero length none: an empty array, never undefined or
 * an error, as long as the object exists.
 */
export type ByteRange = { offset: number; length: number } | { suffixLength: number }

/** Options for `put`. */
export interface PutOptions {
  /**
   * 'overwrite' (default) replaces atomically; 'create' fails with AlreadyExistsError if the
   * object exists (if-none-match); an etag string succeeds only if the current object has it
   * (if-match), else ConflictError.
   */
  mode?: 'overwrite' | 'create' | { ifMatch: string }
  /**
   * Stops a long write (an S3 multipart upload between parts); the write then rejects and
   * leaves nothing under `path`. Backends whose write is one short step may finish it anyway.
   */
  signal?: AbortSignal
}

/**
 * A slice of the key space for `list`: the paths p with `startAfter < p <= endAt` in UTF-8
 * byte order (the order S3 and GCS list in; see comparePaths), a missing bound being open.
 * The start is exclusive and the end inclusive, like S3's StartAfter, so ranges split at the
 * same points cover every path, the split points included. A backend over a server that may
 * walk a folder tree instead (S3 at a custom endpoint) also keeps the paths that order puts in
 * the range (backend/list-order.ts): a path near a bound may then come from two ranges, and
 * listInRanges drops the repeat.
 */
export interface ListRange {
  startAfter?: string
  endAt?: string
}

/** Orders paths by their UTF-8 bytes (code points), as object stores list them. */
export function comparePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return compareUnits(x, y)
  }
  return a.length - b.length
}

/**
 * Orders the first differing UTF-16 code units of two paths as their UTF-8 bytes order them:
 * UTF-16 puts surrogates (code points past U+FFFF) before U+E000..U+FFFF; bytes do not.
 */
export function compareUnits(x: number, y: number): number {
  if (x >= 0xd800 && y >= 0xd800) {
    return (x >= 0xe000 ? x - 0x800 : x + 0x2000) - (y >= 0xe000 ? y - 0x800 : y + 0x2000)
  }
  return x - y
}

/** Whether `path` is inside `range` (always, without one). */
export function inRange(path: string, range?: ListRange): boolean {
  if (range === undefined) return true
  if (range.startAfter !== undefined && comparePaths(path, range.startAfter) <= 0) return false
  return range.endAt === undefined || comparePaths(path, range.endAt) <= 0
}

/** Whether `path` is at or past the end of `range`: a listing in order can stop after it. */
export function endsRange(path: string, range?: ListRange): boolean {
  return range?.endAt !== undefined && comparePaths(path, range.endAt) >= 0
}

/** Result of a delimited listing: objects directly under the prefix, and sub-"folders". */
export interface ListResult {
  objects: ObjectMeta[]
  prefixes: string[]
}

/**
 * An object opened for random-access reads (see `Backend.openRead`): synchronous reads at any
 * offset, for parsers that cannot await (h5wasm's HDF5 runs inside WebAssembly).
 */
export interface RandomReader {
  /** The object's size when it was opened. */
  readonly size: number
  /** Fills `buffer` from `position` on; returns the bytes read (fewer at the end, 0 past it). */
  readSync(buffer: Uint8Array, position: number): number
  /** Releases the handle; safe to call twice. */
  close(): Promise<void>
}

/** The backend contract; see the conformance suite in test/backend-conformance.ts. */
export interface Backend {
  /** A URL naming the root, for messages: `file:///data/cache`, `s3://bucket/prefix`. */
  readonly url: string
  /**
   * True when `list` honours a range (see ListRange) with a request that starts at its start
   * (S3's StartAfter, GCS's startOffset), so ranges listed at once are faster than one
   * listing page after page; false: a range would still read from the first object.
   */
  readonly listsKeyRanges?: boolean
  /** Metadata of one object, or undefined when there is none. */
  head(path: string): Promise<ObjectMeta | undefined>
  /** The object's bytes (or a range of them), or undefined when there is none. */
  get(path: string, range?: ByteRange): Promise<Uint8Array | undefined>
  /** Writes a whole object; never leaves a partial object visible under `path`. */
  put(path: string, data: Uint8Array, options?: PutOptions): Promise<ObjectMeta>
  /** Removes an object; no error when it is already gone. */
  delete(path: string): Promise<void>
  /**
   * Every object under `prefix` (a folder path, '' for all), recursively, in no set order;
   * with `range`, only the paths inside it (see ListRange), so disjoint ranges can be listed
   * at once.
   */
  list(prefix: string, range?: ListRange): AsyncIterable<ObjectMeta>
  /** Objects and sub-prefixes directly under `prefix` (one level, like S3's delimiter '/'). */
  listWithDelimiter(prefix: string): Promise<ListResult>
  /**
   * Paths under `prefix` without metadata, in pages: a folder on disk, one listing page
   * (up to 1,000 keys) on an object store. Entries `list` skips as no object (a symbolic link
   * on disk) are named too, so a reader meets the refusal instead of a gap. Temp files of
   * interrupted writes are not named (see `listTempFiles`).
   */
  listPaths(prefix: string): AsyncIterable<string[]>
  /**
   * Many small UTF-8 text objects (sidecars) at once, in the order asked, with bounded
   * concurrency (at most 32 requests in flight on an object store). Each entry is the text,
   * or the bytes where the object may not be clean UTF-8 (the caller then decodes strictly),
   * or undefined when there is no such object.
   */
  getManyText(paths: string[]): Promise<(string | Uint8Array | undefined)[]>
  /**
   * Optional (local disks): getManyText with the bytes each file takes on disk, from the
   * descriptor the read holds. A backend without it lists no allocated sizes for sidecars.
   */
  getManyTextSized?(paths: string[]): Promise<SizedText[]>
  /**
   * Metadata of many objects at once, in the order asked, undefined for a missing one; bounded
   * concurrency on an object store (one HEAD per path, at most 32 in flight).
   */
  headMany(paths: string[]): Promise<(ObjectMeta | undefined)[]>
  /**
   * Leftovers of interrupted writes under `prefix` (temp files on disk, which `list` hides),
   * for doctor to report. Object stores yield nothing: their puts are atomic.
   */
  listTempFiles(prefix: string): AsyncIterable<string>
  /**
   * Removes many objects; missing ones are fine. Batched on object stores (S3 DeleteObjects
   * 1,000 keys per request; GCS bounded-concurrency deletes); on disk, `delete` per path with
   * the same checks. A path that could not be removed (a folder, permission) rejects.
   */
  deleteMany(paths: string[]): Promise<void>
  /**
   * Optional: moves one object to another path without copying its bytes (a rename on local
   * disk); false when there is no object at `from`. With `noReplace`, an object already at `to`
   * is AlreadyExistsError and nothing moves. NotSupportedError when this pair of paths cannot
   * be renamed (another filesystem): the caller then copies. Object stores have no rename.
   */
  rename?(from: string, to: string, options?: { noReplace?: boolean }): Promise<boolean>
  /**
   * Optional: copies one object to another path on the server, its bytes never passing
   * through this process (S3 CopyObject); false when there is no object at `from`. Replaces an
   * object at `to`. NotSupportedError when the server cannot copy this object in one request
   * (S3: over 5 GB): the caller then reads and writes it.
   */
  copy?(from: string, to: string): Promise<boolean>
  /** Optional: makes a folder, for backends that have folders (Python creates the metadata folder). */
  ensureDir?(path: string): Promise<void>
  /**
   * Optional: opens one object for synchronous random-access reads (local disk), with the same
   * checks `get` makes; undefined when there is no such object. Readers that can only read
   * synchronously (HDF5 through h5wasm) then read just the bytes they need.
   */
  openRead?(path: string): Promise<RandomReader | undefined>
  /**
   * Whether writes are possible at all: false for a folder without write permission. An object
   * store that cannot know without writing may say true; its writes then reject.
   */
  isWritable(): Promise<boolean>
}

/** `prefix` as a folder: '' stays '', 'a' and 'a/' both become 'a/' (so 'a' never matches 'ab'). */
export function folderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`
}
