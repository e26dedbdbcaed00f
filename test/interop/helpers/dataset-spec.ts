/**
 * Builds an in-memory Dataset (model.ts) from the shared JSON dataset spec
 * (python/dataset-specs.json), the same spec python/dataset_spec.py builds the xarray Dataset
 * from, so both sides hold the same dataset. Built against model.ts only: any serializer that
 * takes a Dataset as the model defines it must take this one.
 */
import type {
  AttrMap,
  AttrValue,
  Dataset,
  NdArray,
  Selection,
  Variable,
} from '../../../electron/engine/dataset/model.js'
import { sizeOf } from '../../../electron/engine/dataset/model.js'
import { normalizeSelection } from '../../../electron/engine/dataset/selection.js'

/** One variable of a spec. */
export interface VarSpec {
  dims: string[]
  dtype: string
  attrs?: Record<string, unknown>
  values: unknown
}
/** A dataset spec. */
export interface DatasetSpec {
  coords: Record<string, VarSpec>
  data_vars: Record<string, VarSpec>
  attrs: Record<string, unknown>
}

const TYPED: Record<string, new (n: number) => NdArray['data']> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  bool: Uint8Array,
  int64: BigInt64Array,
  'datetime64[ns]': BigInt64Array,
}

/** ISO text (UTC, no zone) as ns since 1970; null as NaT. */
export function nsFromIso(s: string | null): bigint {
  if (s === null) return -(2n ** 63n)
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?$/.exec(s)
  if (!m) throw new Error(`not an ISO time: ${s}`)
  const ms = Date.parse(`${m[1]}Z`)
  const frac = BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9))
  return BigInt(ms) * 1_000_000n + frac
}

function shapeOf(values: unknown): number[] {
  const shape: number[] = []
  let v = values
  while (Array.isArray(v)) {
    shape.push(v.length)
    v = v[0]
  }
  return shape
}

function flatten(values: unknown): unknown[] {
  return Array.isArray(values) ? values.flatMap(flatten) : [values]
}

/** The spec variable's values as an NdArray in the model's conventions. */
export function arrayOf(spec: VarSpec): NdArray {
  const shape = shapeOf(spec.values)
  const flat = flatten(spec.values)
  if (spec.dtype === 'str') return { dtype: 'str', shape, data: flat as string[] }
  const Ctor = TYPED[spec.dtype]
  if (!Ctor) throw new Error(`dataset spec: dtype ${spec.dtype} not handled`)
  const data = new Ctor(flat.length)
  flat.forEach((x, i) => {
    if (spec.dtype === 'datetime64[ns]') (data as BigInt64Array)[i] = nsFromIso(x as string | null)
    else if (data instanceof BigInt64Array) data[i] = BigInt(x as number)
    else if (spec.dtype === 'bool') data[i] = x ? 1 : 0
    else (data as Float64Array)[i] = x === null ? NaN : (x as number)
  })
  return { dtype: spec.dtype, shape, data }
}

function attrMap(o: Record<string, unknown> | undefined): AttrMap {
  return new Map(Object.entries(o ?? {}) as [string, AttrValue][])
}

// Takes the selected part of an in-memory C-order array (index or range per dimension).
function select(a: NdArray, selection: Selection | undefined): NdArray {
  if (!selection || selection.length === 0) return a
  const { ranges, shape } = normalizeSelection(a.shape, selection)
  const strides = a.shape.map((_, i) => a.shape.slice(i + 1).reduce((p, q) => p * q, 1))
  const picked: number[] = []
  const walk = (dim: number, offset: number): void => {
    if (dim === ranges.length) {
      picked.push(offset)
      return
    }
    const r = ranges[dim]!
    for (let j = r.start; j < r.stop; j += r.step) walk(dim + 1, offset + j * strides[dim]!)
  }
  walk(0, 0)
  if (Array.isArray(a.data)) {
    const src = a.data
    return { dtype: a.dtype, shape, data: picked.map((i) => src[i] ?? null) }
  }
  const Ctor = a.data.constructor as new (n: number) => NdArray['data']
  const out = new Ctor(picked.length) as unknown as unknown[]
  const src = a.data as unknown as unknown[]
  picked.forEach((i, k) => (out[k] = src[i]))
  return { dtype: a.dtype, shape, data: out as unknown as NdArray['data'] }
}

function variable(name: string, spec: VarSpec): Variable {
  const array = arrayOf(spec)
  if (sizeOf(array.shape) !== array.data.length) throw new Error(`${name}: ragged values`)
  return {
    name,
    dims: spec.dims,
    shape: array.shape,
    dtype: array.dtype,
    attrs: attrMap(spec.attrs),
    encoding: new Map(),
    read: (selection?: Selection) => Promise.resolve(select(array, selection)),
  }
}

/** The spec as a Dataset of the engine's model. */
export function datasetFromSpec(spec: DatasetSpec): Dataset {
  const coords = new Map(Object.entries(spec.coords).map(([k, v]) => [k, variable(k, v)]))
  const dataVars = new Map(Object.entries(spec.data_vars).map(([k, v]) => [k, variable(k, v)]))
  const dims = new Map<string, number>()
  for (const v of [...coords.values(), ...dataVars.values()]) {
    v.dims.forEach((d, i) => dims.set(d, v.shape[i]!))
  }
  return {
    kind: 'dataset',
    dims,
    coords,
    dataVars,
    attrs: attrMap(spec.attrs),
    encoding: new Map(),
    notes: [],
    bytesRead: () => 0,
    close: () => Promise.resolve(),
  }
}
