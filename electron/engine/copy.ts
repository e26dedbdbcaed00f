import type { Backend } from './backend/backend.js'
import { forEachBounded } from './copy-gate.js'
import {
  assertCopyable,
  contextOf,
  planCopy,
  judgeKey,
  sameBytes,
  type CopyContext,
  type CopyPlan,
  type KeyJudgement,
  type PlanCopyOptions,
} from './copy-plan.js'
import type { KeySelection } from './copy-select.js'
import { AlreadyExistsError, ConflictError, DuplicateKeyError } from './errors.js'
import type { HeldLock } from './key-lock.js'
import { METADATA_DIR, sidecarPath } from './keys.js'
import { withKeyLock } from './lock-repair.js'

export { planCopy, type CopyPlan, type CopyPlanEntry } from './copy-plan.js'
export { globToRegExp, type KeySelection } from './copy-select.js'

/** How far a running copy is. */
export interface CopyProgress {
  /** Keys finished (written, or found already equal under the lock), of those planned to write. */
  keysDone: number
  keys: number
  bytesDone: number
  bytes: number
  /** The key that just finished or moved on. */
  key: string
}

/** Options for running a copy plan. */
export interface RunCopyOptions {
  /** Stops starting objects and keys; a key cut short is rolled back, never left half-visible. */
  signal?: AbortSignal
  onProgress?: (progress: CopyProgress) => void
  /**
   * Keys written at once. Default 16: each key costs several small sequential requests (its
   * lock, journal, payload, sidecar: about 9 to an object store), so keys overlap; their
   * payload transfers still share the gate (8 at once).
   */
  keyConcurrency?: number
}

/** Thrown inside a key's write when the copy was cancelled: the key is rolled back. */
class Cancelled extends Error {}

/**
 * Runs a plan from planCopy. Refuses before writing anything when the plan has 'refuse'
 * entries. Each key is written under its destination write lock (the journal put uses, so a
 * process killed halfway is repaired by doctor or the next writer): the key is planned again
 * as the destination is now, an old artifact there is hidden first (its sidecar removed), the
 * payload objects are written, the old payload's extra objects removed, and the source's
 * sidecar bytes written last. So a reader sees the old artifact, nothing, or the new one,
 * never a mix; a failure or cancel rolls the key back (see withKeyLock).
 */
export async function runCopy(plan: CopyPlan, options: RunCopyOptions = {}): Promise<CopyPlan> {
  const context = contextOf(plan)
  assertCopyable(context.source, context.destination)
  const refused = plan.entries.filter((e) => e.action === 'refuse')
  if (refused.length > 0)
    throw refusal(
      context,
      refused.map((e) => e.key),
    )
  plan.dryRun = false
  const todo = plan.entries.filter((e) => e.action === 'copy' || e.action === 'overwrite')
  if (todo.length === 0) return plan
  if (options.signal?.aborted) {
    plan.cancelled = true
    return plan
  }
  // The metadata folder before any payload: a folder with payloads is always a cache.
  await context.destination.backend.ensureDir?.(METADATA_DIR)
  const signal = options.signal
  let keysDone = 0
  const report = (key: string) =>
    options.onProgress?.({
      keysDone,
      keys: todo.length,
      bytesDone: plan.copiedBytes,
      bytes: plan.bytes,
      key,
    })
  try {
    await forEachBounded(
      todo,
      options.keyConcurrency ?? 16,
      async (entry) => {
        const written = await copyKey(context, entry.key, plan, signal, report)
        keysDone++
        if (written) plan.copied.push(entry.key)
        report(entry.key)
      },
      () => signal?.aborted === true,
    )
  } catch (err) {
    if (!(err instanceof Cancelled)) throw err
  }
  plan.cancelled = signal?.aborted === true && keysDone < todo.length
  return plan
}

/** Plans and, unless `dryRun` (the default), runs a copy; see planCopy and runCopy. */
export async function copyArtifacts(
  source: Parameters<typeof planCopy>[0],
  destination: Parameters<typeof planCopy>[1],
  selection: KeySelection,
  options: PlanCopyOptions & RunCopyOptions & { dryRun?: boolean } = {},
): Promise<CopyPlan> {
  const plan = await planCopy(source, destination, selection, options)
  return options.dryRun === false ? runCopy(plan, options) : plan
}

function refusal(context: CopyContext, keys: string[]): DuplicateKeyError {
  const shown = keys
    .slice(0, 5)
    .map((k) => `'${k}'`)
    .join(', ')
  return new DuplicateKeyError(
    `${shown}${keys.length > 5 ? ` (and ${keys.length - 5} more)` : ''} already exist in ` +
      `${context.destination.url} as different artifacts and on_duplicate_key is 'raise_error'; ` +
      `nothing was copied. Use on_duplicate_key 'skip' to keep them or 'overwrite' to replace them.`,
  )
}

