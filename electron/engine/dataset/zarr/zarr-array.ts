// One Zarr array as a lazy StoredArray: zarrita works out which chunks a selection touches
// (and fills missing ones with the fill value, as Zarr specifies); each chunk object is
// fetched through the Target's backend and decoded, bounded, in chunk-codecs.ts.
import * as zarr from 'zarrita'
import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { NdArray, Selection, StoredArray } from '../model.js'
import { sizeOf } from '../model.js'
import { normalizeSelection } from '../selection.js'
import { ChunkError, decodeChunk } from './chunk-codecs.js'
import { shardReader } from './zarr-shard.js'
import type { ZarrArrayInfo } from './zarr-meta.js'
import { boundedQueue, place, product, segments, type Segment } from './zarr-runs.js'
import { allocate, inCOrder, latin1Strings, toModelData } from './zarr-values.js'
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

// The most bytes an inner chunk of `raw` decoded bytes can take encoded: every compressor's
// worst case (incompressible data) adds well under 1/16 plus a header; checksums add 4 bytes.
function maxEncodedSize(raw: number, codecs: number): number {
  let n = raw
  for (let i = 0; i < codecs; i++) n += Math.ceil(n / 16) + 1024
  return n
}

/** zarrita's store interface, over the Target's backend, for one array's chunks. */
function chunkStore(
  ctx: ZarrContext,
  info: ZarrArrayInfo,
  maxBytes: number,
  expected: number | null,
) {
  const base = info.path ? `${ctx.root}/${info.path}` : ctx.root
  // A sharded array's chunks, as zarrita sees them, are inner chunks read out of shards.
  const inner = info.shard
    ? shardReader(ctx, info.shard, base, maxEncodedSize(maxBytes, info.byteCodecs.length))
    : null
  return {
    async get(key: string): Promise<Uint8Array | undefined> {
      let objectPath = base + key
      let raw: Uint8Array | undefined
      if (inner) {
        const found = await inner(key)
        if (found === undefined) return undefined
        objectPath = `${found.path} (inner chunk ${key.slice(3) || '0'})`
        raw = found.raw
      } else {
        raw = await ctx.target.backend.get(objectPath)
        if (raw === undefined) return undefined
        ctx.bytesRead += raw.byteLength
      }
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
          .get(arr, info.shape.length ? sel : null, { signal, createQueue: boundedQueue } as never)
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
        const data = info.dtype.kind === 'bytes' ? latin1Strings(c.data) : c.data
        return toModelData(inCOrder(data, c.shape, c.stride), info)
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
