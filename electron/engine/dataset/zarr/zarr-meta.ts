// Checks one array's metadata (v2 .zarray + .zattrs, or a v3 zarr.json) and turns it into the
// few facts the reader needs. Everything is checked before any chunk is fetched: a shape that
// is negative, fractional or absurdly large, an unknown codec or dtype is refused here, with
// the file named.
import { CorruptPayloadError } from '../../errors.js'
import type { AttrMap } from '../model.js'
import { parseByteCodec, type ByteCodecSpec } from './chunk-codecs.js'
import { parseV2Dtype, parseV3Dtype, type ZarrDtype } from './zarr-dtype.js'
import { isJsonObject, toAttrMap, type JsonObject } from './zarr-json.js'
import { parseSharding, parseV3Codecs, type ShardSpec } from './zarr-v3-codecs.js'

/** Most dimensions an array may have (numpy's limit is 32 too). */
const MAX_RANK = 32

/** One zarr array, checked. */
export interface ZarrArrayInfo {
  /** Path of the array relative to the store root ('sst', 'anomaly/ssta'). */
  path: string
  /** The metadata file, for messages ('sst-monthly.zarr/sst/.zarray'). */
  where: string
  zarrFormat: 2 | 3
  shape: number[]
  chunks: number[]
  dtype: ZarrDtype
  /** Decoded fill value (NaN for "NaN", a string for bytes), null when none. */
  fillValue: number | bigint | boolean | string | null
  /** Dimension names (_ARRAY_DIMENSIONS or dimension_names). */
  dims: string[]
  attrs: AttrMap
  /** Codecs applied to whole chunk objects (compressor, checksums), as written. */
  byteCodecs: ByteCodecSpec[]
  /** zarrita array metadata with the byte codecs taken out (they run in chunk-codecs.ts). */
  zarrita: JsonObject
  /** The raw filters (v2) for encoding['filters']; null when none. */
  filters: JsonObject[] | null
  /** How shards are laid out when the array is sharded (then `chunks` are the inner chunks). */
  shard: ShardSpec | null
}

function bad(where: string, what: string): CorruptPayloadError {
  return new CorruptPayloadError(
    `${where}: ${what}; the Zarr array metadata is damaged or not supported.`,
  )
}

function checkShape(where: string, name: string, v: unknown, min: number): number[] {
  if (!Array.isArray(v) || v.length > MAX_RANK) {
    throw bad(
      where,
      `${name} must be a list of at most ${MAX_RANK} integers, not ${JSON.stringify(v)?.slice(0, 80)}`,
    )
  }
  let product = 1
  for (const d of v) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < min) {
      throw bad(
        where,
        `${name} ${JSON.stringify(v).slice(0, 80)} has ${JSON.stringify(d)}, not an integer >= ${min}`,
      )
    }
    product *= d
    if (product > Number.MAX_SAFE_INTEGER) {
      throw bad(where, `${name} ${JSON.stringify(v).slice(0, 80)} has more than 2^53 elements`)
    }
  }
  return v as number[]
}

const V2_FILTERS = new Map([
  ['vlen-utf8', 'xpersist.vlen-utf8'],
  ['shuffle', 'numcodecs.shuffle'],
  ['delta', 'numcodecs.delta'],
])

function fillValueOf(where: string, raw: unknown, dtype: ZarrDtype): ZarrArrayInfo['fillValue'] {
  if (raw === null || raw === undefined) return null
  if (dtype.kind === 'float') {
    if (raw === 'NaN') return NaN
    if (raw === 'Infinity') return Infinity
    if (raw === '-Infinity') return -Infinity
  }
  if (dtype.kind === 'bytes' && typeof raw === 'string') {
    return Buffer.from(raw, 'base64').toString('latin1').replace(/\0+$/, '')
  }
  if (dtype.kind === 'unicode' || dtype.kind === 'object')
    return typeof raw === 'string' ? raw : null
  if (dtype.kind === 'bool' && typeof raw === 'boolean') return raw
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    if (dtype.itemSize === 8 && (dtype.kind === 'int' || dtype.kind === 'uint')) return BigInt(raw)
    return Number(raw)
  }
  throw bad(where, `fill_value ${JSON.stringify(raw)} does not fit dtype ${dtype.str}`)
}

