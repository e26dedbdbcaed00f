import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { ArtifactRow } from '../../../shared/ipc.js'
import type { ErrorShape } from '../../../shared/errors.js'
import type { ArtifactInfo } from '../../../shared/store-types.js'
import { createdAtDate } from '../../../shared/artifact.js'
import { availableProtocols } from '../../engine/backend/open.js'
import { registry } from '../../engine/builtins.js'
import { InvalidArgumentError, NotSupportedError } from '../../engine/errors.js'
import { defaultSidecarIndexDir } from '../../engine/sidecar-index.js'
import { stringifyJson } from '../../engine/pyvalue-json.js'
import { CacheStore } from '../../engine/store.js'
import type { ExplorerSession } from '../session.js'
import { walkPayloadFolder } from '../../engine/payload-folder.js'
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
    metadata: info.artifact?.additional_metadata ?? {},
    error: info.error,
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
        `'xpersist doctor' checks the cache.`,
    }
  }
}

async function loadRecent(session: ExplorerSession): Promise<void> {
  const file = session.host.recentFile
  if (!file || session.recent.length > 0) return
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8'))
    if (Array.isArray(parsed))
      session.recent = parsed.filter((r) => typeof r?.location === 'string')
  } catch {
    // no recent list yet (or an unreadable one): start empty
  }
}

async function remember(
  session: ExplorerSession,
  location: string,
  readonly: boolean,
): Promise<void> {
  session.recent = [
    { location, readonly },
    ...session.recent.filter((r) => r.location !== location),
  ].slice(0, MAX_RECENT)
  const file = session.host.recentFile
  if (!file) return
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, JSON.stringify(session.recent, null, 2))
}

/** Why a cache opened read-only although the request asked to write. */
function ceilingReason(session: ExplorerSession): string {
  return session.host.mode === 'browser'
    ? 'the server was started with --readonly'
    : 'the explorer was started with --readonly'
}

/** app.info, dialogs, cache.open, cache.close and cache.list. */
export const cacheHandlers: HandlerTable<
  'app.info' | 'dialog.pickFolder' | 'dialog.pickFile' | 'cache.open' | 'cache.close' | 'cache.list'
> = {
  async 'app.info'(_request, session) {
    await loadRecent(session)
    return {
      mode: session.host.mode,
      version: VERSION,
      protocols: availableProtocols(),
      recent: session.recent,
      initial: session.host.initial,
      readonlyCeiling: Boolean(session.host.readonlyCeiling),
      serializers: registry.serializers.names(),
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
    const store = await CacheStore.open(request.location, {
      readonly: request.readonly || ceiling,
      storageOptions: request.storageOptions,
      create: false, // the explorer opens caches; it never makes one from a mistyped path
    })
    const cacheId = session.addCache({
      store,
      location: request.location,
      storageOptions: request.storageOptions,
    })
    await remember(session, request.location, request.readonly)
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

  async 'cache.list'(request, session) {
    let cursor = request.cursor
    if (cursor === null) {
      const { store } = session.cache(request.cacheId)
      // One listing gives the total and the rows; a bucket reopened fetches only the sidecars
      // that changed (the index is kept for object stores only).
      const listing = await store.listing({ indexDir: defaultSidecarIndexDir() })
      const iterator = listing.rows[Symbol.asyncIterator]()
      cursor = session.addListing(request.cacheId, iterator, listing.names.length)
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
    listing.loaded += rows.length
    const finished = listing.loaded >= listing.total || rows.length < request.limit
    if (finished) session.dropListing(cursor)
    return { rows, cursor: finished ? null : cursor, loaded: listing.loaded, total: listing.total }
  },
}
