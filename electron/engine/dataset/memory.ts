import { InvalidArgumentError } from '../errors.js'
import type {
  AttrMap,
  AttrValue,
  Dataset,
  NdArray,
  Selection,
  SourceDataset,
  SourceVariable,
  Variable,
} from './model.js'
import { allocate, checkNdArray, isTypedDtype, memoryStoredArray } from './ndarray.js'

// Decoded datasets built from values in memory: what library users hand to `put`, and what
// tests build. Shapes are checked against the dimensions up front, with errors that name the
// variable and the dimension.

/** One variable given in memory: its dims, decoded values, and optional attrs/encoding. */
export interface VariableSpec {
  dims: readonly string[]
  data: NdArray
  attrs?: AttrMap | Record<string, AttrValue>
  encoding?: Map<string, unknown> | Record<string, unknown>
  /** Chunk shape to report (and to keep when writing), if any. */
  chunks?: readonly number[]
}

type Named<T> = Map<string, T> | Record<string, T>

/** What createDataset takes. */
export interface DatasetSpec {
  /** Dimension sizes; inferred from the variables when left out. */
  dims?: Named<number>
  coords?: Named<VariableSpec>
  dataVars?: Named<VariableSpec>
  attrs?: AttrMap | Record<string, AttrValue>
  encoding?: Map<string, unknown> | Record<string, unknown>
}

function entries<T>(x: Named<T> | undefined): [string, T][] {
  if (!x) return []
  return x instanceof Map ? [...x.entries()] : Object.entries(x)
}

const TYPED_NAMES: Record<string, string> = {
  int8: 'Int8Array', uint8: 'Uint8Array', bool: 'Uint8Array', int16: 'Int16Array',
  uint16: 'Uint16Array', int32: 'Int32Array', uint32: 'Uint32Array', float32: 'Float32Array',
  float64: 'Float64Array', int64: 'BigInt64Array', uint64: 'BigUint64Array',
  'datetime64[ns]': 'BigInt64Array', 'timedelta64[ns]': 'BigInt64Array',
} // prettier-ignore

function checkDtype(name: string, arr: NdArray): void {
  const want = TYPED_NAMES[arr.dtype]
  if (want) {
    if (arr.data.constructor.name !== want) {
      throw new InvalidArgumentError(
        `Variable '${name}' has dtype ${arr.dtype} but its values are a ${arr.data.constructor.name}, not a ${want}.`,
      )
    }
  } else if (!Array.isArray(arr.data)) {
    throw new InvalidArgumentError(
      `Variable '${name}' has dtype ${arr.dtype}, which needs a plain array of strings or nulls.`,
    )
  } else if (!(arr.dtype === 'object' || arr.dtype === 'str' || /^\|?S\d+$/.test(arr.dtype))) {
    throw new InvalidArgumentError(`Variable '${name}' has an unknown dtype '${arr.dtype}'.`)
  }
}

/** A decoded Variable over an in-memory array; reads slice it. */
export function memoryVariable(name: string, spec: VariableSpec): Variable {
  const { data } = spec
  checkNdArray(data, `Variable '${name}'`)
  checkDtype(name, data)
  if (spec.dims.length !== data.shape.length) {
    throw new InvalidArgumentError(
      `Variable '${name}' has ${data.shape.length} dimensions of values but ${spec.dims.length} dimension names (${spec.dims.join(', ')}).`,
    )
  }
  if (new Set(spec.dims).size !== spec.dims.length) {
    throw new InvalidArgumentError(
      `Variable '${name}' repeats a dimension (${spec.dims.join(', ')}).`,
    )
  }
  const stored = memoryStoredArray(data, spec.dims, spec.chunks)
  return {
    name,
    dims: [...spec.dims],
    shape: [...data.shape],
    dtype: data.dtype,
    attrs: new Map(entries(spec.attrs as Named<AttrValue>)),
    encoding: new Map(entries(spec.encoding)),
    chunks: spec.chunks,
    read: (selection?: Selection, signal?: AbortSignal) => stored.read(selection, signal),
  }
}

