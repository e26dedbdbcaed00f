import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import type {
  EncodedDataset,
  EncodedVariable,
  SourceDataset,
} from '../../../electron/engine/dataset/model.js'
import { openNetcdf4, writeNetcdf4 } from '../../../electron/engine/dataset/netcdf4/index.js'
import { loadH5 } from '../../../electron/engine/dataset/netcdf4/h5.js'
import type { Target } from '../../../electron/engine/serializers/serializer.js'
import { decodeDataset } from '../../../electron/engine/dataset/cf-decode.js'
import { dumpNetcdf } from '../../../electron/engine/serializers/xarray/netcdf-dump.js'
import { FIXTURE_CACHE, REPO, tempDir } from '../../helpers/temp.js'

// What the writer puts must open in xarray, through netCDF-C and through h5netcdf, as the same
// dataset: Python files are read with the reader, written back with the writer, and
// netcdf4_check.py compares the two with both engines.
const PYTHON = path.join(REPO, '.venv-interop', 'bin', 'python')
const hasPython = existsSync(PYTHON)
const HERE = path.join(REPO, 'test', 'unit', 'dataset')

let dir = ''
let local: LocalBackend
beforeAll(async () => {
  if (!hasPython) return
  dir = await tempDir('xp-nc4w-')
  execFileSync(PYTHON, [path.join(HERE, 'netcdf4_files.py'), dir], { encoding: 'utf8' })
  local = await LocalBackend.open(dir)
}, 120_000)

const target = (p: string): Target => ({ backend: local, path: p, putMode: 'create' })

/** The stored dataset as a writer's input, values read whole. */
async function encoded(src: SourceDataset): Promise<EncodedDataset> {
  const variables: EncodedVariable[] = []
  for (const v of src.variables) {
    variables.push({
      name: v.name,
      dims: v.dims,
      attrs: v.attrs,
      data: await v.array.read(),
      encoding: v.encoding,
      isCoord: v.dims.length === 1 && v.dims[0] === v.name,
    })
  }
  return { dims: src.dims, variables, attrs: src.attrs, unlimitedDims: src.unlimitedDims ?? [] }
}

function compare(expected: string, written: string, ...mode: string[]): Record<string, string[]> {
  const out = execFileSync(
    PYTHON,
    [
      path.join(HERE, 'netcdf4_check.py'),
      path.resolve(dir, expected),
      path.join(dir, written),
      ...mode,
    ],
    { encoding: 'utf8' },
  )
  return JSON.parse(out)
}

// h5wasm sets a single filter per dataset, so zlib is written without shuffle.
const SHUFFLE_DROPPED = 't: encoding shuffle True != False'

