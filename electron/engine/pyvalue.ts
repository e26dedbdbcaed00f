/**
 * How Python values that have no plain JavaScript twin are represented in the engine:
 * numpy arrays, tuples, sets, and objects of classes we refuse to construct. Plain values map
 * directly: None -> null, bool -> boolean, int -> number (bigint beyond 2^53), float -> number,
 * str -> string, bytes -> Uint8Array, list -> Array, dict -> Map (keys are never object
 * properties, so a key like `__proto__` cannot pollute anything).
 */

export { PyFloat } from '../../shared/pyjson.js'

/** Typed arrays a numpy array's data can be held in. */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array

/** A numpy ndarray: dtype as numpy spells it ('<f8', '|b1', '<M8[ns]'), shape, flat data. */
export class NdArray {
  constructor(
    readonly dtype: string,
    readonly shape: number[],
    /** Flat data in C order (converted from Fortran order on read). Objects arrays use unknown[]. */
    readonly data: NumericArray | unknown[],
  ) {}

  /** Element count. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1)
  }
}

/** A Python tuple: its items, kept apart from a list so it round-trips as a tuple. */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** A Python set or frozenset. */
export class PySet {
  constructor(
    readonly items: unknown[],
    readonly frozen = false,
  ) {}
}

/**
 * An object of a Python class that is not on the safe list: never constructed, only named.
 * `state` holds what the pickle said about it, for display only.
 */
export class PythonObject {
  constructor(
    /** Dotted class path, e.g. 'pandas.core.frame.DataFrame'. */
    readonly pythonClass: string,
    readonly state?: unknown,
    /** True when Python, loading the pickle, would run code to make it (os.system, eval...). */
    readonly executesCode = false,
  ) {}
}

/** How an object that would run code in Python is described to users. */
export const EXECUTES_CODE_NOTE = 'would execute code if loaded in Python'

/**
 * The members of a value-model container (dict keys and values, list, tuple and set items,
 * an object array's items, what a placeholder recorded), or undefined for a scalar: what
 * nestsDeeperThan (shared/limits.ts) walks to bound the depth of a loaded value.
 */
export function pyChildren(v: unknown): Iterable<unknown> | undefined {
  if (Array.isArray(v)) return v
  if (v instanceof Map) return mapMembers(v)
  if (v instanceof PyTuple || v instanceof PySet) return v.items
  if (v instanceof NdArray) return Array.isArray(v.data) ? v.data : undefined
  if (v instanceof PythonObject) {
    const s = v.state
    return typeof s === 'object' && s !== null ? Object.values(s) : undefined
  }
  return undefined
}

function* mapMembers(m: Map<unknown, unknown>): Iterable<unknown> {
  for (const [k, x] of m) {
    yield k
    yield x
  }
}
