import { InvalidKeyError } from './errors.js'

/** The folder holding sidecars, as Python xpersist names it. */
export const METADATA_DIR = 'xpersist_metadata_store'
/** The sidecar suffix Python xpersist uses. */
export const SIDECAR_SUFFIX = '.artifact.json'
/** Marks temp files of writes in progress; never a key, never listed as a payload. */
export const TEMP_MARKER = '.xpersist-tmp-'
/** Names of folders the engine keeps for itself (journals, locks): never a key, never a payload. */
export const ENGINE_DIR_PREFIX = '.xpersist'
/** The folder of per-key write locks (journals); outside the metadata folder, so no keys() sees it. */
export const LOCK_DIR = '.xpersist-locks'
/** The trash: `<TRASH_DIR>/<id>/` holds what one delete moved there, in the cache's layout. */
export const TRASH_DIR = '.xpersist-trash'

const MAX_KEY_BYTES = 1024
// ASCII names, none empty and none starting with '.': a subset of what validateKey accepts.
const PLAIN_KEY = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/

/**
 * Throws InvalidKeyError unless `key` is a safe relative path inside the cache root. Runs
 * before any I/O, so a bad key can never read, write or delete outside the root.
 */
export function validateKey(key: unknown): asserts key is string {
  const bad = (why: string): never => {
    throw new InvalidKeyError(
      `Invalid key ${JSON.stringify(key)}: ${why}. Keys are relative paths like ` +
        `'results/run-1/sst.nc': '/'-separated names, none empty, '.' or '..'.`,
    )
  }
  if (typeof key !== 'string') bad('a key must be a string')
  const k = key as string
  if (k.length === 0) bad('it is empty')
  if (Buffer.byteLength(k) > MAX_KEY_BYTES) bad(`it is longer than ${MAX_KEY_BYTES} bytes`)
  if (k.includes('\0')) bad('it contains a NUL character')
  if (k.includes('\\')) bad("it contains a backslash; use '/' between folder names")
  if (k.startsWith('/') || /^[A-Za-z]:/.test(k)) bad('it is an absolute path')
  const segments = k.split('/')
  if (segments.some((s) => s === '')) bad("it has an empty folder name ('//' or a '/' at an end)")
  if (segments.some((s) => s === '.' || s === '..')) bad("it contains '.' or '..'")
  if (segments[0] === METADATA_DIR)
    bad(`it would collide with the metadata folder ${METADATA_DIR}/`)
  if (segments[0] === LOCK_DIR) bad(`it would collide with the write-lock folder ${LOCK_DIR}/`)
  if (segments[0] === TRASH_DIR) bad(`it would collide with the trash folder ${TRASH_DIR}/`)
  if (segments.some((s) => s.includes(TEMP_MARKER))) bad(`'${TEMP_MARKER}' marks temporary files`)
  if (segments.some((s) => s.startsWith(ENGINE_DIR_PREFIX)))
    bad(`names starting with '${ENGINE_DIR_PREFIX}' are kept for the engine's own files`)
}

/** Where the sidecar of `key` lives, relative to the cache root. */
export function sidecarPath(key: string): string {
  return `${METADATA_DIR}/${key}${SIDECAR_SUFFIX}`
}

/** The key a sidecar path belongs to, or undefined when it is not a sidecar path. */
export function keyFromSidecarPath(path: string): string | undefined {
  const prefix = `${METADATA_DIR}/`
  if (!path.startsWith(prefix) || !path.endsWith(SIDECAR_SUFFIX)) return undefined
  const key = path.slice(prefix.length, path.length - SIDECAR_SUFFIX.length)
  return key.length > 0 && !key.includes(TEMP_MARKER) ? key : undefined
}

/**
 * Why the sidecar file named after `name` (from keyFromSidecarPath) names no valid key, or
 * null when it does. Such a name is only ever shown, never used as a path.
 */
export function sidecarNameProblem(name: string): InvalidKeyError | null {
  // Listings check every name: the usual plain ASCII ones pass this without validateKey's work.
  if (
    PLAIN_KEY.test(name) &&
    name.length <= MAX_KEY_BYTES &&
    !name.includes(TEMP_MARKER) &&
    name.split('/', 1)[0] !== METADATA_DIR
  ) {
    return null
  }
  try {
    validateKey(name)
    return null
  } catch (err) {
    return new InvalidKeyError(
      `The sidecar ${JSON.stringify(sidecarPath(name))} is not named after a valid key ` +
        `(${(err as Error).message}) xpersist neither reads nor deletes it; rename or remove ` +
        `that file by hand.`,
    )
  }
}
