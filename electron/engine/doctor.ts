import type { DoctorReport, PayloadFile } from '../../shared/store-types.js'
import { toErrorShape } from './errors.js'
import { keyFromSidecarPath, LOCK_DIR, METADATA_DIR } from './keys.js'
import { inspectLocks } from './lock-repair.js'
import type { CacheStore } from './store.js'

/** True when `path` is the payload of `key` or lies inside it (a zarr folder). */
function belongsTo(path: string, key: string): boolean {
  return path === key || path.startsWith(`${key}/`)
}

/** The key owning `path`, found by walking up its folders. */
function ownerOf(path: string, keys: Set<string>): string | undefined {
  for (let p = path; ;) {
    if (keys.has(p)) return belongsTo(path, p) ? p : undefined
    const i = p.lastIndexOf('/')
    if (i < 0) return undefined
    p = p.slice(0, i)
  }
}

/**
 * Checks a cache: sidecars without payload, payload objects without sidecar (and temp files
 * of interrupted writes), unreadable sidecars, unknown serializers, sidecars whose key field
 * disagrees with their file name, writes interrupted halfway (a stale lock and what repairing
 * it does). Reads only; cleaning goes through a delete plan, repairing through a repair plan.
 */
export async function diagnose(store: CacheStore): Promise<DoctorReport> {
  const locks = await inspectLocks(store)
  const report: DoctorReport = {
    root: store.url,
    missingPayload: [],
    orphans: [],
    brokenSidecars: [],
    unknownSerializers: [],
    keyMismatches: [],
    interrupted: locks.interrupted,
    ok: true,
  }
  const keys = new Set<string>()
  const claimed = new Set<string>()
  const objects: PayloadFile[] = []
  for await (const m of store.backend.list('')) {
    // Locks are no payload; stale ones are reported as interrupted writes instead.
    if (m.path.startsWith(`${LOCK_DIR}/`)) continue
    if (m.path.startsWith(`${METADATA_DIR}/`)) {
      const key = keyFromSidecarPath(m.path)
      if (key !== undefined) keys.add(key)
      else report.orphans.push({ path: m.path, bytes: m.size })
    } else objects.push({ path: m.path, bytes: m.size })
  }
  for (const o of objects) {
    const owner = ownerOf(o.path, keys)
    if (owner !== undefined) claimed.add(owner)
    // A payload whose put is under way is not an orphan yet: its sidecar comes next.
    else if (!locks.inFlight(o.path)) report.orphans.push(o)
  }
  const temps = (store.backend as { listTempFiles?: (p: string) => AsyncIterable<string> })
    .listTempFiles
  if (temps) {
    for await (const p of temps.call(store.backend, '')) {
      const meta = await store.backend.head(p).catch(() => undefined)
      report.orphans.push({ path: p, bytes: meta?.size ?? 0 })
    }
  }
  for (const key of [...keys].sort()) {
    if (!claimed.has(key)) report.missingPayload.push(key)
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
