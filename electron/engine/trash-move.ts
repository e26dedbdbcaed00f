/**
 * Moving one key into or out of a trash entry, under the key's lock with the files in its
 * journal, and repairing a move whose process died (as lock-repair does for puts and deletes).
 * Into the trash the sidecar leaves first (the key disappears at once), then the payload; out
 * of it the payload returns first, then the sidecar, so no key is ever seen half there.
 */
import { randomBytes } from 'node:crypto'
import type { Backend } from './backend/backend.js'
import { AlreadyExistsError, NotSupportedError } from './errors.js'
import type { HeldLock, Journal } from './key-lock.js'
import { sidecarPath, TRASH_DIR, validateKey } from './keys.js'
import { ownedBy } from './ownership.js'
import type { CacheStore } from './store.js'

/** A trash id: a sortable UTC timestamp (to the millisecond) and a short random part. */
const TRASH_ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-[0-9a-f]{6}$/

/** A new trash id for one delete operation, e.g. `20261202T121453123Z-a1b2c3`. */
export function newTrashId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '')
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

/** The creation time an id says (ISO 8601), or null when `id` is no trash id. */
export function trashIdDate(id: string): string | null {
  const m = TRASH_ID.exec(id)
  if (!m) return null
  const [, y, mo, d, h, mi, s, ms] = m
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** The folder of trash entry `id`. */
export function trashDirOf(id: string): string {
  return `${TRASH_DIR}/${id}`
}

/** Whether `dir` is exactly a trash entry's folder (journals are untrusted cache content). */
export function isTrashDir(dir: unknown): dir is string {
  return (
    typeof dir === 'string' &&
    dir.startsWith(`${TRASH_DIR}/`) &&
    trashIdDate(dir.slice(TRASH_DIR.length + 1)) !== null
  )
}

/** How objects move on `backend`: renamed where it can, else copied then deleted. */
export function moveMethod(backend: Backend): 'rename' | 'copy' {
  return typeof backend.rename === 'function' ? 'rename' : 'copy'
}

/**
 * Moves one object; false when there is none at `from`. A rename where the backend has one;
 * otherwise (object stores) a copy (on the server where it can), then the delete of the
 * original, so an interruption
 * leaves two copies, never none. `noReplace`: AlreadyExistsError if `to` exists.
 */
export async function moveObject(
  backend: Backend,
  from: string,
  to: string,
  noReplace = false,
): Promise<boolean> {
  if (backend.rename) {
    try {
      return await backend.rename(from, to, { noReplace })
    } catch (err) {
      if (!(err instanceof NotSupportedError)) throw err
    }
  }
  // A server-side copy cannot refuse to replace: a move that must not replace reads and writes.
  if (backend.copy && !noReplace) {
    try {
      if (!(await backend.copy(from, to))) return false
      await backend.delete(from)
      return true
    } catch (err) {
      if (!(err instanceof NotSupportedError)) throw err
    }
  }
  const data = await backend.get(from)
  if (data === undefined) return false
  await backend.put(to, data, { mode: noReplace ? 'create' : 'overwrite' })
  await backend.delete(from)
  return true
}

/**
 * Moves `key` into trash entry `dir` under its held lock: records the payload in the journal,
 * then moves the sidecar, then each payload file. `moved` hears each path once it moved.
 */
export async function moveKeyToTrash(
  store: CacheStore,
  lock: HeldLock,
  key: string,
  payload: string[],
  dir: string,
  moved: (path: string) => void,
): Promise<void> {
  const { backend } = store
  await lock.record({ oldPayload: payload.map((path) => ({ path, etag: '' })), trashDir: dir })
  lock.written = true
  const sidecar = sidecarPath(key)
  if (await moveObject(backend, sidecar, `${dir}/${sidecar}`)) moved(sidecar)
  for (const p of payload) if (await moveObject(backend, p, `${dir}/${p}`)) moved(p)
}

/**
 * Moves `key` back from trash entry `dir` under its held lock: the payload first, then the
 * sidecar, never replacing anything (a file that appeared meanwhile stops the restore, which
 * is then undone by the caller's repair).
 */
export async function moveKeyFromTrash(
  store: CacheStore,
  lock: HeldLock,
  key: string,
  payload: string[],
  dir: string,
): Promise<void> {
  const { backend } = store
  await lock.record({ oldPayload: payload.map((path) => ({ path, etag: '' })), trashDir: dir })
  lock.written = true
  for (const p of payload) await moveObject(backend, `${dir}/${p}`, p, true)
  const sidecar = sidecarPath(key)
  if (!(await moveObject(backend, `${dir}/${sidecar}`, sidecar, true))) {
    throw new AlreadyExistsError(`The sidecar of '${key}' left trash entry ${dir} meanwhile.`)
  }
}

/** Whether two objects hold the same bytes (both present). */
async function sameBytes(backend: Backend, a: string, b: string): Promise<boolean> {
  const [ma, mb] = await backend.headMany([a, b])
  if (!ma || !mb || ma.size !== mb.size) return false
  const [da, db] = await Promise.all([backend.get(a), backend.get(b)])
  return da !== undefined && db !== undefined && Buffer.from(da).equals(Buffer.from(db))
}

/** Paths of a journal that are plain paths of `key`'s payload (a journal is untrusted). */
function journalPaths(j: Journal, keys: ReadonlySet<string>): string[] {
  const out: string[] = []
  for (const f of j.oldPayload ?? []) {
    try {
      validateKey(f.path)
    } catch {
      continue
    }
    if (ownedBy(f.path, j.key, keys)) out.push(f.path)
  }
  return out
}

/** What repairing an interrupted trash or restore does: a sentence, and the steps. */
export interface TrashRepair {
  summary: string
  apply: () => Promise<void>
}

/**
 * The repair of a dead mover's journal. Into the trash: if the sidecar is still in the cache
 * nothing had moved (a copy of it in the trash is dropped), else the payload still in the
 * cache follows it. Out of the trash: if the sidecar is back the restore is done (a leftover
 * copy in the trash is dropped), else it is undone: the payload returns to the trash, so the
 * entry is as it was and the restore can be run again.
 */
export async function trashRepairOf(store: CacheStore, j: Journal): Promise<TrashRepair> {
  const { backend } = store
  const dir = j.trashDir as string
  const sidecar = sidecarPath(j.key)
  const live = await backend.head(sidecar)
  const keys = new Set(await store.keys())
  const paths = journalPaths(j, keys)
  const dropCopy = {
    summary: `remove the lock and the copy of its sidecar left in ${dir}`,
    apply: async () => {
      if (await sameBytes(backend, sidecar, `${dir}/${sidecar}`))
        await backend.delete(`${dir}/${sidecar}`)
    },
  }
  if (j.op === 'trash') {
    if (live) return dropCopy
    return {
      summary: `finish moving it to the trash (${paths.length} payload file(s) to ${dir})`,
      apply: async () => {
        for (const p of paths) await moveObject(backend, p, `${dir}/${p}`)
      },
    }
  }
  if (live) return dropCopy
  return {
    summary: `undo its restore from the trash (${paths.length} payload file(s) back to ${dir})`,
    apply: async () => {
      for (const p of paths) {
        const [here, there] = await backend.headMany([p, `${dir}/${p}`])
        if (here && !there) await moveObject(backend, p, `${dir}/${p}`)
        // Both: an interrupted copy (same bytes, drop it) or a file written since (keep it).
        else if (here && there && (await sameBytes(backend, p, `${dir}/${p}`)))
          await backend.delete(p)
      }
    },
  }
}