/** Builds a decoded Dataset from in-memory arrays, checking every shape against the dims. */
export function createDataset(spec: DatasetSpec): Dataset {
  const dims = new Map<string, number>(entries(spec.dims))
  const given = new Set(dims.keys())
  const coords = new Map<string, Variable>()
  const dataVars = new Map<string, Variable>()
  const add = (into: Map<string, Variable>, name: string, v: VariableSpec): void => {
    if (coords.has(name) || dataVars.has(name)) {
      throw new InvalidArgumentError(
        `Variable '${name}' is given twice (as a coordinate and a data variable).`,
      )
    }
    const variable = memoryVariable(name, v)
    variable.dims.forEach((d, i) => {
      const n = variable.shape[i]!
      const known = dims.get(d)
      if (known === undefined) dims.set(d, n)
      else if (known !== n) {
        throw new InvalidArgumentError(
          `Variable '${name}' has ${n} elements along '${d}', but '${d}' has size ${known}` +
            (given.has(d) ? ' (from dims).' : ' (from an earlier variable).'),
        )
      }
    })
    into.set(name, variable)
  }
  for (const [name, v] of entries(spec.coords)) add(coords, name, v)
  for (const [name, v] of entries(spec.dataVars)) {
    // A data variable named after its only dimension is an index coordinate, as in xarray.
    add(v.dims.length === 1 && v.dims[0] === name ? coords : dataVars, name, v)
  }
  return {
    kind: 'dataset',
    dims,
    coords,
    dataVars,
    attrs: new Map(entries(spec.attrs as Named<AttrValue>)),
    encoding: new Map(entries(spec.encoding)),
    notes: [],
    bytesRead: () => 0,
    close: async () => {},
  }
}

/** An NdArray from plain values, for tests and API users: `ndarray('float32', [2, 2], [1, 2, 3, 4])`. */
export function ndarray(
  dtype: string,
  shape: number[],
  values: ArrayLike<number | bigint | string | boolean | null>,
): NdArray {
  const data = allocate(dtype, values.length) as unknown as { [i: number]: unknown }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!isTypedDtype(dtype)) data[i] = v
    else if (dtype.endsWith('64[ns]') || dtype === 'int64')
      data[i] = typeof v === 'bigint' ? v : BigInt(v as number)
    else if (dtype === 'uint64') data[i] = BigInt(v as number)
    else data[i] = v === null ? NaN : Number(v)
  }
  const arr: NdArray = { dtype, shape, data: data as unknown as NdArray['data'] }
  checkNdArray(arr, 'ndarray')
  return arr
}

/** One stored variable given in memory, for createSourceDataset. */
export interface SourceVariableSpec {
  name: string
  dims: readonly string[]
  data: NdArray
  attrs?: AttrMap | Record<string, AttrValue>
  encoding?: Map<string, unknown> | Record<string, unknown>
  chunks?: readonly number[]
}

/**
 * A SourceDataset (stored, not yet decoded) over in-memory arrays: packed ints, fill values,
 * char arrays as a file holds them. Tests and writers' round trips feed it to decodeDataset.
 */
export function createSourceDataset(spec: {
  variables: SourceVariableSpec[]
  attrs?: AttrMap | Record<string, AttrValue>
  unlimitedDims?: string[]
  notes?: string[]
}): SourceDataset {
  const dims = new Map<string, number>()
  const variables: SourceVariable[] = spec.variables.map((v) => {
    checkNdArray(v.data, `Variable '${v.name}'`)
    if (v.dims.length !== v.data.shape.length) {
      throw new InvalidArgumentError(
        `Variable '${v.name}' has ${v.data.shape.length} dimensions of values but ${v.dims.length} dimension names.`,
      )
    }
    v.dims.forEach((d, i) => {
      const n = v.data.shape[i]!
      if (dims.has(d) && dims.get(d) !== n) {
        throw new InvalidArgumentError(
          `Variable '${v.name}' has ${n} elements along '${d}', which has size ${dims.get(d)}.`,
        )
      }
      dims.set(d, n)
    })
    return {
      name: v.name,
      dims: [...v.dims],
      attrs: new Map(entries(v.attrs as Named<AttrValue>)),
      encoding: new Map(entries(v.encoding)),
      array: memoryStoredArray(v.data, v.dims, v.chunks),
    }
  })
  return {
    dims,
    variables,
    attrs: new Map(entries(spec.attrs as Named<AttrValue>)),
    notes: [...(spec.notes ?? [])],
    unlimitedDims: spec.unlimitedDims,
    bytesRead: () => 0,
  }
}
