/**
 * The trash: a delete with `trash` moves each artifact to `.xpersist-trash/<id>/` (one id per
 * delete, the cache's own layout inside), outside xpersist_metadata_store, so keys(), listings,
 * doctor and Python xpersist never see it. Here: listing the entries, restoring from one (a key
 * written since is refused, the rest restored), and emptying them. Each is a plan first.
 */
import type {
  DeletePlanEntry,
  PayloadFile,
  TrashEmptyPlan,
  TrashEntry,
  TrashMove,
  TrashRestorePlan,
} from '../../shared/store-types.js'
import {
  AlreadyExistsError,
  ConflictError,
  InvalidArgumentError,
  KeyNotFoundError,
} from './errors.js'
import {
  keyFromSidecarPath,
  METADATA_DIR,
  sidecarNameProblem,
  sidecarPath,
  TRASH_DIR,
} from './keys.js'
import { withKeyLock } from './lock-repair.js'
import { ownerOf } from './ownership.js'
import { deleteInBatches } from './store-bulk.js'
import type { CacheStore } from './store.js'
import { moveKeyFromTrash, moveMethod, trashDirOf, trashIdDate } from './trash-move.js'

/** The manifest of an entry: a name no key can have, so it is never part of a payload. */
export const MANIFEST = '.xpersist-trash.json'

/** What moving `entries` into the trash costs on this backend. */
export function trashMoveOf(
  store: CacheStore,
  entries: DeletePlanEntry[],
  id: string | null,
): TrashMove {
  const method = moveMethod(store.backend)
  const files = entries.reduce((n, e) => n + e.files.length, 0)
  const bytes = entries.reduce((n, e) => n + e.bytes, 0)
  return method === 'rename'
    ? { id, method, copyObjects: 0, copyBytes: 0 }
    : { id, method, copyObjects: files, copyBytes: bytes }
}

/** Writes (or rewrites) the manifest of entry `dir`: when, which keys, whether it finished. */
export async function writeManifest(
  store: CacheStore,
  dir: string,
  keys: string[],
  state: 'moving' | 'finished' | 'cancelled',
): Promise<void> {
  const id = dir.slice(TRASH_DIR.length + 1)
  const manifest = { id, created_at: trashIdDate(id), state, keys }
  await store.backend.put(
    `${dir}/${MANIFEST}`,
    new TextEncoder().encode(JSON.stringify(manifest, null, 1)),
  )
}

/**
 * Runs `body` holding the lock of trash entry `dir` (the per-key lock mechanism, named after
 * the entry's folder, which is no valid key: a stale one is only removed, as nothing is
 * recorded in it). Moving into an entry, restoring from it and emptying it each hold it, so
 * an empty never deletes files a restore or a move is moving.
 */
export async function withTrashEntryLock<T>(
  store: CacheStore,
  dir: string,
  op: 'trash' | 'restore' | 'delete',
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await withKeyLock(store, dir, op, () => body())
  } catch (err) {
    if (!(err instanceof ConflictError) || !err.message.includes(`'${dir}'`)) throw err
    throw new ConflictError(
      `Trash entry ${dir.slice(TRASH_DIR.length + 1)} is in use by another process (a restore ` +
        `or a delete moving into it); nothing more was done to it. Try again when it is done.`,
    )
  }
}

/** The objects of entry `id`, relative to the entry's folder. */
async function entryObjects(store: CacheStore, id: string): Promise<PayloadFile[]> {
  const dir = trashDirOf(id)
  const out: PayloadFile[] = []
  for await (const m of store.backend.list(`${dir}/`)) {
    out.push({ path: m.path.slice(dir.length + 1), bytes: m.size })
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1))
}

/** The keys an entry holds: its sidecars named after valid keys. */
function keysOf(objects: PayloadFile[]): Set<string> {
  const keys = new Set<string>()
  for (const o of objects) {
    const name = keyFromSidecarPath(o.path)
    if (name !== undefined && sidecarNameProblem(name) === null) keys.add(name)
  }
  return keys
}

function entryOf(id: string, objects: PayloadFile[]): TrashEntry {
  return {
    id,
    createdAt: trashIdDate(id) as string,
    keys: [...keysOf(objects)].sort(),
    objects: objects.length,
    bytes: objects.reduce((n, o) => n + o.bytes, 0),
  }
}

