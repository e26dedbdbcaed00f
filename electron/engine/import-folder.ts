import { constants, promises as fs } from 'node:fs'
import path from 'node:path'
import type { Artifact } from '../../shared/artifact.js'
import { FolderView } from './backend/folder-view.js'
import { serializerForFolder } from './detect-payload.js'
import { InvalidArgumentError } from './errors.js'
import { walkPayloadFolder, type FolderFile } from './payload-folder.js'
import type { Kwargs, Serializer, Target } from './serializers/serializer.js'
import { closeLoaded, type CacheStore, type PutOptionsArg } from './store.js'
import { sidecarPath } from './keys.js'

/** How storeFolder writes through the store's write path (key lock, journal, payload, sidecar). */
export type WriteThrough = (
  serializer: Serializer,
  loadKwargs: Kwargs,
  dump: (target: Target, changing: () => void) => Promise<void>,
) => Promise<Artifact>

// O_NOFOLLOW: a file swapped for a link after the walk is refused, not followed.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | (constants.O_NONBLOCK ?? 0)

async function readRegular(file: FolderFile): Promise<Uint8Array> {
  const handle = await fs.open(file.abs, READ_FLAGS).catch((err: NodeJS.ErrnoException) => {
    throw new InvalidArgumentError(
      `${file.abs} could not be read (${err.code ?? err.message}); it changed while being put?`,
    )
  })
  try {
    if (!(await handle.stat()).isFile()) {
      throw new InvalidArgumentError(`${file.abs} is no longer a regular file; put stopped.`)
    }
    return new Uint8Array(await handle.readFile())
  } finally {
    await handle.close()
  }
}

/**
 * Puts a folder byte for byte: walks it (refusing links and special files), picks the
 * serializer from its content unless one is given, opens it from where it is (structure only)
 * to prove the serializer reads it, then writes every file under `key/` and the sidecar last.
 * Files of an old payload that the new one lacks are removed before the sidecar, so the key
 * never mixes two stores; a failure halfway removes the key (as doctor's repair would).
 */
export async function storeFolder(
  store: CacheStore,
  key: string,
  dir: string,
  options: PutOptionsArg,
  write: WriteThrough,
): Promise<{ artifact: Artifact; files: number; bytes: number }> {
  const folder = await walkPayloadFolder(dir)
  const wanted = options.serializer && options.serializer !== 'auto' ? options.serializer : null
  const name = wanted ?? (await serializerForFolder(folder))
  if (!name) {
    throw new InvalidArgumentError(
      `${path.basename(dir)} is not a Zarr store (no .zgroup, .zmetadata or zarr.json at its ` +
        `top); pass --serializer to say how to store it.`,
    )
  }
  const serializer = await store.serializer(name)
  const view = new FolderView(folder, 'payload')
  try {
    await closeLoaded(
      await serializer.load({ backend: view, path: 'payload', putMode: 'overwrite' }, {}),
    )
  } catch (err) {
    throw new InvalidArgumentError(
      `${path.basename(dir)} is not something ${serializer.name} can read ` +
        `(${(err as Error).message}). Choose another serializer with --serializer.`,
    )
  }
  const artifact = await write(serializer, {}, async (target, changing) => {
    const old = await store.payloadObjects(key)
    const fresh = new Set(folder.files.map((f) => `${target.path}/${f.rel}`))
    changing()
    if (old.length === 1 && old[0]?.path === key) {
      // A single-object payload is where the folder goes: the old artifact goes first, whole.
      await target.backend.delete(sidecarPath(key))
      await target.backend.delete(key)
    }
    for (const f of folder.files) {
      const data = await readRegular(f)
      await target.backend.put(`${target.path}/${f.rel}`, data, { mode: target.putMode })
    }
    for (const o of old)
      if (o.path !== key && !fresh.has(o.path)) await target.backend.delete(o.path)
  })
  return { artifact, files: folder.files.length, bytes: folder.bytes }
}
