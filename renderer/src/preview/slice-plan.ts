/** Which slice a heatmap asks for: its two displayed dims, the fixed indices, and a stride. */
import type { DimSelection } from './local-slice'

/** The most elements one heatmap request asks for; a bigger grid is strided under it. */
export const HEATMAP_MAX_ELEMENTS = 250_000

/** The heatmap's choice of dims: y (rows) and x (columns), and an index for every other dim. */
export interface HeatmapChoice {
  yDim: string
  xDim: string
  /** The index of each non-displayed dimension (0 when absent). */
  fixed: ReadonlyMap<string, number>
}

/** The default choice: x the last dim, y the second-to-last, every other dim at index 0. */
export function defaultChoice(dims: readonly string[]): HeatmapChoice {
  return {
    yDim: dims[dims.length - 2] as string,
    xDim: dims[dims.length - 1] as string,
    fixed: new Map(),
  }
}

/** The smallest step s with ceil(rows/s) * ceil(cols/s) <= max. */
export function strideFor(rows: number, cols: number, max = HEATMAP_MAX_ELEMENTS): number {
  let step = Math.max(1, Math.floor(Math.sqrt((rows * cols) / max)))
  while (Math.ceil(rows / step) * Math.ceil(cols / step) > max) step++
  return step
}

/** The request selection of a choice: ranges (strided) on y and x, indices elsewhere. */
export function heatmapSelection(
  dims: readonly string[],
  shape: readonly number[],
  choice: HeatmapChoice,
): { selection: DimSelection[]; step: number; transposed: boolean } {
  const yAxis = dims.indexOf(choice.yDim)
  const xAxis = dims.indexOf(choice.xDim)
  const step = strideFor(shape[yAxis] ?? 1, shape[xAxis] ?? 1)
  const selection = dims.map((d, i): DimSelection => {
    if (i === yAxis || i === xAxis)
      return step === 1 ? null : { start: 0, stop: shape[i] as number, step }
    return Math.min(choice.fixed.get(d) ?? 0, Math.max(0, (shape[i] as number) - 1))
  })
  // The slice keeps dims in the array's order: y after x means the answer is (x, y).
  return { selection, step, transposed: yAxis > xAxis }
}

/** Rows-by-columns values from a 2-D answer, transposing when it came as (x, y). */
export function orientGrid(
  values: ArrayLike<number>,
  shape: readonly number[],
  transposed: boolean,
): { values: Float64Array; rows: number; cols: number } {
  const a = shape[0] ?? 0
  const b = shape[1] ?? 0
  const out = new Float64Array(a * b)
  if (!transposed) {
    for (let i = 0; i < a * b; i++) out[i] = values[i] as number
    return { values: out, rows: a, cols: b }
  }
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++) out[j * a + i] = values[i * b + j] as number
  return { values: out, rows: b, cols: a }
}

/** "every 3rd point" and friends, for a step above 1. */
export function everyNth(step: number): string {
  const mod100 = step % 100
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][step % 10] ?? 'th')
  return `every ${step}${suffix} point`
}

/**
 * The dim a clicked cell is plotted along: the time dim if one is not displayed (by name or
 * a time dtype), else the first non-displayed dim; null for a 2-D variable.
 */
export function seriesDim(
  dims: readonly string[],
  choice: HeatmapChoice,
  isTime: (dim: string) => boolean,
): string | null {
  const rest = dims.filter((d) => d !== choice.xDim && d !== choice.yDim)
  return rest.find(isTime) ?? rest[0] ?? null
}

/** The request selection of a point series: the cell's indices, all of `along`, the rest fixed. */
export function seriesSelection(
  dims: readonly string[],
  choice: HeatmapChoice,
  cell: { y: number; x: number },
  along: string,
): DimSelection[] {
  return dims.map((d) => {
    if (d === along) return null
    if (d === choice.yDim) return cell.y
    if (d === choice.xDim) return cell.x
    return choice.fixed.get(d) ?? 0
  })
}
