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
}

/** A byte range: from `offset`, `length` bytes; or the last `suffixLength` bytes. */
export type ByteRange = { offset: number; length: number } | { suffixLength: number }

/** Options for `put`. */
export interface PutOptions {
  /**
   * 'overwrite' (default) replaces atomically; 'create' fails with AlreadyExistsError if the
   * object exists (if-none-match); an etag string succeeds only if the current object has it
   * (if-match), else ConflictError.
   */
  mode?: 'overwrite' | 'create' | { ifMatch: string }
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
  /** Metadata of one object, or undefined when there is none. */
  head(path: string): Promise<ObjectMeta | undefined>
  /** The object's bytes (or a range of them), or undefined when there is none. */
  get(path: string, range?: ByteRange): Promise<Uint8Array | undefined>
  /** Writes a whole object; never leaves a partial object visible under `path`. */
  put(path: string, data: Uint8Array, options?: PutOptions): Promise<ObjectMeta>
  /** Removes an object; no error when it is already gone. */
  delete(path: string): Promise<void>
  /** Every object under `prefix` (a folder path, '' for all), recursively, in no set order. */
  list(prefix: string): AsyncIterable<ObjectMeta>
  /** Objects and sub-prefixes directly under `prefix` (one level, like S3's delimiter '/'). */
  listWithDelimiter(prefix: string): Promise<ListResult>
  /**
   * Optional: paths under `prefix` without metadata, in pages (a folder, or an object-store
   * listing page), where that is cheaper than `list`. Entries `list` skips as no object (a
   * symbolic link on disk) are named too, so a reader meets the refusal instead of a gap.
   */
  listPaths?(prefix: string): AsyncIterable<string[]>
  /**
   * Optional: many small UTF-8 text objects at once, decoded where decoding is cheapest; an
   * object that may not be clean UTF-8 comes back as bytes, for the caller to decode strictly.
   */
  getManyText?(paths: string[]): Promise<(string | Uint8Array | undefined)[]>
  /** Optional: metadata of many objects at once. */
  headMany?(paths: string[]): Promise<(ObjectMeta | undefined)[]>
  /** Optional: makes a folder, for backends that have folders (Python creates the metadata folder). */
  ensureDir?(path: string): Promise<void>
  /**
   * Optional: opens one object for synchronous random-access reads (local disk), with the same
   * checks `get` makes; undefined when there is no such object. Readers that can only read
   * synchronously (HDF5 through h5wasm) then read just the bytes they need.
   */
  openRead?(path: string): Promise<RandomReader | undefined>
  /** Whether writes are possible at all (false for a folder without write permission). */
  isWritable(): Promise<boolean>
}
