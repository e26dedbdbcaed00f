import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import type { JobStatus, XpersistEvent } from '../../shared/ipc.js'
import { InvalidArgumentError } from '../engine/errors.js'
import type { CacheStore } from '../engine/store.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import type { StoppedJob } from './engine-protocol.js'
import { SessionSecrets } from './storage-secrets.js'
import { TaskLane } from './task-lane.js'
import { runTask, type EngineTask } from './tasks.js'

/** A cache the renderer opened: the store, where it came from, and how it was opened. */
export interface OpenCache {
  store: CacheStore
  location: string
  storageOptions: Record<string, unknown>
  /** Last call that used it (LRU eviction when too many are open). */
  usedAt?: number
}

/** A recent cache: never a key, secret, token or service-account file (see storage-secrets.ts). */
export interface RecentCache {
  location: string
  readonly: boolean
  options?: Record<string, unknown>
  /** Keys were given (not remembered): the open form asks for them again. */
  secretsNeeded?: boolean
}

/** A listing in progress: rows are pulled page by page through a cursor. */
export interface Listing {
  cacheId: string
  iterator: AsyncIterator<ArtifactInfo>
  loaded: number
  total: number
  usedAt: number
}

/** A long job (a delete run) the renderer watches and may cancel. */
export interface Job {
  status: JobStatus
  controller: AbortController
  /** Settles when the job's work has stopped (finished, failed or cancelled). */
  settled?: Promise<void>
  /** When it may be forgotten; set once it finished. */
  expiresAt: number
}

/** A file the put channel may read: a native dialog's pick, or an upload we own and delete. */
interface FileHandle {
  path: string
  /** An upload's temp file or folder: removed after the put and when the session closes. */
  temporary: boolean
}

/** What the host (Electron main or the HTTP server) provides to the handlers. */
export interface HostServices {
  mode: 'electron' | 'browser'
  /** The cache to open at start, if any. */
  initial: { location: string; readonly: boolean } | null
  /** Started with --readonly: every cache opens read-only, whatever the request or the toggle says. */
  readonlyCeiling?: boolean
  /** Native dialogs; absent in browser mode. */
  pickFolder?: () => Promise<string | null>
  pickFile?: (folder?: boolean) => Promise<{ path: string; name: string; bytes: number } | null>
  /** A save dialog suggesting `name`: the chosen path, or null when cancelled. */
  saveFile?: (name: string) => Promise<string | null>
  /** Where recent caches are remembered; absent means in memory only. */
  recentFile?: string
  /** Runs a long task (preview, put, doctor, slice, stats) off this thread; absent runs it here. */
  runTask?: (
    task: EngineTask,
    signal: AbortSignal,
    onProgress?: (progress: { done: number; total: number }) => void,
  ) => Promise<unknown>
  /** Tells the task threads something that has no answer (close a cache's datasets). */
  tellTasks?: (task: EngineTask) => void
  /** The clock (tests move it instead of sleeping). */
  now?: () => number
}

/** Bounds on what a session keeps, so abandoned listings and jobs cannot pile up. */
export const SESSION_LIMITS = {
  /** A listing not paged for this long is dropped. */
  listingIdleMs: 5 * 60_000,
  /** Open listings per cache; opening another drops the oldest. */
  listingsPerCache: 4,
  /** Open caches; opening another closes the least recently used. */
  caches: 16,
  /** A finished job is kept this long for a late status call... */
  finishedJobMs: 10 * 60_000,
  /** ...or this long once its final status was fetched. */
  fetchedJobMs: 30_000,
  /** Closing waits this long for cancelled jobs to stop between artifacts. */
  jobStopMs: 20_000,
}

const newId = () => randomBytes(12).toString('hex')

/**
 * Everything the IPC handlers keep between calls: open caches, listings, jobs, and file
 * handles (the renderer gets an opaque handle, never the path). Listings belong to their
 * cache; idle ones expire; closing a cache drops them.
 */
