import { MAX_DEPTH, nestsDeeperThan } from '../../../../shared/limits.js'
import { LimitExceededError } from '../../errors.js'
import { pyChildren } from '../../pyvalue.js'
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
  const value = unpickle(pickle, resolved, { joblibArrays: true }).value
  // The machine builds nesting without recursing; everything that walks the value recurses.
  if (nestsDeeperThan(value, MAX_DEPTH, pyChildren)) {
    throw new LimitExceededError(
      `This pickle's value nests containers deeper than ${MAX_DEPTH} levels (dict keys ` +
        'included), the most xpersist reads; it cannot be shown or converted safely.',
    )
  }
  return value
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
