import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Backend, ObjectMeta } from './backend/backend.js'
import { AlreadyExistsError, ConflictError } from './errors.js'
import { LOCK_DIR } from './keys.js'

/** How long a writer waits for another live writer of the same key before giving up. */
export const LOCK_WAIT_MS = 60_000
/** A lock from another host is taken as abandoned after this long (no pid to check there). */
export const FOREIGN_LOCK_STALE_MS = 10 * 60_000
/**
 * A payload without a sidecar younger than this (by its last-modified time) is a create in
 * flight by another writer (a create-only copy, or a put that takes no lock), not an orphan:
 * locked writers wait for its sidecar, doctor neither calls it an orphan nor cleans it.
 */
export const PENDING_CREATE_MS = FOREIGN_LOCK_STALE_MS

/**
 * The journal a per-key lock holds: who is writing, and enough to finish or undo the write if
 * that process dies. `oldPayload` and `newSidecar` stay null until recorded under the lock, so
 * a journal without them means nothing was written yet.
 */
export interface Journal {
  op: 'put' | 'metadata' | 'delete' | 'trash' | 'restore'
  key: string
  pid: number
  /** The process start time (Linux), so a reused pid is not taken for the dead writer. */
  pidStart: string | null
  host: string
  startedAt: string
  token: string
  /** The payload objects before the write (path + etag), or the files a delete removes. */
  oldPayload: { path: string; etag: string }[] | null
  /** The exact sidecar text a put writes last. */
  newSidecar: string | null
  /** trash and restore: the trash entry (`.xpersist-trash/<id>`) the files move to or from. */
  trashDir?: string | null
  /** Set by a writer that failed halfway and could not repair: stale even while it lives. */
  abandoned?: boolean
}

/** A lock as found on the backend: its journal (null when unreadable) and its metadata. */
export interface FoundLock {
  path: string
  meta: ObjectMeta
  journal: Journal | null
}

/** Where the lock of `key` lives: a hash, so any key maps to one flat, safe name. */
export function lockPathOf(key: string): string {
  return `${LOCK_DIR}/${createHash('sha256').update(key).digest('hex')}.json`
}

function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

const self = { pid: process.pid, pidStart: processStart(process.pid), host: os.hostname() }

/** A new journal of this process for `op` on `key`. */
export function newJournal(op: Journal['op'], key: string): Journal {
  return {
    op,
    key,
    ...self,
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
    oldPayload: null,
    newSidecar: null,
  }
}

/** The journal text stored in a lock object. */
export function encodeJournal(journal: Journal): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(journal))
}

/** Reads the lock at `path`; undefined when there is none. */
export async function readLock(backend: Backend, path: string): Promise<FoundLock | undefined> {
  const meta = await backend.head(path)
  const bytes = meta && (await backend.get(path))
  if (!meta || !bytes) return undefined
  let journal: Journal | null = null
  try {
    const j = JSON.parse(new TextDecoder().decode(bytes)) as Journal
    if (j && typeof j.key === 'string' && typeof j.pid === 'number' && typeof j.op === 'string') {
      journal = j
    }
  } catch {
    journal = null
  }
  return { path, meta, journal }
}

function pidAlive(pid: number, start: string | null): boolean {
  if (pid === process.pid) return start === null || start === self.pidStart
  try {
    process.kill(pid, 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  // A pid the kernel handed to a newer process after the writer died is not the writer.
  const now = processStart(pid)
  return start === null || now === null || now === start
}

/**
 * Whether the writer of a lock is gone: a dead pid on this host, a foreign lock past
 * FOREIGN_LOCK_STALE_MS, an abandoned journal, or an unreadable lock (locks are written whole,
 * so an unreadable one was damaged from outside and nobody is behind it).
 */
export function isStale(lock: FoundLock, now = Date.now()): boolean {
  const j = lock.journal
  if (!j || j.abandoned) return true
  if (j.host === self.host) return !pidAlive(j.pid, j.pidStart)
  return now - lock.meta.lastModified.getTime() > FOREIGN_LOCK_STALE_MS
}

/** A lock this process holds; `record` rewrites its journal, `release` removes it. */
export class HeldLock {
  /** Set once the write changed something (payload written, files deleted). */
  written = false

  constructor(
    readonly backend: Backend,
    readonly path: string,
    public journal: Journal,
    private etag: string,
  ) {}

  /** Rewrites the journal (only while it is still ours: if-match on what we wrote). */
  async record(changes: Partial<Journal>): Promise<void> {
    const next = { ...this.journal, ...changes }
    try {
      const meta = await this.backend.put(this.path, encodeJournal(next), {
        mode: { ifMatch: this.etag },
      })
      this.journal = next
      this.etag = meta.etag
    } catch (err) {
      if (err instanceof ConflictError) {
        throw new ConflictError(
          `The write lock of '${this.journal.key}' was taken over while writing (this process ` +
            `was thought dead). Nothing more was written; check the key and try again.`,
        )
      }
      throw err
    }
  }

  /** Removes the lock if it is still the one this process wrote. */
  async release(): Promise<void> {
    const meta = await this.backend.head(this.path)
    if (meta?.etag === this.etag) await this.backend.delete(this.path)
  }
}

/**
 * Takes the lock of `journal.key` by creating its lock object exclusively (if-none-match).
 * A lock held by a live writer is waited for, with backoff, up to LOCK_WAIT_MS; a stale one is
 * handed to `repairStale` (which finishes or undoes the dead writer's work, true when it did)
 * and then retried.
 */
export async function acquireKeyLock(
  backend: Backend,
  journal: Journal,
  repairStale: (lock: FoundLock) => Promise<boolean>,
): Promise<HeldLock> {
  const path = lockPathOf(journal.key)
  const bytes = encodeJournal(journal)
  const deadline = Date.now() + LOCK_WAIT_MS
  for (let delay = 5; ; delay = Math.min(delay * 2, 250)) {
    try {
      const meta = await backend.put(path, bytes, { mode: 'create' })
      return new HeldLock(backend, path, journal, meta.etag)
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err
    }
    const held = await readLock(backend, path)
    // Retry at once after a repair; when another process is repairing it, wait like for a writer.
    if (held && isStale(held) && (await repairStale(held))) continue
    if (held && Date.now() > deadline) {
      const who = held.journal ? `process ${held.journal.pid} on ${held.journal.host}` : 'someone'
      throw new ConflictError(
        `Another process (${who}) is still writing '${journal.key}'; try again when it is done. ` +
          `If no such process is running, 'xpersist doctor' finds and repairs its interrupted write.`,
      )
    }
    await sleep(delay / 2 + Math.random() * delay)
  }
}
