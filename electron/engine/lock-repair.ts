import { createHash } from 'node:crypto'
import type { InterruptedWrite, RepairPlan } from '../../shared/store-types.js'
import { AlreadyExistsError, ConflictError } from './errors.js'
import {
  acquireKeyLock,
  encodeJournal,
  type HeldLock,
  isStale,
  lockPathOf,
  newJournal,
  readLock,
  type FoundLock,
  type Journal,
} from './key-lock.js'
import { LOCK_DIR, sidecarPath, validateKey } from './keys.js'
import { ownedBy } from './ownership.js'
import { isPendingCreate } from './pending-create.js'
import { deleteInBatches } from './store-bulk.js'
import { isTrashDir, trashRepairOf } from './trash-move.js'
import type { CacheStore } from './store.js'

const MAX_CLAIMS = 64
const OPS = new Set(['put', 'metadata', 'delete', 'trash', 'restore'])

/**
 * Whether a journal may be acted on: a valid key whose lock name it sits at. Anything else was
 * not written by a writer (a cache is untrusted input), so its lock is only removed.
 */
function trusted(j: Journal | null, path: string): j is Journal {
  if (j === null || !OPS.has(j.op) || lockPathOf(j.key) !== path) return false
  const files = j.oldPayload as unknown
  if (files !== null && !Array.isArray(files)) return false
  if (Array.isArray(files) && !files.every((f) => typeof f?.path === 'string')) return false
  if (j.newSidecar !== null && typeof j.newSidecar !== 'string') return false
  if ((j.op === 'trash' || j.op === 'restore') && !isTrashDir(j.trashDir)) return false
  try {
    validateKey(j.key)
    return true
  } catch {
    return false
  }
}

/** The payload objects of `key` with their etags, sorted: what a write is compared against. */
export async function fingerprint(
  store: CacheStore,
  key: string,
): Promise<{ path: string; etag: string }[]> {
  return (await store.payloadObjects(key)).map((m) => ({ path: m.path, etag: m.etag }))
}

function sameFiles(a: { path: string; etag: string }[], b: { path: string; etag: string }[]) {
  return a.length === b.length && a.every((f, i) => f.path === b[i]?.path && f.etag === b[i]?.etag)
}

/** What repairing a journal does: a sentence for doctor, and the steps. */
export interface Repair {
  summary: string
  apply: () => Promise<void>
}

const nothing = async () => {}

function serializerOf(sidecar: string): string {
  try {
    return String((JSON.parse(sidecar) as { serializer?: unknown }).serializer)
  } catch {
    return 'unknown'
  }
}

/**
 * How to bring the key of a dead writer's journal back to exactly one writer's artifact. A put
 * replaces its single payload object atomically, so a payload that differs from the journal's
 * old one is the new one, whole: the put is finished by writing its sidecar. A folder payload
 * that changed cannot be proved whole, so that key is removed (sidecar first) rather than left
 * mixed. A delete is finished; a metadata write replaced the sidecar whole, so it needs nothing.
 */
