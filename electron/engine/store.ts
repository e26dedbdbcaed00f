import { createHash } from 'node:crypto'
import type { Artifact } from '../../shared/artifact.js'
import { isPlainObject } from '../../shared/pyjson.js'
import type {
  ArtifactEntry,
  ArtifactInfo,
  DeletePlan,
  OnDuplicateKey,
  PayloadFile,
  PrunePlan,
  RepairPlan,
  TrashEmptyPlan,
  TrashEntry,
  TrashRestorePlan,
} from '../../shared/store-types.js'
import type { Backend, ObjectMeta } from './backend/backend.js'
import { MemoryBackend } from './backend/memory.js'
import { openBackend, type StorageOptions } from './backend/open.js'
import {
  CorruptPayloadError,
  InvalidArgumentError,
  KeyNotFoundError,
  ReadOnlyError,
  XpersistError,
} from './errors.js'
import { METADATA_DIR, sidecarPath, validateKey } from './keys.js'
import { ownedBy } from './ownership.js'
import { pickSerializer } from './pick.js'
import { registry as defaultRegistry, type Registry } from './builtins.js'
import type { Kwargs, Serializer, Target } from './serializers/serializer.js'
import { decodeSidecar } from './sidecar.js'
import { repairInterrupted } from './lock-repair.js'
import type { PruneRules } from './prune.js'
import type { PruneOptions } from './store-prune.js'
import { deleteKeys, deleteOrphans, type DeleteOptions } from './store-delete.js'
import { rewriteMetadata, writeArtifact } from './store-write.js'
import { emptyTrash, listTrash, restoreFromTrash, type EmptyOptions } from './trash.js'
import {
  listArtifacts,
  listKeys,
  listSidecarNames,
  openListing,
  readSidecars,
  type Listing,
  type ListOptions,
  type SidecarResult,
} from './store-list.js'

/** Options for CacheStore.open, mirroring Python's CacheStore arguments. */
export interface OpenOptions {
  readonly?: boolean
  onDuplicateKey?: OnDuplicateKey
  storageOptions?: StorageOptions
  /** The registry serializers come from (the global one by default). */
  registry?: Registry
  /**
   * Whether a missing cache folder may be made by the first write (default true for a writable
   * open, as Python makes it). False makes a missing folder an error at once, for commands
   * that only read or delete (rm, doctor, the explorer). Opening itself never creates anything.
   */
  create?: boolean
  /** Where environment defaults (fsspec's FSSPEC_S3...) are read; process.env by default. */
  env?: Readonly<Record<string, string | undefined>>
}

/** Options for put. */
export interface PutOptionsArg {
  serializer?: string
  dumpKwargs?: Kwargs
  additionalMetadata?: Record<string, unknown>
  /** Overrides the store's on_duplicate_key for this call. */
  onDuplicateKey?: OnDuplicateKey
  /** created_at to record instead of now (for imports that keep an original date, and demos). */
  createdAt?: string
}

const DUPLICATE_POLICIES: OnDuplicateKey[] = ['skip', 'overwrite', 'raise_error']

// A sidecar's dump_kwargs must be a dict, or the sidecar written would read back as corrupt.
function checkDumpKwargsShape(kwargs: unknown): Kwargs {
  if (kwargs === undefined) return {}
  if (isPlainObject(kwargs)) return kwargs
  const kind = kwargs === null ? 'null' : Array.isArray(kwargs) ? 'an array' : `a ${typeof kwargs}`
  throw new InvalidArgumentError(
    `dump_kwargs must be a JSON object (a Python dict) like {"index": false}, not ${kind}.`,
  )
}

/**
 * A cache of artifacts, read and written the way Python xpersist does: payload at `<key>`,
 * sidecar at `xpersist_metadata_store/<key>.artifact.json`. Writes are atomic (payload first,
 * sidecar last, so a key is never visible with a partial payload); read-only is enforced here.
 */
export class CacheStore {
  private constructor(
    readonly backend: Backend,
    readonly readonly: boolean,
    readonly readonlyReason: string | null,
    readonly onDuplicateKey: OnDuplicateKey,
    readonly registry: Registry,
  ) {}