export class ExplorerSession {
  readonly caches = new Map<string, OpenCache>()
  readonly listings = new Map<string, Listing>()
  readonly jobs = new Map<string, Job>()
  readonly fileHandles = new Map<string, FileHandle>()
  /** Recent caches with their non-secret storage options (storage-secrets.ts decides which). */
  recent: RecentCache[] = []
  /** Credentials given for a location, kept in this process until the session closes. */
  readonly secrets = new SessionSecrets()
  /** How far each cache's listing got before its first page (cache.listProgress). */
  readonly listProgress = new Map<
    string,
    { phase: 'listing' | 'sidecars'; done: number; total: number | null }
  >()
  private readonly listeners = new Set<(event: XpersistEvent) => void>()
  /** The preview running now: a newer one supersedes it (the window shows one at a time). */
  private previewing: AbortController | null = null
  private readonly sliceLane = new TaskLane()
  /** Called with a cache's id when it closes, and with null when the session closes. */
  private readonly closeHooks = new Set<(cacheId: string | null) => void | Promise<void>>()

  constructor(readonly host: HostServices) {}

  /** Now, on the host's clock. */
  now(): number {
    return this.host.now?.() ?? Date.now()
  }

  /** Registers an open cache and returns its id; the least recently used goes past the cap. */
  addCache(cache: OpenCache): string {
    const id = newId()
    this.caches.set(id, { ...cache, usedAt: this.now() })
    while (this.caches.size > SESSION_LIMITS.caches) {
      const [oldest] = [...this.caches].sort((a, b) => (a[1].usedAt ?? 0) - (b[1].usedAt ?? 0))
      if (oldest) this.closeCache(oldest[0])
    }
    return id
  }

  /** The open cache with this id; an error telling the renderer to reopen it otherwise. */
  cache(cacheId: string): OpenCache {
    const cache = this.caches.get(cacheId)
    if (!cache) throw new InvalidArgumentError('That cache is no longer open here; open it again.')
    cache.usedAt = this.now()
    return cache
  }

  /** Registers what to release when a cache (cacheId) or the whole session (null) closes. */
  onClosing(hook: (cacheId: string | null) => void | Promise<void>): void {
    this.closeHooks.add(hook)
  }

  /** Forgets a cache, every listing of it and the datasets opened from it; false when it was not open. */
  closeCache(cacheId: string): boolean {
    for (const [cursor, listing] of this.listings) {
      if (listing.cacheId === cacheId) this.dropListing(cursor)
    }
    const cache = this.caches.get(cacheId)
    if (cache) {
      const forget: EngineTask = {
        kind: 'forget',
        cache: {
          location: cache.location,
          readonly: cache.store.readonly,
          storageOptions: cache.storageOptions,
        },
      }
      if (this.host.tellTasks) this.host.tellTasks(forget)
      else void runTask(forget)
      for (const hook of this.closeHooks) void hook(cacheId)
    }
    this.listProgress.delete(cacheId)
    return this.caches.delete(cacheId)
  }

  /** Starts a listing of an open cache; returns its cursor. Past the cap the oldest is dropped. */
  addListing(cacheId: string, iterator: AsyncIterator<ArtifactInfo>, total: number): string {
    this.sweepListings()
    const mine = [...this.listings].filter(([, l]) => l.cacheId === cacheId)
    mine.sort((a, b) => a[1].usedAt - b[1].usedAt)
    const excess = Math.max(0, mine.length - SESSION_LIMITS.listingsPerCache + 1)
    for (const [cursor] of mine.slice(0, excess)) this.dropListing(cursor)
    const id = newId()
    this.listings.set(id, { cacheId, iterator, loaded: 0, total, usedAt: this.now() })
    return id
  }

  /** A listing by cursor; expired, dropped or finished ones are a clear error. */
  listing(cursor: string): Listing {
    this.sweepListings()
    const listing = this.listings.get(cursor)
    if (!listing) throw new InvalidArgumentError('That listing has expired; reload the cache.')
    listing.usedAt = this.now()
    return listing
  }

  /** Drops a listing, letting its iterator release what it holds. */
  dropListing(cursor: string): void {
    const listing = this.listings.get(cursor)
    if (!listing) return
    this.listings.delete(cursor)
    void listing.iterator.return?.().catch(() => {})
  }

  private sweepListings(): void {
    const idle = this.now() - SESSION_LIMITS.listingIdleMs
    for (const [cursor, listing] of this.listings) {
      if (listing.usedAt < idle) this.dropListing(cursor)
    }
  }

  /** Registers a job and returns it. */
  addJob(total: number): Job {
    this.sweepJobs()
    const jobId = newId()
    const job: Job = {
      controller: new AbortController(),
      status: { jobId, done: 0, total, current: null, finished: false, result: null, error: null },
      expiresAt: Infinity,
    }
    this.jobs.set(jobId, job)
    return job
  }

