import { lockPathOf } from './key-lock.js'
import { keyFromSidecarPath, METADATA_DIR, sidecarNameProblem } from './keys.js'
import type { CacheStore } from './store.js'

// The destination's whole listing replaces about two requests per key (a head and a listing of
// the key's folder) only while it is not much longer than that: past this many paths per
// selected key it is abandoned and each key is looked up instead.
const LISTED_PATHS_PER_KEY = 2000

/**
 * The destination's keys and which of `wanted` it holds nothing of, from ONE recursive listing
 * of its paths (a listing page per 1,000 objects on an object store). A destination much larger
 * than the selection is not listed whole: its keys are listed and no key counts as absent.
 */
export async function listDestination(
  destination: CacheStore,
  wanted: readonly string[],
): Promise<{ keys: Set<string>; absent: Set<string> }> {
  const want = new Set(wanted)
  const locks = new Map(wanted.map((k) => [lockPathOf(k), k]))
  const seen = new Set<string>()
  const keys = new Set<string>()
  const budget = Math.max(1, wanted.length) * LISTED_PATHS_PER_KEY
  let listed = 0
  for await (const page of destination.backend.listPaths('')) {
    listed += page.length
    if (listed > budget) return { keys: new Set(await destination.keys()), absent: new Set() }
    for (const path of page) {
      if (path.startsWith(`${METADATA_DIR}/`)) {
        const name = keyFromSidecarPath(path)
        if (name !== undefined && sidecarNameProblem(name) === null) {
          keys.add(name)
          if (want.has(name)) seen.add(name)
        }
        continue
      }
      const locked = locks.get(path)
      if (locked !== undefined) seen.add(locked)
      // The path itself and every folder above it: a key there has a payload object.
      for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
        if (want.has(p)) seen.add(p)
        if (!p.includes('/')) break
      }
    }
  }
  return { keys, absent: new Set(wanted.filter((k) => !seen.has(k))) }
}
