import type { AttrValue, NdArray, NumericArray } from './model.js'
import { allocate } from './ndarray.js'

// The element-wise steps of xarray's CF decoding (xarray/coding/variables.py, strings.py),
// each a pure function NdArray -> NdArray that cf-decode.ts chains behind a variable's read.

/** numpy kind of a dtype: 'i' signed, 'u' unsigned, 'f' float, 'b' bool, 'M' times, 'S' bytes, 'O'. */
export function dtypeKind(dtype: string): string {
  if (/^int\d+$/.test(dtype)) return 'i'
  if (/^uint\d+$/.test(dtype)) return 'u'
  if (/^float\d+$/.test(dtype)) return 'f'
  if (dtype === 'bool') return 'b'
  if (dtype.startsWith('datetime64')) return 'M'
  if (dtype.startsWith('timedelta64')) return 'm'
  if (dtype.startsWith('|S') || dtype.startsWith('S')) return 'S'
  return 'O'
}

/** Bytes per element of an integer or float dtype name ('int16' -> 2). */
export function dtypeBytes(dtype: string): number {
  const m = /(\d+)$/.exec(dtype)
  return m ? Number(m[1]) / 8 : 8
}

/** xarray's dtypes.maybe_promote: the dtype that can hold NaN (ints of <= 2 bytes: float32). */
export function promoteForMask(dtype: string): string {
  const k = dtypeKind(dtype)
  if (k === 'f' || k === 'M' || k === 'm') return dtype
  if (k === 'i' || k === 'u') return dtypeBytes(dtype) <= 2 ? 'float32' : 'float64'
  return 'object'
}

/** xarray 2023.1's _choose_float_dtype for scale_factor/add_offset decoding. */
export function chooseFloatDtype(dtype: string, hasOffset: boolean): string {
  const k = dtypeKind(dtype)
  if (k === 'f' && dtypeBytes(dtype) <= 4) return 'float32'
  if ((k === 'i' || k === 'u') && dtypeBytes(dtype) <= 2 && !hasOffset) return 'float32'
  return 'float64'
}

/** Flattens an attribute value to the numbers it holds (np.ravel of a fill value). */
export function attrNumbers(v: AttrValue | undefined): (number | bigint | string)[] {
  if (v === undefined || v === null) return []
  if (Array.isArray(v)) return v.flatMap((x) => attrNumbers(x))
  if (typeof v === 'boolean') return [v ? 1 : 0]
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return [v]
  return []
}

/** A scalar attribute as a number (first element of an array, as xarray's .item()). */
export function attrScalar(v: AttrValue | undefined): number | null {
  const n = attrNumbers(v)[0]
  if (n === undefined) return null
  return typeof n === 'string' ? Number(n) : Number(n)
}

/** Replaces values equal to any of `fills` by NaN (or null for strings), casting to `dtype`. */
export function applyMask(
  arr: NdArray,
  fills: (number | bigint | string)[],
  dtype: string,
): NdArray {
  const n = arr.data.length
  if (dtype === 'object') {
    const src = arr.data as ArrayLike<unknown>
    const out: (string | null)[] = new Array(n)
    for (let i = 0; i < n; i++) {
      const v = src[i]
      out[i] = fills.some((f) => f === v || String(f) === v) ? null : (v as string | null)
    }
    return { dtype, shape: arr.shape, data: out }
  }
  const out = allocate(dtype, n) as NumericArray
  const src = arr.data as NumericArray
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    const big = fills.filter((f) => Number.isInteger(Number(f))).map((f) => BigInt(f))
    if (out instanceof BigInt64Array) {
      // datetime64 stays datetime64: NaT is the masked value.
      for (let i = 0; i < n; i++) out[i] = big.includes(src[i]!) ? -(2n ** 63n) : src[i]!
    } else {
      for (let i = 0; i < n; i++)
        (out as Float64Array)[i] = big.includes(src[i]!) ? NaN : Number(src[i]!)
    }
  } else {
    const nums = fills.map(Number).filter((f) => !Number.isNaN(f))
    const o = out as Float64Array
    for (let i = 0; i < n; i++) {
      const v = src[i] as number
      o[i] = nums.includes(v) ? NaN : v
    }
  }
  return { dtype, shape: arr.shape, data: out }
}