export async function repairOf(store: CacheStore, j: Journal): Promise<Repair> {
  const { backend } = store
  const sidecar = sidecarPath(j.key)
  if (j.op === 'metadata') {
    return {
      summary: 'remove the lock only (a metadata write replaces the sidecar whole)',
      apply: nothing,
    }
  }
  if (j.oldPayload === null) {
    return {
      summary: `remove the lock only (nothing was ${j.op === 'put' ? 'written' : j.op === 'delete' ? 'deleted' : 'moved'} yet)`,
      apply: nothing,
    }
  }
  if (j.op === 'trash' || j.op === 'restore') return trashRepairOf(store, j)
  // Only files of this key as of now (ownedBy counts it as a key even once a finished-halfway
  // delete removed its sidecar): a journal is cache content and never reaches another key's.
  const keys = new Set(await store.keys())
  const old = j.oldPayload.filter((f) => ownedBy(f.path, j.key, keys))
  if (j.op === 'delete') {
    return {
      summary: `finish deleting it (sidecar, then ${old.length} payload file(s))`,
      apply: async () => {
        await backend.delete(sidecar)
        await deleteInBatches(
          backend,
          old.map((f) => f.path),
        )
      },
    }
  }
  const newSidecar = j.newSidecar ?? ''
  const current = await backend.get(sidecar)
  if (current && new TextDecoder().decode(current) === newSidecar) {
    return { summary: 'remove the lock only (the put had finished)', apply: nothing }
  }
  const found = await store.payloadObjects(j.key)
  const now = found.map((m) => ({ path: m.path, etag: m.etag }))
  // The key had nothing when this writer judged it, and a young one-object payload without
  // sidecar is there now: it may be another writer's create in flight (a create-only copy
  // takes no lock and writes only such payloads), which a sidecar of ours would turn into a
  // mixed artifact. Left alone: doctor lists it as being written, later as an orphan.
  const single = found.length === 1 && found[0]?.path === j.key
  if (old.length === 0 && current === undefined && single && isPendingCreate(found)) {
    return {
      summary:
        'remove the lock only (the payload there has no sidecar yet and may be another ' +
        "writer's create in flight; doctor lists it as being written)",
      apply: nothing,
    }
  }
  if (sameFiles(now, old)) {
    return {
      summary: 'remove the lock only (nothing was written yet; the old artifact is intact)',
      apply: nothing,
    }
  }
  if (now.length === 1 && now[0]?.path === j.key) {
    return {
      summary: `finish the put: write its sidecar (${serializerOf(newSidecar)}) to match the new payload`,
      apply: async () => {
        await backend.put(sidecar, new TextEncoder().encode(newSidecar))
      },
    }
  }
  if (now.length === 0)
    return {
      summary: 'remove the lock only (the payload is gone; see missing payloads)',
      apply: nothing,
    }
  return {
    summary: `delete the key: its folder payload was half rewritten (${now.length} files)`,
    apply: async () => {
      await backend.delete(sidecar)
      await deleteInBatches(
        backend,
        now.map((f) => f.path),
      )
    },
  }
}

/**
 * Repairs a stale lock and removes it, unless another live process is already doing so (false).
 * Repairers take turns through claims created exclusively, named after the stale lock's etag:
 * only the holder of the newest claim may touch the key, claim n+1 is taken only when claim n's
 * owner is dead, and the lock is removed only while it is still the same stale one. So two
 * repairers never both act, and a late one never removes a newer writer's lock.
 */
export async function repairStaleLock(store: CacheStore, lock: FoundLock): Promise<boolean> {
  const { backend } = store
  const generation = createHash('sha256').update(lock.meta.etag).digest('hex').slice(0, 12)
  const claimBase = `${lock.path.replace(/\.json$/, '')}.${generation}.repair`
  const claims: string[] = []
  for (let n = 0; n < MAX_CLAIMS; n++) {
    const claim = `${claimBase}${n}`
    const mine = encodeJournal(newJournal('put', lock.journal?.key ?? lock.path))
    try {
      await backend.put(claim, mine, { mode: 'create' })
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err
      const other = await readLock(backend, claim)
      if (other && !isStale(other)) return false
      claims.push(claim)
      continue
    }
    claims.push(claim)
    try {
      const now = await backend.head(lock.path)
      if (now?.etag !== lock.meta.etag) return true
      // A journal at another key's lock name was not written by a writer: only removed.
      const j = lock.journal
      if (trusted(j, lock.path)) await (await repairOf(store, j)).apply()
      await backend.delete(lock.path)
      return true
    } finally {
      for (const c of claims) await backend.delete(c)
    }
  }
  throw new ConflictError(
    `Could not repair the interrupted write behind ${lock.path}: ${MAX_CLAIMS} repairers died ` +
      `on it. Look at that file, then delete it.`,
  )
}

type Found = { entry: InterruptedWrite; lock: FoundLock }

/**
 * Stale locks (interrupted writes) and leftover repair claims of dead repairers; and the keys
 * a live writer is writing right now (their payload may be there before their sidecar).
 */
