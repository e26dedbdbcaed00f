import type { Dataset as H5Dataset, File as H5File } from 'h5wasm'
import { InvalidArgumentError, LimitExceededError, XpersistError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'
import type { EncodedDataset, EncodedVariable } from '../model.js'
import { describeH5Error, loadH5, removeFile, scratchPath, type H5 } from './h5.js'
import { DIM_WITHOUT_VARIABLE } from './structure.js'
import { H5_DTYPES, writeAttr } from './write-attrs.js'

// A NetCDF4 file as netCDF-C lays it out, so netCDF-C (xarray's netcdf4 engine) and h5netcdf
// read it as the same dataset: links and attributes in creation order; each dimension a
// dimension scale (its coordinate variable, or an empty "phony" dataset whose NAME says it is
// a dimension only) with `_Netcdf4Dimid`; every variable's axes attached to those scales and
// listed as dimids in `_Netcdf4Coordinates`. The file is built in WebAssembly memory, then put.
// h5wasm sets one filter per dataset, so shuffle cannot be combined with zlib: it is dropped
// (values are the same; the file is a little larger). `_Netcdf4Dimid` is a scalar, as h5netcdf
// needs it to be.

const NON_COORD_PREFIX = '_nc4_non_coord_'
const CLASSIC_DTYPES = new Set(['int8', 'int16', 'int32', 'float32', 'float64', '|S1'])
// netCDF-C's default chunk for a 1-D variable along an unlimited dimension is 4 KiB of values.
const UNLIMITED_1D_CHUNK_BYTES = 4096

/** Writes an encoded dataset as a NetCDF4 file and puts it at the target. */
export async function writeFile(
  ds: EncodedDataset,
  target: Target,
  options: { format: 'NETCDF4' | 'NETCDF4_CLASSIC' },
): Promise<void> {
  const classic = options.format === 'NETCDF4_CLASSIC'
  for (const v of ds.variables) checkVariable(v, ds, classic)
  const h = await loadH5()
  const fsPath = scratchPath()
  let bytes: Uint8Array
  try {
    const file = new h.h5.File(fsPath, 'w', { track_order: true })
    try {
      build(h, file, ds, classic)
    } finally {
      file.close()
    }
    bytes = h.FS.readFile(fsPath)
  } catch (e) {
    if (e instanceof XpersistError) throw e
    // h5wasm copies each variable into WebAssembly memory (2 GiB at most) to write it.
    if (/allocation|exceeds maximum memory/i.test(String(e))) {
      throw new LimitExceededError(
        `${target.path} has a variable too large to write as NetCDF4 in memory: ${String(e)}.`,
      )
    }
    throw new InvalidArgumentError(
      `Could not write ${target.path} as NetCDF4: ${describeH5Error(e)}.`,
    )
  } finally {
    removeFile(h, fsPath)
  }
  await target.backend.put(target.path, bytes, { mode: target.putMode })
}

function build(h: H5, file: H5File, ds: EncodedDataset, classic: boolean): void {
  writeAttr(file, '_NCProperties', 'version=2,xpersist-ts=1,h5wasm=0.10.3', undefined, false)
  if (classic) writeAttr(file, '_nc3_strict', 1, undefined, false)
  const dimNames = [...ds.dims.keys()]
  const dimid = new Map(dimNames.map((d, i) => [d, i]))
  const isCoord = (v: EncodedVariable) =>
    v.dims.length === 1 && v.dims[0] === v.name && ds.dims.has(v.name)
  const coords = new Set(ds.variables.filter(isCoord).map((v) => v.name))
  const unlimited = new Set(ds.unlimitedDims)

  // Dimensions without a coordinate variable first, as netCDF-C defines them before variables.
  for (const [dim, size] of ds.dims) {
    if (coords.has(dim)) continue
    const d = file.create_dataset({
      name: dim,
      data: new Float32Array(size),
      shape: [size],
      dtype: '<f',
      ...(unlimited.has(dim) ? { maxshape: [null], chunks: [1024] } : {}),
    })
    d.make_scale(`${DIM_WITHOUT_VARIABLE}${String(size).padStart(10)}`)
    d.create_attribute('_Netcdf4Dimid', [dimid.get(dim) as number], [], '<i')
  }

  for (const v of ds.variables) {
    const coord = coords.has(v.name)
    const link = !coord && ds.dims.has(v.name) ? `${NON_COORD_PREFIX}${v.name}` : v.name
    const d = createVariable(h, file, link, v, unlimited)
    if (coord) {
      d.make_scale(v.name)
      d.create_attribute('_Netcdf4Dimid', [dimid.get(v.name) as number], [], '<i')
    }
    const ids = v.dims.map((dim) => dimid.get(dim) as number)
    if (ids.length > 0) d.create_attribute('_Netcdf4Coordinates', ids, [ids.length], '<i')
    // netCDF-C sets the fill value when it creates a variable, so _FillValue comes first.
    const fill = v.attrs.get('_FillValue')
    if (fill !== undefined) writeAttr(d, '_FillValue', fill, v.data.dtype, classic)
    for (const [name, value] of v.attrs) {
      if (name !== '_FillValue') writeAttr(d, name, value, v.data.dtype, classic)
    }
  }

  // Scales are attached once every variable exists (a coordinate may come after its users).
  for (const v of ds.variables) {
    if (coords.has(v.name)) continue
    const link = ds.dims.has(v.name) ? `${NON_COORD_PREFIX}${v.name}` : v.name
    const d = file.get(link) as H5Dataset
    v.dims.forEach((dim, i) => d.attach_scale(i, `/${dim}`))
  }
  for (const [name, value] of ds.attrs) writeAttr(file, name, value, undefined, classic)
}

function createVariable(
  h: H5,
  file: H5File,
  link: string,
  v: EncodedVariable,
  unlimited: Set<string>,
): H5Dataset {
  const shape = [...v.data.shape]
  const isText = v.data.dtype === 'str' || v.data.dtype === '|S1'
  const dtype =
    v.data.dtype === 'str' ? 'S' : v.data.dtype === '|S1' ? 'A1' : H5_DTYPES.get(v.data.dtype)
  // Chars are bytes (one character per byte); h5wasm would UTF-8 encode them, so the dataset
  // is created empty and the bytes written raw below.
  const chars = v.data.dtype === '|S1' ? (v.data.data as (string | null)[]) : undefined
  const data = isText
    ? (v.data.data as (string | null)[]).map((s) => (chars ? '' : (s ?? '')))
    : v.data.data
  const growable = v.dims.map((d) => unlimited.has(d))
  const chunks = chunking(v, shape, growable)
  const zlib = v.encoding.get('zlib') === true && chunks && v.data.dtype !== 'str'
  const level = Number(v.encoding.get('complevel') ?? 4)
  const d = file.create_dataset({
    name: link,
    data: data as unknown as number[],
    shape,
    dtype: dtype as string,
    track_order: true,
    ...(growable.some(Boolean) ? { maxshape: shape.map((n, i) => (growable[i] ? null : n)) } : {}),
    ...(chunks ? { chunks } : {}),
    ...(zlib ? { compression: 'gzip' as const, compression_opts: level } : {}),
  })
  if (chars && chars.length > 0) writeChars(h, file, `/${link}`, chars)
  return d
}

function writeChars(h: H5, file: H5File, path: string, chars: (string | null)[]): void {
  const ptr = h.M._malloc(chars.length)
  if (ptr === 0) throw new LimitExceededError(`No WebAssembly memory for ${path.slice(1)}.`)
  try {
    chars.forEach((c, i) => (h.M.HEAPU8[ptr + i] = c ? c.charCodeAt(0) & 0xff : 0))
    const status = h.M.set_dataset_data(file.file_id, path, null, null, null, BigInt(ptr))
    if (status < 0) throw new Error(`HDF5 could not write ${path.slice(1)}`)
  } finally {
    h.M._free(ptr)
  }
}

/** The chunk shape to write, or undefined for contiguous storage. */
function chunking(v: EncodedVariable, shape: number[], growable: boolean[]): number[] | undefined {
  if (shape.length === 0) return undefined
  const asked = v.encoding.get('chunksizes') ?? v.encoding.get('chunks')
  if (Array.isArray(asked) && asked.length === shape.length) {
    return asked.map((c, i) =>
      Math.max(1, Math.min(Number(c), growable[i] ? Infinity : shape[i] || 1)),
    )
  }
  const mustChunk = growable.some(Boolean) || v.encoding.get('zlib') === true
  if (!mustChunk || v.encoding.get('contiguous') === true) return undefined
  if (shape.length === 1 && growable[0]) {
    const item = v.data.data instanceof Array ? 8 : v.data.data.BYTES_PER_ELEMENT
    return [Math.max(1, Math.floor(UNLIMITED_1D_CHUNK_BYTES / item))]
  }
  return shape.map((n, i) => (growable[i] ? 1 : Math.max(1, n)))
}

function checkVariable(v: EncodedVariable, ds: EncodedDataset, classic: boolean): void {
  const dtype = v.data.dtype
  if (!H5_DTYPES.has(dtype) && dtype !== 'str' && dtype !== '|S1') {
    throw new InvalidArgumentError(
      `${v.name} has dtype ${dtype}, which NetCDF4 cannot store; encode it first (cf-encode).`,
    )
  }
  if (classic && !CLASSIC_DTYPES.has(dtype)) {
    throw new InvalidArgumentError(
      `${v.name} has dtype ${dtype}, which NETCDF4_CLASSIC cannot store; use format NETCDF4.`,
    )
  }
  if (v.dims.length !== v.data.shape.length) {
    throw new InvalidArgumentError(
      `${v.name} has ${v.dims.length} dimensions but its data has ${v.data.shape.length}.`,
    )
  }
  v.dims.forEach((d, i) => {
    if (ds.dims.get(d) !== v.data.shape[i] && !ds.unlimitedDims.includes(d)) {
      throw new InvalidArgumentError(
        `${v.name} is ${v.data.shape[i]} long along ${d}, but ${d} has ${ds.dims.get(d) ?? 'no'} size.`,
      )
    }
  })
}
