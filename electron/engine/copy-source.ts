import type { Backend } from './backend/backend.js'
import { sameBytes, type CopyContext } from './copy-plan.js'
import { ConflictError } from './errors.js'
import { sidecarPath } from './keys.js'

/** A ConflictError saying the source changed while being copied. */
export class SourceChanged extends ConflictError {}

function sourceChanged(what: string, key: string, url: string): SourceChanged {
  return new SourceChanged(
    `${what} (of '${key}') changed in ${url} while copying; '${key}' was not copied. ` +
      `Run the copy again.`,
  )
}

/**
 * Proves what was copied is one version of the source: its payload objects are still those
 * planned (path, size and etag, one listing) and its sidecar still the bytes planned. A
 * writer that rewrote the source meanwhile (payload first, then sidecar) fails one of them.
 */
export async function checkSourceUnchanged(
  context: CopyContext,
  key: string,
  sidecar: Uint8Array,
): Promise<void> {
  const { source } = context
  const planned = context.sourceObjects.get(key) ?? []
  const now = await source.payloadObjects(key, async () => context.sourceKeys)
  const same =
    now.length === planned.length &&
    now.every((m, i) => {
      const p = planned[i]
      return p !== undefined && m.path === p.path && m.size === p.size && m.etag === p.etag
    })
  if (!same) throw sourceChanged('its payload', key, source.url)
  const bytes = await source.backend.get(sidecarPath(key))
  if (bytes === undefined || !sameBytes(bytes, sidecar)) {
    throw sourceChanged('its sidecar', key, source.url)
  }
}

/** One source object's bytes; it must still be the size planned. */
export async function readSourceObject(
  src: Backend,
  object: { path: string; bytes: number },
  key: string,
): Promise<Uint8Array> {
  const data = await src.get(object.path)
  if (data === undefined || data.length !== object.bytes) {
    throw sourceChanged(object.path, key, src.url)
  }
  return data
}