async function scanLocks(store: CacheStore): Promise<{ found: Found[]; busy: string[] }> {
  const { backend } = store
  const found: Found[] = []
  const busy: string[] = []
  const paths: string[] = []
  for await (const m of backend.list(`${LOCK_DIR}/`)) paths.push(m.path)
  for (const path of paths.sort()) {
    const lock = await readLock(backend, path)
    if (!lock) continue
    const j = lock.journal
    if (!isStale(lock)) {
      if (path.endsWith('.json') && trusted(j, path)) busy.push(j.key)
    } else if (path.endsWith('.json')) {
      const valid = trusted(j, path)
      const repair = valid
        ? (await repairOf(store, j)).summary
        : isTrashDir(lock.journal?.key) && lockPathOf(lock.journal.key) === path
          ? `remove the lock of trash entry ${lock.journal.key} (its keys have locks of their own)`
          : 'remove the unreadable lock'
      found.push({
        lock,
        entry: { lock: path, key: valid ? j.key : null, op: valid ? j.op : null, repair },
      })
    } else {
      // A claim still matching its lock is removed with that lock's repair.
      const base = path.replace(/\.[0-9a-f]{12}\.repair\d+$/, '')
      const owner = await backend.head(`${base}.json`)
      const gen = owner && createHash('sha256').update(owner.etag).digest('hex').slice(0, 12)
      if (gen && path.startsWith(`${base}.${gen}.`)) continue
      found.push({
        lock,
        entry: { lock: path, key: null, op: null, repair: 'remove a leftover repair claim' },
      })
    }
  }
  return { found, busy }
}

/**
 * Interrupted writes, as doctor reports them, and a test for paths that belong to a key being
 * written right now (doctor does not call those orphans, so cleaning never races a put).
 */
export async function inspectLocks(
  store: CacheStore,
): Promise<{ interrupted: InterruptedWrite[]; inFlight: (path: string) => boolean }> {
  const { found, busy } = await scanLocks(store)
  return {
    interrupted: found.map((f) => f.entry),
    // Only asked of paths no key owns: anything at or under a key being written is its own.
    inFlight: (path) => busy.some((key) => path === key || path.startsWith(`${key}/`)),
  }
}

/** Plans (and unless dry run, performs) the repair of every interrupted write found now. */
export async function repairInterrupted(
  store: CacheStore,
  options: { dryRun?: boolean } = {},
): Promise<RepairPlan> {
  const dryRun = options.dryRun ?? true
  const { found } = await scanLocks(store)
  const plan: RepairPlan = {
    root: store.url,
    dryRun,
    entries: found.map((f) => f.entry),
    repaired: [],
  }
  if (dryRun) return plan
  for (const { lock, entry } of found) {
    let repaired: boolean
    if (entry.key !== null) repaired = await repairStaleLock(store, lock)
    else {
      // Nothing to finish: just the file, and only if it is still the one found.
      repaired = (await store.backend.head(lock.path))?.etag === lock.meta.etag
      if (repaired) await store.backend.delete(lock.path)
    }
    if (repaired) plan.repaired.push(lock.path)
  }
  return plan
}

/**
 * Runs `body` holding the write lock of `key`. When `body` fails after it changed something,
 * the write is repaired at once (as doctor would) so the key is one whole artifact again; if
 * even that fails, the journal is marked abandoned for the next writer or doctor to repair.
 */
export async function withKeyLock<T>(
  store: CacheStore,
  key: string,
  op: Journal['op'],
  body: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireKeyLock(store.backend, newJournal(op, key), (found) =>
    repairStaleLock(store, found),
  )
  let result: T
  try {
    result = await body(lock)
  } catch (err) {
    await settleFailedWrite(store, lock)
    throw err
  }
  await lock.release()
  return result
}

async function settleFailedWrite(store: CacheStore, lock: HeldLock): Promise<void> {
  try {
    if (lock.written) await (await repairOf(store, lock.journal)).apply()
    await lock.release()
  } catch {
    await lock.record({ abandoned: true }).catch(() => undefined)
  }
}