/** Every trash entry, oldest first; folders that are no trash entry are left out. */
export async function listTrash(store: CacheStore): Promise<TrashEntry[]> {
  const top = await store.backend.listWithDelimiter(`${TRASH_DIR}/`)
  const ids = top.prefixes
    .map((p) => p.slice(TRASH_DIR.length + 1).replace(/\/$/, ''))
    .filter((id) => trashIdDate(id) !== null)
    .sort()
  const out: TrashEntry[] = []
  for (const id of ids) out.push(entryOf(id, await entryObjects(store, id)))
  return out.filter((e) => e.objects > 0)
}

async function existingEntry(store: CacheStore, id: string): Promise<PayloadFile[]> {
  const objects = trashIdDate(id) === null ? [] : await entryObjects(store, id)
  if (objects.length === 0) {
    throw new KeyNotFoundError(
      `No trash entry '${id}' in ${store.url}; 'xpersist trash <cache> ls' lists them.`,
    )
  }
  return objects
}

/**
 * Why `key` cannot come back now (with its payload at `payload`), or null. `keys` are the
 * cache's keys (read once per restore: reading them per key made restoring N keys cost N²).
 */
async function refusal(
  store: CacheStore,
  key: string,
  payload: string[],
  keys: ReadonlySet<string>,
): Promise<string | null> {
  if (await store.backend.head(sidecarPath(key))) {
    return `'${key}' exists in the cache now (written since it was deleted); it stays in the trash. Delete or rename the current one to restore this one.`
  }
  const live = new Set(keys)
  live.add(key)
  const taken = payload.find((p) => ownerOf(p, live) !== key)
  if (taken)
    return `${taken} would land in the payload of '${ownerOf(taken, live)}'; it stays in the trash.`
  const heads = await store.backend.headMany(payload)
  const i = heads.findIndex((m) => m !== undefined)
  if (i >= 0) return `a file is in the way at ${payload[i]}; it stays in the trash.`
  return null
}

/**
 * Plans (and unless dry run, performs) restoring `keys` (all by default) from trash entry `id`.
 * Each key is checked again under its lock right before it moves; one refused key (it exists
 * now, a file is in its way) is reported and the others are restored.
 */
export async function restoreFromTrash(
  store: CacheStore,
  id: string,
  keys: string[] | undefined,
  options: { dryRun?: boolean } = {},
): Promise<TrashRestorePlan> {
  const dryRun = options.dryRun ?? true
  const objects = await existingEntry(store, id)
  const held = keysOf(objects)
  const wanted = keys && keys.length > 0 ? [...new Set(keys)] : [...held].sort()
  const missing = wanted.filter((k) => !held.has(k))
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      `Trash entry '${id}' holds no ${missing.map((k) => `'${k}'`).join(', ')}; nothing was ` +
        `restored. It holds: ${[...held].sort().join(', ')}.`,
    )
  }
  const sizes = new Map(objects.map((o) => [o.path, o.bytes]))
  const plan: TrashRestorePlan = {
    root: store.url,
    id,
    dryRun,
    entries: [],
    restored: [],
    move: { method: moveMethod(store.backend), copyObjects: 0, copyBytes: 0 },
  }
  const liveKeys = new Set(await store.keys())
  // Each object to the key that owns it, in one pass (a filter per key would cost N²).
  const byKey = new Map<string, string[]>()
  for (const o of objects) {
    const owner = ownerOf(o.path, held)
    if (owner === undefined) continue
    const list = byKey.get(owner)
    if (list) list.push(o.path)
    else byKey.set(owner, [o.path])
  }
  for (const key of wanted) {
    const payload = byKey.get(key) ?? []
    const files = [...payload, sidecarPath(key)].map((path) => ({
      path,
      bytes: sizes.get(path) ?? 0,
    }))
    const bytes = files.reduce((n, f) => n + f.bytes, 0)
    const refused = await refusal(store, key, payload, liveKeys)
    plan.entries.push({ key, files, bytes, refused })
    if (!refused && plan.move.method === 'copy') {
      plan.move.copyObjects += files.length
      plan.move.copyBytes += bytes
    }
  }
  if (dryRun) return plan
  const dir = trashDirOf(id)
  await withTrashEntryLock(store, dir, 'restore', () => restoreEntries(store, plan, dir))
  return plan
}

