import { canonicalCalendar } from './calendars.js'
import {
  applyMask,
  applyScaleOffset,
  attrNumbers,
  attrScalar,
  chooseFloatDtype,
  decodeBytes,
  decodeTimedelta,
  dtypeKind,
  joinChars,
  promoteForMask,
  reinterpretSign,
  toBool,
} from './cf-coders.js'
import {
  decodeCfTimes,
  guessTimeDtype,
  isTimeUnits,
  NS_PER_UNIT,
  parseTimeUnits,
} from './cf-time.js'
import type {
  AttrMap,
  Dataset,
  NumericArray,
  SourceDataset,
  SourceVariable,
  Variable,
} from './model.js'
import { DecodedVariable, type Step } from './decoded-variable.js'
import { numpyDtypeStr } from './ndarray.js'

// CF decoding as xr.open_dataset does it by default (xarray 2023.1 conventions.decode_cf_variable:
// chars -> strings, _Unsigned, _FillValue/missing_value -> NaN, scale_factor/add_offset, time
// deltas, times, `dtype: bool`), moving the attributes it consumes into `encoding`. Decoding
// is lazy: each variable keeps its source's read and applies the steps to what is read.

/** What xr.open_dataset's decode flags do here (all default to true). */
export interface DecodeOptions {
  maskAndScale?: boolean
  decodeTimes?: boolean
  /** false turns every step off (xarray's decode_cf=False). */
  decodeCf?: boolean
  /** xarray's concat_characters. */
  concatCharacters?: boolean
  /** xarray's decode_coords (the `coordinates` attributes). */
  decodeCoords?: boolean
  /** xarray's decode_timedelta (defaults to decodeTimes). */
  decodeTimedelta?: boolean
  /** xarray's use_cftime: true always gives cftime-like dates, false never (null: as fits). */
  useCftime?: boolean | null
}

// Moves attrs[key] to encoding[key] (xarray's pop_to: absent or null values are not moved).
function popTo(attrs: AttrMap, encoding: Map<string, unknown>, key: string): unknown {
  const v = attrs.get(key)
  attrs.delete(key)
  if (v !== undefined && v !== null) encoding.set(key, v)
  return v
}

/** Decodes one variable; `stackChars` is xarray's stack_char_dim decision. */
function decodeVariable(
  v: SourceVariable,
  o: Required<DecodeOptions>,
  stackChars: boolean,
  notes: string[],
) {
  const attrs: AttrMap = new Map(v.attrs)
  const encoding = new Map(v.encoding)
  const steps: Step[] = []
  const originalDtype = v.array.dtype
  let dtype = originalDtype === 'str' ? 'object' : originalDtype
  let dims = [...v.dims]
  let shape = [...v.array.shape]
  let timeCheck: DecodedVariable['timeCheck'] = null
  if (o.concatCharacters) {
    if (stackChars) {
      encoding.set('char_dim_name', dims[dims.length - 1])
      dims = dims.slice(0, -1)
      shape = shape.slice(0, -1)
      const enc = attrs.get('_Encoding')
      if (typeof enc === 'string') popTo(attrs, encoding, '_Encoding')
      const label = typeof enc === 'string' ? safeEncoding(enc, v.name, notes) : null
      steps.push((a) => joinChars(a, label))
      dtype = label ? 'object' : `|S${Math.max(v.array.shape[v.array.shape.length - 1] ?? 1, 1)}`
    } else if (typeof attrs.get('_Encoding') === 'string' && dtypeKind(dtype) === 'S') {
      const label = safeEncoding(String(popTo(attrs, encoding, '_Encoding')), v.name, notes)
      steps.push((a) => decodeBytes(a, label))
      dtype = 'object'
    }
  }
  if (o.maskAndScale) {
    const unsigned = attrs.get('_Unsigned')
    if (unsigned !== undefined) {
      popTo(attrs, encoding, '_Unsigned')
      const k = dtypeKind(dtype)
      const to =
        k === 'i' && unsigned === 'true'
          ? `u${dtype}`
          : k === 'u' && unsigned === 'false'
            ? dtype.slice(1)
            : null
      if (to) {
        steps.push((a) => reinterpretSign(a, to))
        dtype = to
        const fv = attrs.get('_FillValue')
        if (typeof fv === 'number') attrs.set('_FillValue', recast(fv, to))
      }
    }
    const fills = [popTo(attrs, encoding, 'missing_value'), popTo(attrs, encoding, '_FillValue')]
      .flatMap((f) => attrNumbers(f as never))
      .filter((f) => !(typeof f === 'number' && Number.isNaN(f)) && f !== 'NaN')
    if (fills.length > 0) {
      const to = promoteForMask(dtype)
      steps.push((a) => applyMask(a, fills, to))
      dtype = to
    }
    if (attrs.has('scale_factor') || attrs.has('add_offset')) {
      const scale = attrScalar(popTo(attrs, encoding, 'scale_factor') as never)
      const offset = attrScalar(popTo(attrs, encoding, 'add_offset') as never)
      const to = chooseFloatDtype(dtype, encoding.has('add_offset'))
      steps.push((a) => applyScaleOffset(a, scale, offset, to))
      dtype = to
    }
  }
  const units = attrs.get('units')
  if (o.decodeTimedelta && typeof units === 'string' && NS_PER_UNIT.has(units)) {
    popTo(attrs, encoding, 'units')
    const ns = NS_PER_UNIT.get(units)!
    steps.push((a) => decodeTimedelta(a, ns))
    dtype = 'timedelta64[ns]'
  } else if (o.decodeTimes && isTimeUnits(units)) {
    const cal = attrs.get('calendar')
    const calendar = typeof cal === 'string' ? cal : null
    try {
      parseTimeUnits(units)
      canonicalCalendar(calendar)
      popTo(attrs, encoding, 'units')
      popTo(attrs, encoding, 'calendar')
      const use = o.useCftime
      steps.push((a) => decodeCfTimes(a.data as NumericArray, a.shape, units, calendar, use))
      dtype = guessTimeDtype(units, calendar, use)
      if (dtype === 'datetime64[ns]' && use === null) timeCheck = { units, calendar }
    } catch (e) {
      // xarray refuses to open such a file; a viewer shows the numbers and says why.
      notes.push(`${v.name}: times not decoded (${(e as Error).message})`)
    }
  }
  if (!encoding.has('dtype')) encoding.set('dtype', numpyDtypeStr(originalDtype))
  if (!encoding.has('original_shape')) encoding.set('original_shape', [...v.array.shape])
  if (attrs.get('dtype') === 'bool') {
    attrs.delete('dtype')
    steps.push(toBool)
    dtype = 'bool'
  }
  const out = new DecodedVariable(v.name, dims, shape, dtype, attrs, encoding, v, steps, stackChars)
  out.timeCheck = timeCheck
  return out
}

