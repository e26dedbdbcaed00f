// Cuts an in-memory C-order array into Zarr chunks: full-size chunks, the edge ones padded
// with the fill value (zero when there is none), as zarr writes them; raw little-endian bytes
// for numbers, fixed-width bytes or UTF-32 text, or strings for vlen-utf8.
import { InvalidArgumentError } from '../../errors.js'
import type { EncodedVariable, NdArray, NumericArray } from '../model.js'
import { sizeOf } from '../model.js'
import { v2DtypeFor } from './zarr-dtype.js'

/** How one variable's values are stored. */
export interface LayoutDtype {
  kind: 'numeric' | 'bool' | 'bytes' | 'unicode' | 'object'
  /** v2 dtype string ('<f4', '|S3', '<U5', '|O'). */
  v2: string
  /** v3 data_type ('float32', 'bool', 'string'). */
  v3: string
  /** Bytes per element (numpy's itemsize; 8 for object, as zarr's chunk guess counts it). */
  typesize: number
  /** Characters per element for fixed-width text and bytes. */
  chars: number
}

const V3_NAME: Record<string, string> = { str: 'string', object: 'string' }

/** The storage dtype of a variable ready to write; InvalidArgumentError if Zarr cannot hold it. */
export function layoutDtype(v: EncodedVariable): LayoutDtype {
  const d = v.data.dtype
  const v2 = v2DtypeFor(d)
  if (d === 'str' && Array.isArray(v.data.data)) {
    const chars = Math.max(1, ...v.data.data.map((s) => [...(s ?? '')].length))
    return { kind: 'unicode', v2: `<U${chars}`, v3: 'string', typesize: 4 * chars, chars }
  }
  if (v2 === '|O') return { kind: 'object', v2, v3: 'string', typesize: 8, chars: 0 }
  if (v2 && v2.startsWith('|S')) {
    const chars = Number(v2.slice(2))
    return { kind: 'bytes', v2, v3: V3_NAME[d] ?? 'string', typesize: chars, chars }
  }
  if (v2) {
    const typesize = Number(v2.slice(2))
    return { kind: d === 'bool' ? 'bool' : 'numeric', v2, v3: d, typesize, chars: 0 }
  }
  throw new InvalidArgumentError(
    `Variable '${v.name}' has dtype ${d}, which Zarr cannot store as it is; encode it first ` +
      `(times as numbers with units, for example).`,
  )
}

/** The values of the chunk at grid index `at`, padded to full chunk size. */
export function chunkValues(
  data: NdArray,
  chunks: readonly number[],
  at: readonly number[],
  dt: LayoutDtype,
  fill: unknown,
): Uint8Array | (string | null)[] {
  const n = sizeOf(chunks)
  const shape = data.shape
  const src = data.data
  let out: NumericArray | (string | null)[]
  if (Array.isArray(src)) {
    out = new Array<string | null>(n).fill(
      typeof fill === 'string' ? fill : dt.kind === 'object' ? '' : '',
    )
  } else {
    const Ctor = src.constructor as new (n: number) => NumericArray
    out = new Ctor(n)
    if (typeof fill === 'number' || typeof fill === 'bigint' || typeof fill === 'boolean') {
      const big = out instanceof BigInt64Array || out instanceof BigUint64Array
      ;(out as { fill(v: unknown): void }).fill(big ? BigInt(fill as number) : Number(fill))
    }
  }
  if (shape.length === 0) {
    ;(out as unknown[])[0] = (src as ArrayLike<unknown>)[0]
  } else {
    copyRows(src, shape, out, chunks, at)
  }
  if (Array.isArray(out)) return dt.kind === 'object' ? out : fixedWidth(out, dt)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

// Copies each contiguous run along the last dimension from the array into the chunk.
function copyRows(
  src: NdArray['data'],
  shape: readonly number[],
  out: NumericArray | (string | null)[],
  chunks: readonly number[],
  at: readonly number[],
): void {
  const rank = shape.length
  const start = at.map((c, i) => c * (chunks[i] as number))
  const extent = shape.map((s, i) => Math.min(chunks[i] as number, s - (start[i] as number)))
  const srcStride = shape.map((_, i) => sizeOf(shape.slice(i + 1)))
  const dstStride = chunks.map((_, i) => sizeOf(chunks.slice(i + 1)))
  const rows = sizeOf(extent.slice(0, rank - 1))
  const runLength = extent[rank - 1] as number
  const idx = new Array(rank - 1).fill(0)
  for (let r = 0; r < rows; r++) {
    let s = start[rank - 1] as number
    let d = 0
    for (let i = 0; i < rank - 1; i++) {
      s += ((start[i] as number) + idx[i]) * (srcStride[i] as number)
      d += idx[i] * (dstStride[i] as number)
    }
    if (Array.isArray(src)) {
      for (let j = 0; j < runLength; j++) (out as unknown[])[d + j] = src[s + j]
    } else {
      ;(out as NumericArray).set(
        (src as never as NumericArray).subarray(s, s + runLength) as never,
        d,
      )
    }
    for (let i = rank - 2; i >= 0; i--) {
      if (++idx[i] < (extent[i] as number)) break
      idx[i] = 0
    }
  }
}

// '|S<n>' as UTF-8 bytes and '<U<n>' as UTF-32LE, each zero-padded to its width.
function fixedWidth(values: (string | null)[], dt: LayoutDtype): Uint8Array {
  const out = new Uint8Array(values.length * dt.typesize)
  const view = new DataView(out.buffer)
  const enc = new TextEncoder()
  values.forEach((s, i) => {
    if (!s) return
    if (dt.kind === 'bytes') out.set(enc.encode(s).subarray(0, dt.chars), i * dt.chars)
    else
      [...s]
        .slice(0, dt.chars)
        .forEach((c, j) =>
          view.setUint32(i * dt.typesize + 4 * j, c.codePointAt(0) as number, true),
        )
  })
  return out
}
