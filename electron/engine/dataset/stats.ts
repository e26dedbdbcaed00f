import { InvalidArgumentError, LimitExceededError } from '../errors.js'
import { formatDatetime64, NAT } from './cf-time.js'
import { type JsonCell, toCells } from './dataset-json.js'
import type { Dataset, Selection, Variable } from './model.js'
import { sizeOf } from './model.js'
import { normalizeSelection } from './selection.js'

// Slices and statistics of one variable, for `show --slice/--stats` and the explorer: slices
// read only what they select; statistics stream over chunk-aligned slabs, so memory is bounded
// by one slab, not by the variable, and a long run can be cancelled between slabs.

/** A decoded part of one variable (the engine's mirror of shared/ipc.ts DatasetSliceSchema). */
export interface DatasetSliceResult {
  variable: string
  /** The dimensions kept (ranges), in order; indexed dimensions are dropped. */
  dims: string[]
  shape: number[]
  dtype: string
  /** Flat C-order values: numbers (NaN as null), times as ISO text, strings, booleans. */
  values: JsonCell[]
  /** Decoded coordinate values along each kept dimension that has a coordinate variable. */
  coords: Record<string, JsonCell[]>
  bytesRead: number
}

/** Statistics of one variable (the engine's mirror of VariableStatsSchema). */
export interface VariableStatsResult {
  variable: string
  min: number | string | null
  max: number | string | null
  mean: number | null
  /** Elements that are NaN (or NaT, or missing text) after decoding. */
  nanCount: number
  /** Elements that are not. */
  count: number
}

/** A slice is refused above this many elements unless the caller allows more. */
export const DEFAULT_MAX_SLICE = 4_000_000
/** Elements per slab when streaming statistics. */
export const DEFAULT_SLAB = 4_000_000

/** Finds a variable among coords and data variables, or says which exist. */
export function findVariable(ds: Dataset, name: string): Variable {
  const v = ds.dataVars.get(name) ?? ds.coords.get(name)
  if (!v) {
    const names = [...ds.dataVars.keys(), ...ds.coords.keys()]
    throw new InvalidArgumentError(
      `No variable '${name}' in this dataset; it has ${names.map((n) => `'${n}'`).join(', ') || 'none'}.`,
    )
  }
  return v
}

/** Reads one slice of a variable, with the decoded coordinates along the kept dimensions. */
export async function sliceVariable(
  ds: Dataset,
  name: string,
  selection: Selection = [],
  options: { maxElements?: number; signal?: AbortSignal } = {},
): Promise<DatasetSliceResult> {
  const v = findVariable(ds, name)
  const sel = normalizeSelection(v.shape, selection, v.dims)
  const max = options.maxElements ?? DEFAULT_MAX_SLICE
  if (sel.size > max) {
    throw new LimitExceededError(
      `The slice of '${name}' has ${sel.size} elements, more than ${max}; fix more dimensions or narrow the ranges.`,
    )
  }
  const before = ds.bytesRead()
  const arr = await v.read(selection, options.signal)
  const dims = v.dims.filter((_, i) => !sel.ranges[i]!.drop)
  const coords = Object.create(null) as Record<string, JsonCell[]>
  for (const [i, d] of v.dims.entries()) {
    const r = sel.ranges[i]!
    const c = ds.coords.get(d)
    if (r.drop || !c || c.dims.length !== 1 || c.dims[0] !== d) continue
    coords[d] = toCells(
      await c.read([{ start: r.start, stop: r.stop, step: r.step }], options.signal),
    )
  }
  return {
    variable: name,
    dims,
    shape: sel.shape,
    dtype: arr.dtype,
    values: toCells(arr),
    coords,
    bytesRead: ds.bytesRead() - before,
  }
}

/**
 * The slab shape for streaming: whole trailing dimensions, and along the first dimension that
 * has to be cut, a multiple of its chunk size, so that every chunk is read once.
 */
