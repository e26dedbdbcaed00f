import { LimitExceededError } from '../../errors.js'

/**
 * Ceilings that keep a hostile or broken joblib file from exhausting memory. Every one is a
 * count the file itself declares (a length, a shape, an index), so each is checked before
 * anything is allocated for it.
 */
export interface PickleLimits {
  /** Bytes a compressed joblib file may inflate to. */
  maxDecompressedBytes: number
  /** Bytes of raw data in one numpy array, and in all the arrays of one file together. */
  maxArrayBytes: number
  /** Bytes of one str, bytes or long-integer literal. */
  maxStringBytes: number
  /** Entries in the pickle memo. */
  maxMemoEntries: number
  /** Items on the pickle stack at once. */
  maxStackDepth: number
  /** MARKs open at once (how deeply tuples, lists and calls nest while being built). */
  maxMarkDepth: number
  /**
   * Values pushed in all (every opcode that produces a value counts once): bounds a small,
   * highly compressible file of repeated memo references that would otherwise fill the heap.
   */
  maxValues: number
  /**
   * Estimated bytes of the Python objects the pickle builds (see objectCost in pickle-vm.ts),
   * numeric array data aside: what keeps a few KB of compressed `[{}, {}, ...]` from filling
   * gigabytes of heap. Counted as objects are made, so the refusal comes early.
   */
  maxObjectBytes: number
  /** Steps of work: opcodes run plus container slots filled or copied. */
  maxWork: number
  /** Set by previews: messages then say where the preview stops and how to read it all. */
  purpose?: 'load' | 'preview'
}

const MiB = 1024 ** 2
const GiB = 1024 ** 3

/** Defaults sized for a desktop: any real cache artifact fits well inside them. */
export const DEFAULT_LIMITS: Readonly<PickleLimits> = Object.freeze({
  maxDecompressedBytes: GiB,
  maxArrayBytes: GiB,
  maxStringBytes: 256 * 1024 ** 2,
  maxMemoEntries: 10_000_000,
  maxStackDepth: 1_000_000,
  maxMarkDepth: 10_000,
  maxValues: 100_000_000,
  maxObjectBytes: 512 * MiB,
  maxWork: 500_000_000,
  purpose: 'load',
})

/**
 * A preview's budgets (with maxDecompressedBytes and maxArrayBytes set to the payload limit):
 * small enough that a hostile pickle is refused in a fraction of a second, large enough for
 * what a preview shows (10,000 list items, a 1000 x 1000 array).
 */
export const PREVIEW_BUDGETS: Readonly<Partial<PickleLimits>> = Object.freeze({
  maxObjectBytes: 64 * MiB,
  maxWork: 10_000_000,
  purpose: 'preview',
})

/** Fills the limits the caller left out with the defaults. */
export function resolveLimits(partial?: Partial<PickleLimits>): PickleLimits {
  return { ...DEFAULT_LIMITS, ...partial }
}

type NumericLimit = Exclude<keyof PickleLimits, 'purpose'>

/** Throws LimitExceededError when `value` is over `limit`, saying which limit and how to raise it. */
export function checkLimit(
  name: NumericLimit,
  value: number | bigint,
  limit: number,
  what: string,
): void {
  if (value <= limit) return
  throw new LimitExceededError(
    `${what} is ${value} but ${name} is ${limit}; the joblib file is too large or not trusted. ` +
      `Raise ${name} if you trust it.`,
  )
}

/** LimitExceededError for a spent budget, worded for a preview (where it stops) or a load. */
export function budgetSpent(
  limits: PickleLimits,
  name: 'maxObjectBytes' | 'maxWork' | 'maxArrayBytes',
): LimitExceededError {
  const limit = limits[name]
  const amount =
    name === 'maxWork'
      ? `${limit.toLocaleString('en-US')} steps of work`
      : `${(limit / MiB).toFixed(0)} MB of ${name === 'maxArrayBytes' ? 'array data' : 'Python objects'}`
  if (limits.purpose === 'preview') {
    return new LimitExceededError(
      `The preview stops at ${amount} (${name}) and this pickle needs more. ` +
        `Load the artifact to read it all (xpersist show, or CacheStore.get).`,
    )
  }
  return new LimitExceededError(
    `This pickle needs more than ${amount} (${name}); the joblib file is too large or not ` +
      `trusted. Raise ${name} (readJoblib limits) if you trust it.`,
  )
}