/**
 * data * scale_factor + add_offset in `dtype`: in float32, each step rounds to float32, as
 * numpy's in-place float32 arithmetic with a Python scalar does.
 */
export function applyScaleOffset(
  arr: NdArray,
  scale: number | null,
  offset: number | null,
  dtype: string,
): NdArray {
  const n = arr.data.length
  const src = arr.data as NumericArray
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
  const f32 = dtype === 'float32'
  const s = scale === null ? null : f32 ? Math.fround(scale) : scale
  const o = offset === null ? null : f32 ? Math.fround(offset) : offset
  for (let i = 0; i < n; i++) {
    let v = Number(src[i]!)
    if (f32) v = Math.fround(v)
    if (s !== null) v = f32 ? Math.fround(v * s) : v * s
    if (o !== null) v = f32 ? Math.fround(v + o) : v + o
    out[i] = v
  }
  return { dtype, shape: arr.shape, data: out }
}

/** Reinterprets integers as unsigned (`_Unsigned = "true"`) or signed, as numpy's view casts. */
export function reinterpretSign(arr: NdArray, dtype: string): NdArray {
  const src = arr.data as NumericArray
  const out = allocate(dtype, src.length) as NumericArray
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(
    new Uint8Array(src.buffer, src.byteOffset, src.byteLength),
  )
  return { dtype, shape: arr.shape, data: out }
}

/**
 * Joins a char array's last dimension into byte strings (trailing NULs dropped, as numpy's
 * bytes do); with `encoding`, decodes them as text ('object'), else keeps '|S<n>'.
 */
export function joinChars(arr: NdArray, encoding: string | null): NdArray {
  const width = arr.shape[arr.shape.length - 1] ?? 0
  const shape = arr.shape.slice(0, -1)
  const chars = arr.data as ArrayLike<unknown>
  const count = width === 0 ? shape.reduce((a, b) => a * b, 1) : chars.length / width
  const out: (string | null)[] = new Array(count)
  const decoder = encoding ? new TextDecoder(encoding) : null
  for (let i = 0; i < count; i++) {
    const bytes = new Uint8Array(width)
    for (let j = 0; j < width; j++) {
      const c = chars[i * width + j]
      bytes[j] =
        typeof c === 'string' && c.length > 0 ? c.charCodeAt(0) & 0xff : Number(c ?? 0) & 0xff
    }
    let end = width
    while (end > 0 && bytes[end - 1] === 0) end--
    const kept = bytes.subarray(0, end)
    out[i] = decoder ? decoder.decode(kept) : String.fromCharCode(...kept)
  }
  return { dtype: encoding ? 'object' : `|S${Math.max(width, 1)}`, shape, data: out }
}

/** Decodes fixed-width byte strings with `_Encoding` to text ('object'). */
export function decodeBytes(arr: NdArray, encoding: string): NdArray {
  const decoder = new TextDecoder(encoding)
  // Bytes come as Latin-1 strings (model.ts); a reader that already made text of them (a char
  // code above 255) is taken at its word.
  const data = (arr.data as (string | null)[]).map((s) =>
    s === null || [...s].some((c) => c.charCodeAt(0) > 0xff)
      ? s
      : decoder.decode(Uint8Array.from(s, (c) => c.charCodeAt(0))),
  )
  return { dtype: 'object', shape: arr.shape, data }
}

/** numpy's astype(bool): non-zero (NaN included) is true. */
export function toBool(arr: NdArray): NdArray {
  const src = arr.data as ArrayLike<number | bigint>
  const out = new Uint8Array(src.length)
  for (let i = 0; i < src.length; i++) out[i] = src[i] ? 1 : 0
  return { dtype: 'bool', shape: arr.shape, data: out }
}

/** pd.to_timedelta(values, unit) to timedelta64[ns] (NaN to NaT). */
export function decodeTimedelta(arr: NdArray, nsPerUnit: bigint): NdArray {
  const src = arr.data as ArrayLike<number | bigint>
  const out = new BigInt64Array(src.length)
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!
    if (typeof v === 'bigint') out[i] = v * nsPerUnit
    else if (Number.isNaN(v)) out[i] = -(2n ** 63n)
    else if (Number.isInteger(v)) out[i] = BigInt(v) * nsPerUnit
    else out[i] = BigInt(Math.round(v * Number(nsPerUnit)))
  }
  return { dtype: 'timedelta64[ns]', shape: arr.shape, data: out }
}
