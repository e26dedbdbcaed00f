import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { NdArray, Selection, SourceDataset, SourceVariable, StoredArray } from '../model.js'
import { allocate } from '../ndarray.js'
import { normalizeSelection } from '../selection.js'
import {
  type Nc3Header,
  type Nc3Variable,
  NC_TYPES,
  NeedMoreBytes,
  parseNc3Header,
} from './header.js'
import { planRuns, type Run } from './runs.js'

// A lazy NetCDF3 reader over byte ranges: the header first (a growing prefix, capped), then for
// each read only the bytes the selection covers, record by record for record variables.

/** The most header bytes read before a file is refused (a real header is kilobytes). */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024
const FIRST_FETCH = 64 * 1024

/** Opens a NetCDF3 payload: reads the header only. */
export async function openNetcdf3(target: Target, fileSize?: number): Promise<SourceDataset> {
  const file = target.path
  const size = fileSize ?? (await target.backend.head(file))?.size
  if (size === undefined) throw new CorruptPayloadError(`${file}: the NetCDF payload is missing.`)
  let bytesRead = 0
  // The header fetch often holds small variables too: reads inside it cost nothing more.
  let prefix: Uint8Array = new Uint8Array(0)
  const get = async (offset: number, length: number): Promise<Uint8Array> => {
    if (offset + length <= prefix.length) return prefix.subarray(offset, offset + length)
    const got = await target.backend.get(file, { offset, length })
    if (!got || got.length < length) {
      throw new CorruptPayloadError(
        `${file}: the NetCDF file is truncated (wanted bytes ${offset}-${offset + length}, it has ${size}).`,
      )
    }
    bytesRead += got.length
    return got
  }
  let header: Nc3Header | null = null
  let want = Math.min(FIRST_FETCH, size)
  while (!header) {
    prefix = await get(0, want)
    try {
      header = parseNc3Header(prefix, size, file)
    } catch (e) {
      if (!(e instanceof NeedMoreBytes)) throw e
      if (want >= MAX_HEADER_BYTES) {
        throw new LimitExceededError(
          `${file}: the NetCDF header is larger than ${MAX_HEADER_BYTES} bytes.`,
        )
      }
      want = Math.min(Math.max(want * 4, e.needed), size, MAX_HEADER_BYTES)
    }
  }
  const h = header
  // Keep a kilobyte-sized prefix for small files; a huge header is not worth holding on to.
  if (prefix.length > 1024 * 1024) prefix = new Uint8Array(0)
  const variables: SourceVariable[] = h.variables.map((v) => {
    const shape = v.dimIds.map((id) => (id === h.recordDim ? h.numRecs : h.dims[id]!.size))
    checkExtent(v, shape, h, size, file)
    return {
      name: v.name,
      dims: v.dimIds.map((id) => h.dims[id]!.name),
      attrs: v.attrs,
      encoding: new Map(),
      array: nc3Array(v, shape, h, get, `${file}: variable '${v.name}'`),
    }
  })
  const dims = new Map<string, number>()
  h.dims.forEach((d, i) => dims.set(d.name, i === h.recordDim ? h.numRecs : d.size))
  return {
    dims,
    variables,
    attrs: h.attrs,
    notes: [],
    unlimitedDims: h.recordDim === null ? [] : [h.dims[h.recordDim]!.name],
    bytesRead: () => bytesRead,
  }
}

function checkExtent(
  v: Nc3Variable,
  shape: number[],
  h: Nc3Header,
  size: number,
  file: string,
): void {
  const item = NC_TYPES.get(v.type)!.size
  const inner = shape.slice(v.isRecord ? 1 : 0).reduce((a, b) => a * b, 1) * item
  const end = v.isRecord
    ? shape[0] === 0
      ? v.begin
      : v.begin + (shape[0]! - 1) * h.recSize + inner
    : v.begin + inner
  if (end > size) {
    throw new CorruptPayloadError(
      `${file}: variable '${v.name}' needs bytes up to ${end} but the file has ${size}; it is truncated or corrupt.`,
    )
  }
}

// Near runs are fetched as one range when the gap is small (under GAP) or no bigger than the
// useful bytes gathered so far, so merging at most doubles the bytes read; a merged range never
// exceeds MAX_RANGE.
const GAP = 4096
const MAX_RANGE = 16 * 1024 * 1024

function nc3Array(
  v: Nc3Variable,
  shape: number[],
  h: Nc3Header,
  get: (offset: number, length: number) => Promise<Uint8Array>,
  what: string,
): StoredArray {
  const { dtype, size: item } = NC_TYPES.get(v.type)!
  const strides: number[] = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, item))
  if (v.isRecord) strides[0] = h.recSize
  return {
    shape,
    dtype,
    async read(selection?: Selection, signal?: AbortSignal): Promise<NdArray> {
      const sel = normalizeSelection(shape, selection, [])
      const out = allocate(dtype, sel.size)
      if (sel.size === 0) return { dtype, shape: sel.shape, data: out }
      const runs = planRuns(sel.ranges, shape, strides, item, v.isRecord, v.begin)
      let o = 0
      for (const group of coalesce(runs)) {
        signal?.throwIfAborted()
        const bytes = await get(group.offset, group.length).catch((e: unknown) => {
          if (e instanceof CorruptPayloadError)
            throw new CorruptPayloadError(`${what}: ${e.message}`)
          throw e
        })
        for (const r of group.runs) {
          decodeInto(out, o, bytes, r.offset - group.offset, r.length / item, v.type)
          o += r.length / item
        }
      }
      return { dtype, shape: sel.shape, data: out }
    },
  }
}

function* coalesce(
  runs: Iterable<Run>,
): Generator<{ offset: number; length: number; runs: Run[] }> {
  let cur: { offset: number; length: number; useful: number; runs: Run[] } | null = null
  for (const r of runs) {
    if (cur) {
      const gap = r.offset - (cur.offset + cur.length)
      if (
        gap >= 0 &&
        (gap <= GAP || gap <= cur.useful) &&
        r.offset + r.length - cur.offset <= MAX_RANGE
      ) {
        cur.length = r.offset + r.length - cur.offset
        cur.useful += r.length
        cur.runs.push(r)
        continue
      }
      yield cur
    }
    cur = { offset: r.offset, length: r.length, useful: r.length, runs: [r] }
  }
  if (cur) yield cur
}

function decodeInto(
  out: NdArray['data'],
  o: number,
  bytes: Uint8Array,
  at: number,
  n: number,
  type: number,
): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset + at, bytes.byteLength - at)
  switch (type) {
    case 1:
      for (let i = 0; i < n; i++) (out as Int8Array)[o + i] = v.getInt8(i)
      return
    case 2:
      for (let i = 0; i < n; i++) (out as string[])[o + i] = String.fromCharCode(v.getUint8(i))
      return
    case 3:
      for (let i = 0; i < n; i++) (out as Int16Array)[o + i] = v.getInt16(i * 2)
      return
    case 4:
      for (let i = 0; i < n; i++) (out as Int32Array)[o + i] = v.getInt32(i * 4)
      return
    case 5:
      for (let i = 0; i < n; i++) (out as Float32Array)[o + i] = v.getFloat32(i * 4)
      return
    default:
      for (let i = 0; i < n; i++) (out as Float64Array)[o + i] = v.getFloat64(i * 8)
  }
}
