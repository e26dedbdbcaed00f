// The byte codecs between a chunk object and its raw bytes (Blosc, Zlib, GZip, Zstd, LZ4,
// CRC32C), run here rather than inside zarrita so every decode is bounded: a chunk may claim
// any decompressed size in its header, and is refused before anything is allocated for it.
// Blosc, Zstd and LZ4 run in numcodecs' wasm; zlib and gzip in node:zlib with an output cap.
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib'
import { isJsonObject, type JsonObject } from './zarr-json.js'

/** One byte codec as the metadata names it: numcodecs id (v2) or v3 name, and its settings. */
export interface ByteCodecSpec {
  id: 'blosc' | 'zlib' | 'gzip' | 'zstd' | 'lz4' | 'crc32c'
  config: JsonObject
}

/** Codec ids (v2 `compressor.id`, v3 codec names) this reader decodes. */
export const SUPPORTED_BYTE_CODECS = ['blosc', 'zlib', 'gzip', 'zstd', 'lz4', 'crc32c'] as const

/** A byte codec spec from metadata, or a reason naming the codec and the supported ones. */
export function parseByteCodec(id: unknown, config: JsonObject): ByteCodecSpec | string {
  const name = typeof id === 'string' ? id.replace(/^numcodecs\./, '') : id
  if (typeof name === 'string' && (SUPPORTED_BYTE_CODECS as readonly string[]).includes(name)) {
    return { id: name as ByteCodecSpec['id'], config }
  }
  return (
    `codec ${JSON.stringify(id)} is not supported; supported compressors are ` +
    `${SUPPORTED_BYTE_CODECS.join(', ')}`
  )
}

/** Thrown for a chunk that does not decode; the caller adds the chunk's path. */
export class ChunkError extends Error {}

type WasmCodec = {
  encode(d: Uint8Array): Promise<Uint8Array>
  decode(d: Uint8Array): Promise<Uint8Array>
}
type WasmCtor = { fromConfig(c: Record<string, unknown>): WasmCodec }

// numcodecs loads its wasm only when a chunk needs it.
const wasm = new Map<string, Promise<WasmCtor>>()
function load(id: 'blosc' | 'zstd' | 'lz4'): Promise<WasmCtor> {
  let p = wasm.get(id)
  if (!p) {
    p =
      id === 'blosc'
        ? import('numcodecs/blosc').then((m) => m.default as unknown as WasmCtor)
        : id === 'zstd'
          ? import('numcodecs/zstd').then((m) => m.default as unknown as WasmCtor)
          : import('numcodecs/lz4').then((m) => m.default as unknown as WasmCtor)
    wasm.set(id, p)
  }
  return p
}

function u32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true)
}

/** The decompressed size a chunk's header claims, where the format has one. */
function claimedSize(spec: ByteCodecSpec, data: Uint8Array): number | undefined {
  if (spec.id === 'blosc') {
    if (data.byteLength < 16)
      throw new ChunkError('the Blosc chunk is shorter than its 16-byte header')
    const cbytes = u32(data, 12)
    if (cbytes !== data.byteLength) {
      throw new ChunkError(
        `the Blosc header says ${cbytes} compressed bytes but the chunk has ${data.byteLength} (truncated?)`,
      )
    }
    return u32(data, 4)
  }
  if (spec.id === 'lz4') {
    if (data.byteLength < 4) throw new ChunkError('the LZ4 chunk is shorter than its 4-byte header')
    return u32(data, 0)
  }
  if (spec.id === 'zstd') return zstdContentSize(data)
  return undefined
}

// Zstandard frame header: the content size, when the frame records it (RFC 8878 3.1.1.1).
function zstdContentSize(d: Uint8Array): number | undefined {
  if (d.byteLength < 6 || u32(d, 0) !== 0xfd2fb528)
    throw new ChunkError('the chunk is not a Zstandard frame')
  const fhd = d[4] as number
  const fcsFlag = fhd >> 6
  const single = (fhd >> 5) & 1
  const didFlag = fhd & 3
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fcsFlag] as number
  if (fcsBytes === 0) return undefined
  const at = 5 + (single ? 0 : 1) + [0, 1, 2, 4][didFlag]!
  if (d.byteLength < at + fcsBytes) throw new ChunkError('the Zstandard frame header is truncated')
  let size = 0
  for (let i = fcsBytes - 1; i >= 0; i--) size = size * 256 + (d[at + i] as number)
  return fcsBytes === 2 ? size + 256 : size
}

/**
 * Decodes one chunk object through `codecs` (applied in reverse, as written), allowing at most
 * `maxBytes` out of each step; `expected` (the chunk's byte size, for fixed-size dtypes) must
 * be met exactly at the end.
 */
