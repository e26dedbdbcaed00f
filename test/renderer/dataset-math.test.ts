import { describe, expect, it } from 'vitest'
import {
  colourLimits,
  colormapNamed,
  percentile,
  sortedFinite,
} from '../../renderer/src/preview/colormaps'
import { coordLabel } from '../../renderer/src/preview/dataset-model'
import {
  coastlineIndexLines,
  fractionalIndex,
  isLatitude,
  isLongitude,
  wrapLongitude,
} from '../../renderer/src/preview/geo'
import { cellPixels } from '../../renderer/src/preview/Heatmap'
import { sliceMemoryArray } from '../../renderer/src/preview/local-slice'
import { MISSING_RGB, toNumbers } from '../../renderer/src/preview/plot-math'
import {
  everyNth,
  heatmapSelection,
  orientGrid,
  seriesDim,
  strideFor,
} from '../../renderer/src/preview/slice-plan'

describe('colour limits', () => {
  // 0..99 plus two wild outliers: robust limits ignore them, the full range does not.
  const values = [...Array.from({ length: 100 }, (_, i) => i), -1e6, 1e6, NaN]

  it('robust limits are the 2nd and 98th percentiles, like numpy; full is min and max', () => {
    const sorted = sortedFinite(values)
    expect(sorted.length).toBe(102)
    expect(percentile(sortedFinite([1, 2, 3, 4]), 50)).toBe(2.5)
    const robust = colourLimits(values, true, false) as [number, number]
    expect(robust[0]).toBeCloseTo(percentile(sorted, 2))
    expect(robust[0]).toBeGreaterThan(0)
    expect(robust[1]).toBeLessThan(100)
    expect(colourLimits(values, false, false)).toEqual([-1e6, 1e6])
    expect(colourLimits([NaN, NaN], true, false)).toBeNull()
  })

  it('a diverging map is centred at 0', () => {
    expect(colourLimits([-2, 5, 1], false, true)).toEqual([-5, 5])
    expect(colormapNamed('RdBu_r').diverging).toBe(true)
    expect(colormapNamed('nonsense').name).toBe('viridis')
  })

  it('NaN cells get the missing colour, which no viridis cell has', () => {
    const px = cellPixels({
      values: [0, NaN, 1, 0.5],
      rows: 2,
      cols: 2,
      min: 0,
      max: 1,
      flipY: false,
      colormap: colormapNamed('viridis'),
    })
    expect([...px.slice(4, 7)]).toEqual([...MISSING_RGB])
    expect([...px.slice(0, 3)]).toEqual([68, 1, 84])
    expect([...px.slice(8, 11)]).toEqual([253, 231, 37])
  })

  it("infinities (sent as 'inf'/'-inf') take the ends of the map, not the NaN colour", () => {
    expect([...toNumbers(['inf', '-inf', null, 'x', 2])]).toEqual([
      Infinity,
      -Infinity,
      NaN,
      NaN,
      2,
    ])
    const px = cellPixels({
      values: [Infinity, -Infinity],
      rows: 1,
      cols: 2,
      min: 0,
      max: 1,
      flipY: false,
      colormap: colormapNamed('viridis'),
    })
    expect([...px.slice(0, 3)]).toEqual([253, 231, 37])
    expect([...px.slice(4, 7)]).toEqual([68, 1, 84])
  })
})

describe('slice planning', () => {
  it('strides a 1000 x 2000 grid to every 3rd point, under 250k elements', () => {
    expect(strideFor(1000, 2000)).toBe(3)
    const plan = heatmapSelection(['time', 'y', 'x'], [5, 1000, 2000], {
      yDim: 'y',
      xDim: 'x',
      fixed: new Map([['time', 2]]),
    })
    expect(plan.step).toBe(3)
    expect(plan.selection).toEqual([
      2,
      { start: 0, stop: 1000, step: 3 },
      { start: 0, stop: 2000, step: 3 },
    ])
    expect(Math.ceil(1000 / 3) * Math.ceil(2000 / 3)).toBeLessThanOrEqual(250_000)
    expect(strideFor(100, 200)).toBe(1)
    expect(everyNth(3)).toBe('every 3rd point')
    expect(everyNth(2)).toBe('every 2nd point')
    expect(everyNth(11)).toBe('every 11th point')
  })

  it('y after x in the array order comes back transposed, and is turned the right way', () => {
    const plan = heatmapSelection(['a', 'b'], [2, 3], { yDim: 'b', xDim: 'a', fixed: new Map() })
    expect(plan.transposed).toBe(true)
    // the answer is (a, b) = 2 x 3; the heatmap wants rows b, columns a
    const grid = orientGrid([1, 2, 3, 4, 5, 6], [2, 3], true)
    expect(grid.rows).toBe(3)
    expect(grid.cols).toBe(2)
    expect([...grid.values]).toEqual([1, 4, 2, 5, 3, 6])
  })

  it('a point series runs along time when time is not displayed, else the first other dim', () => {
    const choice = { yDim: 'lat', xDim: 'lon', fixed: new Map() }
    expect(seriesDim(['member', 'time', 'lat', 'lon'], choice, (d) => d === 'time')).toBe('time')
    expect(seriesDim(['member', 'lat', 'lon'], choice, () => false)).toBe('member')
    expect(seriesDim(['lat', 'lon'], choice, () => false)).toBeNull()
  })

  it('the in-memory slicer keeps ranged dims, drops indexed ones, and strides', () => {
    const values = Array.from({ length: 24 }, (_, i) => i)
    const s = sliceMemoryArray(
      'v',
      { dims: ['t', 'y', 'x'], shape: [2, 3, 4], dtype: 'int64', values },
      [1, { start: 0, stop: 3, step: 2 }, null],
      new Map([['y', [10, 20, 30]]]),
      100,
    )
    expect(s.dims).toEqual(['y', 'x'])
    expect(s.shape).toEqual([2, 4])
    expect(s.values).toEqual([12, 13, 14, 15, 20, 21, 22, 23])
    expect(s.coords).toEqual({ y: [10, 30] })
    expect(() =>
      sliceMemoryArray(
        'v',
        { dims: ['t'], shape: [24], dtype: 'int64', values },
        [null],
        new Map(),
        5,
      ),
    ).toThrow(/more than the 5/)
  })

  it('dates read as dates; times keep their hour', () => {
    expect(coordLabel('2021-03-01T00:00:00')).toBe('2021-03-01')
    expect(coordLabel('2021-03-01T00:00:00.000000000')).toBe('2021-03-01')
    expect(coordLabel('2021-03-01T06:30:00')).toBe('2021-03-01T06:30')
    expect(coordLabel(null)).toBe('NaN')
    expect(coordLabel(0.1 + 0.2)).toBe('0.3')
  })
})