/** The moving part of a restore, under the entry's lock: each key again under its own. */
async function restoreEntries(store: CacheStore, plan: TrashRestorePlan, dir: string) {
  const id = plan.id
  if ((await entryObjects(store, id)).length === 0) {
    throw new KeyNotFoundError(
      `Trash entry '${id}' was emptied meanwhile; nothing was restored from it.`,
    )
  }
  const keysNow = new Set(await store.keys())
  for (const entry of plan.entries) {
    if (entry.refused) continue
    const payload = entry.files.slice(0, -1).map((f) => f.path)
    try {
      entry.refused = await withKeyLock(store, entry.key, 'restore', async (lock) => {
        const why = await refusal(store, entry.key, payload, keysNow)
        if (!why) await moveKeyFromTrash(store, lock, entry.key, payload, dir)
        return why
      })
    } catch (err) {
      // A file that appeared during the move: the restore was undone, the rest go on.
      if (!(err instanceof AlreadyExistsError)) throw err
      entry.refused = `a file appeared in its way while restoring (${err.message}); it stays in the trash.`
    }
    if (!entry.refused) {
      plan.restored.push(entry.key)
      keysNow.add(entry.key)
    }
  }
  // An entry left with its manifest alone is gone.
  const left = await entryObjects(store, id)
  if (left.length === 1 && left[0]?.path === MANIFEST)
    await store.backend.delete(`${dir}/${MANIFEST}`)
}

/** What to empty: entries older than `olderThanMs`, or the entries `ids`, or all. */
export interface EmptyOptions {
  olderThanMs?: number
  ids?: string[]
  dryRun?: boolean
  /** The clock (tests). */
  now?: number
}

/**
 * Plans (and unless dry run, performs) deleting trash entries for good. In each, the sidecars
 * go first, the manifest last, so an entry half emptied still lists (and empties again) and
 * never offers a key whose payload is gone.
 */
export async function emptyTrash(
  store: CacheStore,
  options: EmptyOptions = {},
): Promise<TrashEmptyPlan> {
  const dryRun = options.dryRun ?? true
  let entries = await listTrash(store)
  if (options.ids && options.ids.length > 0) {
    const known = new Set(entries.map((e) => e.id))
    const unknown = options.ids.filter((id) => !known.has(id))
    if (unknown.length > 0) {
      throw new KeyNotFoundError(
        `No trash entry ${unknown.map((i) => `'${i}'`).join(', ')} in ${store.url}; nothing was deleted.`,
      )
    }
    const ids = new Set(options.ids)
    entries = entries.filter((e) => ids.has(e.id))
  }
  if (options.olderThanMs !== undefined) {
    const cutoff = (options.now ?? Date.now()) - options.olderThanMs
    entries = entries.filter((e) => Date.parse(e.createdAt) < cutoff)
  }
  const plan: TrashEmptyPlan = {
    root: store.url,
    dryRun,
    entries,
    objects: entries.reduce((n, e) => n + e.objects, 0),
    bytes: entries.reduce((n, e) => n + e.bytes, 0),
    emptied: [],
  }
  if (dryRun) return plan
  for (const entry of entries) {
    const dir = trashDirOf(entry.id)
    // Under the entry's lock, listed again: a restore or a move that held it has changed it.
    const emptied = await withTrashEntryLock(store, dir, 'delete', async () => {
      const paths = (await entryObjects(store, entry.id)).map((o) => `${dir}/${o.path}`)
      if (paths.length === 0) return false
      // Three calls: a batch delete has no order inside it.
      const isSidecar = (p: string) => p.startsWith(`${dir}/${METADATA_DIR}/`)
      const manifest = `${dir}/${MANIFEST}`
      await deleteInBatches(store.backend, paths.filter(isSidecar))
      await deleteInBatches(
        store.backend,
        paths.filter((p) => !isSidecar(p) && p !== manifest),
      )
      await store.backend.delete(manifest)
      return true
    })
    if (emptied) plan.emptied.push(entry.id)
  }
  return plan
}
