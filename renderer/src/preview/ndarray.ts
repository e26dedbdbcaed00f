/** numpy arrays in the preview's JSON form: `{dtype, shape, values}` with nested lists. */

/** A numpy array as `artifact.preview` sends it. */
export interface NdArrayJson {
  dtype: string
  shape: number[]
  values: unknown
}

/** True for the `{dtype, shape, values}` form of a numpy array. */
export function isNdArray(v: unknown): v is NdArrayJson {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const o = v as Record<string, unknown>
  return (
    typeof o.dtype === 'string' &&
    Array.isArray(o.shape) &&
    o.shape.every((n) => typeof n === 'number') &&
    'values' in o &&
    Object.keys(o).length === 3
  )
}

/** The elements in C order, as far as the (possibly truncated) nested lists go. */
export function flatValues(values: unknown, ndim: number): unknown[] {
  if (ndim === 0) return [values]
  const out: unknown[] = []
  const walk = (v: unknown, depth: number) => {
    if (depth === ndim || !Array.isArray(v)) out.push(v)
    else for (const x of v) walk(x, depth + 1)
  }
  walk(values, 0)
  return out
}

/** True for numeric and boolean dtypes, the ones a plot can draw. */
export function isNumericDtype(dtype: string): boolean {
  return /^(?:u?int\d*|float\d*|bool|[<>|=]?[iufb]\d*)$/.test(dtype)
}

/** The number of elements a shape holds. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/**
 * The flat offset of the 2-D slice that fixes the leading dimensions at `fixed` (n-D arrays
 * show one slice at a time); for 1-D and 2-D arrays it is 0.
 */
export function sliceOffset(shape: readonly number[], fixed: readonly number[]): number {
  const lead = Math.max(0, shape.length - 2)
  let offset = 0
  for (let d = 0; d < lead; d++) {
    const stride = sizeOf(shape.slice(d + 1))
    offset += (fixed[d] ?? 0) * stride
  }
  return offset
}
