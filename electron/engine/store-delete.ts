import type { DeletePlan, DeletePlanEntry, PayloadFile } from '../../shared/store-types.js'
import type { ObjectMeta } from './backend/backend.js'
import { mapBounded } from './backend/bounded.js'
import { InvalidArgumentError, KeyNotFoundError } from './errors.js'
import { diagnose } from './doctor.js'
import { keyFromSidecarPath, sidecarPath, TRASH_DIR } from './keys.js'
import { withKeyLock } from './lock-repair.js'
import { deleteInBatches } from './store-bulk.js'
import type { CacheStore } from './store.js'
import { MANIFEST, trashMoveOf, withTrashEntryLock, writeManifest } from './trash.js'
import { moveKeyToTrash, newTrashId, trashDirOf } from './trash-move.js'

/** Options for deleting several keys. */
export interface DeleteOptions {
  /** Only plan (the default, as in Python). */
  dryRun?: boolean
  /** Stops between keys; keys already deleted stay deleted, none is left half-deleted. */
  signal?: AbortSignal
  /** Called after each key is deleted. */
  onProgress?: (progress: { done: number; total: number; key: string }) => void
  /**
   * Move the artifacts into the trash (`.xpersist-trash/<id>/`, one id for the whole call)
   * instead of deleting them; `deleted` then lists the paths moved out of the cache.
   */
  trash?: boolean
}

/**
 * What deleting `key` removes: its sidecar and the payload files it owns (never a file of a
 * more specific key nested under it). `keys` gives the cache's keys at planning time; without
 * it the keys are read again, which is how a delete re-proves ownership right before removing.
 */
async function planKey(
  store: CacheStore,
  key: string,
  keys?: () => Promise<ReadonlySet<string>>,
): Promise<DeletePlanEntry> {
  const sidecar = await store.backend.head(sidecarPath(key))
  if (!sidecar) throw noSidecar(store, key)
  return entryOf(key, sidecar, await store.payloadFiles(key, keys))
}

function noSidecar(store: CacheStore, key: string): KeyNotFoundError {
  return new KeyNotFoundError(
    `No artifact '${key}' in ${store.url} (no sidecar); nothing was deleted. ` +
      `'xpersist doctor' lists payloads that have lost their sidecar.`,
  )
}

function entryOf(key: string, sidecar: ObjectMeta, payload: PayloadFile[]): DeletePlanEntry {
  const files: DeletePlanEntry['files'] = [
    { path: sidecar.path, bytes: sidecar.size, role: 'sidecar' },
    ...payload.map((f) => ({ ...f, role: 'payload' as const })),
  ]
  return { key, files, bytes: files.reduce((s, f) => s + f.bytes, 0) }
}

/**
 * planKey for many keys at once: the sidecars' and the one-object payloads' HEADs in bulk
 * (bounded concurrency on an object store), so planning 10,000 keys is not 20,000 requests one
 * after another; a folder payload is listed, a few keys at a time. The first key (in order)
 * without a sidecar fails the whole plan, as planKey would.
 */
async function planKeys(
  store: CacheStore,
  keys: string[],
  known: () => Promise<ReadonlySet<string>>,
): Promise<DeletePlanEntry[]> {
  const sidecars = await store.backend.headMany(keys.map(sidecarPath))
  const missing = sidecars.indexOf(undefined)
  if (missing >= 0) throw noSidecar(store, keys[missing] as string)
  const singles = await store.backend.headMany(keys)
  return mapBounded(
    keys,
    async (key, i) => {
      const single = singles[i]
      const payload = single
        ? [{ path: single.path, bytes: single.size }]
        : await store.payloadFiles(key, known)
      return entryOf(key, sidecars[i] as ObjectMeta, payload)
    },
    FOLDER_LISTINGS,
  )
}

// Folder payloads listed at once while planning (each listing is one request or more).
const FOLDER_LISTINGS = 8

/**
 * Plans the deletion of every key first (an unknown key fails the whole call before anything
 * is removed), then, unless dry run, deletes key by key: sidecar first, so a key disappears
 * before its payload does and an interruption leaves at worst an orphan payload, never a key
 * whose payload is half gone.
 */
