// Opens a Zarr store (or one group of it) as a lazy SourceDataset, as xarray's open_zarr sees
// it: one variable per array, sorted by name as zarr lists them, dimensions from
// _ARRAY_DIMENSIONS (v2) or dimension_names (v3), the fill value as a _FillValue attribute, and
// the storage facts xarray keeps in encoding. Only metadata is read here.
import { CorruptPayloadError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { AttrMap, SourceDataset, SourceVariable } from '../model.js'
import { codecRepr } from './chunk-codecs.js'
import { zarrStoredArray, type ZarrContext } from './zarr-array.js'
import { describe, readGroup, type ZarrGroupInfo } from './zarr-hierarchy.js'
import { comparePython, toAttrMap } from './zarr-json.js'
import type { ZarrArrayInfo } from './zarr-meta.js'

/** How to open a store: which group, and whether consolidated metadata must (not) be used. */
export interface OpenZarrOptions {
  /** A group path inside the store ('' or undefined for the root). */
  group?: string
  /** true: require .zmetadata; false: ignore it; undefined: use it when present. */
  consolidated?: boolean
}

/** Opens the Zarr store at `target` as a SourceDataset; reads metadata only. */
export async function openZarr(
  target: Target,
  options: OpenZarrOptions = {},
): Promise<SourceDataset> {
  const ctx: ZarrContext = { target, root: target.path, bytesRead: 0 }
  const info = await readGroup(ctx, options.group ?? '', options.consolidated)
  return datasetOf(ctx, info, options.group ?? '')
}

/** The SourceDataset of one group already read (xcollection opens each member this way). */
export function datasetOf(ctx: ZarrContext, info: ZarrGroupInfo, group: string): SourceDataset {
  const arrays = [...info.arrays].sort((a, b) => comparePython(a.path, b.path))
  const dims = new Map<string, number>()
  for (const a of arrays) {
    a.dims.forEach((d, i) => {
      const n = a.shape[i] as number
      const seen = dims.get(d)
      if (seen !== undefined && seen !== n) {
        throw new CorruptPayloadError(
          `${a.where}: dimension '${d}' has size ${n} here but ${seen} in another array; ` +
            `xarray refuses conflicting sizes too.`,
        )
      }
      dims.set(d, n)
    })
  }
  const variables: SourceVariable[] = arrays.map((a) => ({
    name: a.path.slice(a.path.lastIndexOf('/') + 1),
    dims: a.dims,
    attrs: attrsWithFill(a),
    encoding: encodingOf(a),
    array: zarrStoredArray(ctx, a),
  }))
  const notes: string[] = []
  if (info.groups.length) {
    const where = group ? `${group}/` : '/'
    notes.push(`groups ignored: ${info.groups.map((n) => where + n).join(', ')}`)
  }
  const attrs = toAttrMap(info.attrs)
  for (const k of [...attrs.keys()]) if (k.startsWith('_NC')) attrs.delete(k)
  return {
    dims,
    variables,
    attrs,
    notes,
    bytesRead: () => ctx.bytesRead,
    async close() {},
  }
}

// xarray's zarr backend puts a v2 array's fill_value in the attributes, where CF decoding
// finds it. For v3, xarray (2024.10 on) keeps the two apart: _FillValue is an attribute of its
// own, a float one base64 of its little-endian float64 bytes (xarray's FillValueCoder).
function attrsWithFill(a: ZarrArrayInfo): AttrMap {
  const attrs: AttrMap = new Map(a.attrs)
  attrs.delete('filters')
  if (a.zarrFormat === 3) {
    const fill = a.attrs.get('_FillValue')
    if (typeof fill === 'string' && a.dtype.kind === 'float') {
      const bytes = Buffer.from(fill, 'base64')
      if (bytes.byteLength === 8) attrs.set('_FillValue', bytes.readDoubleLE(0))
    }
    return attrs
  }
  if (a.fillValue !== null && !(a.dtype.kind === 'object' && a.fillValue === '')) {
    attrs.set('_FillValue', a.fillValue)
  }
  return attrs
}

// What xarray 2023.1 reports in a zarr variable's encoding (before CF decoding adds its part).
function encodingOf(a: ZarrArrayInfo): Map<string, unknown> {
  const enc = new Map<string, unknown>()
  enc.set('dtype', a.dtype.str)
  enc.set('chunks', [...a.chunks])
  enc.set('preferred_chunks', new Map(a.dims.map((d, i) => [d, a.chunks[i] as number])))
  const compressor = a.byteCodecs.find((c) => c.id !== 'crc32c')
  enc.set('compressor', compressor ? codecRepr(compressor) : null)
  enc.set('filters', a.filters ? a.filters.map((f) => filterRepr(f)) : null)
  // As xarray 2025 with zarr 3 reports a sharded array: chunks are the inner chunks.
  if (a.shard) enc.set('shards', [...a.shard.shape])
  return enc
}

function filterRepr(f: Record<string, unknown>): string {
  if (f.id === 'vlen-utf8') return 'VLenUTF8()'
  const args = Object.entries(f)
    .filter(([k]) => k !== 'id')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? `'${v}'` : JSON.stringify(v)}`)
  const name = String(f.id).charAt(0).toUpperCase() + String(f.id).slice(1)
  return `${name}(${args.join(', ')})`
}

export { describe }
