import type { DoctorReport, PayloadFile } from '../../shared/store-types.js'
import { CacheFolderChangedError, toErrorShape } from './errors.js'
import { keyFromSidecarPath, LOCK_DIR, METADATA_DIR, sidecarNameProblem } from './keys.js'
import { PENDING_CREATE_MS } from './key-lock.js'
import { inspectLocks } from './lock-repair.js'
import { isEngineFile, ownerOf } from './ownership.js'
import { listSidecarNames } from './store-list.js'
import type { CacheStore } from './store.js'

/**
 * Why a folder is not treated as a cache, or null when it is one. Without a sidecar there is no
 * proof that any file here was written by xpersist (Python, and older versions of this one,
 * made an empty metadata folder on open), so doctor then calls nothing an orphan.
 */
async function notACache(store: CacheStore, sidecars: number): Promise<string | null> {
  if (sidecars > 0) return null
  const top = await store.backend.listWithDelimiter('')
  return top.prefixes.includes(`${METADATA_DIR}/`)
    ? `its ${METADATA_DIR} folder holds no sidecar`
    : `no ${METADATA_DIR} folder`
}

/** Temp files of interrupted writes under `prefix` (object stores have none), with sizes. */
async function tempFiles(store: CacheStore, prefix: string): Promise<PayloadFile[]> {
  const out: PayloadFile[] = []
  for await (const p of store.backend.listTempFiles(prefix)) {
    const meta = await store.backend.head(p).catch(() => undefined)
    out.push({ path: p, bytes: meta?.size ?? 0 })
  }
  return out
}

/**
 * Checks a cache: sidecars without payload, payload objects without sidecar (and temp files
 * of interrupted writes), unreadable sidecars (links and names that are no valid key too),
 * payloads that cannot be reached safely, unknown serializers, sidecars whose key field
 * disagrees with their file name, writes interrupted halfway (a stale lock and what repairing
 * it does). Reads only; cleaning goes through a delete plan, repairing through a repair plan.
 */
export async function diagnose(store: CacheStore): Promise<DoctorReport> {
  const locks = await inspectLocks(store)
  const report: DoctorReport = {
    root: store.url,
    missingPayload: [],
    orphans: [],
    beingWritten: [],
    brokenSidecars: [],
    unknownSerializers: [],
    keyMismatches: [],
    notACache: null,
    interrupted: locks.interrupted,
    ok: true,
  }
  const keys = new Set<string>()
  const claimed = new Set<string>()
  const objects: (PayloadFile & { young: boolean })[] = []
  const now = Date.now()
  // Sidecar names come from a listing that names links too, so a linked sidecar is reported
  // (and claims its payload) instead of hiding while its payload looks like an orphan.
  for (const name of await listSidecarNames(store.backend)) {
    const problem = sidecarNameProblem(name)
    if (problem) report.brokenSidecars.push({ key: name, error: toErrorShape(problem) })
    else keys.add(name)
  }
  for await (const m of store.backend.list('')) {
    // Locks and other engine files are no payload; stale locks are reported as interrupted
    // writes instead.
    if (!m.path.startsWith(`${METADATA_DIR}/`)) {
      if (!isEngineFile(m.path)) {
        const young = now - m.lastModified.getTime() < PENDING_CREATE_MS
        objects.push({ path: m.path, bytes: m.size, young })
      }
    } else if (keyFromSidecarPath(m.path) === undefined) {
      report.orphans.push({ path: m.path, bytes: m.size })
    }
  }
  report.notACache = await notACache(
    store,
    keys.size + report.brokenSidecars.length + report.interrupted.length,
  )
  if (report.notACache !== null) {
    // No file here is provably a payload. Only the engine's own leftovers are (temp files of a
    // lock written by a first put that was killed), so they alone are listed for cleaning.
    report.orphans = await tempFiles(store, `${LOCK_DIR}/`)
    report.ok = report.orphans.length === 0
    return report
  }
  for (const { path, bytes, young } of objects) {
    const owner = ownerOf(path, keys)
    if (owner !== undefined) claimed.add(owner)
    // A payload whose put is under way is not an orphan yet: its sidecar comes next. A young
    // one without a lock may be a create-only copy's (see pending-create.ts): listed, kept.
    else if (locks.inFlight(path)) continue
    else if (young) report.beingWritten.push({ path, bytes })
    else report.orphans.push({ path, bytes })
  }
  report.orphans.push(...(await tempFiles(store, '')))
  for (const key of [...keys].sort()) {
    if (!claimed.has(key)) {
      // Listings skip links, so an unclaimed payload may be one (or sit under a file where a
      // folder should be): that is a broken entry, not a missing payload.
      const reach = await store
        .payloadFiles(key, () => Promise.resolve(keys))
        .then(
          () => null,
          (err: unknown) => {
            if (err instanceof CacheFolderChangedError) throw err
            return err
          },
        )
      if (reach) {
        report.brokenSidecars.push({ key, error: toErrorShape(reach) })
        continue
      }
      report.missingPayload.push(key)
    }
    try {
      const artifact = await store.getArtifact(key)
      if (artifact.key !== key) report.keyMismatches.push({ key, recorded: artifact.key })
      if (!store.registry.serializers.has(artifact.serializer)) {
        report.unknownSerializers.push({ key, serializer: artifact.serializer })
      }
    } catch (err) {
      report.brokenSidecars.push({ key, error: toErrorShape(err) })
    }
  }
  report.orphans.sort((a, b) => (a.path < b.path ? -1 : 1))
  report.beingWritten.sort((a, b) => (a.path < b.path ? -1 : 1))
  report.brokenSidecars.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  report.ok =
    report.missingPayload.length +
      report.orphans.length +
      report.brokenSidecars.length +
      report.unknownSerializers.length +
      report.keyMismatches.length +
      report.interrupted.length ===
    0
  return report
}
