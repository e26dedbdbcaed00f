import { InvalidArgumentError } from '../errors.js'
import { isStandardCalendar } from './calendars.js'
import { attrScalar, dtypeKind } from './cf-coders.js'
import {
  bytesToChars,
  castArray,
  castScalar,
  coerceNc3,
  encodeStrings,
  encodeTimedelta,
  fillMissing,
  packScaleOffset,
} from './cf-encode-steps.js'
import { addCoordinateAttrs, checkAttr } from './cf-encode-attrs.js'
import { encodeCfTimes } from './cf-time-encode.js'
import type {
  AttrMap,
  AttrValue,
  Dataset,
  EncodedDataset,
  EncodedVariable,
  NdArray,
  Variable,
} from './model.js'
import { normalizeDtype } from './ndarray.js'

// CF encoding as xarray's to_netcdf / to_zarr do it (conventions.encode_cf_variable and the
// backends' encoding checks): times to numbers, packing, fill values, bools, strings, and the
// storage choices passed on to the writer. A user's per-variable encoding replaces the one the
// variable carries, as in xarray; keys the target cannot take are an error naming them.

/** Which writer the encoded dataset is for. */
export type EncodeFormat =
  'NETCDF4' | 'NETCDF4_CLASSIC' | 'NETCDF3_64BIT' | 'NETCDF3_CLASSIC' | 'zarr'

/** Options of encodeDataset. */
export interface EncodeOptions {
  format?: EncodeFormat
  /** dump_kwargs unlimited_dims; defaults to the dataset's encoding['unlimited_dims']. */
  unlimitedDims?: string[]
  signal?: AbortSignal
}

const CF_KEYS = ['dtype', '_FillValue', 'missing_value', 'scale_factor', 'add_offset', 'units', 'calendar', '_Encoding', '_Unsigned', 'coordinates', 'char_dim_name'] // prettier-ignore
const NETCDF_KEYS = ['zlib', 'complevel', 'fletcher32', 'contiguous', 'chunksizes', 'shuffle', 'compression', 'least_significant_digit', 'significant_digits', 'quantize_mode'] // prettier-ignore
const ZARR_KEYS = ['chunks', 'compressor', 'filters', 'cache_metadata', 'write_empty_chunks', 'preferred_chunks', 'dimension_separator'] // prettier-ignore
const SAFE_TO_DROP = ['source', 'original_shape']

type Enc = Map<string, unknown>

function asMap(e: unknown): Enc {
  if (e instanceof Map) return new Map(e as Enc)
  if (e && typeof e === 'object') return new Map(Object.entries(e))
  return new Map()
}

function isCftime(v: Variable, enc: Enc): boolean {
  if (v.dtype !== 'object') return false
  const cal = enc.get('calendar')
  const units = enc.get('units')
  return (
    (typeof cal === 'string' && !isStandardCalendar(cal)) ||
    (typeof units === 'string' && units.includes('since'))
  )
}

function moveToAttrs(enc: Enc, attrs: AttrMap, key: string, name: string): unknown {
  const v = enc.get(key)
  enc.delete(key)
  if (v === undefined || v === null) return v
  if (attrs.has(key)) {
    throw new InvalidArgumentError(
      `Variable '${name}' has '${key}' both in its attributes and its encoding; remove one of them.`,
    )
  }
  attrs.set(key, v as AttrValue)
  return v
}

