import type { Metadata } from 'h5wasm'
import { LimitExceededError } from '../../errors.js'
import type { AttrValue, NumericArray } from '../model.js'
import type { DimRange } from '../selection.js'
import type { H5 } from './h5.js'

// Values come out of HDF5 as raw little-endian bytes in WebAssembly memory; these turn them
// into the model's typed arrays and strings. h5wasm's own decoding reads 'ascii' strings as
// Latin-1 and ignores read errors, so the raw calls are made here and checked.

// HDF5 type classes (H5T_class_t).
const INTEGER = 0
const FLOAT = 1
const STRING = 3
// H5T_STR_SPACEPAD: Fortran-style strings padded with spaces.
const SPACEPAD = 2
/** One read's result may take at most this much memory (WebAssembly memory tops out at 2 GiB). */
export const READ_LIMIT = 512 * 1024 * 1024
// Attributes are metadata: a hostile file claiming a huge one is refused.
const ATTR_LIMIT = 16 * 1024 * 1024

const utf8 = new TextDecoder('utf-8')

/** numpy's name for an HDF5 type, or undefined for types xarray cannot read (compound, enum). */
export function dtypeOf(meta: Metadata): string | undefined {
  if (meta.type === INTEGER && [1, 2, 4, 8].includes(meta.size)) {
    return `${meta.signed ? 'int' : 'uint'}${meta.size * 8}`
  }
  if (meta.type === FLOAT && (meta.size === 4 || meta.size === 8)) return `float${meta.size * 8}`
  if (meta.type === STRING) return meta.vlen ? 'str' : `|S${meta.size}`
  return undefined
}

/** numpy's dtype.str for the stored type, as xarray records it in encoding['dtype']. */
export function dtypeStr(dtype: string, size: number): string {
  if (dtype === 'str' || dtype.startsWith('|S')) return dtype
  const kind = dtype.startsWith('float') ? 'f' : dtype.startsWith('uint') ? 'u' : 'i'
  return `${size === 1 ? '|' : '<'}${kind}${size}`
}

type Ctor = new (buffer: ArrayBuffer) => NumericArray
function numericCtor(meta: Metadata): Ctor {
  if (meta.type === FLOAT) return meta.size === 4 ? Float32Array : Float64Array
  const table: Record<number, [Ctor, Ctor]> = {
    1: [Int8Array, Uint8Array],
    2: [Int16Array, Uint16Array],
    4: [Int32Array, Uint32Array],
    8: [BigInt64Array, BigUint64Array],
  }
  const pair = table[meta.size] as [Ctor, Ctor]
  return meta.signed ? pair[0] : pair[1]
}

/** Reads the hyperslab `ranges` (or everything, for null) of a dataset as typed values or strings. */
export function readHyperslab(
  h: H5,
  fileId: bigint,
  path: string,
  meta: Metadata,
  ranges: DimRange[] | null,
): NumericArray | string[] {
  const count = ranges?.map((r) => BigInt(r.count)) ?? null
  const total = ranges ? ranges.reduce((a, r) => a * r.count, 1) : meta.total_size
  if (total === 0) return decode(h, new Uint8Array(0), meta, 0, true)
  const nbytes = total * meta.size
  if (nbytes > READ_LIMIT) {
    throw new LimitExceededError(
      `Reading ${nbytes} bytes of ${path.slice(1)} at once is more than the ${READ_LIMIT / 2 ** 20} ` +
        `MiB a read may take; select a smaller part.`,
    )
  }
  const ptr = malloc(h, nbytes)
  try {
    const offset = ranges?.map((r) => BigInt(r.start)) ?? null
    const strides = ranges?.map((r) => BigInt(r.step)) ?? null
    // A scalar dataset has no dimensions to select: it is read whole.
    const whole = !ranges || ranges.length === 0
    const status = h.M.get_dataset_data(
      fileId,
      path,
      whole ? null : count,
      whole ? null : offset,
      whole ? null : strides,
      BigInt(ptr),
    )
    if (status < 0) throw new Error(`HDF5 could not read ${path.slice(1)}`)
    try {
      return decode(h, h.M.HEAPU8.subarray(ptr, ptr + nbytes), meta, total, true)
    } finally {
      if (meta.vlen) {
        if (whole) h.M.reclaim_vlen_memory(fileId, path, '', BigInt(ptr))
        else h.M.reclaim_vlen_memory_count(fileId, path, '', BigInt(ptr), count as bigint[])
      }
    }
  } finally {
    h.M._free(ptr)
  }
}

