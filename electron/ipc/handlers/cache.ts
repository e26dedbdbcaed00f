import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ArtifactRow } from '../../../shared/ipc.js'
import type { ErrorShape } from '../../../shared/errors.js'
import type { ArtifactInfo } from '../../../shared/store-types.js'
import { createdAtDate } from '../../../shared/artifact.js'
import { availableProtocols } from '../../engine/backend/open.js'
import { registry } from '../../engine/builtins.js'
import { putSerializers } from '../../engine/detect-payload.js'
import { InvalidArgumentError, NotSupportedError } from '../../engine/errors.js'
import { defaultSidecarIndexDir } from '../../engine/sidecar-index.js'
import { stringifyJson } from '../../engine/pyvalue-json.js'
import { CacheStore } from '../../engine/store.js'
import type { ListProgress } from '../../engine/store-list-remote.js'
import type { ExplorerSession, RecentCache } from '../session.js'
import { rememberedOptions } from '../storage-secrets.js'
import { walkPayloadFolder } from '../../engine/payload-folder.js'
import { forExplorerShape } from '../explorer-wording.js'
import type { HandlerTable } from './types.js'

const VERSION = '0.1.0'
const MAX_RECENT = 10

/** A listing row as the key table wants it; metadata that cannot be sent breaks only its row. */
export function toRow(info: ArtifactInfo): ArtifactRow {
  const created = info.artifact?.created_at ?? null
  const ms = created === null ? NaN : createdAtDate(created).getTime()
  const unsendable = sendProblem(info.artifact?.additional_metadata)
  if (unsendable) {
    const broken = { ...info, artifact: null, error: info.error ?? unsendable }
    return { ...toRow(broken), serializer: info.artifact?.serializer ?? null }
  }
  return {
    key: info.key,
    serializer: info.artifact?.serializer ?? null,
    createdAt: created,
    createdMs: Number.isFinite(ms) ? ms : null,
    bytes: info.payload.bytes,
    files: info.payload.files.length,
    sidecarBytes: info.sidecarBytes ?? null,
    allocatedBytes: info.allocatedBytes ?? null,
    metadata: info.artifact?.additional_metadata ?? {},
    error: info.error && forExplorerShape(info.error),
  }
}

/** Why `metadata` could not be sent (nested too deep to serialise), or null. */
function sendProblem(metadata: unknown): ErrorShape | null {
  if (metadata === undefined) return null
  try {
    stringifyJson(metadata)
    return null
  } catch (err) {
    return {
      code: 'LIMIT_EXCEEDED',
      message:
        `Its additional_metadata cannot be shown (${(err as Error).message}); ` +
        `Doctor checks the cache.`,
    }
  }
}

// An entry as read from the recent file, re-filtered: a file written by an older build (or
// edited by hand) may hold options that are not to be remembered, and those are not sent on.
function recentEntry(raw: unknown): RecentCache | null {
  const r = raw as Partial<RecentCache> | null
  if (typeof r?.location !== 'string') return null
  const entry: RecentCache = { location: r.location, readonly: r.readonly === true }
  if (r.options && typeof r.options === 'object' && !Array.isArray(r.options)) {
    const { options, secretsNeeded } = rememberedOptions(r.location, r.options)
    if (Object.keys(options).length > 0) entry.options = options
    if (secretsNeeded || r.secretsNeeded === true) entry.secretsNeeded = true
  }
  return entry
}

async function loadRecent(session: ExplorerSession): Promise<void> {
  const file = session.host.recentFile
  if (!file || session.recent.length > 0) return
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8'))
    if (Array.isArray(parsed)) {
      session.recent = parsed.map(recentEntry).filter((r): r is RecentCache => r !== null)
    }
  } catch {
    // no recent list yet (or an unreadable one): start empty
  }
}

/**
 * Whether a recent entry is still worth showing: a local folder that is gone is not (an
 * object-store URL always is: checking it would mean a request, and credentials, per entry).
 * The entry stays in the file, so a folder on a disk plugged in again comes back.
 */