/** Checks a v2 `.zarray` (with its `.zattrs`) at `path`. */
export function parseV2Array(
  path: string,
  where: string,
  zarray: JsonObject,
  zattrs: JsonObject,
  attrsWhere: string = where,
): ZarrArrayInfo {
  if (zarray.zarr_format !== 2)
    throw bad(where, `zarr_format is ${JSON.stringify(zarray.zarr_format)}, not 2`)
  const shape = checkShape(where, 'shape', zarray.shape, 0)
  const chunks = checkShape(where, 'chunks', zarray.chunks, 1)
  if (chunks.length !== shape.length)
    throw bad(where, `chunks ${JSON.stringify(chunks)} do not match shape ${JSON.stringify(shape)}`)
  const dtype = parseV2Dtype(zarray.dtype)
  if (typeof dtype === 'string') throw bad(where, dtype)
  const order = zarray.order ?? 'C'
  if (order !== 'C' && order !== 'F')
    throw bad(where, `order ${JSON.stringify(order)} is neither 'C' nor 'F'`)
  const sep = zarray.dimension_separator ?? '.'
  if (sep !== '.' && sep !== '/')
    throw bad(where, `dimension_separator ${JSON.stringify(sep)} is neither '.' nor '/'`)
  const byteCodecs: ByteCodecSpec[] = []
  if (zarray.compressor !== null && zarray.compressor !== undefined) {
    if (!isJsonObject(zarray.compressor)) throw bad(where, 'compressor is not an object')
    const { id, ...config } = zarray.compressor
    const spec = parseByteCodec(id, config)
    if (typeof spec === 'string') throw bad(where, spec)
    byteCodecs.push(spec)
  }
  const codecs: JsonObject[] = []
  if (order === 'F') codecs.push({ name: 'transpose', configuration: { order: 'F' } })
  const filters = zarray.filters === null || zarray.filters === undefined ? null : zarray.filters
  if (filters !== null && !Array.isArray(filters)) throw bad(where, 'filters is not a list')
  let vlen = false
  for (const f of filters ?? []) {
    const id = isJsonObject(f) ? f.id : undefined
    const name = typeof id === 'string' ? V2_FILTERS.get(id) : undefined
    if (!name) {
      throw bad(
        where,
        `filter ${JSON.stringify(id)} is not supported; supported filters are ${[...V2_FILTERS.keys()].join(', ')}`,
      )
    }
    const { id: _, ...configuration } = f as JsonObject
    if (id === 'vlen-utf8') vlen = true
    else codecs.push({ name, configuration })
  }
  if (dtype.kind === 'object' && !vlen)
    throw bad(where, `object dtype '|O' needs the vlen-utf8 filter, which is missing`)
  codecs.push(
    vlen
      ? { name: 'xpersist.vlen-utf8', configuration: {} }
      : { name: 'bytes', configuration: { endian: dtype.endian } },
  )
  const dims = zattrs._ARRAY_DIMENSIONS
  if (
    !Array.isArray(dims) ||
    dims.length !== shape.length ||
    !dims.every((d) => typeof d === 'string')
  ) {
    throw new CorruptPayloadError(
      `${attrsWhere}: _ARRAY_DIMENSIONS is ${JSON.stringify(dims) ?? 'missing'}, not one ` +
        `dimension name per axis of shape ${JSON.stringify(shape)}; xarray cannot open this array either.`,
    )
  }
  const fillValue = fillValueOf(where, zarray.fill_value, dtype)
  return {
    path,
    where,
    zarrFormat: 2,
    shape,
    chunks,
    dtype,
    fillValue,
    dims: dims as string[],
    attrs: toAttrMap(zattrs, ['_ARRAY_DIMENSIONS']),
    byteCodecs,
    filters: filters as JsonObject[] | null,
    shard: null,
    zarrita: zarritaMeta(shape, chunks, dtype, codecs, fillValue, {
      name: 'v2',
      configuration: { separator: sep },
    }),
  }
}

