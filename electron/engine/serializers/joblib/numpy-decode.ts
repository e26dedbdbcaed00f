import { NdArray, PyTuple, PythonObject, type NumericArray } from '../../pyvalue.js'
import { corrupt, latin1 } from './byte-reader.js'
import { checkLimit, type PickleLimits } from './limits.js'
import type { NumpyDtype } from './numpy-dtype.js'

type Indexable<T> = { readonly length: number; [i: number]: T }

/** Element count of a shape (1 for a 0-d array), as numpy's `prod(shape)`. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** A shape tuple of non-negative integers, checked so a hostile shape cannot overflow. */
export function parseShape(value: unknown, at: number): number[] {
  const items = value instanceof PyTuple ? value.items : Array.isArray(value) ? value : [value]
  const shape = items.map((d) => (typeof d === 'bigint' ? Number(d) : d))
  if (!shape.every((d): d is number => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw corrupt(at, 'ndarray shape is not a tuple of non-negative integers')
  }
  return shape
}

/** `prod(shape) * itemsize`, checked against maxArrayBytes before anything is read for it. */
export function arrayByteLength(shape: number[], dtype: NumpyDtype, limits: PickleLimits): number {
  const bytes = elementCount(shape) * dtype.itemsize
  checkLimit(
    'maxArrayBytes',
    bytes,
    limits.maxArrayBytes,
    `array of shape (${shape.join(', ')}) bytes`,
  )
  return bytes
}

/**
 * Turns raw array bytes (`count * itemsize` of them, in the file's byte order and memory order)
 * into an NdArray in native byte order and C order. Dtypes we do not decode (complex, structured)
 * become a PythonObject naming the dtype and shape, so the rest of the file still loads.
 */
export function decodeArray(
  dtype: NumpyDtype,
  shape: number[],
  fortran: boolean,
  raw: Uint8Array,
): NdArray | PythonObject {
  if (!dtype.decodable || dtype.hasObject) {
    const why = dtype.unsupported ?? `'${dtype.str}' elements`
    return new PythonObject('numpy.ndarray', { dtype: dtype.str, shape, notDecoded: why })
  }
  const flat = decodeElements(dtype, raw)
  const data = fortran && shape.length > 1 ? fortranToC(flat, shape) : flat
  return new NdArray(dtype.nativeStr, shape, data)
}

/** An object-dtype array from its Python items (numpy's pickled object arrays). */
export function objectArray(shape: number[], fortran: boolean, items: unknown[]): NdArray {
  const data = fortran && shape.length > 1 ? fortranToC(items, shape) : items
  return new NdArray('|O', shape, data)
}

function decodeElements(dtype: NumpyDtype, raw: Uint8Array): NumericArray | string[] {
  const bytes = new Uint8Array(raw) // a private, aligned copy: typed arrays need offset % itemsize == 0
  if (dtype.needsSwap) swapInPlace(bytes, dtype.kind === 'U' ? 4 : dtype.itemsize)
  const buf = bytes.buffer
  switch (`${dtype.kind}${dtype.itemsize}`) {
    case 'b1':
    case 'u1':
      return bytes
    case 'i1':
      return new Int8Array(buf)
    case 'i2':
      return new Int16Array(buf)
    case 'u2':
      return new Uint16Array(buf)
    case 'i4':
      return new Int32Array(buf)
    case 'u4':
      return new Uint32Array(buf)
    case 'i8':
    case 'M8':
    case 'm8':
      return new BigInt64Array(buf)
    case 'u8':
      return new BigUint64Array(buf)
    case 'f2':
      return Float32Array.from(new Uint16Array(buf), halfToFloat)
    case 'f4':
      return new Float32Array(buf)
    case 'f8':
      return new Float64Array(buf)
  }
  if (dtype.kind === 'U') return fixedStrings(bytes, dtype.itemsize, utf32)
  if (dtype.kind === 'S') return fixedStrings(bytes, dtype.itemsize, latin1)
  // Unreachable: NumpyDtype.decodable admits only the kinds and sizes handled above.
  throw new RangeError(`no decoder for numpy dtype ${dtype.str}`)
}

/** numpy strips trailing NULs from fixed-width 'U'/'S' elements when it hands them out. */
function fixedStrings(
  bytes: Uint8Array,
  width: number,
  decode: (b: Uint8Array) => string,
): string[] {
  const out: string[] = []
  for (let i = 0; i + width <= bytes.length && width > 0; i += width) {
    out.push(decode(bytes.subarray(i, i + width)).replace(/\0+$/, ''))
  }
  return out
}

function utf32(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let out = ''
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, true)
    out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd'
  }
  return out
}

function swapInPlace(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) bytes.subarray(i, i + size).reverse()
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >> 10) & 0x1f
  const frac = h & 0x3ff
  if (exp === 0) return sign * frac * 2 ** -24
  if (exp === 0x1f) return frac ? NaN : sign * Infinity
  return sign * (1 + frac / 1024) * 2 ** (exp - 15)
}

/**
 * Reorders Fortran-order elements into C order. joblib writes an 'F' array's memory as is, and
 * numpy reads it back as the reverse shape transposed; this is the same permutation, done once.
 */
export function fortranToC<A extends NumericArray | unknown[]>(
  src: A,
  shape: readonly number[],
): A {
  const n = src.length
  const make = src.constructor as new (length: number) => A
  const out = (Array.isArray(src) ? new Array<unknown>(n) : new make(n)) as A
  const from = src as unknown as Indexable<unknown>
  const to = out as unknown as Indexable<unknown>
  const nd = shape.length
  const strides: number[] = [] // Fortran strides, in elements
  let s = 1
  for (let d = 0; d < nd; d++) {
    strides.push(s)
    s *= shape[d] as number
  }
  const index = new Array<number>(nd).fill(0)
  let offset = 0
  for (let i = 0; i < n; i++) {
    to[i] = from[offset]
    // Advance the C-order multi-index (last axis fastest), keeping the Fortran offset in step.
    for (let d = nd - 1; d >= 0; d--) {
      const next = (index[d] as number) + 1
      const stride = strides[d] as number
      if (next < (shape[d] as number)) {
        index[d] = next
        offset += stride
        break
      }
      offset -= (next - 1) * stride
      index[d] = 0
    }
  }
  return out
}