/** Copies one key under its write lock; true when it wrote it (false: it was already equal). */
async function copyKey(
  context: CopyContext,
  key: string,
  plan: CopyPlan,
  signal: AbortSignal | undefined,
  report: (key: string) => void,
): Promise<boolean> {
  const { destination } = context
  if (signal?.aborted) throw new Cancelled()
  return withKeyLock(destination, key, 'put', async (lock) => {
    const { entry, existing, theirs } = await judgeKey(context, key, true)
    if (entry.action === 'same' || entry.action === 'skip') return false
    if (entry.action === 'refuse') throw refusal(context, [key])
    if (entry.action === 'broken') {
      throw new ConflictError(
        `'${key}' changed in ${context.source.url} while copying (${entry.reason}); ` +
          `it was not copied. Run the copy again.`,
      )
    }
    await writeKey(context, { entry, existing, theirs }, lock, plan, signal, report)
    context.destinationKeys.add(key)
    return true
  })
}

async function writeKey(
  context: CopyContext,
  { entry, existing: old, theirs: oldSidecar }: KeyJudgement,
  lock: HeldLock,
  plan: CopyPlan,
  signal: AbortSignal | undefined,
  report: (key: string) => void,
): Promise<void> {
  const { source, destination, gate } = context
  const dst = destination.backend
  const key = entry.key
  const sidecar = context.sidecars.get(key) as Uint8Array
  await lock.record({
    oldPayload: old.map((m) => ({ path: m.path, etag: m.etag })),
    newSidecar: new TextDecoder().decode(sidecar),
  })
  lock.written = true
  let changed = 0
  const written: string[] = []
  if (oldSidecar !== undefined) await dst.delete(sidecarPath(key))
  try {
    if (entry.remove.length > 0) {
      await deleteAll(dst, entry.remove)
      changed += entry.remove.length
    }
    let stopped = false
    await forEachBounded(
      entry.objects.filter((o) => o.copy),
      gate.slots,
      async (object) => {
        await gate.run(object.bytes, () => transfer(source.backend, dst, object, key))
        written.push(object.path)
        changed++
        plan.copiedObjects++
        plan.copiedBytes += object.bytes
        report(key)
      },
      () => (stopped ||= signal?.aborted === true),
    )
    if (stopped) throw new Cancelled()
    await checkSourceUnchanged(context, key, sidecar)
    const mode = context.policy === 'overwrite' ? 'overwrite' : 'create'
    await dst.put(sidecarPath(key), sidecar, { mode }).catch((err: unknown) => {
      if (err instanceof AlreadyExistsError) throw refusal(context, [key])
      throw err
    })
  } catch (err) {
    // What was copied of a source that changed meanwhile goes: repairing the key would
    // otherwise finish it with the planned sidecar over a newer payload.
    if (err instanceof SourceChanged) await deleteAll(dst, written)
    // Nothing of the old payload changed yet: the old artifact is whole again with its sidecar.
    if (changed === 0 && oldSidecar !== undefined) {
      await dst.put(sidecarPath(key), oldSidecar, { mode: 'create' }).catch(() => undefined)
    }
    throw err
  }
}

/** Deletes objects in batches where the backend can (S3 DeleteObjects), one by one otherwise. */
async function deleteAll(backend: Backend, paths: string[]): Promise<void> {
  const batched = backend as Backend & { deleteMany?(paths: string[]): Promise<void> }
  if (batched.deleteMany) await batched.deleteMany(paths)
  else for (const path of paths) await backend.delete(path)
}

/** A ConflictError saying the source changed while being copied. */
class SourceChanged extends ConflictError {}

function sourceChanged(what: string, key: string, url: string): SourceChanged {
  return new SourceChanged(
    `${what} (of '${key}') changed in ${url} while copying; '${key}' was not copied. ` +
      `Run the copy again.`,
  )
}

/**
 * Proves what was copied is one version of the source: its payload objects are still those
 * planned (path, size and etag, one listing) and its sidecar still the bytes planned. A
 * writer that rewrote the source meanwhile (payload first, then sidecar) fails one of them.
 */
async function checkSourceUnchanged(
  context: CopyContext,
  key: string,
  sidecar: Uint8Array,
): Promise<void> {
  const { source } = context
  const planned = context.sourceObjects.get(key) ?? []
  const now = await source.payloadObjects(key, async () => context.sourceKeys)
  const same =
    now.length === planned.length &&
    now.every((m, i) => {
      const p = planned[i]
      return p !== undefined && m.path === p.path && m.size === p.size && m.etag === p.etag
    })
  if (!same) throw sourceChanged('its payload', key, source.url)
  const bytes = await source.backend.get(sidecarPath(key))
  if (bytes === undefined || !sameBytes(bytes, sidecar)) {
    throw sourceChanged('its sidecar', key, source.url)
  }
}

/** Moves one object's bytes; the source must still be the size planned. */
async function transfer(
  src: Backend,
  dst: Backend,
  object: { path: string; bytes: number },
  key: string,
): Promise<void> {
  const data = await src.get(object.path)
  if (data === undefined || data.length !== object.bytes) {
    throw sourceChanged(object.path, key, src.url)
  }
  await dst.put(object.path, data)
}
