import { InvalidArgumentError } from '../errors.js'
import type { Selection } from './model.js'

/** One dimension of a checked selection: indices start, start+step, ... below stop. */
export interface DimRange {
  start: number
  stop: number
  step: number
  /** Number of indices taken. */
  count: number
  /** True when the selection was a single index: the dimension is dropped from the result. */
  drop: boolean
}

/** A selection checked against a shape: one range per dimension, and the result's shape. */
export interface NormalizedSelection {
  ranges: DimRange[]
  /** Shape of the result: the counts of the dimensions that are not dropped. */
  shape: number[]
  /** Number of elements in the result. */
  size: number
}

/**
 * Checks `selection` against `shape` (missing and null entries take the whole dimension;
 * ranges are clamped to the dimension, as numpy slicing is; an index out of range is an error
 * naming the dimension) and returns one range per dimension.
 */
export function normalizeSelection(
  shape: readonly number[],
  selection: Selection = [],
  dims: readonly string[] = [],
): NormalizedSelection {
  if (selection.length > shape.length) {
    throw new InvalidArgumentError(
      `The selection has ${selection.length} parts but the variable has ${shape.length} dimensions` +
        (dims.length ? ` (${dims.join(', ')})` : '') +
        '; give at most one part per dimension.',
    )
  }
  const ranges: DimRange[] = []
  const out: number[] = []
  shape.forEach((n, i) => {
    const sel = selection[i]
    const name = dims[i] ?? `dimension ${i}`
    if (typeof sel === 'number') {
      if (!Number.isInteger(sel) || sel < 0 || sel >= n) {
        throw new InvalidArgumentError(
          `Index ${sel} is out of range for ${name}, which has ${n} elements (0 to ${n - 1}).`,
        )
      }
      ranges.push({ start: sel, stop: sel + 1, step: 1, count: 1, drop: true })
      return
    }
    const step = sel?.step ?? 1
    if (!Number.isInteger(step) || step < 1) {
      throw new InvalidArgumentError(`The step for ${name} must be a whole number of at least 1.`)
    }
    const start = Math.min(Math.max(sel?.start ?? 0, 0), n)
    const stop = Math.min(Math.max(sel?.stop ?? n, start), n)
    const count = Math.ceil((stop - start) / step)
    ranges.push({ start, stop, step, count, drop: false })
    out.push(count)
  })
  return { ranges, shape: out, size: ranges.reduce((a, r) => a * r.count, 1) }
}
