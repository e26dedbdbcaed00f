// How one read drives zarrita: a bounded queue (zarrita starts every chunk of a selection at
// once) and, for stepped selections, runs of indices that each stay inside one chunk.
import * as zarr from 'zarrita'
import type { NdArray } from '../model.js'
import { sizeOf } from '../model.js'
import type { DimRange } from '../selection.js'

/** Chunks fetched and decoded at once by one read: memory holds a few chunks, not all. */
export const CHUNKS_IN_FLIGHT = 4

/** A zarrita queue that runs a few chunks at a time. */
export function boundedQueue() {
  let running = 0
  const waiting: (() => void)[] = []
  const all: Promise<void>[] = []
  return {
    add(fn: () => Promise<void>): void {
      all.push(
        (async () => {
          if (running >= CHUNKS_IN_FLIGHT) await new Promise<void>((wake) => waiting.push(wake))
          running++
          try {
            await fn()
          } finally {
            running--
            waiting.shift()?.()
          }
        })(),
      )
    },
    onIdle: () => Promise.all(all),
  }
}

/** A run of selected indices of one dimension, inside one chunk. */
export interface Segment {
  sel: number | zarr.Slice
  /** Offset of this run in the result's dimension. */
  at: number
  count: number
  drop: boolean
}

/**
 * A dimension's selection as runs that each stay inside one chunk (only where a step > 1
 * would otherwise make zarrita fetch chunks holding none of the selected indices).
 */
export function segments(r: DimRange, chunk: number): Segment[] {
  if (r.drop) return [{ sel: r.start, at: 0, count: 1, drop: true }]
  const whole = [{ sel: zarr.slice(r.start, r.stop, r.step), at: 0, count: r.count, drop: false }]
  if (r.step <= 1) return whole
  const out: Segment[] = []
  for (let k = 0; k < r.count;) {
    const first = r.start + k * r.step
    const end = Math.min(r.stop, (Math.floor(first / chunk) + 1) * chunk)
    const n = Math.ceil((end - first) / r.step)
    out.push({
      sel: zarr.slice(first, first + (n - 1) * r.step + 1, r.step),
      at: k,
      count: n,
      drop: false,
    })
    k += n
  }
  return out
}

/** Every combination of one run per dimension. */
export function* product(parts: Segment[][]): Generator<Segment[]> {
  const idx = parts.map(() => 0)
  for (;;) {
    yield parts.map((p, d) => p[idx[d] as number] as Segment)
    let d = parts.length - 1
    for (; d >= 0; d--) {
      if (++(idx[d] as number) < (parts[d] as Segment[]).length) break
      idx[d] = 0
    }
    if (d < 0) return
  }
}

// Copies a C-order block into the C-order result at the segments' offsets.
/** Copies a C-order block into the C-order result at the runs' offsets. */
export function place(
  out: NdArray['data'],
  shape: number[],
  block: NdArray['data'],
  segs: Segment[],
): void {
  const rank = shape.length
  const strides = shape.map((_, i) => sizeOf(shape.slice(i + 1)))
  const counts = segs.map((s) => s.count)
  const idx = new Array(rank).fill(0)
  const o = out as unknown as unknown[]
  const b = block as unknown as unknown[]
  for (let k = 0, n = sizeOf(counts); k < n; k++) {
    let off = 0
    for (let d = 0; d < rank; d++)
      off += ((segs[d] as Segment).at + idx[d]) * (strides[d] as number)
    o[off] = b[k]
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < (counts[d] as number)) break
      idx[d] = 0
    }
  }
}
