import { ENGINE_DIR_PREFIX, METADATA_DIR, TEMP_MARKER } from './keys.js'

/**
 * True for paths that are the engine's own and never a payload: sidecars, temp files of writes
 * in progress, and anything inside a hidden engine folder.
 */
export function isEngineFile(path: string): boolean {
  const segments = path.split('/')
  if (segments[0] === METADATA_DIR) return true
  const last = segments.length - 1
  return segments.some(
    (s, i) => s.includes(TEMP_MARKER) || (i < last && s.startsWith(ENGINE_DIR_PREFIX)),
  )
}

/**
 * The key whose payload `path` is: the longest key equal to it or a folder prefix of it. With
 * keys `runs` and `runs/2022/config`, the file `runs/2022/config` is the second key's, never
 * part of a folder payload of `runs`; so deleting one key can never take another's data.
 */
export function ownerOf(path: string, keys: ReadonlySet<string>): string | undefined {
  if (isEngineFile(path)) return undefined
  for (let p = path; ;) {
    if (keys.has(p)) return p
    const i = p.lastIndexOf('/')
    if (i < 0) return undefined
    p = p.slice(0, i)
  }
}

/** Whether `path` is part of the payload of `key`, as ownerOf decides, with `key` counted as a key. */
export function ownedBy(path: string, key: string, keys: ReadonlySet<string>): boolean {
  if (isEngineFile(path) || !(path === key || path.startsWith(`${key}/`))) return false
  for (let p = path; p !== key; p = p.slice(0, p.lastIndexOf('/'))) {
    if (keys.has(p)) return false
  }
  return true
}
