import { randomBytes } from 'node:crypto'
import type { JobStatus, XpersistEvent } from '../../shared/ipc.js'
import { InvalidArgumentError } from '../engine/errors.js'
import type { CacheStore } from '../engine/store.js'
import type { ArtifactInfo } from '../../shared/store-types.js'

/** A cache the renderer opened: the store and where it came from. */
export interface OpenCache {
  store: CacheStore
  location: string
}

/** A listing in progress: rows are pulled page by page through a cursor. */
interface Listing {
  cacheId: string
  iterator: AsyncIterator<ArtifactInfo>
  loaded: number
  total: number
}

/** A long job (a delete run) the renderer watches and may cancel. */
export interface Job {
  status: JobStatus
  controller: AbortController
}

/** What the host (Electron main or the HTTP server) provides to the handlers. */
export interface HostServices {
  mode: 'electron' | 'browser'
  /** The cache to open at start, if any. */
  initial: { location: string; readonly: boolean } | null
  /** Native dialogs; absent in browser mode. */
  pickFolder?: () => Promise<string | null>
  pickFile?: () => Promise<{ path: string; name: string; bytes: number } | null>
  /** Where recent caches are remembered; absent means in memory only. */
  recentFile?: string
}

const newId = () => randomBytes(12).toString('hex')

/**
 * Everything the IPC handlers keep between calls: open caches, listings, jobs, and file
 * handles from native dialogs (the renderer gets an opaque handle, never the path).
 */
export class ExplorerSession {
  readonly caches = new Map<string, OpenCache>()
  readonly listings = new Map<string, Listing>()
  readonly jobs = new Map<string, Job>()
  readonly fileHandles = new Map<string, string>()
  recent: { location: string; readonly: boolean }[] = []
  private readonly listeners = new Set<(event: XpersistEvent) => void>()

  constructor(readonly host: HostServices) {}

  /** Registers an open cache and returns its id. */
  addCache(cache: OpenCache): string {
    const id = newId()
    this.caches.set(id, cache)
    return id
  }

  /** The open cache with this id; an error telling the renderer to reopen it otherwise. */
  cache(cacheId: string): OpenCache {
    const cache = this.caches.get(cacheId)
    if (!cache) throw new InvalidArgumentError('That cache is no longer open here; open it again.')
    return cache
  }

  /** Starts a listing; returns its cursor. */
  addListing(cacheId: string, iterator: AsyncIterator<ArtifactInfo>, total: number): string {
    const id = newId()
    this.listings.set(id, { cacheId, iterator, loaded: 0, total })
    return id
  }

  /** A listing by cursor. */
  listing(cursor: string): Listing {
    const listing = this.listings.get(cursor)
    if (!listing) throw new InvalidArgumentError('That listing has expired; reload the cache.')
    return listing
  }

  /** Registers a job and returns it. */
  addJob(total: number): Job {
    const jobId = newId()
    const job: Job = {
      controller: new AbortController(),
      status: { jobId, done: 0, total, current: null, finished: false, result: null, error: null },
    }
    this.jobs.set(jobId, job)
    return job
  }

  /** A job by id. */
  job(jobId: string): Job {
    const job = this.jobs.get(jobId)
    if (!job) throw new InvalidArgumentError(`No job ${jobId}.`)
    return job
  }

  /** Remembers a file the user picked in a native dialog; returns the handle the renderer gets. */
  addFileHandle(path: string): string {
    const handle = newId()
    this.fileHandles.set(handle, path)
    return handle
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
