// One Zarr array as a lazy StoredArray: zarrita works out which chunks a selection touches
// (and fills missing ones with the fill value, as Zarr specifies); each chunk object is
// fetched through the Target's backend and decoded, bounded, in chunk-codecs.ts.
import * as zarr from 'zarrita'
import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { NdArray, NumericArray, Selection, StoredArray } from '../model.js'
import { sizeOf } from '../model.js'
import { normalizeSelection, type DimRange } from '../selection.js'
import { ChunkError, decodeChunk } from './chunk-codecs.js'
import type { ZarrArrayInfo } from './zarr-meta.js'
import './vlen-utf8.js'

/** Largest chunk (decoded bytes) a read allocates: memory is bounded by one chunk. */
export const MAX_CHUNK_BYTES = 512 * 1024 * 1024

/** Shared by every array of one open dataset: where the store is, and bytes read so far. */
export interface ZarrContext {
  target: Target
  /** Path of the store root in the backend (the key, or the key plus a group). */
  root: string
  bytesRead: number
  /** Metadata documents already read (members of a collection share the root's .zmetadata). */
  docs?: Map<string, Promise<unknown>>
}

/** zarrita's store interface, over the Target's backend, for one array's chunks. */
function chunkStore(
  ctx: ZarrContext,
  info: ZarrArrayInfo,
  maxBytes: number,
  expected: number | null,
) {
  const base = info.path ? `${ctx.root}/${info.path}` : ctx.root
  return {
    async get(key: string): Promise<Uint8Array | undefined> {
      const objectPath = base + key
      const raw = await ctx.target.backend.get(objectPath)
      if (raw === undefined) return undefined
      ctx.bytesRead += raw.byteLength
      try {
        return await decodeChunk(raw, info.byteCodecs, maxBytes, expected)
      } catch (err) {
        if (!(err instanceof ChunkError)) throw err
        throw new CorruptPayloadError(
          `Chunk ${objectPath} in ${ctx.target.backend.url} is damaged: ${err.message}.`,
        )
      }
    },
    async getRange(
      key: string,
      range: { offset: number; length: number } | { suffixLength: number },
    ) {
      const raw = await ctx.target.backend.get(base + key, range)
      if (raw) ctx.bytesRead += raw.byteLength
      return raw
    },
  }
}

/** The lazy StoredArray of one checked Zarr array. */
export function zarrStoredArray(ctx: ZarrContext, info: ZarrArrayInfo): StoredArray {
  const elements = sizeOf(info.chunks)
  const chunkBytes = info.dtype.itemSize === null ? null : elements * info.dtype.itemSize
  let opened: zarr.Array<zarr.DataType, ReturnType<typeof chunkStore>> | undefined
  const open = () => {
    if (chunkBytes !== null && chunkBytes > MAX_CHUNK_BYTES) {
      throw new LimitExceededError(
        `${info.where}: chunks of ${JSON.stringify(info.chunks)} ${info.dtype.str} are ` +
          `${chunkBytes} bytes each, more than the ${MAX_CHUNK_BYTES} a read may allocate; ` +
          `rechunk the array with xarray to read it here.`,
      )
    }
    const store = chunkStore(ctx, info, chunkBytes ?? MAX_CHUNK_BYTES, chunkBytes)
    opened ??= new zarr.Array(store, '/', info.zarrita as never)
    return opened
  }
  return {
    shape: info.shape,
    dtype: info.dtype.numpy,
    chunks: info.chunks,
    async read(selection?: Selection, signal?: AbortSignal): Promise<NdArray> {
      const norm = normalizeSelection(info.shape, selection, info.dims)
      const arr = open()
      const dtype = info.dtype.numpy
      if (norm.size === 0) return { dtype, shape: norm.shape, data: toModelData([], info) }
      const get = async (sel: (number | zarr.Slice)[]) => {
        const got: unknown = await zarr
          .get(arr, info.shape.length ? sel : null, { signal } as never)
          .catch((err: unknown) => {
            // Filters (vlen-utf8, shuffle, delta) run inside zarrita, which names no chunk.
            if (!(err instanceof zarr.CodecPipelineError)) throw err
            const cause = (err as { cause?: unknown }).cause
            const where = info.where.replace(/\/(\.zarray|zarr\.json)\b/, '')
            throw new CorruptPayloadError(
              `A chunk of ${where} is damaged: ` +
                `${cause instanceof Error ? cause.message : err.message}.`,
            )
          })
        if (got === null || typeof got !== 'object' || !('data' in got))
          return toModelData([got], info)
        const c = got as { data: unknown; shape: number[]; stride: number[] }
        return toModelData(inCOrder(c.data, c.shape, c.stride), info)
      }
      const parts = norm.ranges.map((r, d) => segments(r, info.chunks[d] as number))
      if (parts.every((p) => p.length === 1)) {
        return {
          dtype,
          shape: norm.shape,
          data: await get(parts.map((p) => (p[0] as Segment).sel)),
        }
      }
      // zarrita visits every chunk between start and stop; with a step that skips whole chunks,
      // one read per run of selected indices inside a chunk fetches only the chunks needed.
      const out = allocate(info, norm.size)
      for (const combo of product(parts)) {
        signal?.throwIfAborted()
        const block = await get(combo.map((s) => s.sel))
        place(
          out,
          norm.shape,
          block,
          combo.filter((s) => !s.drop),
        )
      }
      return { dtype, shape: norm.shape, data: out }
    },
  }
}

