import type { Backend, ObjectMeta } from './backend/backend.js'
import { BULK_CONCURRENCY } from './backend/bounded.js'
import type { CopyContext, CopyPlanEntry } from './copy-plan.js'
import { checkSourceUnchanged, readSourceObject } from './copy-source.js'
import { AlreadyExistsError } from './errors.js'
import { sidecarPath } from './keys.js'

/** Thrown inside a key's write when the copy was cancelled: the key is rolled back. */
export class Cancelled extends Error {}

/**
 * Transfers a create-only copy keeps in flight: each is one payload put then one sidecar put,
 * so as many as an object store's bulk calls (the copy's byte budget still bounds memory).
 */
export const CREATE_SLOTS = BULK_CONCURRENCY

/**
 * Whether `entry` may take the create-only path: the destination's listing held nothing of the
 * key (no payload, sidecar or lock), and the payload is one object (a folder payload is many
 * writes, which only the journal of a write lock can repair).
 */
export function canCreateOnly(context: CopyContext, entry: CopyPlanEntry): boolean {
  const only = entry.objects[0]
  return (
    entry.action === 'copy' &&
    context.absent.has(entry.key) &&
    entry.objects.length === 1 &&
    only?.path === entry.key
  )
}

/**
 * Copies a key the destination lacks with two exclusive creates and no lock: the payload
 * (if-none-match), then the sidecar (if-none-match). Two requests instead of about nine.
 * 'taken' when either create finds the object there: another writer made the key meanwhile,
 * and the caller judges it again under the write lock with on_duplicate_key. Safe because:
 * - a payload we created is ours until a sidecar lands; locked writers (put, copy, metadata,
 *   lock repair) and doctor take a payload without sidecar younger than PENDING_CREATE_MS for a
 *   create in flight and leave it alone (see pending-create.ts), and locked writers create
 *   what they judged absent exclusively too, so they never overwrite it;
 * - so a sidecar create that fails means another writer's sidecar is there: its payload is
 *   either ours replaced by a writer that takes no lock (its artifact is then whole), or ours
 *   with an equal artifact (another copy of the same source). Nothing of it is removed (it may
 *   be claimed now); the locked re-judgement decides;
 * - any other failure after the payload create removes the payload only if it is still ours
 *   (same etag), leaving at worst an orphan payload, never a visible mixed artifact.
 * The source is checked unchanged before the payload is created, so nothing needs undoing if
 * it changed. `onCopied` is told the bytes once the payload is written. `signal` goes with the
 * payload put, so a long write (S3 multipart) stops between parts; it then wrote nothing.
 */
export async function createKey(
  context: CopyContext,
  entry: CopyPlanEntry,
  onCopied: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<'created' | 'taken'> {
  const { source, destination, gate } = context
  const dst = destination.backend
  const key = entry.key
  const object = entry.objects[0] as { path: string; bytes: number }
  const sidecar = context.sidecars.get(key) as Uint8Array
  let ours: ObjectMeta
  try {
    ours = await gate.run(
      object.bytes,
      async () => {
        const data = await readSourceObject(source.backend, object, key)
        await checkSourceUnchanged(context, key, sidecar)
        return dst.put(key, data, { mode: 'create', signal })
      },
      CREATE_SLOTS,
    )
  } catch (err) {
    if (err instanceof AlreadyExistsError) return 'taken'
    if (signal?.aborted) throw new Cancelled()
    throw err
  }
  onCopied(object.bytes)
  try {
    await dst.put(sidecarPath(key), sidecar, { mode: 'create' })
    return 'created'
  } catch (err) {
    if (err instanceof AlreadyExistsError) return 'taken'
    await removeIfOurs(dst, ours)
    throw err
  }
}

// Best effort: the payload goes only while it is still the object we created (its etag).
async function removeIfOurs(dst: Backend, ours: ObjectMeta): Promise<void> {
  try {
    if ((await dst.head(ours.path))?.etag === ours.etag) await dst.delete(ours.path)
  } catch {
    // It stays an orphan payload: doctor lists it once PENDING_CREATE_MS has passed.
  }
}
