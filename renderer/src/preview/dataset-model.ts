import type { Preview } from '../../../shared/ipc'

/** The dataset kind of Preview. */
export type DatasetPreviewData = Extract<Preview, { kind: 'dataset' }>

/** One coordinate or data variable, normalised from the `to_dict(data=False)`-like form. */
export interface DatasetVariable {
  name: string
  kind: 'coord' | 'data'
  dims: string[]
  dtype: string
  shape: number[]
  attrs: Record<string, unknown>
  /** Decoded nested lists when the server sent them inline (at most 10,000 elements). */
  values: unknown
  /** True for a coordinate named after its dimension (xarray marks these with *). */
  isIndex: boolean
}

function asDict(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {}
}

/**
 * A variable from its JSON: `{dims, shape, dtype, attrs, chunks?, values?}` (the dataset form).
 * A missing shape is taken from the dataset's dimension sizes.
 */
export function toVariable(
  name: string,
  raw: unknown,
  kind: DatasetVariable['kind'],
  sizes: Record<string, number>,
): DatasetVariable {
  const o = asDict(raw)
  const dims = Array.isArray(o.dims)
    ? o.dims.map(String)
    : typeof o.dims === 'string'
      ? [o.dims]
      : []
  const shape = Array.isArray(o.shape) ? o.shape.map(Number) : dims.map((d) => sizes[d] ?? 0)
  return {
    name,
    kind,
    dims,
    dtype: typeof o.dtype === 'string' ? o.dtype : '?',
    shape,
    attrs: asDict(o.attrs),
    values: o.values,
    isIndex: kind === 'coord' && dims.length === 1 && dims[0] === name,
  }
}

/** The dataset's variables: coordinates (index coordinates first), then data variables. */
export function datasetVariables(ds: DatasetPreviewData): {
  coords: DatasetVariable[]
  dataVars: DatasetVariable[]
} {
  const coords = Object.entries(ds.coords).map(([n, v]) => toVariable(n, v, 'coord', ds.dims))
  coords.sort((a, b) => Number(b.isIndex) - Number(a.isIndex))
  const dataVars = Object.entries(ds.data_vars).map(([n, v]) => toVariable(n, v, 'data', ds.dims))
  return { coords, dataVars }
}

/** A short inline view of a variable's values, as xarray's repr shows them: "0 1 2 ... 9". */
export function inlineValues(values: unknown, max = 6): string {
  if (!Array.isArray(values)) return values === undefined ? '' : String(values)
  const flat = values.flat(8) as unknown[]
  const show = (v: unknown) =>
    v === null ? 'nan' : typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v)
  if (flat.length <= max) return flat.map(show).join(' ')
  const half = Math.floor(max / 2)
  return [...flat.slice(0, half).map(show), '...', ...flat.slice(-half).map(show)].join(' ')
}

/** Coordinate values by dimension name, from index coordinates that carry data. */
export function coordValues(coords: readonly DatasetVariable[]): Record<string, unknown[]> {
  // Null prototype: a coordinate named `constructor` is data, not Object.prototype's.
  const out = Object.create(null) as Record<string, unknown[]>
  for (const c of coords)
    if (c.isIndex && Array.isArray(c.values)) out[c.name] = c.values as unknown[]
  return out
}

/** True for a datetime dtype (its values arrive as ISO text). */
export function isTimeDtype(dtype: string): boolean {
  return /^(?:[<>|=]?M8|datetime64)/.test(dtype)
}

/** A decoded coordinate value for a label: midnight ISO times shortened to their date. */
export function coordLabel(v: unknown): string {
  if (v === null || v === undefined) return 'NaN'
  if (typeof v === 'number') return String(Number(v.toPrecision(6)))
  const s = String(v)
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?Z?$/.exec(s)
  return m ? (m[1] as string) : s.replace(/(T\d{2}:\d{2}):00(?:\.0+)?Z?$/, '$1')
}
