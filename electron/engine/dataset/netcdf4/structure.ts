import type { Metadata } from 'h5wasm'
import type { AttrMap, AttrValue } from '../model.js'
import type { H5 } from './h5.js'
import { dtypeOf, dtypeStr, readAttribute, UnsupportedType } from './values.js'

// How netCDF-C (and so xarray's netcdf4 engine, and h5netcdf) sees an HDF5 file's root group:
// dimensions are the dimension-scale datasets (CLASS="DIMENSION_SCALE"), ordered by their
// `_Netcdf4Dimid`; a scale whose NAME starts with DIM_WITHOUT_VARIABLE is a dimension only;
// a variable's dimensions are its `_Netcdf4Coordinates` dimids, else its attached scales
// (DIMENSION_LIST), else "phony" dimensions named by size as netCDF-C names them.

/** The NAME netCDF-C gives the dataset of a dimension that has no coordinate variable. */
export const DIM_WITHOUT_VARIABLE = 'This is a netCDF dimension but not a netCDF variable.'
// netCDF-C stores a variable named like a dimension but not its coordinate under this prefix.
const NON_COORD_PREFIX = '_nc4_non_coord_'
/** Attributes netCDF-C and h5netcdf keep to themselves (dimension bookkeeping, provenance). */
export const HIDDEN_ATTRS = new Set([
  'CLASS',
  'NAME',
  'REFERENCE_LIST',
  'DIMENSION_LIST',
  'DIMENSION_LABELS',
  '_Netcdf4Dimid',
  '_Netcdf4Coordinates',
  '_NCProperties',
  '_nc3_strict',
  '_IsNetcdf4',
  '_SuperblockVersion',
])
// Filters compiled into h5wasm's HDF5: deflate, shuffle, fletcher32, nbit, scaleoffset.
const BUILT_IN_FILTERS = new Set([1, 2, 3, 5, 6])
// H5S_UNLIMITED (2^64 - 1) comes out of h5wasm as a Number far above any real extent.
const UNLIMITED = 2 ** 53

/** One variable found in the root group, before any values are read. */
export interface VarSpec {
  name: string
  /** Path of its dataset in the file ('/' + link name). */
  path: string
  meta: Metadata
  dtype: string
  shape: number[]
  dims: string[]
  attrs: AttrMap
  encoding: Map<string, unknown>
  chunks?: number[]
  /** A filter h5wasm cannot decode, named for the error a read gives. */
  missingFilter?: string
}

/** The root group as netCDF sees it. */
export interface Structure {
  dims: Map<string, number>
  unlimitedDims: string[]
  variables: VarSpec[]
  attrs: AttrMap
  notes: string[]
}

interface Found {
  name: string
  path: string
  meta: Metadata
  attrNames: string[]
  isScale: boolean
  dimOnly: boolean
  dimid?: number
  coords?: number[]
}

/** Reads the root group's dimensions, variables and attributes (metadata only). */
export function readStructure(h: H5, fileId: bigint): Structure {
  const notes: string[] = []
  const groups: string[] = []
  const found: Found[] = []
  for (const name of h.M.get_names(fileId, '/', false)) {
    const path = `/${name}`
    const type = h.M.get_type(fileId, path)
    if (type === h.M.H5G_GROUP) groups.push(path)
    else if (type === h.M.H5G_DATASET) found.push(inspect(h, fileId, name, path))
  }
  if (groups.length) notes.push(`groups ignored: ${groups.join(', ')}`)

  const scales = found.filter((f) => f.isScale && f.meta.shape?.length === 1)
  const ordered = scales
    .map((f, i) => ({ f, key: f.dimid ?? scales.length + i }))
    .sort((a, b) => a.key - b.key)
    .map(({ f }) => f)
  const dims = new Map<string, number>()
  const unlimitedDims: string[] = []
  const byId = new Map<number, string>()
  for (const f of ordered) {
    dims.set(f.name, f.meta.shape?.[0] ?? 0)
    if ((f.meta.maxshape?.[0] ?? 0) >= UNLIMITED) unlimitedDims.push(f.name)
    if (f.dimid !== undefined) byId.set(f.dimid, f.name)
  }

  const variables: VarSpec[] = []
  const skipped: string[] = []
  for (const f of found) {
    if (f.dimOnly) continue
    const dtype = dtypeOf(f.meta)
    if (dtype === undefined) {
      skipped.push(f.name)
      continue
    }
    const shape = f.meta.shape ?? []
    const varDims = dimsOf(h, fileId, f, shape, byId, dims)
    // An unlimited dimension is as long as its longest variable (netCDF-C's rule).
    varDims.forEach((d, i) => {
      if (unlimitedDims.includes(d)) dims.set(d, Math.max(dims.get(d) ?? 0, shape[i] ?? 0))
    })
    variables.push(describe(h, fileId, f, dtype, shape, varDims, notes))
  }
  if (skipped.length) {
    notes.push(`variables skipped (HDF5 types netCDF cannot show): ${skipped.join(', ')}`)
  }
  return { dims, unlimitedDims, variables, attrs: readAttrs(h, fileId, '/', notes), notes }
}