function zarritaMeta(
  shape: number[],
  chunks: number[],
  dtype: ZarrDtype,
  codecs: JsonObject[],
  fill: ZarrArrayInfo['fillValue'],
  keyEncoding: JsonObject,
): JsonObject {
  return {
    zarr_format: 3,
    node_type: 'array',
    shape,
    data_type: dtype.zarrita,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: chunks } },
    chunk_key_encoding: keyEncoding,
    codecs,
    fill_value:
      fill ??
      (dtype.kind === 'object' || dtype.kind === 'unicode' || dtype.kind === 'bytes'
        ? ''
        : dtype.kind === 'bool'
          ? false
          : dtype.zarrita.endsWith('64') && dtype.kind !== 'float'
            ? 0n
            : 0),
    attributes: {},
  }
}

/** Checks a v3 array `zarr.json` at `path`. */
export function parseV3Array(path: string, where: string, meta: JsonObject): ZarrArrayInfo {
  const shape = checkShape(where, 'shape', meta.shape, 0)
  const grid = meta.chunk_grid
  const gridConf =
    isJsonObject(grid) && grid.name === 'regular' && isJsonObject(grid.configuration)
      ? grid.configuration
      : undefined
  if (!gridConf)
    throw bad(where, `chunk_grid ${JSON.stringify(grid)?.slice(0, 80)} is not a regular grid`)
  const outer = checkShape(where, 'chunk_shape', gridConf.chunk_shape, 1)
  if (outer.length !== shape.length)
    throw bad(
      where,
      `chunk_shape ${JSON.stringify(outer)} does not match shape ${JSON.stringify(shape)}`,
    )
  if (!Array.isArray(meta.codecs)) throw bad(where, 'codecs is not a list')
  const kenc = isJsonObject(meta.chunk_key_encoding) ? meta.chunk_key_encoding : { name: 'default' }
  if (kenc.name !== 'default' && kenc.name !== 'v2')
    throw bad(where, `chunk_key_encoding ${JSON.stringify(kenc.name)} is not supported`)
  // A sharded array is read as the grid of its inner chunks; shards are found from those.
  const sharding = parseSharding(meta.codecs, outer, kenc)
  if (typeof sharding === 'string') throw bad(where, sharding)
  const chunks = sharding ? sharding.chunks : outer
  const chain = parseV3Codecs(sharding ? sharding.codecs : meta.codecs)
  if (typeof chain === 'string') throw bad(where, chain)
  const { arrayCodecs, byteCodecs, endian } = chain
  const dtype = parseV3Dtype(meta.data_type, endian)
  if (typeof dtype === 'string') throw bad(where, dtype)
  const names = meta.dimension_names
  const attrsObj = isJsonObject(meta.attributes)
    ? meta.attributes
    : (Object.create(null) as JsonObject)
  const dims = Array.isArray(names) ? names : attrsObj._ARRAY_DIMENSIONS
  if (
    !Array.isArray(dims) ||
    dims.length !== shape.length ||
    !dims.every((d) => typeof d === 'string')
  ) {
    throw new CorruptPayloadError(
      `${where}: dimension_names is ${JSON.stringify(names) ?? 'missing'}, not one name per axis of shape ${JSON.stringify(shape)}; xarray cannot open this array either.`,
    )
  }
  const fillValue = fillValueOf(where, meta.fill_value, dtype)
  return {
    path,
    where,
    zarrFormat: 3,
    shape,
    chunks,
    dtype,
    fillValue,
    dims: dims as string[],
    attrs: toAttrMap(attrsObj, ['_ARRAY_DIMENSIONS']),
    byteCodecs,
    filters: null,
    shard: sharding ? sharding.spec : null,
    zarrita: zarritaMeta(
      shape,
      chunks,
      dtype,
      arrayCodecs,
      fillValue,
      // Inner chunk keys in one fixed form, which the shard reader parses back (zarr-shard.ts).
      sharding ? { name: 'default', configuration: { separator: '/' } } : kenc,
    ),
  }
}
