import type { OnDuplicateKey } from '../../shared/store-types.js'
import type { ObjectMeta } from './backend/backend.js'
import { ObjectComparer } from './copy-compare.js'
import { forEachBounded, Gate } from './copy-gate.js'
import { selectKeys, type KeySelection } from './copy-select.js'
import { InvalidArgumentError, ReadOnlyError, toErrorShape } from './errors.js'
import { listDestination } from './copy-destination.js'
import { sidecarPath } from './keys.js'
import { decodeSidecar } from './sidecar.js'
import { awaitPendingCreate } from './pending-create.js'
import type { CacheStore } from './store.js'

/**
 * What a copy does with one key: 'copy' (new in the destination), 'overwrite' (replaces a
 * different artifact there), 'same' (already there, equal: nothing to do, which is how a rerun
 * resumes), 'skip' (a different artifact is there and on_duplicate_key is skip), 'refuse' (the
 * same with raise_error: the run refuses before copying anything), 'broken' (the source's
 * sidecar or payload cannot be read: not copied).
 */
export type CopyAction = 'copy' | 'overwrite' | 'same' | 'skip' | 'refuse' | 'broken'

/** One payload object of the source; `copy` false when the destination already holds it equal. */
export interface CopyObject {
  path: string
  bytes: number
  copy: boolean
}

/** One key's part of a copy plan. */
export interface CopyPlanEntry {
  key: string
  action: CopyAction
  /** Why it is skipped, refused or broken, in words; null otherwise. */
  reason: string | null
  /** The source's payload objects (the key itself, or every object a Zarr folder holds). */
  objects: CopyObject[]
  /** Objects of the destination's old payload the new one lacks: removed before the sidecar. */
  remove: string[]
  /** Payload bytes of the source. */
  bytes: number
  /** Bytes that must be transferred (objects not already equal). */
  copyBytes: number
}

/** A copy between two caches: planned (dry run), then perhaps run. */
export interface CopyPlan {
  source: string
  destination: string
  onDuplicateKey: OnDuplicateKey
  dryRun: boolean
  entries: CopyPlanEntry[]
  /** Keys to write (copy + overwrite), objects and bytes to transfer. */
  keys: number
  objects: number
  bytes: number
  /** Keys written by the run, in the order they became visible. */
  copied: string[]
  /** Objects and bytes the run transferred. */
  copiedObjects: number
  copiedBytes: number
  /** True when a cancel stopped the run; keys in `copied` are whole, the rest untouched. */
  cancelled: boolean
}

/** What planning found that running needs again; kept off the plan so it stays plain data. */
export interface CopyContext {
  source: CacheStore
  destination: CacheStore
  policy: OnDuplicateKey
  sourceKeys: ReadonlySet<string>
  /** The destination's keys; grows as the run writes. */
  destinationKeys: Set<string>
  /**
   * Keys the destination's listing at planning showed nothing of (no payload object at or
   * under the key, no sidecar, no write lock): planned without a request, and written by the
   * create-only fast path when their payload is one object (see copy-create.ts).
   */
  absent: ReadonlySet<string>
  /** Each key's source sidecar bytes, exactly as stored (or why they cannot be read). */
  sidecars: Map<string, Uint8Array | Error>
  /**
   * Each key's source payload objects as first planned: the snapshot the run copies and checks
   * against afterwards, so a source rewritten meanwhile is caught instead of copied half old.
   */
  sourceObjects: Map<string, ObjectMeta[]>
  gate: Gate
  comparer: ObjectComparer
}

const contexts = new WeakMap<CopyPlan, CopyContext>()

/** The context planCopy made for `plan`; runCopy takes only plans made here. */
export function contextOf(plan: CopyPlan): CopyContext {
  const found = contexts.get(plan)
  if (!found) throw new InvalidArgumentError('That copy plan was not made by planCopy; plan again.')
  return found
}

/** Options for planning a copy. */
export interface PlanCopyOptions {
  /** Default: the destination store's on_duplicate_key. */
  onDuplicateKey?: OnDuplicateKey
  /** Gate for reads and writes (tests pass a small one). */
  gate?: Gate
}

