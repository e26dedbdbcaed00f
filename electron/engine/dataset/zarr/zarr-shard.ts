// Reads inner chunks out of zarr v3 shards (sharding_indexed): the shard index, a uint64
// (offset, nbytes) pair per inner chunk at the shard's end or start, comes in one byte-range
// read (checked against its CRC32C), then each inner chunk the selection needs comes by range.
// Every entry is checked against what an inner chunk can hold before anything is fetched.
import { CorruptPayloadError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { ShardSpec } from './zarr-v3-codecs.js'

/** The (offset, nbytes) of an empty inner chunk: both 2^64 - 1, read as the fill value. */
const EMPTY = 0xffffffffffffffffn

/** Shard indexes kept per array: a whole-array read visits each shard once, in order. */
const INDEX_CACHE = 64

// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), one table lookup per byte.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC32C of `data`, as zarr's crc32c codec appends it (little-endian uint32). */
export function crc32c(data: Uint8Array): number {
  let c = 0xffffffff
  for (let i = 0; i < data.length; i++)
    c = (CRC_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** Where one shard and its inner chunk are, for a chunk key zarrita asks for. */
interface InnerRef {
  shardPath: string
  /** The inner chunk's position in the shard's index (C order). */
  slot: number
}

/** Bytes read are counted here (the dataset's bytesRead()). */
export interface ShardContext {
  target: Target
  bytesRead: number
}

/**
 * A reader of inner chunks for one sharded array under `base`: given zarrita's inner chunk
 * key ('/c/i/j/k'), the chunk's encoded bytes and the shard's path, or undefined when the
 * shard is missing or the chunk empty (both mean the fill value).
 */
export function shardReader(
  ctx: ShardContext,
  spec: ShardSpec,
  base: string,
  maxEncoded: number,
): (key: string) => Promise<{ raw: Uint8Array; path: string } | undefined> {
  const indexes = new Map<string, Promise<DataView | null>>()
  const entries = 16 * spec.count
  const indexBytes = entries + (spec.indexCrc ? 4 : 0)
  const little = spec.indexEndian === 'little'
  const url = ctx.target.backend.url
  const corrupt = (path: string, what: string) =>
    new CorruptPayloadError(`Shard ${path} in ${url} is damaged: ${what}.`)

  const locate = (key: string): InnerRef => {
    const coords = key === '/c' ? [] : key.slice(3).split('/').map(Number)
    const per = spec.perShard
    const outer = coords.map((c, i) => Math.floor(c / (per[i] as number)))
    let slot = 0
    coords.forEach((c, i) => (slot = slot * (per[i] as number) + (c % (per[i] as number))))
    const { v2, separator } = spec.keyEncoding
    const name = v2 ? outer.join(separator) || '0' : ['c', ...outer].join(separator)
    return { shardPath: `${base}/${name}`, slot }
  }

  const fetchIndex = async (path: string): Promise<DataView | null> => {
    const range =
      spec.indexLocation === 'end'
        ? { suffixLength: indexBytes }
        : { offset: 0, length: indexBytes }
    const raw = await ctx.target.backend.get(path, range)
    if (raw === undefined) return null
    ctx.bytesRead += raw.byteLength
    if (raw.byteLength !== indexBytes) {
      throw corrupt(
        path,
        `it has ${raw.byteLength} bytes, fewer than its index of ${spec.count} inner chunks (${indexBytes} bytes)`,
      )
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
    if (spec.indexCrc) {
      const want = view.getUint32(entries, true)
      const got = crc32c(raw.subarray(0, entries))
      if (want !== got) {
        throw corrupt(
          path,
          `the CRC32C of its index is ${got.toString(16)}, not the ${want.toString(16)} stored with it`,
        )
      }
    }
    return view
  }

  const indexOf = (path: string): Promise<DataView | null> => {
    let p = indexes.get(path)
    if (!p) {
      p = fetchIndex(path)
      p.catch(() => indexes.delete(path))
      if (indexes.size >= INDEX_CACHE) indexes.delete(indexes.keys().next().value as string)
      indexes.set(path, p)
    }
    return p
  }

  return async (key) => {
    const { shardPath, slot } = locate(key)
    const index = await indexOf(shardPath)
    if (index === null) return undefined
    const offset = index.getBigUint64(16 * slot, little)
    const nbytes = index.getBigUint64(16 * slot + 8, little)
    if (offset === EMPTY && nbytes === EMPTY) return undefined
    const entry = `index entry ${slot} (offset ${offset}, nbytes ${nbytes})`
    if (nbytes > BigInt(maxEncoded)) {
      throw corrupt(
        shardPath,
        `${entry} is larger than an inner chunk can be (${maxEncoded} bytes)`,
      )
    }
    const start = spec.indexLocation === 'start' ? BigInt(indexBytes) : 0n
    if (offset < start || offset + nbytes > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw corrupt(shardPath, `${entry} points outside the shard's chunk data`)
    }
    const length = Number(nbytes)
    const raw =
      length === 0
        ? new Uint8Array(0)
        : await ctx.target.backend.get(shardPath, { offset: Number(offset), length })
    if (raw === undefined) throw corrupt(shardPath, 'it vanished while it was read')
    ctx.bytesRead += raw.byteLength
    if (raw.byteLength !== length) {
      throw corrupt(shardPath, `${entry} points past the shard's end`)
    }
    return { raw, path: shardPath }
  }
}
