/**
 * Squarified treemap layout (Bruls, Huizing and van Wijk, 2000): rectangles whose areas are
 * proportional to the values, laid out row by row so they stay as close to square as the
 * values allow, which keeps small parts clickable and their labels readable.
 */

/** A rectangle in the layout's units (pixels, or percent of the box). */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** The worst aspect ratio of a row of `areas` (sum `sum`) laid along a side of length `side`. */
function worst(max: number, min: number, sum: number, side: number): number {
  const s2 = sum * sum
  const side2 = side * side
  return Math.max((side2 * max) / s2, s2 / (side2 * min))
}

/**
 * One rectangle per value, in the order given, tiling `bounds`: each one's area is
 * value / sum(values) of the bounds' area. Values that are not positive get an empty
 * rectangle at the bounds' corner. Largest values are placed first (top left).
 */
export function squarify(values: readonly number[], bounds: Rect): Rect[] {
  const out: Rect[] = values.map(() => ({ x: bounds.x, y: bounds.y, w: 0, h: 0 }))
  let total = 0
  for (const v of values) if (v > 0 && Number.isFinite(v)) total += v
  if (total <= 0 || bounds.w <= 0 || bounds.h <= 0) return out
  const scale = (bounds.w * bounds.h) / total
  const order = values
    .map((v, i) => i)
    .filter((i) => (values[i] as number) > 0 && Number.isFinite(values[i]))
    .sort((a, b) => (values[b] as number) - (values[a] as number) || a - b)
  const free = { ...bounds }
  let row: number[] = []
  let rowSum = 0
  let rowMax = 0
  let rowMin = Infinity

  const place = (last: boolean) => {
    // Along the shorter side: a column on the left of a wide box, a row on top of a tall one.
    const vertical = free.w >= free.h
    const across = vertical ? free.w : free.h
    // The last row takes what is left, exactly: rounding never overhangs the box.
    const thickness = last ? across : Math.min(across, rowSum / (vertical ? free.h : free.w))
    let at = vertical ? free.y : free.x
    row.forEach((i, n) => {
      const area = (values[i] as number) * scale
      // The last one ends exactly at the far edge, so rounding never leaves a gap or overhang.
      const end = vertical ? free.y + free.h : free.x + free.w
      const length = n === row.length - 1 ? end - at : area / thickness
      out[i] = vertical
        ? { x: free.x, y: at, w: thickness, h: length }
        : { x: at, y: free.y, w: length, h: thickness }
      at += length
    })
    if (vertical) {
      free.x += thickness
      free.w = Math.max(0, free.w - thickness)
    } else {
      free.y += thickness
      free.h = Math.max(0, free.h - thickness)
    }
    row = []
    rowSum = 0
    rowMax = 0
    rowMin = Infinity
  }

  for (const i of order) {
    const area = (values[i] as number) * scale
    const side = Math.min(free.w, free.h)
    if (row.length > 0) {
      const now = worst(rowMax, rowMin, rowSum, side)
      const next = worst(Math.max(rowMax, area), Math.min(rowMin, area), rowSum + area, side)
      if (next > now) place(false)
    }
    row.push(i)
    rowSum += area
    rowMax = Math.max(rowMax, area)
    rowMin = Math.min(rowMin, area)
  }
  if (row.length > 0) place(true)
  return out
}
