import { LimitExceededError } from '../../errors.js'

/**
 * Ceilings that keep a hostile or broken joblib file from exhausting memory. Every one is a
 * count the file itself declares (a length, a shape, an index), so each is checked before
 * anything is allocated for it.
 */
export interface PickleLimits {
  /** Bytes a compressed joblib file may inflate to. */
  maxDecompressedBytes: number
  /** Bytes of raw data in one numpy array. */
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
}

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
})

/** Fills the limits the caller left out with the defaults. */
export function resolveLimits(partial?: Partial<PickleLimits>): PickleLimits {
  return { ...DEFAULT_LIMITS, ...partial }
}

/** Throws LimitExceededError when `value` is over `limit`, saying which limit and how to raise it. */
export function checkLimit(
  name: keyof PickleLimits,
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