describe.skipIf(!hasPython)('NetCDF4 write, checked by xarray', () => {
  for (const source of ['nc4.nc', 'h5n.nc']) {
    it(`writes back what it read from ${source}, and both engines see the same dataset`, async () => {
      const src = await openNetcdf4(target(source))
      const written = `out-${source}`
      try {
        await writeNetcdf4(await encoded(src), target(written), { format: 'NETCDF4' })
      } finally {
        await src.close?.()
      }
      const diffs = compare(source, written)
      expect(diffs.netcdf4).toEqual([SHUFFLE_DROPPED])
      expect(diffs.h5netcdf).toEqual([SHUFFLE_DROPPED])
      // and our own reader agrees
      const back = await openNetcdf4(target(written))
      try {
        expect([...back.dims]).toEqual([...src.dims])
        expect(back.unlimitedDims).toEqual(src.unlimitedDims)
        expect(back.variables.map((v) => v.name)).toEqual(src.variables.map((v) => v.name))
      } finally {
        await back.close?.()
      }
    })
  }

  it('writes unlimited and coordinate-less dimensions, scalars and NETCDF4_CLASSIC as netCDF-C reads them', async () => {
    const v = (
      name: string,
      dims: string[],
      dtype: string,
      shape: number[],
      data: EncodedVariable['data']['data'],
      attrs: [string, unknown][] = [],
      encoding: [string, unknown][] = [],
    ): EncodedVariable => ({
      name,
      dims,
      attrs: new Map(attrs) as EncodedVariable['attrs'],
      data: { dtype, shape, data },
      encoding: new Map(encoding),
      isCoord: false,
    })
    const ds: EncodedDataset = {
      dims: new Map([
        ['rec', 3],
        ['x', 2],
      ]),
      unlimitedDims: ['rec'],
      attrs: new Map<string, never>([
        ['title', 'hand made' as never],
        ['answer', 42 as never],
      ]),
      variables: [
        v('obs', ['rec', 'x'], 'int16', [3, 2], new Int16Array([1, 2, 3, 4, 5, -1]), [
          ['_FillValue', -1],
          ['scale_factor', 0.5],
        ]),
        v('x', ['x'], 'float32', [2], new Float32Array([10, 20]), [['units', 'm']]),
        v('level', [], 'float64', [], new Float64Array([850])),
        v('flag', ['x'], '|S1', [2], ['y', 'n']),
      ],
    }
    for (const format of ['NETCDF4', 'NETCDF4_CLASSIC'] as const) {
      const name = `hand-${format}.nc`
      await writeNetcdf4(ds, target(name), { format })
      const report = execFileSync(
        PYTHON,
        [
          '-c',
          `import json, sys, netCDF4, xarray as xr
nc = netCDF4.Dataset(sys.argv[1])
out = {"model": nc.data_model, "unlimited": [d for d in nc.dimensions if nc.dimensions[d].isunlimited()],
       "fill": int(nc["obs"]._FillValue), "fill_type": str(nc["obs"]._FillValue.dtype)}
nc.close()
for e in ["netcdf4", "h5netcdf"]:
    x = xr.open_dataset(sys.argv[1], engine=e)
    out[e] = {"vars": list(x.variables), "dims": dict(x.dims), "obs": [[None if v != v else float(v) for v in r] for r in x.obs.values],
              "level": float(x.level), "flag": [f.decode() for f in x.flag.values], "attrs": {k: str(v) for k, v in x.attrs.items()}}
print(json.dumps(out))`,
          path.join(dir, name),
        ],
        { encoding: 'utf8' },
      )
      const got = JSON.parse(report)
      expect(got.model).toBe(format)
      expect(got.unlimited).toEqual(['rec'])
      expect([got.fill, got.fill_type]).toEqual([-1, 'int16'])
      for (const engine of ['netcdf4', 'h5netcdf']) {
        expect(got[engine]).toEqual({
          vars: ['obs', 'x', 'level', 'flag'],
          dims: { rec: 3, x: 2 },
          obs: [
            [0.5, 1],
            [1.5, 2],
            [2.5, null],
          ],
          level: 850,
          flag: ['y', 'n'],
          attrs: { title: 'hand made', answer: '42' },
        })
      }
    }
    await expect(
      writeNetcdf4(
        { ...ds, variables: [v('big', ['x'], 'int64', [2], new BigInt64Array([1n, 2n]))] },
        target('classic-int64.nc'),
        { format: 'NETCDF4_CLASSIC' },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('int64') })
  })

  it('round-trips the sample cache through decode, cf-encode and the writer as xarray reads it', async () => {
    for (const key of ['sst-monthly.nc', 'experiments/run-1/ssta.nc']) {
      const fixtures = await LocalBackend.open(FIXTURE_CACHE)
      const ds = decodeDataset(
        await openNetcdf4({ backend: fixtures, path: key, putMode: 'create' }),
      )
      const name = `rt-${path.basename(key)}`
      try {
        await dumpNetcdf(ds, target(name), {})
      } finally {
        await ds.close()
      }
      // Orders are cf-encode's to keep (a decoded Dataset puts coordinates first, and packing
      // attributes come scale_factor first), so this compares names, not their order.
      const diffs = compare(path.join(FIXTURE_CACHE, key), name, 'unordered')
      expect(diffs).toEqual({ netcdf4: [], h5netcdf: [] })
    }
  })

  it('leaves no file in the WebAssembly file system and honours the put mode', async () => {
    const h = await loadH5()
    const src = await openNetcdf4(target('nc4.nc'))
    const ds = await encoded(src)
    await src.close?.()
    await writeNetcdf4(ds, target('once.nc'), { format: 'NETCDF4' })
    await expect(writeNetcdf4(ds, target('once.nc'), { format: 'NETCDF4' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    })
    expect(h.FS.readdir('/xp').filter((n: string) => n !== '.' && n !== '..')).toEqual([])
  })
})