function inspect(h: H5, fileId: bigint, name: string, path: string): Found {
  const attrNames = h.M.get_attribute_names(fileId, path)
  const attr = (n: string): AttrValue | undefined =>
    attrNames.includes(n) ? safeAttr(h, fileId, path, n) : undefined
  const isScale = attr('CLASS') === 'DIMENSION_SCALE'
  const scaleName = isScale ? attr('NAME') : undefined
  const dimid = attr('_Netcdf4Dimid')
  const coords = attr('_Netcdf4Coordinates')
  return {
    name: name.startsWith(NON_COORD_PREFIX) ? name.slice(NON_COORD_PREFIX.length) : name,
    path,
    meta: h.M.get_dataset_metadata(fileId, path),
    attrNames,
    isScale: isScale && !name.startsWith(NON_COORD_PREFIX),
    dimOnly: typeof scaleName === 'string' && scaleName.startsWith(DIM_WITHOUT_VARIABLE),
    ...(typeof dimid === 'number' ? { dimid } : {}),
    ...(coords !== undefined ? { coords: ([] as AttrValue[]).concat(coords).map(Number) } : {}),
  }
}

function safeAttr(h: H5, fileId: bigint, path: string, name: string): AttrValue | undefined {
  try {
    return readAttribute(h, fileId, path, name)
  } catch (e) {
    if (e instanceof UnsupportedType) return undefined
    throw e
  }
}

function dimsOf(
  h: H5,
  fileId: bigint,
  f: Found,
  shape: number[],
  byId: Map<number, string>,
  dims: Map<string, number>,
): string[] {
  if (f.isScale && shape.length === 1) return [f.name]
  const fromIds = f.coords?.map((id) => byId.get(id))
  if (fromIds?.length === shape.length && fromIds.every((d) => d !== undefined)) {
    return fromIds as string[]
  }
  const out: string[] = []
  shape.forEach((len, i) => {
    const attached = f.attrNames.includes('DIMENSION_LIST') ? scalesOf(h, fileId, f.path, i) : []
    const root = attached.find((p) => /^\/[^/]+$/.test(p))?.slice(1)
    out.push(root !== undefined && dims.has(root) ? root : phonyDim(dims, len, out))
  })
  return out
}

function scalesOf(h: H5, fileId: bigint, path: string, index: number): string[] {
  try {
    return h.M.get_attached_scales(fileId, path, index)
  } catch {
    return [] // a broken DIMENSION_LIST: the dimension is taken as phony, as netCDF-C does
  }
}

// netCDF-C gives an axis without a scale a dimension "phony_dim_N" of its length, shared with
// other variables' axes of that length but never twice in one variable.
function phonyDim(dims: Map<string, number>, len: number, taken: string[]): string {
  for (const [name, size] of dims) {
    if (name.startsWith('phony_dim_') && size === len && !taken.includes(name)) return name
  }
  let n = 0
  while (dims.has(`phony_dim_${n}`)) n++
  dims.set(`phony_dim_${n}`, len)
  return `phony_dim_${n}`
}

function describe(
  h: H5,
  fileId: bigint,
  f: Found,
  dtype: string,
  shape: number[],
  dims: string[],
  notes: string[],
): VarSpec {
  const filters = f.meta.chunks ? h.M.get_dataset_filters(fileId, f.path) : []
  const deflate = filters.find((x) => x.id === 1)
  const chunks = f.meta.chunks ?? undefined
  const encoding = new Map<string, unknown>([
    ['dtype', dtypeStr(dtype, f.meta.size)],
    ['chunksizes', chunks ? [...chunks] : null],
    ['zlib', deflate !== undefined],
    ['complevel', deflate?.cd_values[0] ?? 0],
    ['shuffle', filters.some((x) => x.id === 2)],
    ['contiguous', !chunks],
    ['original_shape', [...shape]],
  ])
  if (filters.some((x) => x.id === 3)) encoding.set('fletcher32', true)
  const missing = filters.find((x) => !BUILT_IN_FILTERS.has(x.id))
  return {
    name: f.name,
    path: f.path,
    meta: f.meta,
    dtype,
    shape,
    dims,
    attrs: readAttrs(h, fileId, f.path, notes),
    encoding,
    ...(chunks ? { chunks: [...chunks] } : {}),
    ...(missing ? { missingFilter: `'${missing.name || 'unnamed'}' (id ${missing.id})` } : {}),
  }
}

/** An object's attributes in file order, without the ones netCDF keeps to itself. */
export function readAttrs(h: H5, fileId: bigint, path: string, notes: string[]): AttrMap {
  const attrs: AttrMap = new Map()
  const skipped: string[] = []
  for (const name of h.M.get_attribute_names(fileId, path)) {
    if (HIDDEN_ATTRS.has(name)) continue
    const value = safeAttr(h, fileId, path, name)
    if (value === undefined) skipped.push(name)
    else attrs.set(name, value)
  }
  if (skipped.length) {
    const where = path === '/' ? 'the dataset' : path.slice(1)
    notes.push(
      `attributes of ${where} skipped (HDF5 types netCDF cannot show): ${skipped.join(', ')}`,
    )
  }
  return attrs
}
