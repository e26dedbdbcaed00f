import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../electron/cli/main.js'
import { registry } from '../../electron/engine/builtins.js'
import { setDatasetOps, type DatasetOps } from '../../electron/engine/dataset-ops.js'
import { toCells } from '../../electron/engine/dataset/dataset-json.js'
import type { Variable } from '../../electron/engine/dataset/model.js'
import { fixtureCopy } from '../helpers/temp.js'
import { tinyDataset } from '../helpers/tiny-dataset.js'

// `show` of datasets through the CLI's own main(), in process: the netcdf and xcollection
// serializers are replaced by ones returning a tiny in-memory dataset, and the slice/stats
// engine by a plain one, so what is pinned is the command: its flags, forms and errors.

const ops: DatasetOps = {
  async sliceVariable(ds, name, selection) {
    const v = (ds.dataVars.get(name) ?? ds.coords.get(name)) as Variable
    const a = await v.read(selection)
    const dims = v.dims.filter((_, i) => typeof selection[i] !== 'number')
    const coords: Record<string, (number | string | boolean | null)[]> = {}
    for (const d of dims) {
      const c = ds.coords.get(d)
      if (c) coords[d] = toCells(await c.read([selection[v.dims.indexOf(d)] ?? null]))
    }
    return {
      variable: name,
      dims,
      shape: a.shape,
      dtype: a.dtype,
      values: toCells(a),
      coords,
      bytesRead: 0,
    }
  },
  async variableStats(v, { onProgress }) {
    onProgress?.({ done: 12, total: 24 })
    onProgress?.({ done: 24, total: 24 })
    return { variable: v.name, min: 0, max: 23, mean: 11.8, nanCount: 1, count: 23 }
  },
}

beforeAll(() => {
  const fake = (name: string) => ({
    name,
    async dump() {},
    async load() {
      const ds = tinyDataset()
      return name === 'xcollection' ? { kind: 'collection', datasets: new Map([['m', ds]]) } : ds
    },
  })
  registry.serializers.register('xarray.netcdf', () => fake('xarray.netcdf'))
  registry.serializers.register('xarray.zarr', () => fake('xcollection'))
  setDatasetOps(ops)
})
afterAll(() => setDatasetOps(null))

/** Runs the CLI; its exit code, the lines it printed, and what it wrote to stderr. */
async function cli(...args: string[]) {
  const lines: string[] = []
  const errors: string[] = []
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    errors.push(String(s))
    return true
  })
  try {
    const code = await main(args, (s) => lines.push(s))
    return { code, out: lines.join('\n'), err: errors.join('') }
  } finally {
    spy.mockRestore()
  }
}

let cache = ''
beforeAll(async () => {
  cache = await fixtureCopy()
})
const NC = 'sst-monthly.nc'
// Stands in for a collection: the fake zarr serializer returns one.
const COLL = 'sst-monthly.zarr'

