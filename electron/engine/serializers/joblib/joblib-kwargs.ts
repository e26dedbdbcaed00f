import { InvalidArgumentError, NotSupportedError } from '../../errors.js'
import { PyTuple } from '../../pyvalue.js'
import type { JoblibCompression } from './joblib-container.js'

/** joblib's level when compress=True or a method is named without one (BinaryZlibFile). */
const DEFAULT_LEVEL = 3
const JOBLIB_METHODS = ['zlib', 'gzip', 'bz2', 'lzma', 'xz', 'lz4']

/**
 * The `compress` dump kwarg as joblib.dump reads it: 0/False/None for none, True or 1-9 for
 * zlib at that level, a method name, or a (method, level) pair (a list once it went through a
 * JSON sidecar). Level 0 means no compression, whatever the method, as in joblib.
 */
export function parseCompress(compress: unknown): JoblibCompression {
  if (compress === undefined || compress === null || compress === false) return { method: 'none' }
  if (compress === true) return { method: 'zlib', level: DEFAULT_LEVEL }
  if (typeof compress === 'number') return withLevel('zlib', compress)
  if (typeof compress === 'string') return withLevel(compress, DEFAULT_LEVEL)
  const pair = compress instanceof PyTuple ? compress.items : compress
  if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string') {
    return withLevel(pair[0], pair[1] ?? DEFAULT_LEVEL)
  }
  throw new InvalidArgumentError(
    `joblib compress must be 0-9, true/false, a method name or [method, level]; got ${String(compress)}.`,
  )
}

function withLevel(method: string, level: unknown): JoblibCompression {
  if (level === false) level = 0
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 9) {
    throw new InvalidArgumentError(
      `joblib compress level must be an integer 0-9; got ${String(level)}.`,
    )
  }
  if (!JOBLIB_METHODS.includes(method)) {
    throw new InvalidArgumentError(
      `joblib compress method '${method}' is unknown; joblib has ${JOBLIB_METHODS.join(', ')}.`,
    )
  }
  if (level === 0) return { method: 'none' }
  if (method !== 'zlib' && method !== 'gzip') {
    throw new NotSupportedError(
      `xpersist-ts writes zlib and gzip joblib files, not ${method}; use compress=3 or ['gzip', 3].`,
    )
  }
  return { method, level }
}

/** The `protocol` dump kwarg: only 4, the protocol the writer produces (joblib's default). */
export function checkProtocol(protocol: unknown): void {
  if (protocol === undefined || protocol === null || protocol === 4) return
  throw new NotSupportedError(
    `xpersist-ts writes joblib files with pickle protocol 4 only; got protocol=${String(protocol)}. ` +
      'Drop the protocol kwarg or set it to 4.',
  )
}

/** The `mmap_mode` load kwarg: memory maps need Python's numpy, so only None is taken. */
export function checkMmapMode(mmapMode: unknown): void {
  if (mmapMode === undefined || mmapMode === null) return
  throw new NotSupportedError(
    `joblib mmap_mode=${JSON.stringify(mmapMode)} is not supported by xpersist-ts; ` +
      'it reads arrays into memory. Load this artifact with mmap_mode None, or from Python.',
  )
}