  /**
   * Opens a cache. Opening creates nothing (Python makes the root and metadata folders here):
   * a writable store makes them on its first write, so a mistyped path or a folder that is not a
   * cache is never turned into one by looking at it.
   */
  static async open(location: string, options: OpenOptions = {}): Promise<CacheStore> {
    const policy = options.onDuplicateKey ?? 'skip'
    if (!DUPLICATE_POLICIES.includes(policy)) {
      throw new InvalidArgumentError(
        `on_duplicate_key must be one of ${DUPLICATE_POLICIES.join(', ')}, not '${policy}'.`,
      )
    }
    const readonly = options.readonly ?? false
    const create = !readonly && options.create !== false
    const backend = await openBackend(location, options.storageOptions ?? {}, create, options.env)
    let reason = readonly ? 'opened read-only' : null
    if (!readonly && !(await backend.isWritable())) reason = 'no write permission on the cache'
    const store = new CacheStore(
      backend,
      reason !== null,
      reason,
      policy,
      options.registry ?? defaultRegistry,
    )
    return store
  }

  /** Where this cache lives, as a URL. */
  get url(): string {
    return this.backend.url
  }

  private assertWritable(action: string): void {
    if (this.readonly) {
      throw new ReadOnlyError(
        `Cannot ${action}: the cache at ${this.url} is read-only (${this.readonlyReason}). ` +
          `Open it without --readonly / the read-only toggle to change it.`,
      )
    }
  }

  /** Every key, nested ones too, sorted (Python lists only the top folder, unsorted). */
  async keys(): Promise<string[]> {
    return listKeys(this.backend)
  }

  /**
   * Every name the sidecar files give, sorted: the keys, plus names that are no valid key,
   * which artifacts() lists as broken rows (for a listing's total).
   */
  async sidecarNames(): Promise<string[]> {
    return listSidecarNames(this.backend)
  }

  /** Whether `key` has a sidecar. */
  async has(key: string): Promise<boolean> {
    validateKey(key)
    return (await this.backend.head(sidecarPath(key))) !== undefined
  }

  /** The sidecar of `key`; KeyNotFoundError, or CorruptSidecarError naming the file. */
  async getArtifact(key: string): Promise<Artifact> {
    return decodeSidecar(await this.readSidecar(key), `${sidecarPath(key)} in ${this.url}`)
  }

  /** The sidecars of many keys in one bulk read; a missing or broken one carries its error. */
  async getArtifacts(keys: string[]): Promise<SidecarResult[]> {
    keys.forEach((k) => validateKey(k))
    return readSidecars(this, keys)
  }

  /** The sidecar of `key` with the version it was read at (for updateMetadata). */
  async getEntry(key: string): Promise<ArtifactEntry> {
    const bytes = await this.readSidecar(key)
    const artifact = decodeSidecar(bytes, `${sidecarPath(key)} in ${this.url}`)
    return { artifact, version: versionOf(bytes) }
  }

  private async readSidecar(key: string): Promise<Uint8Array> {
    validateKey(key)
    const bytes = await this.backend.get(sidecarPath(key))
    if (bytes === undefined) {
      throw new KeyNotFoundError(
        `No artifact '${key}' in ${this.url}: there is no sidecar ${sidecarPath(key)}. ` +
          `Run 'xpersist ls' to see the keys it holds.`,
      )
    }
    return bytes
  }

  /** The serializer registered as `name`. */
  async serializer(name: string): Promise<Serializer> {
    return this.registry.serializers.get(name)()
  }

  private target(key: string, putMode: Target['putMode'] = 'overwrite'): Target {
    return { backend: this.backend, path: key, putMode }
  }

  /** The value of `key`, loaded by its serializer (or the one named) with its load_kwargs. */
  async get(
    key: string,
    options: { serializer?: string; loadKwargs?: Kwargs } = {},
  ): Promise<unknown> {
    const artifact = await this.getArtifact(key)
    const serializer = await this.serializer(options.serializer ?? artifact.serializer)
    const kwargs = options.loadKwargs ?? artifact.load_kwargs
    try {
      return await serializer.load(this.target(key), kwargs)
    } catch (err) {
      if (err instanceof XpersistError) throw err
      throw new CorruptPayloadError(
        `Could not load '${key}' with ${serializer.name}: ${(err as Error).message}. ` +
          `The payload may be damaged; 'xpersist doctor' checks the cache.`,
        { cause: err },
      )
    }
  }

