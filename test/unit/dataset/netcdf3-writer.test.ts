import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import { MemoryBackend } from '../../../electron/engine/backend/memory.js'
import { createDataset, ndarray } from '../../../electron/engine/dataset/memory.js'
import { InvalidArgumentError } from '../../../electron/engine/errors.js'
import { dumpNetcdf } from '../../../electron/engine/serializers/xarray/netcdf-dump.js'
import { loadNetcdf } from '../../../electron/engine/serializers/xarray/netcdf-serializer.js'
import { PYTHON_TIMEOUT_MS, runPython, skipWithoutPython } from '../../interop/helpers/python.js'
import { tempDir } from '../../helpers/temp.js'

// Files written here must open in xarray (netCDF4 and scipy engines) identical to what xarray
// itself reads from the reference (test/fixtures/datasets/check-roundtrip.py decides).
const dir = path.dirname(fileURLToPath(new URL('../../fixtures/datasets/x', import.meta.url)))
const sampleCache = path.join(dir, '..', 'sample-cache')
const CHECK = path.join(dir, 'check-roundtrip.py')

async function check(reference: string, written: string): Promise<void> {
  const out = JSON.parse(
    (await runPython('-c', [readFileSync(CHECK, 'utf8'), reference, written])).trim(),
  )
  expect(out.error ?? 'ok', out.trace).toBe('ok')
}

async function roundTrip(source: string, format: string, folder: string) {
  const backend = await LocalBackend.open(folder)
  copyFileSync(source, path.join(folder, 'in.nc'))
  const ds = await loadNetcdf({ backend, path: 'in.nc', putMode: 'overwrite' }, {})
  await dumpNetcdf(ds, { backend, path: 'out.nc', putMode: 'overwrite' }, { format })
  return path.join(folder, 'out.nc')
}

function fresh() {
  const temp = Array.from({ length: 12 }, (_, i) => Math.fround(i / 7))
  temp[4] = NaN
  const h = 3_600_000_000_000n
  const t0 = 946_684_800_000_000_000n
  return createDataset({
    coords: {
      time: {
        dims: ['time'],
        data: ndarray('datetime64[ns]', [4], [t0, t0 + 6n * h, t0 + 12n * h, t0 + 18n * h]),
      },
      x: { dims: ['x'], data: ndarray('int64', [3], [10n, 20n, 30n]) },
    },
    dataVars: {
      temp: {
        dims: ['time', 'x'],
        data: ndarray('float32', [4, 3], temp),
        attrs: { units: 'degC' },
      },
      flag: { dims: ['x'], data: ndarray('bool', [3], [1, 0, 1]) },
      name: { dims: ['x'], data: ndarray('object', [3], ['a', 'bé', 'ccc']) },
      count: { dims: ['time'], data: ndarray('int64', [4], [1n, 2n, 3n, 4n]) },
    },
    attrs: { title: 'fresh', n: 3, vals: [1.5, 2.5] },
  })
}

