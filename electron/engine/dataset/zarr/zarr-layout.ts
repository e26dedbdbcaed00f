// What a dataset becomes in a Zarr store, as metadata documents and chunk producers, laid out
// as zarr-python writes it: v2 as zarr 2.13 under xarray 2023.1's to_zarr (.zgroup, .zattrs,
// per array .zarray + .zattrs with _ARRAY_DIMENSIONS, chunks 'i.j.k'); v3 as zarr-python 3
// (zarr.json per node, dimension_names, chunks 'c/i/j/k'). Nothing is written here.
import { InvalidArgumentError } from '../../errors.js'
import type { EncodedDataset, EncodedVariable, NdArray } from '../model.js'
import { sizeOf } from '../model.js'
import { codecFromEncoding, encodeChunk, type ByteCodecSpec } from './chunk-codecs.js'
import { guessChunks } from './guess-chunks.js'
import { encodeVlenUtf8 } from './vlen-utf8.js'
import { chunkValues, layoutDtype, type LayoutDtype } from './zarr-chunking.js'
import { attrToJson, type JsonObject } from './zarr-json.js'

/** One object to write: its path under the store root and a producer of its bytes. */
export interface ZarrObject {
  rel: string
  /** Metadata documents are JSON values; chunks are produced one at a time when written. */
  doc?: unknown
  bytes?: () => Promise<Uint8Array>
}

/** The default compressor of zarr 2.13: Blosc(cname='lz4', clevel=5, shuffle=SHUFFLE). */
const DEFAULT_BLOSC: ByteCodecSpec = {
  id: 'blosc',
  config: Object.assign(Object.create(null), { blocksize: 0, clevel: 5, cname: 'lz4', shuffle: 1 }),
}
/** zarr-python 3's default for v3 arrays. */
const DEFAULT_ZSTD: ByteCodecSpec = {
  id: 'zstd',
  config: Object.assign(Object.create(null), { level: 0, checksum: false }),
}

function compressorFor(v: EncodedVariable, fallback: ByteCodecSpec | null): ByteCodecSpec | null {
  if (!v.encoding.has('compressor')) return fallback
  const c = v.encoding.get('compressor')
  if (c === null || c === undefined) return null
  const spec = codecFromEncoding(c)
  if (typeof spec === 'string') throw new InvalidArgumentError(`Variable '${v.name}': ${spec}.`)
  return spec
}

function chunksFor(v: EncodedVariable, dt: LayoutDtype): number[] {
  const shape = v.data.shape
  const shards = v.encoding.get('shards')
  if (shards !== undefined && shards !== null) {
    throw new InvalidArgumentError(
      `Variable '${v.name}': encoding shards ${JSON.stringify(shards)} asks for a sharded ` +
        `Zarr v3 array; sharded arrays are read-only here. Drop 'shards' from the encoding ` +
        `to write plain chunks.`,
    )
  }
  const enc = v.encoding.get('chunks')
  if (enc === undefined || enc === null) return guessChunks(shape, dt.typesize)
  const list = Array.isArray(enc) ? enc : typeof enc === 'number' ? shape.map(() => enc) : undefined
  if (
    !list ||
    list.length !== shape.length ||
    !list.every((c) => Number.isSafeInteger(c) && c > 0)
  ) {
    throw new InvalidArgumentError(
      `Variable '${v.name}': encoding chunks ${JSON.stringify(enc)} must be one positive ` +
        `integer per dimension (${v.dims.join(', ')}).`,
    )
  }
  return list as number[]
}

function fillJson(fill: unknown, dt: LayoutDtype): unknown {
  if (fill === undefined || fill === null) return null
  if (typeof fill === 'number') {
    if (Number.isNaN(fill)) return 'NaN'
    if (fill === Infinity) return 'Infinity'
    if (fill === -Infinity) return '-Infinity'
    return fill
  }
  if (typeof fill === 'string' && dt.kind === 'bytes')
    return Buffer.from(fill, 'latin1').toString('base64')
  if (typeof fill === 'bigint' || typeof fill === 'boolean' || typeof fill === 'string') return fill
  throw new InvalidArgumentError(
    `_FillValue ${String(fill)} cannot be stored as a Zarr fill_value.`,
  )
}

function attrsJson(attrs: Map<string, unknown>, first?: [string, unknown]): JsonObject {
  const out: JsonObject = Object.create(null)
  if (first) out[first[0]] = first[1]
  for (const [k, v] of attrs) if (k !== '_FillValue') out[k] = attrToJson(v as never)
  return out
}

/** Every chunk of `v`: its grid index and a producer of its encoded bytes. */
function* chunksOf(
  data: NdArray,
  chunks: number[],
  dt: LayoutDtype,
  fill: unknown,
  codecs: ByteCodecSpec[],
): Generator<[number[], () => Promise<Uint8Array>]> {
  const grid = data.shape.map((n, i) => Math.ceil(n / (chunks[i] as number)))
  if (grid.some((g) => g === 0)) return
  const idx = grid.map(() => 0)
  for (let k = 0, n = sizeOf(grid); k < n; k++) {
    const at = [...idx]
    yield [
      at,
      async () => {
        const values = chunkValues(data, chunks, at, dt, fill)
        const raw =
          dt.kind === 'object'
            ? encodeVlenUtf8(values as (string | null)[])
            : (values as Uint8Array)
        return encodeChunk(raw, codecs)
      },
    ]
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++(idx[d] as number) < (grid[d] as number)) break
      idx[d] = 0
    }
  }
}

