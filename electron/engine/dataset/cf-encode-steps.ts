import { InvalidArgumentError } from '../errors.js'
import { chooseFloatDtype, dtypeKind } from './cf-coders.js'
import { NS_PER_UNIT } from './cf-time.js'
import type { AttrMap, NdArray, NumericArray } from './model.js'
import { allocate, isTypedDtype } from './ndarray.js'

// The element-wise steps of xarray's CF encoding (conventions.encode_cf_variable and
// backends/netcdf3.py), each NdArray -> NdArray, used by cf-encode.ts.

/** (x - add_offset) / scale_factor in xarray's _choose_float_dtype (float32 rounds each step). */
export function packScaleOffset(
  arr: NdArray,
  scale: number | null,
  offset: number | null,
): NdArray {
  const dtype = chooseFloatDtype(arr.dtype, offset !== null)
  const f32 = dtype === 'float32'
  const r = (x: number) => (f32 ? Math.fround(x) : x)
  const src = arr.data as ArrayLike<number | bigint>
  const out = f32 ? new Float32Array(src.length) : new Float64Array(src.length)
  const o = offset === null ? null : r(offset)
  const s = scale === null ? null : r(scale)
  for (let i = 0; i < src.length; i++) {
    let x = r(Number(src[i]!))
    if (o !== null) x = r(x - o)
    if (s !== null) x = r(x / s)
    out[i] = x
  }
  return { dtype, shape: arr.shape, data: out }
}

/** A fill value cast to `dtype` as numpy's dtype.type(fv) does. */
export function castScalar(v: unknown, dtype: string): number | bigint {
  const n = typeof v === 'bigint' ? v : Number(v)
  if (dtype === 'int64' || dtype === 'uint64')
    return typeof n === 'bigint' ? n : BigInt(Math.trunc(n))
  const x = Number(n)
  if (dtype === 'float32') return Math.fround(x)
  if (dtype === 'float64') return x
  const a = allocate(dtype, 1) as NumericArray as Int32Array
  a[0] = Math.trunc(x)
  return a[0]
}

/** Replaces NaN (and NaT) by `fill`, as fillna does. */
export function fillMissing(arr: NdArray, fill: number | bigint): NdArray {
  const src = arr.data
  if (src instanceof BigInt64Array) {
    const out = src.slice()
    for (let i = 0; i < out.length; i++) if (out[i] === -(2n ** 63n)) out[i] = BigInt(fill)
    return { ...arr, data: out }
  }
  if (!(src instanceof Float32Array || src instanceof Float64Array)) return arr
  const out = src.slice()
  const f = Number(fill)
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = f
  return { ...arr, data: out }
}

// numpy's np.around: half to even.
function roundEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** astype(dtype), rounding half-even first when floats become integers (np.around). */
export function castArray(arr: NdArray, dtype: string): NdArray {
  if (arr.dtype === dtype) return arr
  if (!isTypedDtype(dtype) || Array.isArray(arr.data)) {
    throw new InvalidArgumentError(`Cannot store values of dtype ${arr.dtype} as ${dtype}.`)
  }
  const src = arr.data
  const out = allocate(dtype, src.length) as NumericArray
  const toInt = dtypeKind(dtype) === 'i' || dtypeKind(dtype) === 'u'
  const fromFloat = dtypeKind(arr.dtype) === 'f'
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!
    if (big) {
      const x = typeof v === 'bigint' ? v : Number.isFinite(v) ? BigInt(roundEven(v)) : -(2n ** 63n)
      ;(out as BigInt64Array)[i] = x
    } else {
      const x = typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : v
      ;(out as Float64Array)[i] =
        toInt && fromFloat ? roundEven(x) : dtype === 'bool' ? (x ? 1 : 0) : x
    }
  }
  return { dtype, shape: arr.shape, data: out }
}

const NC3_COERCE: Record<string, string> = {
  int64: 'int32',
  uint64: 'int32',
  uint32: 'int32',
  uint16: 'int16',
  uint8: 'int8',
  bool: 'int8',
}

/** xarray's coerce_nc3_dtype: int64, unsigned and bool to NetCDF3 types when values survive. */
export function coerceNc3(arr: NdArray, name: string): NdArray {
  const to = NC3_COERCE[arr.dtype]
  if (!to) return arr
  const cast = castArray(arr, to)
  const a = arr.data as ArrayLike<number | bigint>
  const b = cast.data as ArrayLike<number>
  for (let i = 0; i < a.length; i++) {
    if (BigInt(a[i]!) !== BigInt(b[i]!)) {
      throw new InvalidArgumentError(
        `Variable '${name}': could not safely cast array from dtype ${arr.dtype} to ${to} ` +
          `(value ${a[i]} does not fit); NetCDF3 cannot store it: use format='NETCDF4'.`,
      )
    }
  }
  return cast
}

/** Text to UTF-8 (or `encoding`) bytes, one string per element. */
export function encodeStrings(values: (string | null)[], encoding: string): Uint8Array[] {
  if (!/^utf-?8$/i.test(encoding) && !/^(latin-?1|iso-8859-1|ascii)$/i.test(encoding)) {
    throw new InvalidArgumentError(`Cannot encode strings as '${encoding}': use utf-8.`)
  }
  const utf8 = /^utf-?8$/i.test(encoding)
  const te = new TextEncoder()
  return values.map((s) =>
    utf8 ? te.encode(s ?? '') : Uint8Array.from(s ?? '', (c) => c.charCodeAt(0) & 0xff),
  )
}

/** Byte strings to a char array with a last dimension of `width` (xarray's bytes_to_char). */
export function bytesToChars(
  bytes: Uint8Array[],
  shape: readonly number[],
  width: number,
): NdArray {
  const data: string[] = new Array(bytes.length * width)
  bytes.forEach((b, i) => {
    for (let j = 0; j < width; j++)
      data[i * width + j] = String.fromCharCode(j < b.length ? b[j]! : 0)
  })
  return { dtype: '|S1', shape: [...shape, width], data }
}

/** xarray's encode_cf_timedelta: the coarsest unit dividing every delta (or the one given). */
export function encodeTimedelta(data: NdArray, enc: Map<string, unknown>, attrs: AttrMap): NdArray {
  const src = data.data as BigInt64Array
  const valid = Array.from(src).filter((x) => x !== -(2n ** 63n))
  let units = enc.get('units') as string | undefined
  if (!units) {
    units =
      [...NS_PER_UNIT.keys()].find((u) => valid.every((x) => x % NS_PER_UNIT.get(u)! === 0n)) ??
      'nanoseconds'
  }
  enc.delete('units')
  const step = NS_PER_UNIT.get(units)
  if (!step) throw new InvalidArgumentError(`Unknown time delta units '${units}'.`)
  attrs.set('units', units)
  if (valid.length === src.length && valid.every((x) => x % step === 0n)) {
    return { dtype: 'int64', shape: data.shape, data: BigInt64Array.from(src, (x) => x / step) }
  }
  return {
    dtype: 'float64',
    shape: data.shape,
    data: Float64Array.from(src, (x) => (x === -(2n ** 63n) ? NaN : Number(x) / Number(step))),
  }
}
