import { InvalidArgumentError, LimitExceededError } from '../engine/errors.js'

/** What one folder upload may hold. */
export interface FolderLimits {
  /** Total bytes of all files (the single-file upload cap). */
  maxBytes: number
  /** Number of files. */
  maxFiles: number
  /** Segments in one relative path. */
  maxDepth: number
}

/** One file a folder upload promises to send: its path under the folder and its size. */
export interface ManifestEntry {
  path: string
  bytes: number
}

// Control characters (NUL included) never belong in a store's file names, and would let a
// name look like something else in a terminal or log.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
const MAX_SEGMENT_BYTES = 255
const MAX_PATH_CHARS = 1024

const sizeText = (bytes: number) =>
  bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20)} MiB` : `${bytes} bytes`

function refuse(message: string): never {
  throw new InvalidArgumentError(`Folder upload refused: ${message}`)
}

/** Why a relative path may not be written under the upload folder, or null when it may. */
export function relativePathProblem(rel: string, maxDepth: number): string | null {
  if (rel.length === 0) return 'an empty path'
  if (rel.length > MAX_PATH_CHARS) return `a path longer than ${MAX_PATH_CHARS} characters`
  if (CONTROL.test(rel)) return 'a control character (NUL, newline, …) in the path'
  if (rel.includes('\\')) return 'a backslash in the path (use / between folders)'
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return 'an absolute path'
  const segments = rel.split('/')
  if (segments.length > maxDepth) return `more than ${maxDepth} folders deep`
  for (const segment of segments) {
    if (segment === '') return 'an empty path segment (// or a trailing /)'
    if (segment === '.' || segment === '..') return `a '${segment}' segment`
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
      return `a name longer than ${MAX_SEGMENT_BYTES} bytes`
    }
  }
  return null
}

/**
 * Checks a folder upload's manifest (`{ files: [{ path, bytes }] }`) whole, before a byte is
 * written: every path relative and plain, none twice, none both a file and a folder, and the
 * count and total size within the limits. Returns the entries in the order given.
 */
export function checkManifest(body: unknown, limits: FolderLimits): ManifestEntry[] {
  const files = (body as { files?: unknown } | null)?.files
  if (!Array.isArray(files) || files.length === 0) refuse('it lists no files.')
  if (files.length > limits.maxFiles) {
    throw new LimitExceededError(
      `The folder has ${files.length} files; this server takes at most ${limits.maxFiles} in one upload. Use \`xpersist put\` for it.`,
    )
  }
  const seen = new Set<string>()
  const folders = new Set<string>()
  const entries: ManifestEntry[] = []
  let total = 0
  for (const [i, item] of files.entries()) {
    const { path: rel, bytes } = (item ?? {}) as { path?: unknown; bytes?: unknown }
    if (typeof rel !== 'string') refuse(`file ${i} has no path.`)
    const shown = JSON.stringify(rel.slice(0, 200))
    const problem = relativePathProblem(rel, limits.maxDepth)
    if (problem) refuse(`${shown} has ${problem}.`)
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) {
      refuse(`${shown} has no valid size.`)
    }
    if (seen.has(rel)) refuse(`${shown} is listed twice.`)
    if (folders.has(rel)) refuse(`${shown} is both a file and a folder.`)
    const segments = rel.split('/')
    for (let d = 1; d < segments.length; d++) {
      const folder = segments.slice(0, d).join('/')
      if (seen.has(folder)) refuse(`${JSON.stringify(folder)} is both a file and a folder.`)
      folders.add(folder)
    }
    seen.add(rel)
    total += bytes
    if (total > limits.maxBytes) {
      throw new LimitExceededError(
        `The folder is larger than the ${sizeText(limits.maxBytes)} this server accepts; use \`xpersist put\` for it.`,
      )
    }
    entries.push({ path: rel, bytes })
  }
  return entries
}