/** Encodes one variable; returns it and any new (char) dimension it needs. */
async function encodeVariable(
  v: Variable,
  enc: Enc,
  isCoord: boolean,
  o: Required<Omit<EncodeOptions, 'signal' | 'unlimitedDims'>>,
  signal?: AbortSignal,
) {
  const name = v.name
  const attrs: AttrMap = new Map(v.attrs)
  for (const [k, x] of attrs) checkAttr(`variable '${name}'`, k, x)
  let dims = [...v.dims]
  let data: NdArray = await v.read([], signal)
  // xarray's netCDF4 backend encodes NETCDF4_CLASSIC as NetCDF3 (encode_nc3_variable): int64
  // times become int32 and strings chars, since the classic model has no int64 or string.
  const nc3 = o.format.startsWith('NETCDF3') || o.format === 'NETCDF4_CLASSIC'
  // Times and time deltas.
  if (data.dtype === 'datetime64[ns]' || isCftime(v, enc)) {
    const t = encodeCfTimes(
      data,
      enc.get('units') as string | undefined,
      enc.get('calendar') as string | undefined,
    )
    enc.delete('units')
    enc.delete('calendar')
    for (const k of ['units', 'calendar']) {
      if (attrs.has(k))
        throw new InvalidArgumentError(
          `Variable '${name}' has '${k}' in its attributes; times write their own ${k}.`,
        )
    }
    attrs.set('units', t.units)
    attrs.set('calendar', t.calendar)
    data = t.data
  } else if (data.dtype === 'timedelta64[ns]') {
    data = encodeTimedelta(data, enc, attrs)
  }
  // Packing, fill values, _Unsigned, dtype.
  if (enc.has('scale_factor') || enc.has('add_offset')) {
    const scale = attrScalar(moveToAttrs(enc, attrs, 'scale_factor', name) as AttrValue)
    const offset = attrScalar(moveToAttrs(enc, attrs, 'add_offset', name) as AttrValue)
    data = packScaleOffset(data, scale, offset)
  }
  const target = normalizeDtype(enc.get('dtype')) ?? data.dtype
  const fv = enc.get('_FillValue')
  const mv = enc.get('missing_value')
  if (
    fv != null &&
    mv != null &&
    Number(fv) !== Number(mv) &&
    !(Number.isNaN(Number(fv)) && Number.isNaN(Number(mv)))
  ) {
    throw new InvalidArgumentError(
      `Variable '${name}' has conflicting _FillValue (${fv}) and missing_value (${mv}).`,
    )
  }
  const noDefaultFill = enc.has('_FillValue')
  for (const key of ['_FillValue', 'missing_value']) {
    const f = enc.get(key)
    enc.delete(key)
    if (f == null) continue
    const typed = isNumericDtype(target) ? castScalar(f, target) : (f as number)
    if (attrs.has(key))
      throw new InvalidArgumentError(
        `Variable '${name}' has '${key}' both in its attributes and its encoding.`,
      )
    attrs.set(key, typed)
    if (!Number.isNaN(Number(typed)) && (key === '_FillValue' || fv == null))
      data = fillMissing(data, typed)
  }
  if (enc.has('_Unsigned')) attrs.set('_Unsigned', String(enc.get('_Unsigned')))
  enc.delete('_Unsigned')
  // xarray writes a bool loaded from a file (encoding dtype int8) back as plain int8, so it
  // reads back as int8; here it keeps its `dtype: bool` attribute and reads back as bool.
  if (data.dtype === 'bool' && !attrs.has('dtype')) {
    const to = normalizeDtype(enc.get('dtype'))
    attrs.set('dtype', 'bool')
    data = castArray(data, to && dtypeKind(to) === 'i' ? to : 'int8')
    enc.delete('dtype')
  }
  const encDtype = enc.get('dtype')
  const asChars = normalizeDtype(encDtype) === '|S1'
  if (encDtype !== undefined && !asChars && normalizeDtype(encDtype) !== 'str') {
    const to = normalizeDtype(encDtype)
    if (!to)
      throw new InvalidArgumentError(
        `Variable '${name}': unknown dtype ${JSON.stringify(encDtype)} in its encoding.`,
      )
    if (to !== data.dtype && !(to === 'object' && data.dtype === 'str')) data = castArray(data, to)
  }
  enc.delete('dtype')
  if (!noDefaultFill && !attrs.has('_FillValue') && dtypeKind(data.dtype) === 'f') {
    attrs.set('_FillValue', NaN)
  }
  // Strings: variable-length text, or chars with _Encoding where the format needs them.
  let charDim: { name: string; size: number } | null = null
  const stringy = data.dtype === 'object' || data.dtype === 'str' || /^\|?S\d+$/.test(data.dtype)
  if (stringy) {
    const isBytes = /^\|?S\d+$/.test(data.dtype)
    if ((nc3 || asChars || isBytes) && o.format !== 'zarr') {
      let label = 'latin1'
      if (!isBytes) {
        if (attrs.has('_FillValue')) {
          throw new InvalidArgumentError(
            `Variable '${name}' has a _FillValue, which strings stored as chars cannot have.`,
          )
        }
        label = String(enc.get('_Encoding') ?? 'utf-8')
        attrs.set('_Encoding', label)
      }
      const bytes = encodeStrings(data.data as (string | null)[], label)
      const width = Math.max(1, ...bytes.map((b) => b.length))
      const cdn = String(enc.get('char_dim_name') ?? `string${width}`)
      charDim = { name: cdn, size: width }
      data = bytesToChars(bytes, data.shape, width)
      dims = [...dims, cdn]
    } else {
      data = {
        dtype: 'str',
        shape: data.shape,
        data: (data.data as (string | null)[]).map((s) => s ?? ''),
      }
    }
  }
  enc.delete('_Encoding')
  enc.delete('char_dim_name')
  if (nc3) data = coerceNc3(data, name)
  const coords = enc.get('coordinates')
  enc.delete('coordinates')
  if (typeof coords === 'string') attrs.set('coordinates', coords)
  return {
    variable: { name, dims, attrs, data, encoding: enc, isCoord } as EncodedVariable,
    charDim,
  }
}