  /** Serializes `value` under `key` and writes its sidecar; returns the Artifact now stored. */
  async put(key: string, value: unknown, options: PutOptionsArg = {}): Promise<Artifact> {
    this.assertWritable(`put '${String(key)}'`)
    validateKey(key)
    const name =
      !options.serializer || options.serializer === 'auto'
        ? pickSerializer(value)
        : options.serializer
    const serializer = await this.serializer(name)
    const dumpKwargs = checkDumpKwargsShape(options.dumpKwargs)
    const loadKwargs = serializer.sidecarLoadKwargs?.(value, dumpKwargs) ?? {}
    return this.write(key, options, serializer, loadKwargs, (target) =>
      serializer.dump(value, target, dumpKwargs),
    )
  }

  /**
   * Stores bytes that already are a payload (a CSV file, a joblib file) under `key`, after
   * checking that `serializer` can load them; the bytes are kept exactly.
   */
  async importPayload(
    key: string,
    data: Uint8Array,
    options: PutOptionsArg & { serializer: string },
  ): Promise<Artifact> {
    this.assertWritable(`put '${String(key)}'`)
    validateKey(key)
    const serializer = await this.serializer(options.serializer)
    // The bytes are kept as they are, but the sidecar records the kwargs: dump must take them.
    serializer.checkDumpKwargs?.(checkDumpKwargsShape(options.dumpKwargs))
    try {
      if (serializer.checkPayload) await serializer.checkPayload(data)
      else {
        const scratch = new MemoryBackend()
        await scratch.put('payload', data)
        const loaded = await serializer.load(
          { backend: scratch, path: 'payload', putMode: 'overwrite' },
          {},
        )
        await closeLoaded(loaded)
      }
    } catch (err) {
      throw new InvalidArgumentError(
        `That file is not something ${serializer.name} can read (${(err as Error).message}). ` +
          `Choose another serializer with --serializer.`,
      )
    }
    return this.write(key, options, serializer, {}, async (target) => {
      await target.backend.put(target.path, data, { mode: target.putMode })
    })
  }

  /**
   * Stores a folder (a Zarr store) byte for byte under `key/`, after checking `serializer` (or
   * the one its content names) opens it; see import-folder.ts. Returns the artifact and the
   * payload's size.
   */
  async importFolder(
    key: string,
    dir: string,
    options: PutOptionsArg = {},
  ): Promise<{ artifact: Artifact; files: number; bytes: number }> {
    this.assertWritable(`put '${String(key)}'`)
    validateKey(key)
    const { storeFolder } = await import('./import-folder.js')
    return storeFolder(this, key, dir, options, (serializer, loadKwargs, dump) =>
      this.write(key, options, serializer, loadKwargs, dump),
    )
  }

  private async write(
    key: string,
    options: PutOptionsArg,
    serializer: Serializer,
    loadKwargs: Kwargs,
    dump: (target: Target, changing: () => void) => Promise<void>,
  ): Promise<Artifact> {
    const policy = options.onDuplicateKey ?? this.onDuplicateKey
    // The metadata folder before any payload: a folder with payloads is always a cache.
    await this.backend.ensureDir?.(METADATA_DIR)
    return writeArtifact(this, key, policy, options, serializer.name, loadKwargs, dump)
  }

  /**
   * Replaces additional_metadata of `key`. With `expectedVersion` (from getEntry) it refuses,
   * with ConflictError carrying the current entry, if the sidecar changed since it was read.
   */
  async updateMetadata(
    key: string,
    additionalMetadata: Record<string, unknown>,
    options: { expectedVersion?: string } = {},
  ): Promise<ArtifactEntry> {
    this.assertWritable(`update the metadata of '${String(key)}'`)
    validateKey(key)
    return rewriteMetadata(this, key, additionalMetadata, options.expectedVersion)
  }

  /** Deletes `key` (sidecar first, then payload); with dryRun (the default) only plans it. */
  async delete(key: string, options: { dryRun?: boolean } = {}): Promise<DeletePlan> {
    return this.deleteMany([key], options)
  }

  /** Deletes several keys, one whole key at a time; cancel with `signal` between keys. */
  async deleteMany(keys: string[], options: DeleteOptions = {}): Promise<DeletePlan> {
    keys.forEach((k) => validateKey(k))
    if (options.dryRun === false)
      this.assertWritable(
        `${options.trash ? 'move to the trash' : 'delete'} ${keys.length === 1 ? `'${keys[0]}'` : `${keys.length} artifacts`}`,
      )
    return deleteKeys(this, keys, options)
  }

