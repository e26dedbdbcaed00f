import { describe, expect, it } from 'vitest'
import { UsageError } from '../../electron/cli/args.js'
import { datasetText, float32Text, sliceText } from '../../electron/cli/dataset-text.js'
import { parseSliceSpec, selectionOf } from '../../electron/cli/slice-spec.js'
import { checkSliceSize, findVariable, pickMember } from '../../electron/engine/dataset-access.js'
import { createDataset } from '../../electron/engine/dataset/memory.js'
import { tinyDataset } from '../helpers/tiny-dataset.js'

const CLI = { member: '--member', variable: '--slice' }

describe('--slice parsing', () => {
  it('reads indices, ranges and steps by dimension name', () => {
    const spec = parseSliceSpec('sst:time=1,lat=0:2,lon=0:4:2')
    expect(spec.variable).toBe('sst')
    expect([...spec.parts]).toEqual([
      ['time', 1],
      ['lat', { start: 0, stop: 2 }],
      ['lon', { start: 0, stop: 4, step: 2 }],
    ])
    const sst = tinyDataset().dataVars.get('sst')!
    expect(selectionOf(parseSliceSpec('sst:lon=1'), sst)).toEqual([null, null, 1])
    expect(selectionOf(parseSliceSpec('sst'), sst)).toEqual([null, null, null])
  })

  it('says what the format is for bad syntax', () => {
    for (const bad of [':time=1', 'sst:time', 'sst:time=x', 'sst:time=1:2:3:4', 'sst:time=-1']) {
      expect(() => parseSliceSpec(bad), bad).toThrow(UsageError)
      expect(() => parseSliceSpec(bad), bad).toThrow(/--slice takes VAR/)
    }
    expect(() => parseSliceSpec('sst:lat=0:2:0')).toThrow(/step of lat must be at least 1/)
    expect(() => parseSliceSpec('sst:lat=1,lat=0')).toThrow(/names lat twice/)
  })

  it('names the valid dimensions and index range', () => {
    const sst = tinyDataset().dataVars.get('sst')!
    expect(() => selectionOf(parseSliceSpec('sst:depth=0'), sst)).toThrow(
      /--slice: sst has no dimension "depth"; its dimensions are time \(3\), lat \(2\), lon \(4\)/,
    )
    expect(() => selectionOf(parseSliceSpec('sst:time=3'), sst)).toThrow(
      /index 3 is out of range for time, which has 3 elements \(valid: 0 to 2\)/,
    )
  })

  it('refuses a slice over the limit, suggesting a step', () => {
    const sst = tinyDataset().dataVars.get('sst')!
    expect(() => checkSliceSize(sst, [null, null, null], 10, CLI)).toThrow(
      /has 24 elements, over the limit of 10\. Pass a step \(for example lon=0:4:3\)/,
    )
    expect(() => checkSliceSize(sst, [0, null, null], 10, CLI)).not.toThrow()
  })
})

describe('finding the variable', () => {
  it('lists the variables and members there are', () => {
    const ds = tinyDataset()
    expect(findVariable(ds, 'lat', CLI).name).toBe('lat')
    expect(() => findVariable(ds, 'temp', CLI)).toThrow(
      /--slice: no variable "temp"; data variables: "sst"; coordinates: "time", "lat"/,
    )
    const coll = { kind: 'collection', datasets: new Map([['a', ds]]) }
    expect(pickMember(coll, 'a', CLI)).toBe(ds)
    expect(() => pickMember(coll, undefined, CLI)).toThrow(/choose one with --member .*"a"/)
    expect(() => pickMember(coll, 'b', CLI)).toThrow(/no member "b"; its members: "a"/)
    expect(() => pickMember(ds, 'a', CLI)).toThrow(/single dataset.*leave out --member/)
  })
})

describe('text forms', () => {
  it('prints float32 values as numpy does (shortest text that reads back the same)', () => {
    expect(float32Text(Math.fround(0.1))).toBe('0.1')
    expect(float32Text(Math.fround(27.128202))).toBe('27.128202')
    expect(float32Text(Math.fround(1e-8))).toBe('1e-8')
    expect(float32Text(-30)).toBe('-30')
    expect([NaN, Infinity, -Infinity].map(float32Text)).toEqual(['nan', 'inf', '-inf'])
  })

  it("draws the structure as xarray's repr does, with first values", async () => {
    const text = await datasetText(tinyDataset())
    expect(text.split('\n')).toEqual([
      '<xarray.Dataset>',
      'Dimensions:  (time: 3, lat: 2, lon: 4)',
      'Coordinates:',
      '  * time    (time) datetime64[ns] 2000-01-01 2000-01-02 2000-01-03',
      '  * lat     (lat) float32 -10 10',
      'Dimensions without coordinates: lon',
      'Data variables:',
      '    sst     (time, lat, lon) float32 0 1 2 3 ...',
      'Attributes:',
      '    title:   tiny\x1b[31m sst',
    ])
  })

  it('prints a short 1-D coordinate whole and elides only a long one, as xarray does', async () => {
    const line = (n: number) => ({
      dims: ['x'],
      data: {
        dtype: 'float32',
        shape: [n],
        data: Float32Array.from({ length: n }, (_, i) => i * 72),
      },
    })
    const short = await datasetText(createDataset({ coords: { x: line(5) }, dataVars: {} }))
    expect(short).toContain('(x) float32 0 72 144 216 288')
    const long = await datasetText(createDataset({ coords: { x: line(9) }, dataVars: {} }))
    expect(long).toContain('(x) float32 0 72 144 ... 576')
  })

  it('prints a 2-D slice as a grid labelled by coordinates, a 1-D slice as a list', () => {
    const grid = sliceText({
      variable: 'sst',
      dims: ['lat', 'lon'],
      shape: [2, 2],
      dtype: 'float32',
      values: [0, 1, null, 3],
      coords: { lat: [-10, 10] },
      bytesRead: 0,
    })
    expect(grid.split('\n')).toEqual([
      'sst (lat, lon) float32 [2 x 2]',
      'lat\\lon   0   1',
      '    -10   0   1',
      '     10 nan   3',
    ])
    const list = sliceText({
      variable: 'sst',
      dims: ['time'],
      shape: [2],
      dtype: 'float32',
      values: [4, 12],
      coords: { time: ['2000-01-01', '2000-01-02'] },
      bytesRead: 0,
    })
    expect(list.split('\n')).toEqual([
      'sst (time) float32 [2]',
      '      time  sst',
      '2000-01-01  4',
      '2000-01-02  12',
    ])
  })
})