  /** Marks a job finished: it is kept a while for a late status call, then forgotten. */
  finishJob(job: Job): void {
    job.status.finished = true
    job.status.current = null
    job.expiresAt = this.now() + SESSION_LIMITS.finishedJobMs
  }

  /** A job by id; fetching a finished one starts its short countdown. */
  job(jobId: string): Job {
    this.sweepJobs()
    const job = this.jobs.get(jobId)
    if (!job) {
      throw new InvalidArgumentError(
        'That job is no longer tracked (it finished a while ago); reload the cache to see the result.',
      )
    }
    if (job.status.finished) {
      job.expiresAt = Math.min(job.expiresAt, this.now() + SESSION_LIMITS.fetchedJobMs)
    }
    return job
  }

  private sweepJobs(): void {
    const now = this.now()
    for (const [id, job] of this.jobs) if (job.expiresAt <= now) this.jobs.delete(id)
  }

  /** Remembers a file for the put channel; returns the handle the renderer gets. */
  addFileHandle(path: string, temporary = false): string {
    const handle = newId()
    this.fileHandles.set(handle, { path, temporary })
    return handle
  }

  /** The path behind a handle; the error says to choose the file again. */
  filePath(handle: string): string {
    const file = this.fileHandles.get(handle)
    if (!file)
      throw new InvalidArgumentError('That file handle has expired; choose the file again.')
    return file.path
  }

  /** Done with a handle: an upload's temp file is deleted, a dialog's pick is kept for a retry. */
  async releaseFileHandle(handle: string): Promise<void> {
    const file = this.fileHandles.get(handle)
    if (!file?.temporary) return
    this.fileHandles.delete(handle)
    // A folder upload's handle is a whole temp folder.
    await fs.rm(file.path, { recursive: true, force: true })
  }

  /**
   * Releases everything: jobs first (cancelled as Cancel does, and waited for, bounded, so a
   * delete stops between artifacts instead of running on or being killed mid-artifact), then
   * listings, caches, uploaded temp files. Returns how far each running job got.
   */
  async close(): Promise<StoppedJob[]> {
    const running = [...this.jobs.values()].filter((j) => !j.status.finished)
    for (const job of this.jobs.values()) job.controller.abort()
    const stopped = await stopJobs(running, SESSION_LIMITS.jobStopMs)
    this.jobs.clear()
    for (const id of [...this.caches.keys()]) this.closeCache(id)
    await Promise.all([...this.fileHandles.keys()].map((h) => this.releaseFileHandle(h)))
    this.fileHandles.clear()
    await Promise.all([...this.closeHooks].map((hook) => hook(null)))
    this.secrets.clear()
    return stopped
  }

  /**
   * Runs a long task where the host puts it (a worker it can terminate), stopping it when
   * `signal` aborts (the client went away) or, for a preview, when a newer preview starts.
   * Slices run one at a time, in order.
   */
  async runTask(
    task: EngineTask,
    signal?: AbortSignal,
    onProgress?: (progress: { done: number; total: number }) => void,
  ): Promise<unknown> {
    const controller = new AbortController()
    const stop = () => controller.abort()
    signal?.addEventListener('abort', stop)
    if (task.kind === 'preview') {
      this.previewing?.abort()
      this.previewing = controller
    }
    const run = () =>
      this.host.runTask
        ? this.host.runTask(task, controller.signal, onProgress)
        : runTask(task, { signal: controller.signal, onProgress })
    try {
      // Slices queue in one lane: fast slider steps reuse the worker holding the dataset open.
      if (task.kind === 'slice') return await this.sliceLane.run(run, controller.signal)
      return await run()
    } finally {
      signal?.removeEventListener('abort', stop)
      if (this.previewing === controller) this.previewing = null
    }
  }

  /** Sends an event to every subscriber (the Electron window, SSE streams). */
  emit(event: XpersistEvent): void {
    for (const listener of this.listeners) listener(event)
  }

  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (event: XpersistEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/** Waits up to `ms` for cancelled `jobs` to stop; how far each got. */
async function stopJobs(jobs: Job[], ms: number): Promise<StoppedJob[]> {
  if (jobs.length === 0) return []
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  await Promise.race([Promise.all(jobs.map((j) => j.settled)), timeout])
  clearTimeout(timer)
  return jobs.map((j) => ({
    jobId: j.status.jobId,
    done: j.status.done,
    total: j.status.total,
    stopped: j.status.finished,
  }))
}