export function slabShape(
  shape: readonly number[],
  chunks: readonly number[] | undefined,
  max: number,
): number[] {
  const slab = [...shape]
  for (let d = 0; d < shape.length; d++) {
    const rest = sizeOf(slab.slice(d + 1))
    if (slab[d]! * rest <= max) break
    const want = Math.floor(max / Math.max(rest, 1))
    const align = chunks?.[d] ?? 1
    if (want >= 1) {
      // Below one chunk, alignment buys nothing: every cut of a chunk reads it again anyway.
      slab[d] = Math.min(shape[d]!, want >= align ? Math.floor(want / align) * align : want)
      break
    }
    slab[d] = 1
  }
  return slab
}

/**
 * Progress of streamed statistics, in elements. Called as `(done, total)`; a callback declared
 * with one parameter gets `{ done, total }` instead (the IPC task and CLI take that form).
 */
export type StatsProgressCallback =
  ((done: number, total: number) => void) | ((progress: { done: number; total: number }) => void)

function report(cb: StatsProgressCallback | undefined, done: number, total: number): void {
  if (!cb) return
  if (cb.length === 1) (cb as (p: { done: number; total: number }) => void)({ done, total })
  else (cb as (d: number, t: number) => void)(done, total)
}

/** Min, max, mean, NaN count and count of a variable, streamed over slabs; cancellable between them. */
export async function variableStats(
  v: Variable,
  options: {
    signal?: AbortSignal
    onProgress?: StatsProgressCallback
    slabElements?: number
  } = {},
): Promise<VariableStatsResult> {
  const total = sizeOf(v.shape)
  const slab = slabShape(v.shape, v.chunks, Math.max(1, options.slabElements ?? DEFAULT_SLAB))
  const acc = {
    min: null as number | bigint | string | null,
    max: null as number | bigint | string | null,
    sum: 0,
    nan: 0,
    count: 0,
  }
  const isTime = v.dtype === 'datetime64[ns]' || v.dtype === 'timedelta64[ns]'
  let done = 0
  const starts = v.shape.map(() => 0)
  while (total > 0) {
    options.signal?.throwIfAborted()
    const selection: Selection = starts.map((s, d) => ({
      start: s,
      stop: Math.min(s + slab[d]!, v.shape[d]!),
    }))
    const arr = await v.read(selection, options.signal)
    accumulate(acc, arr.data as ArrayLike<number | bigint | string | null>, arr.dtype)
    done += arr.data.length
    report(options.onProgress, done, total)
    let d = starts.length - 1
    while (d >= 0) {
      starts[d] = starts[d]! + slab[d]!
      if (starts[d]! < v.shape[d]!) break
      starts[d] = 0
      d--
    }
    if (d < 0) break
  }
  const show = (x: number | bigint | string | null): number | string | null => {
    if (x === null) return null
    if (typeof x === 'bigint') return v.dtype === 'datetime64[ns]' ? formatDatetime64(x) : Number(x)
    return x
  }
  return {
    variable: v.name,
    min: show(acc.min),
    max: show(acc.max),
    mean: isTime || acc.count === 0 || typeof acc.min === 'string' ? null : acc.sum / acc.count,
    nanCount: acc.nan,
    count: acc.count,
  }
}

function accumulate(
  acc: {
    min: number | bigint | string | null
    max: number | bigint | string | null
    sum: number
    nan: number
    count: number
  },
  data: ArrayLike<number | bigint | string | null>,
  dtype: string,
): void {
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!
    if (x === null || x === NAT || (typeof x === 'number' && Number.isNaN(x))) {
      acc.nan++
      continue
    }
    acc.count++
    if (typeof x === 'number') acc.sum += dtype === 'bool' ? (x ? 1 : 0) : x
    else if (typeof x === 'bigint') acc.sum += Number(x)
    if (acc.min === null || x < acc.min) acc.min = x
    if (acc.max === null || x > acc.max) acc.max = x
  }
}
