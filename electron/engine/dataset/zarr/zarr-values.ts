// Converts what zarrita returns (typed arrays, BoolArray, string arrays, in C or F order)
// into the model's NdArray data: numpy's C order, bool as 0/1 bytes, strings as strings.
import type { NdArray, NumericArray } from '../model.js'
import { sizeOf } from '../model.js'
import type { ZarrArrayInfo } from './zarr-meta.js'

/** Anything zarrita returns as chunk data. */
export type Indexable = { length: number; get?(i: number): unknown } | ArrayLike<unknown>

function at(data: Indexable, i: number): unknown {
  const d = data as { get?(i: number): unknown } & ArrayLike<unknown>
  return typeof d.get === 'function' && !ArrayBuffer.isView(d) ? d.get(i) : d[i]
}

/** The data in C order (zarrita keeps F-ordered arrays in F order). */
export function inCOrder(data: unknown, shape: number[], stride: number[]): Indexable {
  const c = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))
  if (stride.every((s, i) => s === c[i] || (shape[i] as number) <= 1)) return data as Indexable
  const n = sizeOf(shape)
  const out: unknown[] = new Array(n)
  const idx = new Array(shape.length).fill(0)
  for (let k = 0; k < n; k++) {
    let off = 0
    for (let d = 0; d < shape.length; d++) off += idx[d] * (stride[d] as number)
    out[k] = at(data as Indexable, off)
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < (shape[d] as number)) break
      idx[d] = 0
    }
  }
  return out
}

const CTORS: Record<string, new (n: number) => NumericArray> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
  bool: Uint8Array,
}

/** An empty result of `n` elements of the array's dtype. */
export function allocate(info: ZarrArrayInfo, n: number): NdArray['data'] {
  const Ctor = CTORS[info.dtype.numpy]
  return Ctor ? new Ctor(n) : new Array<string | null>(n).fill(null)
}

/**
 * Fixed-width bytes ('|S<n>') as the model carries them: one Latin-1 char per byte, trailing
 * NULs dropped as numpy does (zarrita's own get() decodes them as UTF-8 text).
 */
export function latin1Strings(data: unknown): unknown {
  const d = data as { _data?: Uint8Array; chars?: number; length: number }
  if (!(d._data instanceof Uint8Array) || typeof d.chars !== 'number') return data
  const out: string[] = new Array(d.length)
  for (let i = 0; i < d.length; i++) {
    let end = (i + 1) * d.chars
    while (end > i * d.chars && d._data[end - 1] === 0) end--
    out[i] = String.fromCharCode(...d._data.subarray(i * d.chars, end))
  }
  return out
}

/** zarrita data as the model's NdArray data. */
export function toModelData(data: Indexable, info: ZarrArrayInfo): NdArray['data'] {
  const n = data.length
  const kind = info.dtype.kind
  if (kind === 'bytes' || kind === 'unicode' || kind === 'object') {
    const out: (string | null)[] = new Array(n)
    for (let i = 0; i < n; i++) {
      const v = at(data, i)
      out[i] = v === null || v === undefined ? null : String(v)
    }
    return out
  }
  const name = info.dtype.numpy
  const Ctor = CTORS[name] as new (n: number) => NumericArray
  if (data instanceof Ctor && name !== 'bool') return data as NumericArray
  const out = new Ctor(n)
  for (let i = 0; i < n; i++) {
    const v = at(data, i)
    ;(out as unknown as unknown[])[i] = name === 'bool' ? (v ? 1 : 0) : v
  }
  return out
}
