import type { ArtifactDetail, Preview } from '../../../shared/ipc.js'
import { isPlainObject, pyJsonDumps } from '../../../shared/pyjson.js'
import { pyJsonParse } from '../../../shared/pyjson-parse.js'
import { InvalidArgumentError } from '../../engine/errors.js'
import { sidecarPath } from '../../engine/keys.js'
import { CONTEXT_KEYS } from '../../engine/result/xpersist-result.js'
import type { CacheStore } from '../../engine/store.js'
import type { OpenCache } from '../session.js'
import type { CacheRef } from '../tasks.js'
import type { HandlerTable } from './types.js'

/**
 * The metadata as Python-exact JSON text for the editor (1.0 stays 1.0), with "Zürich" as
 * letters rather than Python's \u escapes: saving parses it back to the same strings, which
 * the sidecar writer escapes as Python does.
 */
export function metadataText(metadata: Record<string, unknown>): string {
  return pyJsonDumps(metadata, 2, { ascii: false })
}

/** Parses editor text into a metadata dict; InvalidArgumentError says what is wrong where. */
export function parseMetadataText(text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = pyJsonParse(text)
  } catch (err) {
    throw new InvalidArgumentError(`The metadata is not valid JSON: ${(err as Error).message}.`)
  }
  if (!isPlainObject(value)) {
    throw new InvalidArgumentError(
      'additional_metadata must be a JSON object, like {"experiment": "ctrl"}.',
    )
  }
  return value
}

// A pipeline result carries (most of) the context keys XpersistResult records.
function prefectFields(metadata: Record<string, unknown>): Record<string, unknown> | null {
  const present = CONTEXT_KEYS.filter((k) => k in metadata)
  if (present.length < 8 || !('flow_name' in metadata && 'task_name' in metadata)) return null
  return Object.fromEntries(present.map((k) => [k, metadata[k]]))
}

/** How a task worker reopens this cache: as the session opened it (read-only stays read-only). */
export function cacheRef(cache: OpenCache): CacheRef {
  return {
    location: cache.location,
    readonly: cache.store.readonly,
    storageOptions: cache.storageOptions,
  }
}

async function detail(store: CacheStore, key: string): Promise<ArtifactDetail> {
  const [{ artifact, version }, files] = await Promise.all([
    store.getEntry(key),
    store.payloadFiles(key),
  ])
  return {
    key,
    artifact,
    metadataText: metadataText(artifact.additional_metadata),
    version,
    sidecarPath: sidecarPath(key),
    files,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    prefect: prefectFields(artifact.additional_metadata),
  }
}

/** artifact.detail, artifact.preview, artifact.rowCount, artifact.updateMetadata and artifact.put. */
export const artifactHandlers: HandlerTable<
  | 'artifact.detail'
  | 'artifact.preview'
  | 'artifact.rowCount'
  | 'artifact.updateMetadata'
  | 'artifact.put'
> = {
  async 'artifact.detail'(request, session) {
    return detail(session.cache(request.cacheId).store, request.key)
  },

  async 'artifact.preview'(request, session, signal) {
    const cache = session.cache(request.cacheId)
    const task = {
      kind: 'preview' as const,
      cache: cacheRef(cache),
      key: request.key,
      offset: request.offset,
      rows: request.rows,
    }
    return (await session.runTask(task, signal)) as Preview
  },

  // A streaming count in the task worker, stopped by the request's signal (a new selection).
  async 'artifact.rowCount'(request, session, signal) {
    const cache = session.cache(request.cacheId)
    const task = { kind: 'rowCount' as const, cache: cacheRef(cache), key: request.key }
    return { rowCount: (await session.runTask(task, signal)) as number | null }
  },

  async 'artifact.updateMetadata'(request, session) {
    const { store } = session.cache(request.cacheId)
    const metadata = parseMetadataText(request.metadataText)
    await store.updateMetadata(request.key, metadata, { expectedVersion: request.expectedVersion })
    return detail(store, request.key)
  },

  async 'artifact.put'(request, session, signal) {
    const cache = session.cache(request.cacheId)
    const { handle, name } = request.file
    try {
      parseMetadataText(request.metadataText) // a bad edit is refused before any work
      const task = {
        kind: 'put' as const,
        cache: cacheRef(cache),
        key: request.key,
        name,
        path: session.filePath(handle),
        options: { serializer: request.serializer, onDuplicateKey: request.onDuplicateKey },
        metadataText: request.metadataText,
      }
      return (await session.runTask(task, signal)) as { key: string; serializer: string }
    } finally {
      await session.releaseFileHandle(handle)
    }
  },
}
