/**
 * Emptying the trash against a restore or a move into the same entry running at the same time:
 * the empty waits for the entry's lock, so it never deletes files another writer is moving
 * (which lost the key: neither in the cache nor restorable).
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { encodeJournal, lockPathOf, newJournal } from '../../electron/engine/key-lock.js'
import { inspectLocks, repairInterrupted } from '../../electron/engine/lock-repair.js'
import type { PutOptions } from '../../electron/engine/backend/backend.js'
import { AlreadyExistsError } from '../../electron/engine/errors.js'
import { sidecarPath, TRASH_DIR } from '../../electron/engine/keys.js'
import { CountingBackend, pythonSidecar, storeOver } from '../helpers/counting-backend.js'

/**
 * A memory backend (moves copy then delete) that holds the first put `pauseAt` matches until
 * `release()`, and says when a lock could not be taken because another writer holds it.
 */
class PausingBackend extends CountingBackend {
  pauseAt: (path: string) => boolean = () => false
  private gate: Promise<void> | null = null
  private open: () => void = () => undefined
  /** Resolves once the first put of pausePath is held. */
  paused: Promise<void>
  private markPaused: () => void = () => undefined
  /** Resolves once a lock's exclusive create met a lock another writer holds. */
  contended: Promise<void>
  private markContended: () => void = () => undefined

  constructor() {
    super()
    this.paused = new Promise((r) => (this.markPaused = r))
    this.contended = new Promise((r) => (this.markContended = r))
  }

  release(): void {
    this.open()
  }

  override async put(path: string, data: Uint8Array, options?: PutOptions) {
    if (this.gate === null && this.pauseAt(path)) {
      this.gate = new Promise((r) => (this.open = r))
      this.markPaused()
      await this.gate
    }
    try {
      return await super.put(path, data, options)
    } catch (err) {
      if (err instanceof AlreadyExistsError && path.startsWith('.xpersist-locks/'))
        this.markContended()
      throw err
    }
  }
}

async function cacheWithAandB() {
  const backend = new PausingBackend()
  for (const key of ['a', 'b']) {
    await backend.put(key, new TextEncoder().encode(`payload of ${key}`))
    await backend.put(sidecarPath(key), pythonSidecar(key))
  }
  return { backend, store: await storeOver(backend) }
}

async function trashObjects(backend: CountingBackend): Promise<string[]> {
  const out: string[] = []
  for await (const m of backend.list(`${TRASH_DIR}/`)) out.push(m.path)
  return out
}

describe('emptying the trash takes the entry lock', () => {
  it('waits for a restore of the same entry, so the restored keys are whole', async () => {
    const { backend, store } = await cacheWithAandB()
    const run = await store.deleteMany(['a', 'b'], { trash: true, dryRun: false })
    const id = run.trash?.id as string
    // The restore is held right as the payload of `a` lands back in the cache.
    backend.pauseAt = (path) => path === 'a'
    const restore = store.restoreFromTrash(id, [], { dryRun: false })
    await backend.paused
    const empty = store.emptyTrash({ dryRun: false })
    // Without the lock the empty runs to its end here; with it, it waits for the restore.
    await Promise.race([empty.catch(() => undefined), backend.contended])
    backend.release()
    const [restored, emptied] = await Promise.all([restore, empty])

    expect(restored.restored.sort()).toEqual(['a', 'b'])
    expect(restored.entries.every((e) => e.refused === null)).toBe(true)
    expect((await store.keys()).sort()).toEqual(['a', 'b'])
    expect(new TextDecoder().decode(await backend.get('a'))).toBe('payload of a')
    // The restore took the whole entry: nothing was left for the empty, and nothing stray.
    expect(emptied.emptied).toEqual([])
    expect(await trashObjects(backend)).toEqual([])
  })

  it('waits for a delete moving into the entry, then empties all of it', async () => {
    const { backend, store } = await cacheWithAandB()
    // Held as the payload of `b` is copied into the trash (its sidecar is there already).
    backend.pauseAt = (path) => path.startsWith(`${TRASH_DIR}/`) && path.endsWith('/b')
    const trashed = store.deleteMany(['a', 'b'], { trash: true, dryRun: false })
    await backend.paused
    const empty = store.emptyTrash({ dryRun: false })
    await Promise.race([empty.catch(() => undefined), backend.contended])
    backend.release()
    const [moved, emptied] = await Promise.all([trashed, empty])

    expect(moved.cancelled).toBe(false)
    expect(emptied.emptied).toEqual([moved.trash?.id])
    expect(await store.keys()).toEqual([])
    // No payload left behind in the cache, nothing left in the trash.
    expect(await backend.head('a')).toBeUndefined()
    expect(await backend.head('b')).toBeUndefined()
    expect(await trashObjects(backend)).toEqual([])
  })

  it('a lock left by a dead process on an entry is only removed, and doctor says whose it is', async () => {
    const { backend, store } = await cacheWithAandB()
    const run = await store.deleteMany(['a'], { trash: true, dryRun: false })
    const dir = `${TRASH_DIR}/${run.trash?.id as string}`
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number
    await backend.put(lockPathOf(dir), encodeJournal({ ...newJournal('delete', dir), pid: dead }))
    const { interrupted } = await inspectLocks(store)
    expect(interrupted).toEqual([
      {
        lock: lockPathOf(dir),
        key: null,
        op: null,
        repair: `remove the lock of trash entry ${dir} (its keys have locks of their own)`,
      },
    ])
    await repairInterrupted(store, { dryRun: false })
    expect(await backend.head(lockPathOf(dir))).toBeUndefined()
    // The entry is untouched, and emptying it no longer waits.
    expect((await store.trashEntries()).map((e) => e.keys)).toEqual([['a']])
    expect((await store.emptyTrash({ dryRun: false })).emptied).toEqual([run.trash?.id])
  })
})