describe.skipIf(skipWithoutPython('netcdf3 writer'))('NetCDF3 writer, checked by xarray', () => {
  const T = { timeout: 4 * PYTHON_TIMEOUT_MS }
  it.each([
    ['nc3-records-64bit.nc', 'NETCDF3_64BIT'],
    ['nc3-records-classic.nc', 'NETCDF3_CLASSIC'],
    ['nc3-lone-record.nc', 'NETCDF3_CLASSIC'],
  ])('rewrites %s as %s: xarray reads it back identical', T, async (file, format) => {
    const folder = await tempDir()
    await check(path.join(dir, file), await roundTrip(path.join(dir, file), format, folder))
  })
  it('rewrites the sample cache NC3 keys identically', T, async () => {
    for (const [key, format] of [
      ['sst-monthly-nc3-64bit.nc', 'NETCDF3_64BIT'],
      ['sst-monthly-nc3-classic.nc', 'NETCDF3_CLASSIC'],
    ] as const) {
      const folder = await tempDir()
      const src = path.join(sampleCache, key)
      await check(src, await roundTrip(src, format, folder))
    }
  })
  it(
    'writes an in-memory dataset as xarray writes the same one (inferred units, bools, strings, int64)',
    T,
    async () => {
      for (const format of ['NETCDF3_64BIT', 'NETCDF3_CLASSIC']) {
        const folder = await tempDir()
        const backend = await LocalBackend.open(folder)
        await dumpNetcdf(fresh(), { backend, path: 'out.nc', putMode: 'overwrite' }, { format })
        await check(path.join(dir, `fresh-${format}.nc`), path.join(folder, 'out.nc'))
      }
    },
  )
  it(
    'honours a user encoding (packing, fill, time units and calendar) and unlimited_dims',
    T,
    async () => {
      const folder = await tempDir()
      const backend = await LocalBackend.open(folder)
      await dumpNetcdf(
        fresh(),
        { backend, path: 'out.nc', putMode: 'overwrite' },
        {
          format: 'NETCDF3_64BIT',
          unlimited_dims: ['time'],
          encoding: {
            temp: { dtype: 'int16', scale_factor: 0.1, add_offset: 1.0, _FillValue: -999 },
            time: { units: 'days since 1999-12-31', calendar: 'noleap' },
          },
        },
      )
      await check(path.join(dir, 'fresh-encoded.nc'), path.join(folder, 'out.nc'))
    },
  )
})

describe('NetCDF3 writer refusals', () => {
  const t = () => ({ backend: new MemoryBackend(), path: 'o.nc', putMode: 'overwrite' as const })
  const big = () =>
    createDataset({
      dataVars: { v: { dims: ['x'], data: ndarray('int64', [2], [1n, 2n ** 40n]) } },
    })
  it('int64 values beyond int32: says NETCDF4 can store them', async () => {
    await expect(dumpNetcdf(big(), t(), { format: 'NETCDF3_64BIT' })).rejects.toThrow(
      /'v'.*int64 to int32.*NETCDF4/,
    )
  })
  it('unknown encoding keys are named', async () => {
    await expect(
      dumpNetcdf(fresh(), t(), {
        format: 'NETCDF3_CLASSIC',
        encoding: { temp: { zlib: true, bogus: 1 } },
      }),
    ).rejects.toThrow(/Unexpected encoding for variable 'temp': 'bogus'/)
    await expect(
      dumpNetcdf(fresh(), t(), { format: 'NETCDF3_CLASSIC', encoding: { nope: {} } }),
    ).rejects.toThrow(/not in the dataset: 'nope'/)
  })
  it('unknown dump kwargs, formats and non-datasets are refused', async () => {
    await expect(dumpNetcdf(fresh(), t(), { mode: 'a' })).rejects.toThrow(/'mode'/)
    await expect(dumpNetcdf(fresh(), t(), { format: 'NETCDF5' })).rejects.toThrow(
      InvalidArgumentError,
    )
    await expect(dumpNetcdf({ a: 1 }, t(), {})).rejects.toThrow(/writes xarray Datasets/)
    await expect(
      dumpNetcdf(fresh(), t(), { format: 'NETCDF3_64BIT', unlimited_dims: ['time', 'x'] }),
    ).rejects.toThrow(/one unlimited dimension/)
  })
  it('a written file reads back here with the same values', async () => {
    const target = t()
    await dumpNetcdf(fresh(), target, { format: 'NETCDF3_64BIT' })
    const ds = await loadNetcdf(target, {})
    expect((await ds.dataVars.get('name')!.read()).data).toEqual(['a', 'bé', 'ccc'])
    expect(Array.from((await ds.dataVars.get('flag')!.read()).data as Uint8Array)).toEqual([
      1, 0, 1,
    ])
    expect((await ds.coords.get('time')!.read()).dtype).toBe('datetime64[ns]')
    writeFileSync('/dev/null', '')
  })
})