  /**
   * Deletes what retention `rules` choose (see prune.ts); dry run (the default) only plans it,
   * from the listing alone.
   */
  async prune(rules: PruneRules, options: PruneOptions = {}): Promise<PrunePlan> {
    if (options.dryRun === false) this.assertWritable('prune')
    const { pruneStore } = await import('./store-prune.js')
    return pruneStore(this, rules, options)
  }

  /** The trash entries (what deletes with `trash` moved aside), oldest first. */
  async trashEntries(): Promise<TrashEntry[]> {
    return listTrash(this)
  }

  /**
   * Restores `keys` (all when empty) from trash entry `id`; a key written since is refused
   * and the others restored. Dry run (the default) only plans.
   */
  async restoreFromTrash(
    id: string,
    keys: string[] = [],
    options: { dryRun?: boolean } = {},
  ): Promise<TrashRestorePlan> {
    keys.forEach((k) => validateKey(k))
    if (options.dryRun === false) this.assertWritable(`restore from trash entry '${id}'`)
    return restoreFromTrash(this, id, keys, options)
  }

  /** Deletes trash entries for good (older than, or by id, or all); dry run by default. */
  async emptyTrash(options: EmptyOptions = {}): Promise<TrashEmptyPlan> {
    if (options.dryRun === false) this.assertWritable('empty the trash')
    return emptyTrash(this, options)
  }

  /** Removes payload files no sidecar claims (as doctor reports them); dry run by default. */
  async deleteOrphans(paths: string[], options: DeleteOptions = {}): Promise<DeletePlan> {
    if (options.dryRun === false) this.assertWritable(`delete ${paths.length} orphan file(s)`)
    return deleteOrphans(this, paths, options)
  }

  /**
   * Finishes or undoes writes whose process died halfway (as doctor reports them), so each
   * key is one whole artifact again; dry run (the default) only says what it would do.
   */
  async repairInterrupted(options: { dryRun?: boolean } = {}): Promise<RepairPlan> {
    if (options.dryRun === false) this.assertWritable('repair interrupted writes')
    return repairInterrupted(this, options)
  }

  /**
   * The payload objects of `key`: the object itself, or the files under `key/` (zarr) that no
   * more specific key owns (see ownedBy). `keys` gives every key of the cache when the caller
   * has them (asked only for a folder payload); without it the keys are read now, so ownership
   * is proved as of now.
   */
  async payloadFiles(
    key: string,
    keys?: () => Promise<ReadonlySet<string>>,
  ): Promise<PayloadFile[]> {
    return (await this.payloadObjects(key, keys)).map((m) => ({ path: m.path, bytes: m.size }))
  }

  /** payloadFiles with each object's metadata (etag too), sorted by path. */
  async payloadObjects(
    key: string,
    keys?: () => Promise<ReadonlySet<string>>,
  ): Promise<ObjectMeta[]> {
    const single = await this.backend.head(key)
    if (single) return [single]
    const under: ObjectMeta[] = []
    for await (const m of this.backend.list(`${key}/`)) under.push(m)
    if (under.length === 0) return under
    const known = keys ? await keys() : new Set(await this.keys())
    const owned = under.filter((m) => ownedBy(m.path, key, known))
    return owned.sort((a, b) => (a.path < b.path ? -1 : 1))
  }

  /** Every artifact with its sidecar (or its error) and payload size, in key order, streamed. */
  artifacts(options: ListOptions = {}): AsyncIterable<ArtifactInfo> {
    return listArtifacts(this, options)
  }

  /** artifacts(), with every name known before the first row (a listing's total). */
  async listing(options: ListOptions = {}): Promise<Listing> {
    return openListing(this, options)
  }
}

/** Releases what a value loaded only to check it holds (a dataset's open file handles). */
export async function closeLoaded(value: unknown): Promise<void> {
  if (value === null || typeof value !== 'object') return
  const v = value as { close?: unknown; kind?: unknown; datasets?: unknown }
  if (v.kind === 'collection' && v.datasets instanceof Map) {
    for (const ds of v.datasets.values()) await closeLoaded(ds)
  } else if (v.kind === 'dataset' && typeof v.close === 'function') {
    await (v.close as () => Promise<void>)()
  }
}

/** The version tag of sidecar bytes: a content hash, so any rewrite changes it. */
export function versionOf(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex').slice(0, 16)
}
