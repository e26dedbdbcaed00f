import type { CollectionPreview, DatasetPreview } from '../preview-types.js'
import { formatDatetime64, NAT } from './cf-time.js'
import type { AttrValue, Collection, Dataset, NdArray, Variable } from './model.js'
import { sizeOf } from './model.js'

// The JSON form of a dataset (`show --json`, previews): structure for every variable, decoded
// values only for small ones. Every record keyed by names from the file is null-prototype, so a
// variable or attribute called '__proto__' is just a name.

/** A JSON cell as previews carry values: numbers, text, booleans, null for NaN/NaT. */
export type JsonCell = number | string | boolean | null

/** Options of datasetPreview. */
export interface DatasetPreviewOptions {
  /** Variables with more elements than this get no `values` (default 10,000). */
  maxValues?: number
  /** Payload size, reported as totalBytes. */
  totalBytes?: number
  signal?: AbortSignal
}

function record(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>
}

function safeNumber(n: number): JsonCell {
  if (Number.isNaN(n)) return null
  if (n === Infinity) return 'inf'
  if (n === -Infinity) return '-inf'
  return n
}

function safeBigint(b: bigint): number | string {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(b)
    : String(b)
}

/** An attribute (or encoding) value as JSON: lists for arrays, numbers where safe. */
export function attrToJson(v: unknown, depth = 0): unknown {
  if (depth > 16) return null
  if (v === null || v === undefined) return null
  if (typeof v === 'number') return safeNumber(v)
  if (typeof v === 'bigint') return safeBigint(v)
  if (typeof v === 'string' || typeof v === 'boolean') return v
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return Array.from(v as unknown as ArrayLike<unknown>, (x) => attrToJson(x, depth + 1))
  }
  if (Array.isArray(v)) return v.map((x) => attrToJson(x, depth + 1))
  if (v instanceof Map) {
    const out = record()
    for (const [k, x] of v) out[String(k)] = attrToJson(x, depth + 1)
    return out
  }
  if (typeof v === 'object') {
    const out = record()
    for (const [k, x] of Object.entries(v)) out[k] = attrToJson(x, depth + 1)
    return out
  }
  return String(v)
}

/** Attributes as a null-prototype JSON record. */
export function attrsToJson(
  attrs: Map<string, AttrValue> | Map<string, unknown>,
): Record<string, unknown> {
  return attrToJson(attrs) as Record<string, unknown>
}

// pandas' str(Timedelta): "1 days 02:03:04", with a fraction when there is one.
function formatTimedelta(ns: bigint): string | null {
  if (ns === NAT) return null
  const neg = ns < 0n
  let r = neg ? -ns : ns
  const day = 86_400_000_000_000n
  const days = r / day
  r %= day
  const p = (x: bigint) => String(x).padStart(2, '0')
  const h = r / 3_600_000_000_000n
  const m = (r / 60_000_000_000n) % 60n
  const s = (r / 1_000_000_000n) % 60n
  const sub = r % 1_000_000_000n
  const frac =
    sub === 0n
      ? ''
      : sub % 1000n === 0n
        ? `.${String(sub / 1000n).padStart(6, '0')}`
        : `.${String(sub).padStart(9, '0')}`
  return `${neg ? '-' : ''}${days} days ${p(h)}:${p(m)}:${p(s)}${frac}`
}

/** Flat C-order cells of an array: NaN/NaT as null, times as ISO text, bools as booleans. */
export function toCells(arr: NdArray): JsonCell[] {
  const d = arr.data
  const n = d.length
  const out: JsonCell[] = new Array(n)
  if (arr.dtype === 'datetime64[ns]')
    for (let i = 0; i < n; i++) out[i] = formatDatetime64(d[i] as bigint)
  else if (arr.dtype === 'timedelta64[ns]')
    for (let i = 0; i < n; i++) out[i] = formatTimedelta(d[i] as bigint)
  else if (arr.dtype === 'bool') for (let i = 0; i < n; i++) out[i] = Boolean(d[i])
  else if (Array.isArray(d)) for (let i = 0; i < n; i++) out[i] = d[i] ?? null
  else if (d instanceof BigInt64Array || d instanceof BigUint64Array)
    for (let i = 0; i < n; i++) out[i] = safeBigint(d[i]!)
  else for (let i = 0; i < n; i++) out[i] = safeNumber(d[i] as number)
  return out
}

/** Nests flat C-order cells into lists of lists following `shape` (a scalar for shape []). */
export function nest(cells: JsonCell[], shape: readonly number[]): unknown {
  if (shape.length === 0) return cells[0] ?? null
  const build = (dim: number, offset: number, stride: number): unknown[] => {
    const n = shape[dim]!
    const inner = stride / Math.max(n, 1)
    if (dim === shape.length - 1) return cells.slice(offset, offset + n)
    return Array.from({ length: n }, (_, i) => build(dim + 1, offset + i * inner, inner))
  }
  return build(0, 0, sizeOf(shape))
}

/** One variable's JSON form; reads and includes values when it has at most `maxValues`. */
export async function variableToJson(v: Variable, maxValues: number, signal?: AbortSignal) {
  const out = record()
  out.dims = [...v.dims]
  out.shape = [...v.shape]
  out.dtype = v.dtype
  out.attrs = attrsToJson(v.attrs)
  out.encoding = attrsToJson(v.encoding)
  if (v.chunks) out.chunks = [...v.chunks]
  if (sizeOf(v.shape) <= maxValues) {
    const arr = await v.read([], signal)
    out.values = nest(toCells(arr), arr.shape)
  }
  return out
}

/** The dataset JSON form; reads only variables small enough to show values for. */
export async function datasetPreview(
  ds: Dataset,
  options: DatasetPreviewOptions = {},
): Promise<DatasetPreview> {
  const max = options.maxValues ?? 10_000
  const dims = record() as Record<string, number>
  for (const [k, n] of ds.dims) dims[k] = n
  const coords = record()
  for (const [k, v] of ds.coords) coords[k] = await variableToJson(v, max, options.signal)
  const dataVars = record()
  for (const [k, v] of ds.dataVars) dataVars[k] = await variableToJson(v, max, options.signal)
  return {
    kind: 'dataset',
    dims,
    coords,
    data_vars: dataVars,
    attrs: attrsToJson(ds.attrs),
    notes: [...ds.notes],
    bytesRead: ds.bytesRead(),
    totalBytes: options.totalBytes ?? 0,
  }
}

/** The collection JSON form: each member dataset in the dataset form, in collection order. */
export async function collectionPreview(
  c: Collection,
  options: DatasetPreviewOptions = {},
): Promise<CollectionPreview> {
  const datasets = record() as Record<string, DatasetPreview>
  let bytesRead = 0
  for (const [name, ds] of c.datasets) {
    const p = await datasetPreview(ds, { ...options, totalBytes: 0 })
    datasets[name] = p
    bytesRead += p.bytesRead
  }
  return { kind: 'collection', datasets, bytesRead, totalBytes: options.totalBytes ?? 0 }
}