async function stillThere(location: string): Promise<boolean> {
  let local: string
  if (/^file:\/\//i.test(location)) {
    try {
      local = fileURLToPath(location)
    } catch {
      return false
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return true
  else local = location
  return fs.stat(local).then(
    () => true,
    () => false,
  )
}

async function remember(
  session: ExplorerSession,
  location: string,
  readonly: boolean,
  storageOptions: Record<string, unknown>,
): Promise<void> {
  const entry: RecentCache = { location, readonly }
  const { options, secretsNeeded } = rememberedOptions(location, storageOptions)
  if (Object.keys(options).length > 0) entry.options = options
  if (secretsNeeded) entry.secretsNeeded = true
  session.recent = [entry, ...session.recent.filter((r) => r.location !== location)].slice(
    0,
    MAX_RECENT,
  )
  const file = session.host.recentFile
  if (!file) return
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, JSON.stringify(session.recent, null, 2))
}

/** Reads the first page of the sidecar listing (one request), to fail at open, not later. */
async function probe(store: CacheStore): Promise<void> {
  const pages = store.backend.listPaths('xpersist_metadata_store/')[Symbol.asyncIterator]()
  try {
    await pages.next()
  } finally {
    await pages.return?.()
  }
}

/** Why a cache opened read-only although the request asked to write. */
function ceilingReason(session: ExplorerSession): string {
  return session.host.mode === 'browser'
    ? 'the server was started with --readonly'
    : 'the explorer was started with --readonly'
}

/** app.info, dialogs, cache.open, cache.close, cache.list and its progress. */
export const cacheHandlers: HandlerTable<
  | 'app.info'
  | 'dialog.pickFolder'
  | 'dialog.pickFile'
  | 'cache.open'
  | 'cache.close'
  | 'cache.list'
  | 'cache.listProgress'
> = {
  async 'app.info'(_request, session) {
    await loadRecent(session)
    return {
      mode: session.host.mode,
      version: VERSION,
      protocols: availableProtocols(),
      recent: (
        await Promise.all(
          session.recent.map(async (r) => ((await stillThere(r.location)) ? r : null)),
        )
      )
        .filter((r): r is RecentCache => r !== null)
        .map((r) => (session.secrets.has(r.location) ? { ...r, secretsKept: true } : r)),
      initial: session.host.initial,
      readonlyCeiling: Boolean(session.host.readonlyCeiling),
      serializers: registry.serializers.names(),
      writable: putSerializers(registry.serializers.names()),
    }
  },

  async 'dialog.pickFolder'(_request, session) {
    if (!session.host.pickFolder) {
      throw new NotSupportedError(
        'There is no folder dialog in browser mode; type the path of the cache instead.',
      )
    }
    return { location: await session.host.pickFolder() }
  },

  async 'dialog.pickFile'(request, session) {
    if (!session.host.pickFile) {
      throw new NotSupportedError(
        'There is no file dialog in browser mode; choose the file with the upload field.',
      )
    }
    const picked = await session.host.pickFile(request.folder)
    if (!picked) return null
    // A folder is walked now: a link or special file inside is refused before the Put form.
    const bytes = request.folder ? (await walkPayloadFolder(picked.path)).bytes : picked.bytes
    return { handle: session.addFileHandle(picked.path), name: picked.name, bytes }
  },

  async 'cache.open'(request, session) {
    // --readonly at start is a ceiling: no request (or UI toggle) lifts it.
    const ceiling = Boolean(session.host.readonlyCeiling)
    // Keys given earlier this session for this location stay here: a reopen need not resend them.
    const storageOptions = session.secrets.resolve(request.location, request.storageOptions)
    const store = await CacheStore.open(request.location, {
      readonly: request.readonly || ceiling,
      storageOptions,
      create: false, // the explorer opens caches; it never makes one from a mistyped path
    })
    // An object store opens lazily: one listing request now puts a wrong endpoint, bucket or
    // key in the open form's error (and keeps a location that cannot be read out of recents).
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(request.location) && !/^file:/i.test(request.location)) {
      await probe(store)
    }
    const cacheId = session.addCache({ store, location: request.location, storageOptions })
    session.secrets.keep(request.location, storageOptions)
    await remember(session, request.location, request.readonly, storageOptions)
    return {
      cacheId,
      url: store.url,
      location: request.location,
      readonly: store.readonly,
      readonlyReason: ceiling && !request.readonly ? ceilingReason(session) : store.readonlyReason,
    }
  },

  async 'cache.close'(request, session) {
    return { closed: session.closeCache(request.cacheId) }
  },

  async 'cache.listProgress'(request, session) {
    return session.listProgress.get(request.cacheId) ?? null
  },

  async 'cache.list'(request, session) {
    let cursor = request.cursor
    let firstPageOut = false
    if (cursor === null) {
      const { store } = session.cache(request.cacheId)
      const { cacheId } = request
      // Big buckets take a while to list before a row can be sent: the window polls
      // cache.listProgress meanwhile ("Listing… N objects found", then sidecars read).
      const onProgress = (p: ListProgress) => {
        if (!firstPageOut) session.listProgress.set(cacheId, { ...p })
      }
      onProgress({ phase: 'listing', done: 0, total: null })
      try {
        // One listing gives the total and the rows; a bucket reopened fetches only the
        // sidecars that changed (the index is kept for object stores only).
        const listing = await store.listing({ indexDir: defaultSidecarIndexDir(), onProgress })
        const iterator = listing.rows[Symbol.asyncIterator]()
        cursor = session.addListing(cacheId, iterator, listing.names.length)
      } catch (err) {
        session.listProgress.delete(cacheId)
        throw err
      }
    }
    const listing = session.listing(cursor)
    if (listing.cacheId !== request.cacheId) {
      throw new InvalidArgumentError('That listing belongs to another cache; reload the cache.')
    }
    const rows: ArtifactRow[] = []
    while (rows.length < request.limit) {
      const next = await listing.iterator.next()
      if (next.done) break
      rows.push(toRow(next.value))
    }
    // The first page is out: its response carries the progress from here on.
    firstPageOut = true
    session.listProgress.delete(request.cacheId)
    listing.loaded += rows.length
    const finished = listing.loaded >= listing.total || rows.length < request.limit
    if (finished) session.dropListing(cursor)
    return { rows, cursor: finished ? null : cursor, loaded: listing.loaded, total: listing.total }
  },
}
