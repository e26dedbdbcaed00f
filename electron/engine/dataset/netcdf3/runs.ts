import type { DimRange } from '../selection.js'

// Which byte runs of a contiguous (or record-interleaved) variable a selection covers, in the
// order the result is laid out: the trailing dimensions that are taken whole merge into one
// run with the last partial one, so a 2-D slice of a (time, lat, lon) variable is one run.

/** One contiguous stretch of bytes in the file. */
export interface Run {
  offset: number
  length: number
}

/**
 * Runs for `ranges` over a variable of `shape` starting at `begin`, with `strides` in bytes
 * per dimension (the record size for a record variable's first dimension).
 */
export function* planRuns(
  ranges: readonly DimRange[],
  shape: readonly number[],
  strides: readonly number[],
  item: number,
  isRecord: boolean,
  begin: number,
): Generator<Run> {
  const nd = shape.length
  // k: the first dimension of the run; dimensions from k on are read in one stretch.
  let k = nd
  let runElems = 1
  const lowest = isRecord ? 1 : 0
  for (let d = nd - 1; d >= lowest; d--) {
    const r = ranges[d]!
    if (r.step !== 1 && r.count > 1) break
    runElems *= r.count
    k = d
    if (!(r.start === 0 && r.count === shape[d])) break
  }
  const length = runElems * item
  const base = begin + (k < nd ? ranges[k]!.start * strides[k]! : 0)
  if (k === 0) {
    yield { offset: base, length }
    return
  }
  const idx = ranges.slice(0, k).map((r) => r.start)
  const counters = new Array<number>(k).fill(0)
  for (;;) {
    let off = base
    for (let d = 0; d < k; d++) off += idx[d]! * strides[d]!
    yield { offset: off, length }
    let d = k - 1
    while (d >= 0) {
      counters[d] = counters[d]! + 1
      if (counters[d]! < ranges[d]!.count) {
        idx[d] = idx[d]! + ranges[d]!.step
        break
      }
      counters[d] = 0
      idx[d] = ranges[d]!.start
      d--
    }
    if (d < 0) return
  }
}
