import { utcNowIso } from '../../../shared/artifact.js'
import type { Kwargs } from '../serializers/serializer.js'
import type { CacheStore } from '../store.js'
import { pyFormat } from './pyformat.js'
import { slugify } from './slugify.js'

/** The Prefect context keys Python's XpersistResult records, sorted as it sorts them. */
export const CONTEXT_KEYS = [
  'flow_id',
  'flow_name',
  'flow_run_id',
  'flow_run_name',
  'flow_run_version',
  'map_index',
  'task_full_name',
  'task_id',
  'task_name',
  'task_run_id',
  'task_run_name',
  'task_run_version',
  'task_slug',
  'task_tags',
  'today',
  'tomorrow',
  'yesterday',
] as const

/** Options for an XpersistResult, as Python's constructor takes them. */
export interface XpersistResultOptions {
  cacheStore: CacheStore
  serializer?: string
  serializerDumpKwargs?: Kwargs
  serializerLoadKwargs?: Kwargs
  /** A `str.format` template such as 'sst/{flow_run_name}/{task_name}-{map_index}'. */
  location?: string
  value?: unknown
}

/**
 * Persists pipeline task results in a cache store, as Python's XpersistResult does for
 * Prefect: `write` formats the location template with the run context and records the
 * context in additional_metadata; `read` and `exists` look results up again.
 */
export class XpersistResult {
  readonly cacheStore: CacheStore
  readonly serializer: string
  readonly serializerDumpKwargs: Kwargs
  readonly serializerLoadKwargs: Kwargs
  location: string | undefined
  value: unknown

  constructor(options: XpersistResultOptions) {
    this.cacheStore = options.cacheStore
    this.serializer = options.serializer ?? 'auto'
    this.serializerDumpKwargs = options.serializerDumpKwargs ?? {}
    this.serializerLoadKwargs = options.serializerLoadKwargs ?? {}
    this.location = options.location
    this.value = options.value
  }

  /** A copy with some fields changed. */
  copy(changes: Partial<XpersistResultOptions> = {}): XpersistResult {
    return new XpersistResult({
      cacheStore: this.cacheStore,
      serializer: this.serializer,
      serializerDumpKwargs: this.serializerDumpKwargs,
      serializerLoadKwargs: this.serializerLoadKwargs,
      location: this.location,
      value: this.value,
      ...changes,
    })
  }

  /** `prefect-result-<slugified ISO UTC now>`, as Python names results without a template. */
  get defaultLocation(): string {
    return `prefect-result-${slugify(`${utcNowIso()}+00:00`)}`
  }

  /** A copy whose location is the template formatted with `kwargs` (or the default one). */
  format(kwargs: Record<string, unknown> = {}): XpersistResult {
    const location =
      this.location === undefined ? this.defaultLocation : pyFormat(this.location, kwargs)
    return this.copy({ location })
  }

  /** Whether the formatted location is a key in the store. */
  async exists(location: string, kwargs: Record<string, unknown> = {}): Promise<boolean> {
    return this.cacheStore.has(pyFormat(location, kwargs))
  }

  /** A new result holding the value stored at `location`. */
  async read(location: string): Promise<XpersistResult> {
    const hasLoadKwargs = Object.keys(this.serializerLoadKwargs).length > 0
    const value = await this.cacheStore.get(
      location,
      hasLoadKwargs ? { loadKwargs: this.serializerLoadKwargs } : {},
    )
    return this.copy({ location, value })
  }

  /** Stores `value` at the formatted location with the run context as metadata; returns the new result. */
  async write(value: unknown, kwargs: Record<string, unknown> = {}): Promise<XpersistResult> {
    const result = this.format(kwargs)
    result.value = value
    const metadata: Record<string, unknown> = {}
    for (const key of CONTEXT_KEYS) metadata[key] = contextValue(kwargs[key])
    await this.cacheStore.put(result.location as string, value, {
      serializer: this.serializer,
      dumpKwargs: this.serializerDumpKwargs,
      additionalMetadata: metadata,
    })
    return result
  }
}

// pydantic's .json() writes a set as a list (the fixture's task_tags); missing keys are ''.
function contextValue(v: unknown): unknown {
  if (v === undefined) return ''
  if (v instanceof Set) return [...v]
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  return v
}

/** Options for `cached`. */
export interface CachedOptions<A extends unknown[]> {
  store: CacheStore
  /** The key, or a function of the call's arguments giving it. */
  key: string | ((...args: A) => string)
  serializer?: string
  dumpKwargs?: Kwargs
  additionalMetadata?: Record<string, unknown>
}

/** Wraps `fn` so its result is computed once, stored, and read from the cache after. */
export function cached<A extends unknown[], R>(
  fn: (...args: A) => R | Promise<R>,
  options: CachedOptions<A>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const key = typeof options.key === 'function' ? options.key(...args) : options.key
    if (await options.store.has(key)) return (await options.store.get(key)) as R
    const value = await fn(...args)
    await options.store.put(key, value, {
      serializer: options.serializer,
      dumpKwargs: options.dumpKwargs,
      additionalMetadata: options.additionalMetadata,
    })
    return value
  }
}
