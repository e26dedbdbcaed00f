/**
 * Builds an in-memory Dataset (model.ts) from the shared JSON dataset spec
 * (python/dataset-specs.json), the same spec python/dataset_spec.py builds the xarray Dataset
 * from, so both sides hold the same dataset.
 */
import { createDataset, type VariableSpec } from '../../../electron/engine/dataset/memory.js'
import type { AttrValue, Dataset, NdArray } from '../../../electron/engine/dataset/model.js'

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
  // Text is an 'object' array of strings once decoded, as xarray (and the engine) hold it.
  if (spec.dtype === 'str') return { dtype: 'object', shape, data: flat as string[] }
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

/** The spec as a Dataset, built by the engine's own createDataset (memory.ts). */
export function datasetFromSpec(spec: DatasetSpec): Dataset {
  const vars = (part: Record<string, VarSpec>): Record<string, VariableSpec> =>
    Object.fromEntries(
      Object.entries(part).map(([k, v]) => [
        k,
        { dims: v.dims, data: arrayOf(v), attrs: (v.attrs ?? {}) as Record<string, AttrValue> },
      ]),
    )
  return createDataset({
    coords: vars(spec.coords),
    dataVars: vars(spec.data_vars),
    attrs: spec.attrs as Record<string, AttrValue>,
  })
}
