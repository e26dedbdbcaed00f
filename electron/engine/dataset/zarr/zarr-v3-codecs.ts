// The codec list of a v3 array: array codecs (transpose, bytes, vlen-utf8) go to zarrita, byte
// codecs (compressors, checksums) run bounded in chunk-codecs.ts. A sharded array
// (`sharding_indexed`) is read as a grid of its inner chunks: its configuration is checked
// here, before any shard is fetched, so the index size is known and bounded up front.
import { parseByteCodec, type ByteCodecSpec } from './chunk-codecs.js'
import { isJsonObject, type JsonObject } from './zarr-json.js'

/** One v3 codec chain, split where zarrita's part ends. */
export interface V3Chain {
  arrayCodecs: JsonObject[]
  byteCodecs: ByteCodecSpec[]
  endian: 'little' | 'big'
}

/** How a sharded array's shards are laid out (zarr v3 sharding_indexed). */
export interface ShardSpec {
  /** Shape of one shard (the array's chunk_grid chunk_shape). */
  shape: number[]
  /** Inner chunks per shard along each axis (shard shape / inner chunk shape). */
  perShard: number[]
  /** Inner chunks per shard in all: the index has one (offset, nbytes) uint64 pair each. */
  count: number
  indexLocation: 'start' | 'end'
  indexEndian: 'little' | 'big'
  /** Whether the index ends with a CRC32C of its entries. */
  indexCrc: boolean
  /** Shard object key: 'c/i/j' (default) or 'i.j' (v2), with this separator. */
  keyEncoding: { v2: boolean; separator: string }
}

/** Most inner chunks one shard may have: its index is 16 bytes each (64 MiB at this limit). */
export const MAX_INNER_CHUNKS = 4 * 1024 * 1024

const V3_ARRAY_CODECS = new Set(['transpose'])

function configOf(c: unknown): JsonObject {
  return isJsonObject(c) && isJsonObject(c.configuration)
    ? c.configuration
    : (Object.create(null) as JsonObject)
}

/** Splits a (non-sharded) v3 codec list, or says which codec is not supported. */
export function parseV3Codecs(codecs: unknown[]): V3Chain | string {
  const arrayCodecs: JsonObject[] = []
  const byteCodecs: ByteCodecSpec[] = []
  let endian: 'little' | 'big' = 'little'
  let sawBytes = false
  for (const c of codecs) {
    const name = isJsonObject(c) ? c.name : undefined
    const conf = configOf(c)
    if (name === 'bytes' || name === 'vlen-utf8') {
      sawBytes = true
      if (conf.endian === 'big') endian = 'big'
      arrayCodecs.push(
        name === 'bytes'
          ? { name, configuration: conf }
          : { name: 'xpersist.vlen-utf8', configuration: {} },
      )
    } else if (typeof name === 'string' && V3_ARRAY_CODECS.has(name) && !sawBytes) {
      arrayCodecs.push({ name, configuration: conf })
    } else {
      const spec = parseByteCodec(name, conf)
      if (typeof spec === 'string')
        return `${spec}, and transpose, bytes, vlen-utf8, sharding_indexed`
      if (!sawBytes) return `codec ${JSON.stringify(name)} comes before the bytes codec`
      byteCodecs.push(spec)
    }
  }
  return { arrayCodecs, byteCodecs, endian }
}

function isShapeOf(v: unknown, rank: number): v is number[] {
  return (
    Array.isArray(v) &&
    v.length === rank &&
    v.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 1)
  )
}

/**
 * The sharding of a v3 array whose codecs are one `sharding_indexed` codec: the shard spec, the
 * inner chunk shape and the inner codec list; null when the array is not sharded; a reason
 * string when the configuration is damaged or not supported.
 */
export function parseSharding(
  codecs: unknown[],
  shardShape: number[],
  keyEncoding: JsonObject,
): { spec: ShardSpec; chunks: number[]; codecs: unknown[] } | null | string {
  const at = codecs.findIndex((c) => isJsonObject(c) && c.name === 'sharding_indexed')
  if (at < 0) return null
  if (codecs.length !== 1) {
    return 'sharding_indexed must be the only codec of a sharded array here (codecs around it are not supported)'
  }
  const conf = configOf(codecs[0])
  const chunks = conf.chunk_shape
  if (!isShapeOf(chunks, shardShape.length)) {
    return `sharding chunk_shape ${JSON.stringify(chunks)?.slice(0, 80)} is not one positive integer per axis of the shard shape ${JSON.stringify(shardShape)}`
  }
  if (chunks.some((c, i) => (shardShape[i] as number) % c !== 0)) {
    return `shard shape ${JSON.stringify(shardShape)} is not a whole number of inner chunks ${JSON.stringify(chunks)}`
  }
  const perShard = chunks.map((c, i) => (shardShape[i] as number) / c)
  const count = perShard.reduce((a, b) => a * b, 1)
  if (count > MAX_INNER_CHUNKS) {
    return `a shard of ${JSON.stringify(shardShape)} holds ${count} inner chunks of ${JSON.stringify(chunks)}, more than the ${MAX_INNER_CHUNKS} a shard index may have here`
  }
  if (!Array.isArray(conf.codecs)) return 'sharding codecs is not a list'
  const location = conf.index_location ?? 'end'
  if (location !== 'start' && location !== 'end') {
    return `sharding index_location ${JSON.stringify(location)} is neither 'start' nor 'end'`
  }
  const index = Array.isArray(conf.index_codecs)
    ? conf.index_codecs
    : [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'crc32c' }]
  const names = index.map((c) => (isJsonObject(c) ? c.name : undefined))
  const indexEndian = configOf(index[0]).endian === 'big' ? 'big' : 'little'
  if (names[0] !== 'bytes' || names.length > 2 || (names.length === 2 && names[1] !== 'crc32c')) {
    return `sharding index_codecs ${JSON.stringify(names)} are not supported; supported are bytes, optionally followed by crc32c`
  }
  const v2 = keyEncoding.name === 'v2'
  const sep = configOf(keyEncoding).separator ?? (v2 ? '.' : '/')
  if (sep !== '.' && sep !== '/')
    return `chunk_key_encoding separator ${JSON.stringify(sep)} is neither '.' nor '/'`
  return {
    spec: {
      shape: shardShape,
      perShard,
      count,
      indexLocation: location,
      indexEndian,
      indexCrc: names.length === 2,
      keyEncoding: { v2, separator: sep },
    },
    chunks,
    codecs: conf.codecs,
  }
}
