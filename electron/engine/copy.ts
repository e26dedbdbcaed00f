import type { Backend, ObjectMeta } from './backend/backend.js'
import { Cancelled, canCreateOnly, createKey, CREATE_SLOTS } from './copy-create.js'
import { forEachBounded } from './copy-gate.js'
import {
  assertCopyable,
  contextOf,
  planCopy,
  judgeKey,
  type CopyContext,
  type CopyPlan,
  type KeyJudgement,
  type PlanCopyOptions,
} from './copy-plan.js'
import type { KeySelection } from './copy-select.js'
import { checkSourceUnchanged, readSourceObject, SourceChanged } from './copy-source.js'
import { AlreadyExistsError, ConflictError, DuplicateKeyError } from './errors.js'
import type { HeldLock } from './key-lock.js'
import { METADATA_DIR, sidecarPath } from './keys.js'
import { withKeyLock } from './lock-repair.js'
import { pendingCreateConflict } from './pending-create.js'

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
   * Keys written at once. Default 16 under a write lock: each such key costs several small
   * sequential requests (its lock, journal, payload, sidecar: about 9 to an object store), so
   * keys overlap; their payload transfers still share the gate (8 at once). Keys written by two
   * creates (see copy-create.ts) go first, CREATE_SLOTS (32) at once.
   */
  keyConcurrency?: number
}

/**
 * Runs a plan from planCopy. Refuses before writing anything when the plan has 'refuse'
 * entries. A key the destination lacked entirely, with a one-object payload, is written by two
 * exclusive creates (payload, then sidecar; see createKey), falling back to the locked path
 * when another writer made it meanwhile. Every other key is written under its destination
 * write lock (the journal put uses, so a
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
  const created = todo.filter((e) => canCreateOnly(context, e))
  const locked = todo.filter((e) => !canCreateOnly(context, e))
  const counted = (bytes: number, key: string) => {
    plan.copiedObjects++
    plan.copiedBytes += bytes
    report(key)
  }
  const pass = async (entries: typeof todo, width: number, fast: boolean) =>
    forEachBounded(
      entries,
      options.keyConcurrency ?? width,
      async (entry) => {
        if (signal?.aborted) throw new Cancelled()
        const first = fast
          ? await createKey(context, entry, (b) => counted(b, entry.key), signal)
          : null
        const written =
          first === 'created' || (await copyKey(context, entry.key, plan, signal, report))
        if (first === 'created') context.destinationKeys.add(entry.key)
        keysDone++
        if (written) plan.copied.push(entry.key)
        report(entry.key)
      },
      () => signal?.aborted === true,
    )
  try {
    await pass(created, CREATE_SLOTS, true)
    await pass(locked, 16, false)
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
  // `written` is set just before each change, so a write refused before any change (another
  // writer's create landed first) is not "repaired" by writing our sidecar to their payload.
  let changed = 0
  const written: string[] = []
  const there = new Map(old.map((m) => [m.path, m]))
  if (oldSidecar !== undefined) {
    lock.written = true
    await dst.delete(sidecarPath(key))
  }
  try {
    if (entry.remove.length > 0) {
      lock.written = true
      await deleteAll(dst, entry.remove)
      changed += entry.remove.length
    }
    let stopped = false
    await forEachBounded(
      entry.objects.filter((o) => o.copy),
      gate.slots,
      async (object) => {
        lock.written = true
        await gate
          .run(object.bytes, () =>
            transfer(source.backend, dst, object, key, there.get(object.path), signal),
          )
          .catch((err: unknown) => {
            // Refused before it landed: nothing of ours changed if nothing else did.
            const alone = entry.objects.filter((o) => o.copy).length === 1
            if (err instanceof WriterRace && alone && changed === 0 && oldSidecar === undefined) {
              lock.written = false
            }
            throw err
          })
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
    // Create-only even when overwriting: the old sidecar was removed above under the lock, so
    // one there now is another writer's (a create-only copy), and is never written over.
    await dst.put(sidecarPath(key), sidecar, { mode: 'create' }).catch((err: unknown) => {
      if (!(err instanceof AlreadyExistsError)) throw err
      // Their artifact is whole or theirs to finish: no repair writes our sidecar over it.
      lock.written = false
      if (context.policy === 'raise_error') throw refusal(context, [key])
      throw new ConflictError(
        `'${key}' was created in ${dst.url} by another writer while copying; it was not ` +
          `copied. Run the copy again to judge it with on_duplicate_key ${context.policy}.`,
      )
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

/**
 * Moves one object's bytes; the source must still be the size planned. The put is exclusive
 * on what the judgement under the lock saw: if-match on the object that was there, create-only
 * where there was none, so a create-only copy landing meanwhile is never overwritten. The
 * copy's cancel signal goes with it, so a long write (S3 multipart) stops between parts.
 */
async function transfer(
  src: Backend,
  dst: Backend,
  object: { path: string; bytes: number },
  key: string,
  there: ObjectMeta | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  const data = await readSourceObject(src, object, key)
  try {
    const mode = there ? { ifMatch: there.etag } : ('create' as const)
    await dst.put(object.path, data, { mode, signal })
  } catch (err) {
    // A write the signal stopped left nothing: the key rolls back as any cancelled one.
    if (signal?.aborted) throw new Cancelled()
    if (err instanceof AlreadyExistsError || err instanceof ConflictError) {
      throw new WriterRace(pendingCreateConflict(key, dst.url).message)
    }
    throw err
  }
}

/** Another writer wrote an object of the key after it was judged under the lock. */
class WriterRace extends ConflictError {}
