import { utcNowIso, type Artifact } from '../../shared/artifact.js'
import type { ArtifactEntry, OnDuplicateKey } from '../../shared/store-types.js'
import { AlreadyExistsError, ConflictError, DuplicateKeyError } from './errors.js'
import { sidecarPath } from './keys.js'
import type { Kwargs, Target } from './serializers/serializer.js'
import { withKeyLock } from './lock-repair.js'
import { awaitPendingCreate, pendingCreateConflict } from './pending-create.js'
import { encodeSidecar } from './sidecar.js'
import { versionOf, type CacheStore, type PutOptionsArg } from './store.js'

function duplicate(key: string, url: string, why: string): DuplicateKeyError {
  return new DuplicateKeyError(
    `Key '${key}' is already in ${url} (${why}) and on_duplicate_key is 'raise_error'. ` +
      `Use another key, or on_duplicate_key 'overwrite' to replace it.`,
  )
}

/**
 * Writes payload then sidecar under `policy`, holding the key's write lock, whose journal lets
 * doctor or the next writer finish a put whose process died between payload and sidecar (so a
 * key is always exactly one writer's artifact). A key with no payload or no sidecar is created
 * exclusively (if-none-match), and a young payload without sidecar waited for, so a create-only
 * copy (which takes no lock) and this put never mix. 'raise_error' also creates both exclusively (a
 * hard link of a complete temp file), so even writers that take no lock never both win.
 * `dump` calls its `changing` argument before a write that is not one atomic object.
 */
export async function writeArtifact(
  store: CacheStore,
  key: string,
  policy: OnDuplicateKey,
  options: PutOptionsArg,
  serializerName: string,
  loadKwargs: Kwargs,
  dump: (target: Target, changing: () => void) => Promise<void>,
): Promise<Artifact> {
  const artifact: Artifact = {
    key,
    serializer: serializerName,
    load_kwargs: loadKwargs,
    dump_kwargs: options.dumpKwargs ?? {},
    additional_metadata: options.additionalMetadata ?? {},
    created_at: options.createdAt ?? utcNowIso(),
  }
  const sidecar = encodeSidecar(artifact) // fails early on metadata JSON cannot hold
  const existing = async () => {
    if (policy === 'overwrite' || !(await store.has(key))) return undefined
    if (policy === 'skip') return store.getArtifact(key)
    throw duplicate(key, store.url, 'it already exists')
  }
  // Checked before locking too, so a duplicate put leaves no trace at all.
  const found = await existing()
  if (found) return found
  return withKeyLock(store, key, 'put', async (lock) => {
    const now = await existing()
    if (now) return now
    let hadSidecar = await store.has(key)
    let old = await store.payloadObjects(key)
    // A young payload without sidecar is another writer's create in flight: its sidecar is
    // waited for, then the key is judged as existing (see pending-create.ts).
    if (!hadSidecar && (await awaitPendingCreate(store, key, old))) {
      const created = await existing()
      if (created) return created
      hadSidecar = true
      old = await store.payloadObjects(key)
    }
    await lock.record({
      oldPayload: old.map((m) => ({ path: m.path, etag: m.etag })),
      newSidecar: new TextDecoder().decode(sidecar),
    })
    // What was judged absent is created exclusively, so a create-only copy landing meanwhile
    // is refused here instead of being overwritten (or its sidecar written over).
    const payloadMode = policy === 'raise_error' || old.length === 0 ? 'create' : 'overwrite'
    const sidecarMode = policy === 'raise_error' || !hadSidecar ? 'create' : 'overwrite'
    try {
      // A folder payload is many writes: it calls `changing` before the first, so a failure
      // halfway is repaired at once (the key removed, never left mixed), as doctor would.
      const changing = () => {
        lock.written = true
      }
      await dump({ backend: store.backend, path: key, putMode: payloadMode }, changing)
      lock.written = true
      await store.backend.put(sidecarPath(key), sidecar, { mode: sidecarMode })
    } catch (err) {
      // Another writer created the key after it was judged absent: what it wrote is whole or
      // its own to finish, so no repair writes our sidecar to it (ours stays as leftovers).
      if (err instanceof AlreadyExistsError && !hadSidecar) lock.written = false
      if (err instanceof AlreadyExistsError && policy !== 'raise_error') {
        throw pendingCreateConflict(key, store.url)
      }
      if (err instanceof AlreadyExistsError) {
        throw duplicate(
          key,
          store.url,
          'another writer created it first, or an interrupted put left its payload (see xpersist doctor)',
        )
      }
      throw err
    }
    return artifact
  })
}

/**
 * Rewrites the sidecar with new additional_metadata, refusing if it changed since read; under
 * the key's lock, so it never lands between the payload and the sidecar of an overwrite.
 */
export async function rewriteMetadata(
  store: CacheStore,
  key: string,
  additionalMetadata: Record<string, unknown>,
  expectedVersion: string | undefined,
): Promise<ArtifactEntry> {
  return withKeyLock(store, key, 'metadata', () =>
    rewrite(store, key, additionalMetadata, expectedVersion),
  )
}

async function rewrite(
  store: CacheStore,
  key: string,
  additionalMetadata: Record<string, unknown>,
  expectedVersion: string | undefined,
): Promise<ArtifactEntry> {
  const meta = await store.backend.head(sidecarPath(key))
  const current = await store.getEntry(key)
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new ConflictError(
      `The sidecar of '${key}' changed on disk since you opened it. Review both versions and save again.`,
      current,
    )
  }
  const artifact = { ...current.artifact, additional_metadata: additionalMetadata }
  const bytes = encodeSidecar(artifact)
  try {
    // if-match on what was read: a write landing in between is refused, never overwritten.
    await store.backend.put(sidecarPath(key), bytes, {
      mode: meta ? { ifMatch: meta.etag } : 'create',
    })
  } catch (err) {
    if (err instanceof ConflictError || err instanceof AlreadyExistsError) {
      throw new ConflictError(
        `The sidecar of '${key}' changed while saving. Review both versions and save again.`,
        await store.getEntry(key),
      )
    }
    throw err
  }
  return { artifact, version: versionOf(bytes) }
}
