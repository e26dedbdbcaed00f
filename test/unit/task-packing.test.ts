import { describe, expect, it } from 'vitest'
import { packResult, unpackResult } from '../../electron/ipc/task-packing.js'

const slice = (values: unknown[]) => ({
  variable: 'sst',
  dims: ['x'],
  shape: [values.length],
  dtype: 'float32',
  values,
  coords: {},
  bytesRead: 8,
})

describe('packing slices for the hop between threads', () => {
  it('sends numbers as a transferred Float64Array and gives back the same values, null kept', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? null : i / 3))
    const { value, transfer } = packResult(slice(values))
    expect(transfer).toHaveLength(1)
    expect(value).not.toHaveProperty('values')
    // What the receiving thread gets: a structured clone with the buffer moved.
    const received = structuredClone(value, { transfer })
    expect(unpackResult(received)).toEqual(slice(values))
  })

  it('leaves small slices, text values and other results as they are', () => {
    for (const v of [
      slice([1, 2, null]),
      slice(Array.from({ length: 5000 }, (_, i) => (i === 10 ? '2000-01-01' : i))),
      slice(Array.from({ length: 5000 }, (_, i) => (i === 10 ? 'inf' : i))),
      { kind: 'object', values: Array.from({ length: 5000 }, () => 1) },
      null,
    ]) {
      const { value, transfer } = packResult(v)
      expect(value).toBe(v)
      expect(transfer).toEqual([])
      expect(unpackResult(value)).toBe(v)
    }
  })
})