function safeEncoding(label: string, name: string, notes: string[]): string {
  try {
    new TextDecoder(label)
    return label
  } catch {
    notes.push(`${name}: unknown _Encoding '${label}', decoded as utf-8`)
    return 'utf-8'
  }
}

function recast(v: number, dtype: string): number {
  const bits = Number(/\d+$/.exec(dtype)?.[0] ?? 32)
  if (bits > 32) return v
  const mod = 2 ** bits
  const u = ((v % mod) + mod) % mod
  return dtype.startsWith('u') ? u : u >= mod / 2 ? u - mod : u
}

export { settleTimeDtypes } from './decoded-variable.js'

/** Decodes a stored dataset as xr.open_dataset does by default; reads nothing. */
export function decodeDataset(src: SourceDataset, options: DecodeOptions = {}): Dataset {
  const cf = options.decodeCf ?? true
  const decodeTimes = cf && (options.decodeTimes ?? true)
  const o: Required<DecodeOptions> = {
    decodeCf: cf,
    maskAndScale: cf && (options.maskAndScale ?? true),
    decodeTimes,
    concatCharacters: cf && (options.concatCharacters ?? true),
    decodeCoords: cf && (options.decodeCoords ?? true),
    decodeTimedelta: cf && (options.decodeTimedelta ?? decodeTimes),
    useCftime: options.useCftime ?? null,
  }
  const notes = [...src.notes]
  const names = new Set(src.variables.map((v) => v.name))
  // xarray's `stackable`: a char dimension that is no variable's name and is the last
  // dimension of only char arrays.
  const stackable = (dim: string): boolean =>
    !names.has(dim) &&
    src.variables.every(
      (v) =>
        !v.dims.includes(dim) || (v.array.dtype === '|S1' && v.dims[v.dims.length - 1] === dim),
    )
  const coordNames = new Set<string>()
  const decoded = src.variables.map((v) => {
    const stack =
      o.concatCharacters &&
      v.array.dtype === '|S1' &&
      v.dims.length > 0 &&
      stackable(v.dims[v.dims.length - 1]!)
    const d = decodeVariable(v, o, stack, notes)
    const coords = d.attrs.get('coordinates')
    if (o.decodeCoords && typeof coords === 'string') {
      const listed = coords.split(/\s+/).filter(Boolean)
      if (listed.every((n) => names.has(n))) {
        d.encoding.set('coordinates', coords)
        d.attrs.delete('coordinates')
        listed.forEach((n) => coordNames.add(n))
      }
    }
    return d
  })
  const attrs: AttrMap = new Map(src.attrs)
  const gcoords = attrs.get('coordinates')
  if (o.decodeCoords && typeof gcoords === 'string') {
    attrs.delete('coordinates')
    gcoords
      .split(/\s+/)
      .filter((n) => names.has(n))
      .forEach((n) => coordNames.add(n))
  }
  const dims = new Map<string, number>()
  const coords = new Map<string, Variable>()
  const dataVars = new Map<string, Variable>()
  for (const d of decoded) {
    // A dimension's own 1-D variable is an index coordinate.
    const isIndex = d.dims.length === 1 && d.dims[0] === d.name
    ;(isIndex || coordNames.has(d.name) ? coords : dataVars).set(d.name, d)
    // xarray's dims are those its variables use (so stacked char dimensions disappear).
    d.dims.forEach((k, i) => dims.set(k, d.shape[i]!))
  }
  const encoding = new Map<string, unknown>([['unlimited_dims', [...(src.unlimitedDims ?? [])]]])
  return {
    kind: 'dataset',
    dims,
    coords,
    dataVars,
    attrs,
    encoding,
    notes,
    bytesRead: () => src.bytesRead(),
    close: async () => {
      await src.close?.()
    },
  }
}
