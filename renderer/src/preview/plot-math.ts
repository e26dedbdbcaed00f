/** The data -> pixel arithmetic of the plots: extents, scales, ticks and the colour map. */

/** An RGB colour, 0-255 each. */
export type Rgb = readonly [number, number, number]

/** The colour of missing cells (NaN, null): a neutral grey no colour-map value uses. */
export const MISSING_RGB: Rgb = [150, 150, 150]

/** The smallest and largest finite values, or null when there is none. */
export function extent(values: ArrayLike<number>): [number, number] | null {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (!Number.isFinite(v)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  return min === Infinity ? null : [min, max]
}

/** A linear map from [d0, d1] to [r0, r1]; a zero-width domain maps to the range's middle. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2
  const k = (r1 - r0) / (d1 - d0)
  return (v) => r0 + (v - d0) * k
}

/** "Nice" round tick values covering [min, max], about `count` of them (1, 2 or 5 times 10^n steps). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (min === max) return [min]
  if (min > max) [min, max] = [max, min]
  const raw = (max - min) / Math.max(1, count)
  const power = 10 ** Math.floor(Math.log10(raw))
  const error = raw / power
  const step = (error >= 7.07 ? 10 : error >= 3.16 ? 5 : error >= 1.41 ? 2 : 1) * power
  const first = Math.ceil(min / step - 1e-9)
  const last = Math.floor(max / step + 1e-9)
  const ticks: number[] = []
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)))
  return ticks
}

/** A tick label: short, no float noise (0.30000000000000004 -> 0.3), exponents when huge or tiny. */
export function formatTick(v: number): string {
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a >= 1e6 || a < 1e-4) return v.toExponential(2).replace(/\.?0+e/, 'e')
  return String(Number(v.toPrecision(6)))
}

// viridis, sampled at 9 stops (matplotlib's), interpolated linearly between them.
/** matplotlib's viridis at 9 stops (the heatmap's colour maps start from it too). */
export const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
]

/** The viridis colour at t in [0, 1] (clamped). */
export function viridis(t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1)
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x))
  const f = x - i
  const a = VIRIDIS[i] as Rgb
  const b = VIRIDIS[i + 1] as Rgb
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ]
}

/** The colour of one value on a [min, max] scale; missing values get MISSING_RGB. */
export function colourFor(value: number, min: number, max: number): Rgb {
  if (!Number.isFinite(value)) return MISSING_RGB
  return viridis(max === min ? 0.5 : (value - min) / (max - min))
}

/** `rgb(r, g, b)` for CSS and canvas. */
export function cssRgb(c: Rgb): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`
}

/** Numbers from JSON values: 'inf'/'-inf' (how the wire spells infinities) become ±Infinity; null and other strings NaN. */
export function toNumbers(values: readonly unknown[]): Float64Array {
  const out = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    out[i] =
      typeof v === 'number'
        ? v
        : typeof v === 'boolean'
          ? Number(v)
          : v === 'inf'
            ? Infinity
            : v === '-inf'
              ? -Infinity
              : NaN
  }
  return out
}

/**
 * Indices to draw when a line has more points than pixels: per pixel column, the first, the
 * min and the max point, so spikes survive and NaN gaps (kept as their own points) too.
 */
export function decimate(values: ArrayLike<number>, columns: number): number[] {
  const n = values.length
  if (n <= columns * 3) return Array.from({ length: n }, (_, i) => i)
  const out: number[] = []
  for (let c = 0; c < columns; c++) {
    const start = Math.floor((c * n) / columns)
    const end = Math.floor(((c + 1) * n) / columns)
    let lo = -1
    let hi = -1
    let gap = -1
    for (let i = start; i < end; i++) {
      const v = values[i] as number
      if (!Number.isFinite(v)) {
        if (gap === -1) gap = i
        continue
      }
      if (lo === -1 || v < (values[lo] as number)) lo = i
      if (hi === -1 || v > (values[hi] as number)) hi = i
    }
    const picks = [start, lo, hi, gap].filter((i) => i >= 0)
    out.push(...[...new Set(picks)].sort((a, b) => a - b))
  }
  return out
}
