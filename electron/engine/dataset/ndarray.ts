import { InvalidArgumentError } from '../errors.js'
import type { NdArray, NumericArray, Selection, StoredArray } from './model.js'
import { type NormalizedSelection, normalizeSelection } from './selection.js'

// Helpers over NdArray shared by every format: allocating by numpy dtype, slicing in memory by
// a normalized selection, and a StoredArray over values already in memory.

type TypedCtor = new (n: number) => NumericArray

const TYPED: Record<string, TypedCtor> = {
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  'datetime64[ns]': BigInt64Array,
  'timedelta64[ns]': BigInt64Array,
}

/** True when values of `dtype` live in a typed array (numbers, bools, times). */
export function isTypedDtype(dtype: string): boolean {
  return dtype in TYPED
}

/** Bytes per element of a typed dtype (strings and objects count 8, a pointer). */
export function itemSize(dtype: string): number {
  const C = TYPED[dtype] as unknown as { BYTES_PER_ELEMENT?: number } | undefined
  return C?.BYTES_PER_ELEMENT ?? 8
}

/** A zeroed buffer for `size` elements of `dtype` (a plain array for strings and objects). */
export function allocate(dtype: string, size: number): NdArray['data'] {
  const C = TYPED[dtype]
  return C ? new C(size) : new Array<string | null>(size).fill(null)
}

/** Copies the part of a C-order array that `sel` names into a new array. */
export function sliceNdArray(arr: NdArray, sel: NormalizedSelection): NdArray {
  const { ranges } = sel
  const out = allocate(arr.dtype, sel.size) as unknown as { [i: number]: unknown }
  const src = arr.data as unknown as { [i: number]: unknown }
  const strides: number[] = new Array<number>(arr.shape.length)
  let acc = 1
  for (let d = arr.shape.length - 1; d >= 0; d--) {
    strides[d] = acc
    acc *= arr.shape[d]!
  }
  if (sel.size > 0) {
    let o = 0
    const walk = (d: number, base: number): void => {
      const r = ranges[d]!
      if (d === ranges.length - 1) {
        for (let k = 0, i = r.start; k < r.count; k++, i += r.step) out[o++] = src[base + i]
        return
      }
      for (let k = 0, i = r.start; k < r.count; k++, i += r.step)
        walk(d + 1, base + i * strides[d]!)
    }
    if (ranges.length === 0) out[0] = src[0]
    else walk(0, 0)
  }
  return { dtype: arr.dtype, shape: sel.shape, data: out as unknown as NdArray['data'] }
}

/** Checks that an array's buffer holds exactly the elements its shape says. */
export function checkNdArray(arr: NdArray, what: string): void {
  const n = arr.shape.reduce((a, b) => a * b, 1)
  if (!arr.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new InvalidArgumentError(`${what}: shape [${arr.shape.join(', ')}] is not a shape.`)
  }
  if (arr.data.length !== n) {
    throw new InvalidArgumentError(
      `${what}: shape [${arr.shape.join(', ')}] needs ${n} values but ${arr.data.length} were given.`,
    )
  }
}

/** A StoredArray over values already in memory; reads copy the selected part. */
export function memoryStoredArray(
  arr: NdArray,
  dims: readonly string[] = [],
  chunks?: readonly number[],
): StoredArray {
  return {
    shape: arr.shape,
    dtype: arr.dtype,
    chunks,
    async read(selection?: Selection, signal?: AbortSignal): Promise<NdArray> {
      signal?.throwIfAborted()
      return sliceNdArray(arr, normalizeSelection(arr.shape, selection, dims))
    },
  }
}

const NUMPY_CODES: Record<string, string> = {
  b1: 'bool', i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32',
  i8: 'int64', u8: 'uint64', f4: 'float32', f8: 'float64', S1: '|S1', O: 'object', U: 'str',
  str: 'str', object: 'object', bool: 'bool', float: 'float64', int: 'int64',
} // prettier-ignore

/**
 * A numpy dtype as users and encodings spell it ('<i2', 'int16', 'i2', '|S1', 'f4', 'str')
 * in the names NdArray uses; null when it is none of those.
 */
export function normalizeDtype(spec: unknown): string | null {
  if (typeof spec !== 'string') return null
  const s = spec.trim().replace(/^[<>|=]/, '')
  if (isTypedDtype(s) || s === 'object' || s === 'str') return s
  if (/^S\d+$/.test(s)) return `|${s}`
  return NUMPY_CODES[s] ?? null
}

/** numpy's dtype.str for a dtype name ('float32' -> '<f4', 'int8' -> '|i1'), as xarray's encoding shows it. */
export function numpyDtypeStr(dtype: string): string {
  if (dtype === 'bool') return '|b1'
  const m = /^(u?int|float)(\d+)$/.exec(dtype)
  if (!m) return dtype
  const size = Number(m[2]) / 8
  const kind = m[1] === 'float' ? 'f' : m[1] === 'uint' ? 'u' : 'i'
  return `${size === 1 ? '|' : '<'}${kind}${size}`
}