/** Reads one attribute as netCDF4-python shows it: one element as a scalar, more as a list. */
export function readAttribute(h: H5, fileId: bigint, path: string, name: string): AttrValue {
  const meta = h.M.get_attribute_metadata(fileId, path, name)
  if (dtypeOf(meta) === undefined) throw new UnsupportedType()
  if (!meta.shape) return [] // a null dataspace: an empty attribute
  const nbytes = meta.total_size * meta.size
  if (nbytes > ATTR_LIMIT) {
    throw new LimitExceededError(`The attribute ${name} of ${path} claims ${nbytes} bytes.`)
  }
  if (nbytes === 0) return []
  const ptr = malloc(h, nbytes)
  let values: NumericArray | string[]
  try {
    const status = h.M.get_attribute_data(fileId, path, name, BigInt(ptr))
    if (status < 0) throw new Error(`HDF5 could not read the attribute ${name} of ${path}`)
    try {
      values = decode(h, h.M.HEAPU8.subarray(ptr, ptr + nbytes), meta, meta.total_size, false)
    } finally {
      if (meta.vlen) h.M.reclaim_vlen_memory(fileId, path, name, BigInt(ptr))
    }
  } finally {
    h.M._free(ptr)
  }
  const list: AttrValue[] = Array.from(values as ArrayLike<number | bigint | string>, toAttr)
  return list.length === 1 ? (list[0] as AttrValue) : list
}

/** Thrown for values of HDF5 types the model has no place for (compound, enum, opaque). */
export class UnsupportedType extends Error {}

function toAttr(v: number | bigint | string): AttrValue {
  if (typeof v !== 'bigint') return v
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : v
}

function malloc(h: H5, nbytes: number): number {
  const ptr = h.M._malloc(nbytes)
  if (ptr === 0) {
    throw new LimitExceededError(`There is not enough WebAssembly memory for ${nbytes} bytes.`)
  }
  return ptr
}

// Fixed-length string values are numpy bytes ('|S1' chars, '|S<n>'): kept byte for byte, one
// character per byte, so that joining chars and decoding them (cf-decode) sees the UTF-8 bytes.
// Attribute text is decoded as UTF-8, as netCDF4-python does.
function decode(
  h: H5,
  raw: Uint8Array,
  meta: Metadata,
  total: number,
  fixedAsBytes: boolean,
): NumericArray | string[] {
  if (meta.type === STRING) {
    const out: string[] = new Array<string>(total)
    if (meta.vlen) {
      const ptrs = new Uint32Array(raw.slice().buffer)
      const heap = h.M.HEAPU8
      for (let i = 0; i < total; i++) {
        const p = ptrs[i] as number
        const end = p === 0 ? 0 : heap.indexOf(0, p)
        out[i] = p === 0 ? '' : utf8.decode(heap.subarray(p, end < 0 ? heap.length : end))
      }
      return out
    }
    for (let i = 0; i < total; i++) {
      let bytes = raw.subarray(i * meta.size, (i + 1) * meta.size)
      const nul = bytes.indexOf(0)
      if (nul >= 0) bytes = bytes.subarray(0, nul)
      const s = fixedAsBytes ? latin1(bytes) : utf8.decode(bytes)
      out[i] = meta.strpad === SPACEPAD ? s.trimEnd() : s
    }
    return out
  }
  const Ctor = numericCtor(meta)
  return new Ctor(raw.slice(0, total * meta.size).buffer)
}

/** Bytes as a string of one character per byte (what '|S' values hold). */
export function latin1(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return s
}