interface Segment {
  sel: number | zarr.Slice
  /** Offset of this run in the result's dimension. */
  at: number
  count: number
  drop: boolean
}

// A dimension's selection as runs that each stay inside one chunk (only where a step > 1
// would otherwise make zarrita fetch chunks holding none of the selected indices).
function segments(r: DimRange, chunk: number): Segment[] {
  if (r.drop) return [{ sel: r.start, at: 0, count: 1, drop: true }]
  const whole = [{ sel: zarr.slice(r.start, r.stop, r.step), at: 0, count: r.count, drop: false }]
  if (r.step <= 1) return whole
  const out: Segment[] = []
  for (let k = 0; k < r.count;) {
    const first = r.start + k * r.step
    const end = Math.min(r.stop, (Math.floor(first / chunk) + 1) * chunk)
    const n = Math.ceil((end - first) / r.step)
    out.push({
      sel: zarr.slice(first, first + (n - 1) * r.step + 1, r.step),
      at: k,
      count: n,
      drop: false,
    })
    k += n
  }
  return out
}

function* product(parts: Segment[][]): Generator<Segment[]> {
  const idx = parts.map(() => 0)
  for (;;) {
    yield parts.map((p, d) => p[idx[d] as number] as Segment)
    let d = parts.length - 1
    for (; d >= 0; d--) {
      if (++(idx[d] as number) < (parts[d] as Segment[]).length) break
      idx[d] = 0
    }
    if (d < 0) return
  }
}

// Copies a C-order block into the C-order result at the segments' offsets.
function place(
  out: NdArray['data'],
  shape: number[],
  block: NdArray['data'],
  segs: Segment[],
): void {
  const rank = shape.length
  const strides = shape.map((_, i) => sizeOf(shape.slice(i + 1)))
  const counts = segs.map((s) => s.count)
  const idx = new Array(rank).fill(0)
  const o = out as unknown as unknown[]
  const b = block as unknown as unknown[]
  for (let k = 0, n = sizeOf(counts); k < n; k++) {
    let off = 0
    for (let d = 0; d < rank; d++)
      off += ((segs[d] as Segment).at + idx[d]) * (strides[d] as number)
    o[off] = b[k]
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < (counts[d] as number)) break
      idx[d] = 0
    }
  }
}

type Indexable = { length: number; get?(i: number): unknown } | ArrayLike<unknown>

function at(data: Indexable, i: number): unknown {
  const d = data as { get?(i: number): unknown } & ArrayLike<unknown>
  return typeof d.get === 'function' && !ArrayBuffer.isView(d) ? d.get(i) : d[i]
}

// zarrita returns F-ordered output for F-ordered arrays; the model is C order throughout.
function inCOrder(data: unknown, shape: number[], stride: number[]): Indexable {
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

function allocate(info: ZarrArrayInfo, n: number): NdArray['data'] {
  const Ctor = CTORS[info.dtype.numpy]
  return Ctor ? new Ctor(n) : new Array<string | null>(n).fill(null)
}

function toModelData(data: Indexable, info: ZarrArrayInfo): NdArray['data'] {
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
