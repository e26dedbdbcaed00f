import { describe, expect, it } from 'vitest'
import {
  flatValues,
  isNdArray,
  isNumericDtype,
  sliceOffset,
} from '../../renderer/src/preview/ndarray'
import {
  MISSING_RGB,
  colourFor,
  decimate,
  extent,
  formatTick,
  linearScale,
  niceTicks,
  toNumbers,
  viridis,
} from '../../renderer/src/preview/plot-math'
import {
  coordValues,
  datasetVariables,
  inlineValues,
} from '../../renderer/src/preview/dataset-model'
import { formatAge, formatBytes } from '../../renderer/src/ui/format'

describe('colour scale', () => {
  it('maps the ends and middle of the range to viridis, clamping outside', () => {
    expect(viridis(0)).toEqual([68, 1, 84])
    expect(viridis(1)).toEqual([253, 231, 37])
    expect(viridis(0.5)).toEqual([33, 144, 141])
    expect(viridis(-3)).toEqual(viridis(0))
    expect(viridis(7)).toEqual(viridis(1))
    expect(colourFor(10, 0, 10)).toEqual([253, 231, 37])
    expect(colourFor(5, 0, 10)).toEqual([33, 144, 141])
  })

  it('gives missing values their own colour, and a flat field the middle colour', () => {
    expect(colourFor(NaN, 0, 1)).toEqual(MISSING_RGB)
    expect(colourFor(Infinity, 0, 1)).toEqual(MISSING_RGB)
    expect(colourFor(3, 3, 3)).toEqual(viridis(0.5))
    expect(MISSING_RGB).not.toEqual(viridis(0))
  })
})

describe('axes', () => {
  it('nice ticks use 1, 2 or 5 times a power of ten and stay inside the range', () => {
    expect(niceTicks(0, 11, 5)).toEqual([0, 2, 4, 6, 8, 10])
    expect(niceTicks(-1, 1, 5)).toEqual([-1, -0.5, 0, 0.5, 1])
    expect(niceTicks(0, 199, 5)).toEqual([0, 50, 100, 150])
    expect(niceTicks(0.1, 0.3, 4)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3])
    expect(niceTicks(5, 5)).toEqual([5])
    expect(niceTicks(NaN, 1)).toEqual([])
  })

  it('linear scales map data to pixels, flipped for y', () => {
    const y = linearScale(0, 10, 200, 0)
    expect(y(0)).toBe(200)
    expect(y(10)).toBe(0)
    expect(y(2.5)).toBe(150)
    expect(linearScale(4, 4, 0, 100)(4)).toBe(50)
  })

  it('tick labels carry no float noise and switch to exponents at the extremes', () => {
    expect(formatTick(0.30000000000000004)).toBe('0.3')
    expect(formatTick(1234567)).toBe('1.23e+6')
    expect(formatTick(0.00001)).toBe('1e-5')
    expect(formatTick(0)).toBe('0')
  })

  it('extent ignores missing values', () => {
    expect(extent(toNumbers([3, null, -1, 'x', 8]))).toEqual([-1, 8])
    expect(extent(toNumbers([null, null]))).toBeNull()
  })

  it('decimation keeps spikes and gaps, and leaves short lines alone', () => {
    expect(decimate([1, 2, 3], 100)).toEqual([0, 1, 2])
    const long = Array.from({ length: 10_000 }, (_, i) => (i === 5000 ? 100 : i === 7000 ? NaN : 0))
    const kept = decimate(long, 50)
    expect(kept.length).toBeLessThan(250)
    expect(kept).toContain(5000)
    expect(kept).toContain(7000)
  })
})

describe('numpy arrays and datasets', () => {
  it('recognises the {dtype, shape, values} form and flattens it in C order', () => {
    const a = {
      dtype: 'int32',
      shape: [2, 2],
      values: [
        [1, 2],
        [3, 4],
      ],
    }
    expect(isNdArray(a)).toBe(true)
    expect(isNdArray({ dtype: 'x', shape: [1], values: [], extra: 1 })).toBe(false)
    expect(flatValues(a.values, 2)).toEqual([1, 2, 3, 4])
    expect(flatValues(7, 0)).toEqual([7])
    expect(isNumericDtype('float32')).toBe(true)
    expect(isNumericDtype('<f8')).toBe(true)
    expect(isNumericDtype('str32')).toBe(false)
    expect(sliceOffset([4, 3, 2], [2])).toBe(12)
  })

  it('normalises dataset variables; index coordinates first; inline values like xarray', () => {
    const { coords, dataVars } = datasetVariables({
      kind: 'dataset',
      dims: { x: 10 },
      coords: {
        label: { dims: ['x'], dtype: 'object' },
        x: { dims: ['x'], dtype: 'int64', values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
      },
      data_vars: { v: { dims: 'x', dtype: 'float32' } },
      attrs: {},
      bytesRead: 0,
      totalBytes: 0,
      notes: [],
    })
    expect(coords.map((c) => [c.name, c.isIndex])).toEqual([
      ['x', true],
      ['label', false],
    ])
    expect(dataVars[0]).toMatchObject({ name: 'v', dims: ['x'], shape: [10], attrs: {} })
    expect(inlineValues(coords[0]?.values)).toBe('0 1 2 ... 7 8 9')
    expect(coordValues(coords)).toEqual({ x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] })
  })
})

describe('formatting', () => {
  it('sizes in decimal units, ages in words', () => {
    expect(formatBytes(295)).toBe('295 B')
    expect(formatBytes(1_400_000)).toBe('1.4 MB')
    expect(formatBytes(52_000_000)).toBe('52.0 MB')
    const now = Date.UTC(2024, 0, 10)
    expect(formatAge(now - 30_000, now)).toBe('just now')
    expect(formatAge(now - 3 * 3600_000, now)).toBe('3 h ago')
    expect(formatAge(now - 2 * 86_400_000, now)).toBe('2 d ago')
    expect(formatAge(now - 120 * 86_400_000, now)).toBe('3 mo ago')
    expect(formatAge(null, now)).toBe('—')
  })
})
