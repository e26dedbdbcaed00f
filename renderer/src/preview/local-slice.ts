/**
 * Slicing an array held in memory exactly as 'dataset.slice' answers: the inline values of a
 * small variable, and the fake transport's in-memory datasets, go through this one function.
 */
import type { DatasetSlice, RequestOf } from '../../../shared/ipc'
import { sizeOf } from './ndarray'

/** One dimension's selection on the wire: an index, a range with a step, or null (all). */
export type DimSelection = RequestOf<'dataset.slice'>['selection'] extends (infer S)[] | undefined
  ? S
  : never

/** An array in memory: flat C-order decoded values (NaN as null, times as ISO text). */
export interface MemoryArray {
  dims: readonly string[]
  shape: readonly number[]
  dtype: string
  values: readonly unknown[]
}

type Cell = DatasetSlice['values'][number]

/** The indices one selection picks along a dimension of length n (clamped to it). */
export function pickIndices(sel: DimSelection | undefined, n: number): number[] | number {
  if (sel === null || sel === undefined) return Array.from({ length: n }, (_, i) => i)
  if (typeof sel === 'number') {
    if (sel >= n) throw new RangeError(`index ${sel} is out of range for a dimension of ${n}`)
    return sel
  }
  const step = sel.step ?? 1
  const out: number[] = []
  for (let i = sel.start; i < Math.min(sel.stop, n); i += step) out.push(i)
  return out
}

/** The elements a selection would return. */
export function selectionSize(
  shape: readonly number[],
  selection: readonly DimSelection[],
): number {
  return shape.reduce((acc, n, d) => {
    const picked = pickIndices(selection[d], n)
    return acc * (typeof picked === 'number' ? 1 : picked.length)
  }, 1)
}

/**
 * The slice of `array` under `selection`, with the kept dimensions' coordinates taken from
 * `coords` (dimension -> its 1-D decoded values). Throws a RangeError past `maxElements`.
 */
export function sliceMemoryArray(
  variable: string,
  array: MemoryArray,
  selection: readonly DimSelection[],
  coords: ReadonlyMap<string, readonly unknown[]>,
  maxElements: number,
): DatasetSlice {
  const picks = array.shape.map((n, d) => pickIndices(selection[d], n))
  const kept = picks.flatMap((p, d) => (typeof p === 'number' ? [] : [d]))
  const shape = kept.map((d) => (picks[d] as number[]).length)
  const total = sizeOf(shape)
  if (total > maxElements) {
    throw new RangeError(
      `The slice has ${total} elements, more than the ${maxElements} asked for; add a step.`,
    )
  }
  const strides = array.shape.map((_, d) => sizeOf(array.shape.slice(d + 1)))
  const values: Cell[] = new Array<Cell>(total)
  const counter = new Array<number>(kept.length).fill(0)
  for (let k = 0; k < total; k++) {
    let offset = 0
    let j = 0
    for (let d = 0; d < picks.length; d++) {
      const p = picks[d] as number[] | number
      const index = typeof p === 'number' ? p : (p[counter[j++] as number] as number)
      offset += index * (strides[d] as number)
    }
    const v = array.values[offset]
    values[k] = (v === undefined ? null : v) as Cell
    for (let i = kept.length - 1; i >= 0; i--) {
      counter[i] = (counter[i] as number) + 1
      if ((counter[i] as number) < (shape[i] as number)) break
      counter[i] = 0
    }
  }
  const outCoords = Object.create(null) as Record<string, Cell[]>
  for (const d of kept) {
    const dim = array.dims[d] as string
    const c = coords.get(dim)
    if (c) outCoords[dim] = (picks[d] as number[]).map((i) => (c[i] ?? null) as Cell)
  }
  return {
    variable,
    dims: kept.map((d) => array.dims[d] as string),
    shape,
    dtype: array.dtype,
    values,
    coords: outCoords,
    bytesRead: 0,
  }
}
