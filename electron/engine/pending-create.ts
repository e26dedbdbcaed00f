import { setTimeout as sleep } from 'node:timers/promises'
import type { ObjectMeta } from './backend/backend.js'
import { ConflictError } from './errors.js'
import { LOCK_WAIT_MS, PENDING_CREATE_MS } from './key-lock.js'
import { sidecarPath } from './keys.js'
import type { CacheStore } from './store.js'

/**
 * Whether payload objects found without a sidecar are a create in flight (some object younger
 * than PENDING_CREATE_MS) rather than an orphan. A create-only copy writes the payload, then
 * the sidecar, with no lock: between the two the key looks exactly like an orphan.
 */
export function isPendingCreate(payload: readonly ObjectMeta[], now = Date.now()): boolean {
  return payload.some((m) => now - m.lastModified.getTime() < PENDING_CREATE_MS)
}

/**
 * Called by a writer holding the key's lock that found `payload` and no sidecar. A young
 * payload is another writer's create in flight: waits (up to `waitMs`) for its sidecar, true
 * once it is there (judge the key again, as existing); ConflictError if it never comes. An old
 * one (or none) is no create: false, the caller treats it as an orphan.
 */
export async function awaitPendingCreate(
  store: CacheStore,
  key: string,
  payload: readonly ObjectMeta[],
  waitMs = LOCK_WAIT_MS,
): Promise<boolean> {
  if (payload.length === 0 || !isPendingCreate(payload)) return false
  const deadline = Date.now() + waitMs
  for (let delay = 5; ; delay = Math.min(delay * 2, 500)) {
    if ((await store.backend.head(sidecarPath(key))) !== undefined) return true
    if (Date.now() > deadline) throw pendingCreateConflict(key, store.url)
    await sleep(delay / 2 + Math.random() * delay)
  }
}

/** The error a locked writer gives when another writer's create of `key` is still unfinished. */
export function pendingCreateConflict(key: string, url: string): ConflictError {
  const minutes = Math.round(PENDING_CREATE_MS / 60_000)
  return new ConflictError(
    `Another writer is creating '${key}' in ${url} right now (its payload is there, its ` +
      `sidecar not yet); nothing was written. Try again later. If no writer is running, ` +
      `'xpersist doctor' reports that payload as an orphan once it is ${minutes} minutes old.`,
  )
}