/** The objects of one dataset as a zarr 2 group at `g` ('' or 'name/'). */
export function layoutV2(ds: EncodedDataset, g: string): ZarrObject[] {
  const out: ZarrObject[] = [
    { rel: `${g}.zgroup`, doc: { zarr_format: 2 } },
    { rel: `${g}.zattrs`, doc: attrsJson(ds.attrs) },
  ]
  for (const v of ds.variables) {
    const dt = layoutDtype(v)
    const chunks = chunksFor(v, dt)
    const fill = v.attrs.get('_FillValue') ?? (dt.kind === 'object' ? null : undefined)
    const compressor = compressorFor(v, v.data.shape.length === 0 ? null : DEFAULT_BLOSC)
    const zarray = {
      chunks,
      compressor: compressor ? { id: compressor.id, ...compressor.config } : null,
      dtype: dt.v2,
      fill_value: fillJson(fill, dt),
      filters: dt.kind === 'object' ? [{ id: 'vlen-utf8' }] : null,
      order: 'C',
      shape: v.data.shape,
      zarr_format: 2,
    }
    out.push({ rel: `${g}${v.name}/.zarray`, doc: zarray })
    out.push({
      rel: `${g}${v.name}/.zattrs`,
      doc: attrsJson(v.attrs, ['_ARRAY_DIMENSIONS', [...v.dims]]),
    })
    for (const [at, bytes] of chunksOf(v.data, chunks, dt, fill, compressor ? [compressor] : [])) {
      out.push({ rel: `${g}${v.name}/${at.length ? at.join('.') : '0'}`, bytes })
    }
  }
  return out
}

/** The objects of one dataset as a zarr v3 group at `g`, each array's zarr.json returned too. */
export function layoutV3(
  ds: EncodedDataset,
  g: string,
): { objects: ZarrObject[]; arrays: Map<string, JsonObject> } {
  const objects: ZarrObject[] = []
  const arrays = new Map<string, JsonObject>()
  for (const v of ds.variables) {
    const fixed = layoutDtype(v)
    // v3 has no fixed-width text: strings are vlen-utf8 `string` arrays, as zarr-python 3 has them.
    const text = fixed.kind === 'unicode' || fixed.kind === 'bytes'
    const dt: LayoutDtype = text ? { ...fixed, kind: 'object', typesize: 8 } : fixed
    const chunks = chunksFor(v, dt)
    const fill =
      v.attrs.get('_FillValue') ?? (dt.kind === 'object' ? '' : dt.kind === 'bool' ? false : 0)
    let compressor = compressorFor(v, DEFAULT_ZSTD)
    if (compressor?.id === 'blosc') {
      compressor = { id: 'blosc', config: { typesize: dt.typesize, ...compressor.config } }
    }
    const codecs: JsonObject[] = [
      dt.kind === 'object'
        ? { name: 'vlen-utf8', configuration: {} }
        : { name: 'bytes', configuration: { endian: 'little' } },
    ]
    if (compressor) codecs.push({ name: compressor.id, configuration: v3Config(compressor) })
    const meta: JsonObject = {
      shape: v.data.shape,
      data_type: dt.v3,
      chunk_grid: { name: 'regular', configuration: { chunk_shape: chunks } },
      chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
      fill_value: fillJson(fill, dt),
      codecs,
      attributes: v3Attributes(v, dt),
      dimension_names: [...v.dims],
      zarr_format: 3,
      node_type: 'array',
      storage_transformers: [],
    }
    arrays.set(v.name, meta)
    objects.push({ rel: `${g}${v.name}/zarr.json`, doc: meta })
    for (const [at, bytes] of chunksOf(v.data, chunks, dt, fill, compressor ? [compressor] : [])) {
      objects.push({ rel: `${g}${v.name}/${['c', ...at].join('/')}`, bytes })
    }
  }
  return { objects, arrays }
}

// xarray's FillValueCoder for v3: _FillValue stays an attribute, floats as base64 of '<d'.
function v3Attributes(v: EncodedVariable, dt: LayoutDtype): JsonObject {
  const out = attrsJson(v.attrs)
  if (!v.attrs.has('_FillValue')) return out
  const fill = v.attrs.get('_FillValue')
  if (typeof fill === 'number' && dt.kind === 'numeric' && /^[<>|]f/.test(dt.v2)) {
    const b = Buffer.alloc(8)
    b.writeDoubleLE(fill)
    out._FillValue = b.toString('base64')
  } else out._FillValue = attrToJson(fill as never)
  return out
}

const V3_SHUFFLE = ['noshuffle', 'shuffle', 'bitshuffle']

function v3Config(spec: ByteCodecSpec): JsonObject {
  if (spec.id !== 'blosc') return { ...spec.config }
  const { typesize, cname, clevel, shuffle, blocksize } = spec.config
  return {
    typesize,
    cname,
    clevel,
    shuffle: typeof shuffle === 'number' ? (V3_SHUFFLE[shuffle] ?? 'shuffle') : shuffle,
    blocksize,
  }
}
