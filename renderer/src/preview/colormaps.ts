/** Colour maps (sequential and diverging) and the colour limits a heatmap uses. */
import { MISSING_RGB, VIRIDIS, type Rgb } from './plot-math'

/** A colour map: its name, whether it is diverging (centred at 0), and its stops. */
export interface Colormap {
  name: string
  diverging: boolean
  stops: readonly Rgb[]
}

// Stops sampled evenly from matplotlib's maps (9 or 11 each), interpolated linearly between.
const MAPS: readonly Colormap[] = [
  {
    name: 'viridis',
    diverging: false,
    stops: VIRIDIS,
  },
  {
    name: 'plasma',
    diverging: false,
    stops: [
      [13, 8, 135],
      [75, 3, 161],
      [125, 3, 168],
      [168, 34, 150],
      [203, 70, 121],
      [229, 107, 93],
      [248, 148, 65],
      [253, 195, 40],
      [240, 249, 33],
    ],
  },
  {
    name: 'magma',
    diverging: false,
    stops: [
      [0, 0, 4],
      [28, 16, 68],
      [79, 18, 123],
      [129, 37, 129],
      [181, 54, 122],
      [229, 80, 100],
      [251, 135, 97],
      [254, 194, 135],
      [252, 253, 191],
    ],
  },
  {
    name: 'cividis',
    diverging: false,
    stops: [
      [0, 34, 78],
      [18, 53, 112],
      [59, 73, 108],
      [87, 93, 109],
      [112, 113, 115],
      [138, 134, 120],
      [166, 157, 117],
      [198, 182, 103],
      [234, 209, 83],
      [254, 232, 56],
    ],
  },
  {
    name: 'RdBu_r',
    diverging: true,
    stops: [
      [5, 48, 97],
      [33, 102, 172],
      [67, 147, 195],
      [146, 197, 222],
      [209, 229, 240],
      [247, 247, 247],
      [253, 219, 199],
      [244, 165, 130],
      [214, 96, 77],
      [178, 24, 43],
      [103, 0, 31],
    ],
  },
]

/** The colour maps offered, sequential first. */
export const COLORMAPS: readonly Colormap[] = MAPS

/** The colour map of that name (viridis for an unknown name). */
export function colormapNamed(name: string): Colormap {
  return MAPS.find((m) => m.name === name) ?? (MAPS[0] as Colormap)
}

/** The colour at t in [0, 1] (clamped) along a map's stops. */
export function colourAt(map: Colormap, t: number): Rgb {
  const stops = map.stops
  const x = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(x))
  const f = x - i
  const a = stops[i] as Rgb
  const b = stops[i + 1] as Rgb
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ]
}

/** The colour of one value between limits; missing values (NaN) get MISSING_RGB, ±inf the ends. */
export function colourOf(map: Colormap, value: number, min: number, max: number): Rgb {
  if (Number.isNaN(value)) return MISSING_RGB
  return colourAt(map, max === min ? 0.5 : (value - min) / (max - min))
}

/** The finite values, sorted ascending (for percentiles). */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  let n = 0
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i] as number)) n++
  const out = new Float64Array(n)
  let j = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (Number.isFinite(v)) out[j++] = v
  }
  return out.sort()
}

/** The p-th percentile (0-100) of sorted values, interpolated linearly as numpy's default. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1)
  const lo = Math.floor(pos)
  const hi = Math.min(sorted.length - 1, lo + 1)
  const a = sorted[lo] as number
  return a + ((sorted[hi] as number) - a) * (pos - lo)
}

/**
 * Colour limits: robust (2nd-98th percentile, so a few outliers do not wash the map out, as
 * xarray's `robust=True`) or the full range; a diverging map is centred at 0. Null when no
 * value is finite.
 */
export function colourLimits(
  values: ArrayLike<number>,
  robust: boolean,
  diverging: boolean,
): [number, number] | null {
  const sorted = sortedFinite(values)
  if (sorted.length === 0) return null
  let lo = robust ? percentile(sorted, 2) : (sorted[0] as number)
  let hi = robust ? percentile(sorted, 98) : (sorted[sorted.length - 1] as number)
  if (diverging) {
    const m = Math.max(Math.abs(lo), Math.abs(hi))
    lo = -m
    hi = m
  }
  return [lo, hi]
}
