import type { Backend, ByteRange, ObjectMeta, PutOptions } from '../backend/backend.js'
import { InvalidArgumentError } from '../errors.js'

/**
 * Where a serializer reads or writes one artifact's payload: a path in a backend. A payload is
 * one object at `path` (csv, joblib, netcdf) or several objects under `path + '/'` (zarr).
 * Serializers never see a bare filesystem path.
 */
export interface Target {
  readonly backend: Backend
  /** The payload path relative to the backend root (the artifact key). */
  readonly path: string
  /** How `write` puts objects: the store picks 'create' for race-safe puts. */
  readonly putMode: PutOptions['mode']
}

/** Reads the whole single-object payload; CorruptPayloadError-free: undefined when missing. */
export function readTarget(target: Target, range?: ByteRange): Promise<Uint8Array | undefined> {
  return target.backend.get(target.path, range)
}

/** Writes the single-object payload with the store's put mode. */
export function writeTarget(target: Target, data: Uint8Array): Promise<ObjectMeta> {
  return target.backend.put(target.path, data, { mode: target.putMode })
}

/** Keyword arguments as they sit in a sidecar's load_kwargs / dump_kwargs. */
export type Kwargs = Record<string, unknown>

/** Options for a preview: bounded by rows (tables) or bytes (everything else). */
export interface PreviewOptions {
  rows?: number
  offset?: number
  maxBytes?: number
}

/** One serializer, registered by name in the registry ('pandas.csv', 'joblib', ...). */
export interface Serializer {
  /** The registry name, exactly as Python xpersist writes it in sidecars. */
  readonly name: string
  /** Writes `value` to the target; throws InvalidArgumentError for values or kwargs it cannot take. */
  dump(value: unknown, target: Target, kwargs: Kwargs): Promise<void>
  /** Reads the payload back into a value. */
  load(target: Target, kwargs: Kwargs): Promise<unknown>
  /** A bounded view of the payload for `show` and the explorer; reads no more than it needs. */
  preview?(target: Target, options: PreviewOptions & { kwargs: Kwargs }): Promise<unknown>
  /**
   * Rows of a table payload, counted streaming (a preview page may not know it); null when it
   * cannot be counted without loading. Stops with the signal's reason when it aborts.
   */
  countRows?(
    target: Target,
    options: { kwargs: Kwargs; signal?: AbortSignal },
  ): Promise<number | null>
  /**
   * load_kwargs to record in the sidecar of a value this serializer dumps, so that Python's
   * get (which passes them to its loader) reads it back as it was put: pandas.csv records
   * index_col=0 when it wrote the index, so the index comes back as an index, not a column.
   */
  sidecarLoadKwargs?(value: unknown, dumpKwargs: Kwargs): Kwargs
  /**
   * Checks dump kwargs without writing anything: a payload stored as it is (a CSV file put
   * byte for byte) still records them in its sidecar, so they must be ones dump takes.
   */
  checkDumpKwargs?(kwargs: Kwargs): void
  /**
   * Checks that a file stored byte for byte loads (with no kwargs), throwing what `load` would,
   * without building the value: `put` of a CSV checks it streaming instead of loading it all.
   */
  checkPayload?(data: Uint8Array): void | Promise<void>
}

/**
 * Rejects kwargs a serializer does not implement, naming them and what it does take: a
 * silently dropped kwarg would write something other than what the user asked for.
 */
export function checkKwargs(
  serializer: string,
  direction: 'load' | 'dump',
  kwargs: Kwargs,
  known: readonly string[],
): void {
  const unknown = Object.keys(kwargs).filter((k) => !known.includes(k))
  if (unknown.length === 0) return
  const list = known.length ? known.join(', ') : 'none'
  throw new InvalidArgumentError(
    `${serializer} does not support ${direction} kwarg${unknown.length > 1 ? 's' : ''} ` +
      `${unknown.map((k) => `'${k}'`).join(', ')}; supported: ${list}. ` +
      `Remove ${unknown.length > 1 ? 'them' : 'it'} or read this artifact with Python xpersist.`,
  )
}