describe('latitude and longitude detection', () => {
  it('CF standard_name decides first, even against the name', () => {
    expect(isLatitude({ name: 'y', attrs: { standard_name: 'latitude' } })).toBe(true)
    expect(isLongitude({ name: 'x', attrs: { standard_name: 'longitude' } })).toBe(true)
    expect(isLatitude({ name: 'lat', attrs: { standard_name: 'grid_latitude' } })).toBe(false)
    expect(isLatitude({ name: 'lat', attrs: { standard_name: 'projection_y_coordinate' } })).toBe(
      false,
    )
  })

  it('units degrees_north / degrees_east and their variants', () => {
    for (const u of [
      'degrees_north',
      'degree_north',
      'degree_N',
      'degrees_N',
      'degreeN',
      'degreesN',
    ])
      expect(isLatitude({ name: 'nav', attrs: { units: u } })).toBe(true)
    for (const u of ['degrees_east', 'degree_east', 'degree_E', 'degrees_E', 'degreeE', 'degreesE'])
      expect(isLongitude({ name: 'nav', attrs: { units: u } })).toBe(true)
    expect(isLatitude({ name: 'lat', attrs: { units: 'degrees_east' } })).toBe(false)
  })

  it('axis Y / X when the units do not contradict it', () => {
    expect(isLatitude({ name: 'row', attrs: { axis: 'Y' } })).toBe(true)
    expect(isLongitude({ name: 'col', attrs: { axis: 'X', units: 'degrees' } })).toBe(true)
    expect(isLatitude({ name: 'y', attrs: { axis: 'Y', units: 'm' } })).toBe(false)
    expect(isLongitude({ name: 'lon', attrs: { axis: 'Y' } })).toBe(false)
  })

  it('the names lat/lon/latitude/longitude only as a last resort', () => {
    expect(isLatitude({ name: 'lat' })).toBe(true)
    expect(isLatitude({ name: 'Latitude', attrs: {} })).toBe(true)
    expect(isLongitude({ name: 'lon' })).toBe(true)
    expect(isLongitude({ name: 'longitude' })).toBe(true)
    expect(isLatitude({ name: 'y' })).toBe(false)
    expect(isLongitude({ name: 'lon', attrs: { units: 'km' } })).toBe(false)
    // An attribute named like an Object.prototype member is data, not a function.
    expect(
      isLatitude({ name: 'x', attrs: Object.assign(Object.create(null), { constructor: 'Y' }) }),
    ).toBe(false)
  })
})

describe('coastlines on the grid', () => {
  it('wraps longitudes onto a 0..360 grid and a -180..180 grid', () => {
    expect(wrapLongitude(-170, 0)).toBe(190)
    expect(wrapLongitude(190, -180)).toBe(-170)
    expect(wrapLongitude(10, 0)).toBe(10)
    expect(wrapLongitude(-180, -180)).toBe(-180)
  })

  it('fractional indices along ascending, descending and irregular coordinates', () => {
    expect(fractionalIndex([0, 10, 20], 15)).toBe(1.5)
    expect(fractionalIndex([90, 0, -90], 45)).toBe(0.5)
    expect(fractionalIndex([90, 0, -90], -90)).toBe(2)
    expect(fractionalIndex([0, 1, 10], 5.5)).toBe(1.5)
  })

  it('maps a coastline in -180..180 onto a 0..360 grid with descending latitudes, broken at the seam', () => {
    const lons = Array.from({ length: 36 }, (_, i) => i * 10) // 0..350
    const lats = [60, 30, 0, -30, -60] // descending
    // A line from 170 E across the date line to 170 W, then on to 10 W, across 0 to 20 E.
    const line = [
      [170, 30],
      [-170, 30],
      [-10, 0],
      [10, 0],
      [20, 0],
    ]
    // 170 -> 190 is continuous on a 0..360 grid; 350 -> 10 jumps the seam and breaks there.
    expect(coastlineIndexLines([line], lons, lats)).toEqual([
      [
        [17, 1],
        [19, 1],
        [35, 2],
      ],
      [
        [1, 2],
        [2, 2],
      ],
    ])
    // On a -180..180 grid the same line breaks at the date line instead (a lone point is dropped).
    const lons180 = Array.from({ length: 36 }, (_, i) => -180 + i * 10)
    expect(coastlineIndexLines([line], lons180, lats)).toEqual([
      [
        [1, 1],
        [17, 2],
        [19, 2],
        [20, 2],
      ],
    ])
  })
})