describe('show of a dataset', () => {
  it('prints the structure as xarray does, control characters escaped', async () => {
    const { code, out } = await cli('show', cache, NC)
    expect(code).toBe(0)
    expect(out).toContain('  * time    (time) datetime64[ns] 2000-01-01 2000-01-02 2000-01-03')
    expect(out).toContain('    sst     (time, lat, lon) float32 0 1 2 3 ...')
    expect(out).toContain('title:   tiny\\x1b[31m sst')
  })

  it('--json prints the dataset form, and a collection form with its members', async () => {
    const ds = JSON.parse((await cli('show', cache, NC, '--json')).out)
    expect(ds).toMatchObject({
      kind: 'dataset',
      dims: { time: 3, lat: 2, lon: 4 },
      attrs: { title: 'tiny\x1b[31m sst' },
    })
    expect(ds.data_vars.sst.values[0][1]).toEqual([4, null, 6, 7])
    expect(ds.totalBytes).toBeGreaterThan(0)
    const coll = JSON.parse((await cli('show', cache, COLL, '--json')).out)
    expect(coll.kind).toBe('collection')
    expect(Object.keys(coll.datasets)).toEqual(['m'])
    expect(coll.datasets.m.coords.lat.values).toEqual([-10, 10])
    const member = JSON.parse((await cli('show', cache, COLL, '--json', '--member', 'm')).out)
    expect(member.kind).toBe('dataset')
  })

  it('--slice prints a grid, a list, or the DatasetSlice JSON', async () => {
    const grid = await cli('show', cache, NC, '--slice', 'sst:time=1')
    expect(grid.out.split('\n')).toEqual([
      'sst (lat, lon) float32 [2 x 4]',
      'lat\\lon  0  1  2  3',
      '    -10  8  9 10 11',
      '     10 12 13 14 15',
    ])
    const list = await cli('show', cache, NC, '--slice', 'sst:lat=0,lon=1')
    expect(list.out.split('\n').slice(2)).toEqual([
      '2000-01-01T00:00:00  1',
      '2000-01-02T00:00:00  9',
      '2000-01-03T00:00:00  17',
    ])
    const json = JSON.parse(
      (await cli('show', cache, NC, '--slice', 'sst:time=0:3:2,lat=1', '--json')).out,
    )
    expect(json).toMatchObject({
      dims: ['time', 'lon'],
      shape: [2, 4],
      values: [4, null, 6, 7, 20, 21, 22, 23],
    })
  })

  it('--stats prints min, max, mean and the NaN count', async () => {
    const { code, out } = await cli('show', cache, NC, '--stats', 'sst')
    expect(code).toBe(0)
    expect(out.split('\n')).toEqual([
      'sst (time, lat, lon) float32',
      'min    0',
      'max    23',
      'mean   11.8',
      'NaN    1 of 24',
    ])
  })

  it('--stats shows progress on stderr only when it is a terminal', async () => {
    expect((await cli('show', cache, NC, '--stats', 'sst')).err).toBe('')
    const was = process.stderr.isTTY
    process.stderr.isTTY = true
    try {
      const { err, out } = await cli('show', cache, NC, '--stats', 'sst')
      expect(err).toBe('\rstatistics of sst: 50%\rstatistics of sst: 100%\r\x1b[K')
      expect(out).toContain('NaN    1 of 24')
    } finally {
      process.stderr.isTTY = was
    }
  })

  it('errors say which flag was wrong and what is valid', async () => {
    const cases: [string[], RegExp, number][] = [
      [
        ['--slice', 'temp'],
        /--slice: no variable "temp"; data variables: "sst"; coordinates: "time", "lat"/,
        1,
      ],
      [
        ['--slice', 'sst:depth=0'],
        /--slice: sst has no dimension "depth"; its dimensions are time \(3\)/,
        1,
      ],
      [
        ['--slice', 'sst:time=9'],
        /index 9 is out of range for time, which has 3 elements \(valid: 0 to 2\)/,
        1,
      ],
      [['--slice', 'sst:time=a'], /--slice takes VAR or VAR:DIM=I/, 2],
      [['--stats', 'nope'], /--stats: no variable "nope"/, 1],
      [
        ['--member', 'm', '--stats', 'sst'],
        /single dataset, not a collection; leave out --member/,
        1,
      ],
      [['--slice', 'sst', '--stats', 'sst'], /give --slice or --stats, not both/, 2],
    ]
    for (const [args, message, code] of cases) {
      const r = await cli('show', cache, NC, ...args)
      expect(r.code, args.join(' ')).toBe(code)
      expect(r.err, args.join(' ')).toMatch(message)
    }
    const noMember = await cli('show', cache, COLL, '--slice', 'sst')
    expect(noMember.err).toMatch(
      /collection of datasets; choose one with --member \(its members: "m"\)/,
    )
    const table = await cli('show', cache, 'stations.csv', '--stats', 'x')
    expect(table.code).toBe(2)
    expect(table.err).toMatch(
      /'stations.csv' is not a dataset; --slice, --stats and --member need one/,
    )
  })
})