export async function decodeChunk(
  data: Uint8Array,
  codecs: readonly ByteCodecSpec[],
  maxBytes: number,
  expected: number | null,
): Promise<Uint8Array> {
  for (let i = codecs.length - 1; i >= 0; i--) {
    const spec = codecs[i] as ByteCodecSpec
    const claimed = claimedSize(spec, data)
    if (claimed !== undefined && claimed > maxBytes) {
      throw new ChunkError(
        `its ${spec.id} header claims ${claimed} decompressed bytes, more than the chunk can hold (${maxBytes})`,
      )
    }
    data = await decodeOne(spec, data, maxBytes)
  }
  if (expected !== null && data.byteLength !== expected) {
    throw new ChunkError(
      `it decodes to ${data.byteLength} bytes, but a chunk of this array has ${expected}`,
    )
  }
  return data
}

async function decodeOne(
  spec: ByteCodecSpec,
  data: Uint8Array,
  maxBytes: number,
): Promise<Uint8Array> {
  try {
    switch (spec.id) {
      case 'zlib':
        return new Uint8Array(inflateSync(data, { maxOutputLength: Math.max(1, maxBytes) }))
      case 'gzip':
        return new Uint8Array(gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) }))
      case 'crc32c':
        if (data.byteLength < 4)
          throw new ChunkError('the chunk is shorter than its CRC32C checksum')
        return data.subarray(0, data.byteLength - 4)
      default:
        return await (await load(spec.id)).fromConfig(spec.config).decode(data)
    }
  } catch (err) {
    if (err instanceof ChunkError) throw err
    const msg = err instanceof Error ? err.message : String(err)
    throw new ChunkError(`${spec.id} could not decode it (${msg})`)
  }
}

/** Encodes raw chunk bytes through `codecs` in order (as zarr writes them). */
export async function encodeChunk(
  data: Uint8Array,
  codecs: readonly ByteCodecSpec[],
): Promise<Uint8Array> {
  for (const spec of codecs) {
    const level = typeof spec.config.level === 'number' ? spec.config.level : 1
    switch (spec.id) {
      case 'zlib':
        data = new Uint8Array(deflateSync(data, { level }))
        break
      case 'gzip':
        data = new Uint8Array(gzipSync(data, { level }))
        break
      case 'crc32c':
        throw new ChunkError('writing CRC32C checksums is not supported')
      default:
        data = await (await load(spec.id)).fromConfig(spec.config).encode(data)
    }
  }
  return data
}

/** numcodecs' repr of a codec, as xarray's encoding['compressor'] shows it. */
export function codecRepr(spec: ByteCodecSpec): string {
  const c = spec.config
  const shuffles = new Map([
    [0, 'NOSHUFFLE'],
    [1, 'SHUFFLE'],
    [2, 'BITSHUFFLE'],
    [-1, 'AUTOSHUFFLE'],
  ])
  switch (spec.id) {
    case 'blosc':
      return (
        `Blosc(cname='${String(c.cname ?? 'lz4')}', clevel=${String(c.clevel ?? 5)}, ` +
        `shuffle=${shuffles.get(Number(c.shuffle ?? 1)) ?? String(c.shuffle)}, blocksize=${String(c.blocksize ?? 0)})`
      )
    case 'zlib':
      return `Zlib(level=${String(c.level ?? 1)})`
    case 'gzip':
      return `GZip(level=${String(c.level ?? 1)})`
    case 'zstd':
      return `Zstd(level=${String(c.level ?? 1)})`
    case 'lz4':
      return `LZ4(acceleration=${String(c.acceleration ?? 1)})`
    default:
      return 'CRC32C()'
  }
}

/** A codec from a numcodecs repr string or an `{id, ...}` object (dump encodings give both). */
export function codecFromEncoding(value: unknown): ByteCodecSpec | string {
  if (isJsonObject(value) || (value !== null && typeof value === 'object')) {
    const { id, ...config } = value as JsonObject
    return parseByteCodec(id, config as JsonObject)
  }
  if (typeof value !== 'string') return `compressor ${JSON.stringify(value)} is not a codec`
  const m = /^(\w+)\((.*)\)$/.exec(value.trim())
  if (!m) return `compressor '${value}' is not a numcodecs codec repr`
  const config: JsonObject = Object.create(null)
  for (const part of (m[2] as string)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [k, v] = part.split('=').map((s) => s.trim()) as [string, string | undefined]
    if (v === undefined) continue
    const shuffle = ['NOSHUFFLE', 'SHUFFLE', 'BITSHUFFLE'].indexOf(v)
    config[k] =
      shuffle >= 0
        ? shuffle
        : v === 'AUTOSHUFFLE'
          ? -1
          : /^'.*'$/.test(v)
            ? v.slice(1, -1)
            : Number(v)
  }
  return parseByteCodec(String(m[1]).toLowerCase(), config)
}