function isNumericDtype(d: string): boolean {
  return ['i', 'u', 'f', 'b'].includes(dtypeKind(d))
}

/**
 * Encodes a decoded dataset for a writer. `userEncoding` is dump_kwargs['encoding']
 * (variable name -> {dtype, _FillValue, zlib, chunksizes, ...}).
 */
export async function encodeDataset(
  ds: Dataset,
  userEncoding: Map<string, unknown> = new Map(),
  options: EncodeOptions = {},
): Promise<EncodedDataset> {
  const format = options.format ?? 'NETCDF4'
  const all = new Map<string, { v: Variable; isCoord: boolean }>()
  for (const [k, v] of ds.coords) all.set(k, { v, isCoord: true })
  for (const [k, v] of ds.dataVars) all.set(k, { v, isCoord: false })
  const missing = [...userEncoding.keys()].filter((k) => !all.has(k))
  if (missing.length) {
    throw new InvalidArgumentError(
      `Encoding given for variables not in the dataset: ${missing.map((m) => `'${m}'`).join(', ')}.`,
    )
  }
  const storageKeys = format === 'zarr' ? ZARR_KEYS : NETCDF_KEYS
  for (const [k, x] of ds.attrs) checkAttr('the dataset', k, x)
  const unlimitedDims =
    options.unlimitedDims ?? (ds.encoding.get('unlimited_dims') as string[] | undefined) ?? []
  const dims = new Map(ds.dims)
  const variables: EncodedVariable[] = []
  for (const [name, { v, isCoord }] of all) {
    const fromUser = userEncoding.has(name)
    const enc = asMap(fromUser ? userEncoding.get(name) : v.encoding)
    if (fromUser) {
      const bad = [...enc.keys()].filter(
        (k) => !CF_KEYS.includes(k) && !storageKeys.includes(k) && !SAFE_TO_DROP.includes(k),
      )
      if (format === 'zarr' && bad.includes('shards')) {
        throw new InvalidArgumentError(
          `Variable '${name}': encoding 'shards' asks for a sharded Zarr v3 array; sharded ` +
            `arrays are read-only here. Drop 'shards' to write plain chunks.`,
        )
      }
      if (bad.length) {
        throw new InvalidArgumentError(
          `Unexpected encoding for variable '${name}': ${bad.map((b) => `'${b}'`).join(', ')}. ` +
            `Valid keys for ${format}: ${[...CF_KEYS, ...storageKeys].join(', ')}.`,
        )
      }
    }
    const { variable, charDim } = await encodeVariable(v, enc, isCoord, { format }, options.signal)
    // Storage choices only; what xarray drops silently from a loaded encoding goes here too.
    const storage = new Map([...variable.encoding].filter(([k]) => storageKeys.includes(k)))
    const chunks = storage.get('chunksizes') as number[] | null | undefined
    if (!fromUser && Array.isArray(chunks)) {
      const tooBig = chunks.some(
        (c, i) => c > (v.shape[i] ?? 0) && !unlimitedDims.includes(v.dims[i]!),
      )
      const original = v.encoding.get('original_shape') as number[] | undefined
      if (tooBig || (original && original.join() !== v.shape.join())) storage.delete('chunksizes')
    }
    if (charDim) {
      const known = dims.get(charDim.name)
      if (known !== undefined && known !== charDim.size) {
        throw new InvalidArgumentError(
          `Variable '${name}': char dimension '${charDim.name}' would need size ${charDim.size} but has ${known}.`,
        )
      }
      dims.set(charDim.name, charDim.size)
    }
    variables.push({ ...variable, encoding: storage })
  }
  const attrs: AttrMap = new Map(ds.attrs)
  addCoordinateAttrs(variables, attrs, ds)
  return { dims, variables, attrs, unlimitedDims: [...unlimitedDims] }
}