// Keys judged at once: each is a few small requests (sidecar, head, maybe a listing), so
// against an object store the plan is bound by latency; hash reads still go through the gate.
const PLAN_WIDTH = 32

/** Refuses what no copy may do: write into a read-only cache, or copy a cache onto itself. */
export function assertCopyable(source: CacheStore, destination: CacheStore): void {
  if (destination.readonly) {
    throw new ReadOnlyError(
      `Cannot copy into ${destination.url}: it is read-only (${destination.readonlyReason}). ` +
        `Open it writable, or copy into another cache.`,
    )
  }
  if (overlap(source, destination)) {
    throw new InvalidArgumentError(
      `${source.url} and ${destination.url} are the same cache or one holds the other; ` +
        `copy into a cache outside the source.`,
    )
  }
}

// One cache inside the other would make each one's files the other's orphans or keys. A
// memory backend's URL names no place, so only the same instance is the same cache.
function overlap(a: CacheStore, b: CacheStore): boolean {
  if (a.backend === b.backend) return true
  if (a.url.startsWith('memory:') || b.url.startsWith('memory:')) return false
  const [x, y] = [a.url.replace(/\/+$/, ''), b.url.replace(/\/+$/, '')]
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`)
}

/**
 * Plans copying the selected keys of `source` into `destination`: for every key, what happens
 * and why, which objects travel and which are already there equal. Reads both caches, writes
 * nothing (a missing destination folder is not even created).
 */
export async function planCopy(
  source: CacheStore,
  destination: CacheStore,
  selection: KeySelection = {},
  options: PlanCopyOptions = {},
): Promise<CopyPlan> {
  assertCopyable(source, destination)
  const keys = await selectKeys(source, selection)
  const gate = options.gate ?? new Gate()
  const listed = await listDestination(destination, keys)
  const context: CopyContext = {
    source,
    destination,
    policy: options.onDuplicateKey ?? destination.onDuplicateKey,
    sourceKeys: new Set(await source.keys()),
    destinationKeys: listed.keys,
    absent: listed.absent,
    sidecars: new Map(),
    sourceObjects: new Map(),
    gate,
    comparer: new ObjectComparer(gate),
  }
  const entries: CopyPlanEntry[] = new Array(keys.length)
  await forEachBounded(keys, PLAN_WIDTH, async (key, i) => {
    context.sidecars.set(key, await readSourceSidecar(source, key))
    entries[i] = await planKey(context, key)
  })
  const plan: CopyPlan = {
    source: source.url,
    destination: destination.url,
    onDuplicateKey: context.policy,
    dryRun: true,
    entries,
    keys: 0,
    objects: 0,
    bytes: 0,
    copied: [],
    copiedObjects: 0,
    copiedBytes: 0,
    cancelled: false,
  }
  for (const e of entries) {
    if (e.action !== 'copy' && e.action !== 'overwrite') continue
    plan.keys++
    plan.objects += e.objects.filter((o) => o.copy).length
    plan.bytes += e.copyBytes
  }
  contexts.set(plan, context)
  return plan
}

async function readSourceSidecar(source: CacheStore, key: string): Promise<Uint8Array | Error> {
  try {
    const bytes = await source.backend.get(sidecarPath(key))
    if (bytes === undefined) return new Error('its sidecar vanished since the listing')
    // Copied byte for byte, but only a sidecar that reads: a broken one would stay broken.
    decodeSidecar(bytes, `${sidecarPath(key)} in ${source.url}`)
    return bytes
  } catch (err) {
    return new Error(toErrorShape(err).message)
  }
}

/** Whether two byte arrays hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0
}

/** One key judged against the destination, with what was read of the destination for it. */
export interface KeyJudgement {
  entry: CopyPlanEntry
  /** The destination's payload objects of the key, and its sidecar bytes, as read. */
  existing: ObjectMeta[]
  theirs: Uint8Array | undefined
}

/** Plans one key against the destination as it is now; see judgeKey. */
export async function planKey(context: CopyContext, key: string): Promise<CopyPlanEntry> {
  return (await judgeKey(context, key, false)).entry
}

/**
 * Judges one key against the destination as it is now. Called again under the key's write
 * lock (`locked`) before writing, so a destination that changed since planning is judged as it
 * is; only then is a key the destination's listing lacks looked up anyway.
 */
export async function judgeKey(
  context: CopyContext,
  key: string,
  locked: boolean,
  waited = false,
): Promise<KeyJudgement> {
  const { source, destination, comparer, policy } = context
  let existing: ObjectMeta[] = []
  let theirs: Uint8Array | undefined
  const entry = (
    action: CopyAction,
    reason: string | null,
    objects: CopyObject[] = [],
    remove: string[] = [],
  ): CopyPlanEntry => ({
    key,
    action,
    reason,
    objects,
    remove,
    bytes: objects.reduce((s, o) => s + o.bytes, 0),
    copyBytes: objects.reduce((s, o) => s + (o.copy ? o.bytes : 0), 0),
  })
  const sidecar = context.sidecars.get(key)
  if (!(sidecar instanceof Uint8Array)) {
    return judged(
      entry('broken', `the source's sidecar cannot be read: ${sidecar?.message ?? 'missing'}`),
    )
  }
  let sourceObjects = context.sourceObjects.get(key)
  if (!sourceObjects) {
    sourceObjects = await source.payloadObjects(key, async () => context.sourceKeys)
    context.sourceObjects.set(key, sourceObjects)
  }
  const planned = sourceObjects
  if (planned.length === 0) {
    return judged(entry('broken', "the source has no payload for it (see 'xpersist doctor')"))
  }
  const all = (copy: boolean) => planned.map((o) => ({ path: o.path, bytes: o.size, copy }))
  // Nothing of the key in the destination's listing: no request to it at planning.
  if (!locked && context.absent.has(key)) return judged(entry('copy', null, all(true)))
  // Planning trusts the destination's listing for keys it lacks (no request per new key).
  if (locked || context.destinationKeys.has(key)) {
    theirs = await destination.backend.get(sidecarPath(key))
  }
  const sameSidecar = theirs !== undefined && sameBytes(theirs, sidecar)
  // A different artifact that stays (skip) or stops the run (raise_error) needs no byte compared.
  if (theirs !== undefined && !sameSidecar && policy !== 'overwrite') {
    const why = `a different artifact has this key there (on_duplicate_key ${policy})`
    return judged(entry(policy === 'skip' ? 'skip' : 'refuse', why, all(true)))
  }
  existing = await destination.payloadObjects(key, async () => context.destinationKeys)
  const byPath = new Map<string, ObjectMeta>(existing.map((m) => [m.path, m]))
  const objects: CopyObject[] = planned.map((o) => ({ path: o.path, bytes: o.size, copy: true }))
  await forEachBounded(planned, context.gate.slots, async (s, i) => {
    const d = byPath.get(s.path)
    if (d && (await comparer.same(source.backend, s, destination.backend, d))) {
      ;(objects[i] as CopyObject).copy = false
    }
  })
  const wanted = new Set(planned.map((o) => o.path))
  const remove = existing.filter((m) => !wanted.has(m.path)).map((m) => m.path)
  // Under the lock, a young payload without sidecar is another writer's create in flight:
  // its sidecar is waited for and the key judged again, as existing (see pending-create.ts).
  // One already equal to the source (a create-only copy of it killed between its two puts)
  // needs no wait: whichever sidecar lands, it describes those bytes.
  const equal = remove.length === 0 && objects.every((o) => !o.copy)
  if (locked && !waited && theirs === undefined && existing.length > 0 && !equal) {
    if (await awaitPendingCreate(destination, key, existing)) {
      context.destinationKeys.add(key)
      return judgeKey(context, key, locked, true)
    }
  }
  if (theirs === undefined) return judged(entry('copy', null, objects, remove))
  if (sameSidecar && remove.length === 0 && objects.every((o) => !o.copy)) {
    return judged(entry('same', 'already there, equal (sidecar and payload)', objects))
  }
  if (policy === 'overwrite') return judged(entry('overwrite', null, objects, remove))
  const why = `the payload there differs from the source (on_duplicate_key ${policy})`
  return judged(entry(policy === 'skip' ? 'skip' : 'refuse', why, objects, remove))

  function judged(e: CopyPlanEntry): KeyJudgement {
    return { entry: e, existing, theirs }
  }
}
