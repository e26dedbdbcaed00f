// A slice's values cross two threads (task worker -> engine -> host), and a structured clone
// of an array of 260,000 numbers costs ~100 ms each way on a busy machine. Numbers-only values
// travel instead as a Float64Array whose buffer is transferred (no copy), null as NaN (slices
// never hold a NaN number: decoding turns it into null), and are unpacked on the engine side.

/** A slice result whose values are packed for the hop between threads. */
interface Packed {
  packedValues: Float64Array
}

const MIN_PACKED = 4096

/** The value to post and the buffers to transfer with it. */
export function packResult(value: unknown): { value: unknown; transfer: ArrayBuffer[] } {
  // Only a slice (DatasetSlice: variable, dims, shape, dtype, values) is packed.
  const slice = value as { values?: unknown; dtype?: unknown; shape?: unknown } | null
  const values = slice?.values
  if (typeof slice?.dtype !== 'string' || !Array.isArray(slice.shape))
    return { value, transfer: [] }
  if (!Array.isArray(values) || values.length < MIN_PACKED) return { value, transfer: [] }
  const packed = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i]
    if (v === null) packed[i] = NaN
    else if (typeof v === 'number' && !Number.isNaN(v)) packed[i] = v
    else return { value, transfer: [] } // text, booleans: sent as they are
  }
  const { values: _, ...rest } = value as Record<string, unknown>
  return { value: { ...rest, packedValues: packed }, transfer: [packed.buffer as ArrayBuffer] }
}

/** Undoes packResult: the values array back, NaN as null. */
export function unpackResult(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('packedValues' in value)) return value
  const { packedValues, ...rest } = value as Packed & Record<string, unknown>
  const values = new Array<number | null>(packedValues.length)
  for (let i = 0; i < packedValues.length; i++) {
    const v = packedValues[i]!
    values[i] = Number.isNaN(v) ? null : v
  }
  return { ...rest, values }
}
