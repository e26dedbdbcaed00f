import { ByteReader } from './byte-reader.js'
import { decompressJoblib } from './joblib-container.js'
import { resolveLimits, type PickleLimits } from './limits.js'
import { PickleVM } from './pickle-vm.js'

/**
 * Reads the value out of a joblib file's bytes: inflates zlib or gzip, then runs the safe
 * pickle machine with joblib's inline arrays. Bytes after the top-level STOP are ignored, as
 * joblib.load ignores them.
 */
export function readJoblib(bytes: Uint8Array, limits?: Partial<PickleLimits>): unknown {
  const resolved = resolveLimits(limits)
  const pickle = decompressJoblib(bytes, resolved.maxDecompressedBytes)
  return unpickle(pickle, resolved, { joblibArrays: true }).value
}

/** Reads one complete pickle from `bytes` at `offset`; returns the value and where STOP ended. */
export function unpickle(
  bytes: Uint8Array,
  limits: PickleLimits,
  options: { offset?: number; joblibArrays?: boolean } = {},
): { value: unknown; end: number } {
  const reader = new ByteReader(bytes, options.offset ?? 0)
  const value = new PickleVM(reader, limits, options.joblibArrays ?? true).load()
  return { value, end: reader.pos }
}