export async function deleteKeys(
  store: CacheStore,
  keys: string[],
  options: DeleteOptions = {},
): Promise<DeletePlan> {
  const unique = [...new Set(keys)]
  // Read once for the whole plan, and only if some key has a folder payload.
  let keySet: Promise<ReadonlySet<string>> | undefined
  const known = () => (keySet ??= store.keys().then((k) => new Set(k)))
  const entries = await planKeys(store, unique, known)
  const trashDir = options.trash && options.dryRun === false ? trashDirOf(newTrashId()) : null
  // Moving into an entry holds its lock, so emptying the trash meanwhile waits for it.
  if (trashDir) return withTrashEntryLock(store, trashDir, 'trash', () => run(trashDir))
  return run(null)

  async function run(trashDir: string | null): Promise<DeletePlan> {
    if (trashDir) await writeManifest(store, trashDir, unique, 'moving')
    const result = await runPlan(store, entries, options, (entry, plan) =>
      // Under the key's lock, with the files in its journal: a delete killed halfway is
      // finished by doctor or the next writer instead of leaving a key with half a payload.
      withKeyLock(store, entry.key, trashDir ? 'trash' : 'delete', async (lock) => {
        // Re-read the payload and the keys now: files or nested keys may have appeared since
        // the plan was made, and only what this key owns at this moment may go.
        const files = (await planKey(store, entry.key)).files
        const payload = files.filter((f) => f.role === 'payload').map((f) => f.path)
        if (trashDir) {
          return moveKeyToTrash(store, lock, entry.key, payload, trashDir, (p) =>
            plan.deleted.push(p),
          )
        }
        await lock.record({ oldPayload: payload.map((path) => ({ path, etag: '' })) })
        lock.written = true
        // The sidecar alone first (a batch delete has no order), then the payload in batches.
        const sidecar = sidecarPath(entry.key)
        await store.backend.delete(sidecar)
        plan.deleted.push(sidecar)
        await deleteInBatches(store.backend, payload, (batch) => {
          for (const p of batch) plan.deleted.push(p)
        })
      }),
    )
    if (!options.trash) return result
    result.trash = trashMoveOf(store, entries, trashDir && trashDir.slice(TRASH_DIR.length + 1))
    if (trashDir && result.deleted.length === 0)
      await store.backend.delete(`${trashDir}/${MANIFEST}`)
    else if (trashDir) {
      const moved = result.deleted.flatMap((p) => keyFromSidecarPath(p) ?? [])
      await writeManifest(store, trashDir, moved, result.cancelled ? 'cancelled' : 'finished')
    }
    return result
  }
}

/**
 * A plan of `entries`; unless dry run, `remove` runs for each entry in turn, stopping between
 * entries when `signal` aborts (the plan then says cancelled and how far it got).
 */
async function runPlan(
  store: CacheStore,
  entries: DeletePlanEntry[],
  options: DeleteOptions,
  remove: (entry: DeletePlanEntry, plan: DeletePlan) => Promise<void>,
): Promise<DeletePlan> {
  const dryRun = options.dryRun ?? true
  const plan: DeletePlan = {
    root: store.url,
    dryRun,
    entries,
    bytes: entries.reduce((s, e) => s + e.bytes, 0),
    deleted: [],
    cancelled: false,
  }
  if (dryRun) return plan
  let done = 0
  for (const entry of entries) {
    if (options.signal?.aborted) {
      plan.cancelled = true
      break
    }
    await remove(entry, plan)
    options.onProgress?.({ done: ++done, total: entries.length, key: entry.key })
  }
  return plan
}

/**
 * Plans (and unless dry run, performs) the removal of orphan payload files that doctor found.
 * Every path is checked again to be an orphan right now, so this can never delete a file a
 * sidecar claims.
 */
export async function deleteOrphans(
  store: CacheStore,
  paths: string[],
  options: DeleteOptions = {},
): Promise<DeletePlan> {
  const report = await diagnose(store)
  const orphans = new Map(report.orphans.map((o) => [o.path, o.bytes]))
  const claimed = paths.filter((p) => !orphans.has(p))
  if (claimed.length > 0 && report.notACache !== null) {
    throw new InvalidArgumentError(
      `${store.url} is not an xpersist cache (${report.notACache}), so no file in it is an ` +
        `orphan; nothing was deleted.`,
    )
  }
  if (claimed.length > 0) {
    throw new InvalidArgumentError(
      `Not orphans (a sidecar claims them, or they are gone): ${claimed.slice(0, 5).join(', ')}. ` +
        `Nothing was deleted; run 'xpersist doctor' again.`,
    )
  }
  const entries: DeletePlanEntry[] = [...new Set(paths)].map((path) => {
    const bytes = orphans.get(path) as number
    return { key: path, files: [{ path, bytes, role: 'orphan' }], bytes }
  })
  return runPlan(store, entries, options, async (entry, plan) => {
    await store.backend.delete(entry.key)
    plan.deleted.push(entry.key)
  })
}
