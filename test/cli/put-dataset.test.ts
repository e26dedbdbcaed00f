import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { FIXTURE_CACHE, listFiles, tempDir } from '../helpers/temp.js'

// `xpersist put` of NetCDF files and Zarr folders, as a user runs it (the built CLI).

async function emptyCache(): Promise<string> {
  return path.join(await tempDir(), 'cache')
}

describe('put of a NetCDF file', () => {
  it('stores it byte for byte as xarray.netcdf, found from its content', async () => {
    const cache = await emptyCache()
    // No .nc in the name: the serializer comes from the CDF magic.
    const file = path.join(await tempDir(), 'classic.bin')
    await fs.copyFile(path.join(FIXTURE_CACHE, 'sst-monthly-nc3-classic.nc'), file)
    const put = await runCli(['put', cache, 'sst.nc', file])
    expect(put.stderr).toBe('')
    expect(put.stdout).toMatch(/^put 'sst.nc' \(xarray\.netcdf\) in file:.*: \d+(\.\d)? KB\n$/)
    expect(
      Buffer.compare(await fs.readFile(file), await fs.readFile(path.join(cache, 'sst.nc'))),
    ).toBe(0)
    const shown = JSON.parse((await runCli(['show', cache, 'sst.nc', '--json'])).stdout)
    expect(shown.kind).toBe('dataset')
    expect(Object.keys(shown.data_vars)).toContain('sst')
  })
})

describe('put of a folder', () => {
  it('stores a Zarr store byte for byte as xarray.zarr, with its files and bytes in the summary', async () => {
    const cache = await emptyCache()
    const zarr = path.join(FIXTURE_CACHE, 'sst-monthly.zarr')
    const put = await runCli(['put', cache, 'sst.zarr', zarr])
    expect(put.stderr).toBe('')
    const files = await listFiles(zarr)
    let bytes = 0
    for (const f of files) {
      const a = await fs.readFile(path.join(zarr, f))
      expect(Buffer.compare(a, await fs.readFile(path.join(cache, 'sst.zarr', f))), f).toBe(0)
      bytes += a.length
    }
    expect(await listFiles(path.join(cache, 'sst.zarr'))).toEqual(files)
    expect(put.stdout).toMatch(
      new RegExp(
        `^put 'sst.zarr' \\(xarray\\.zarr\\) in file:.*: ${files.length} files, ${(bytes / 1000).toFixed(1)} KB\n$`,
      ),
    )
    const shown = JSON.parse((await runCli(['show', cache, 'sst.zarr', '--json'])).stdout)
    expect(shown).toMatchObject({ kind: 'dataset', dims: { time: 6, lat: 4, lon: 5 } })
    const doctor = await runCli(['doctor', cache])
    expect(doctor.code).toBe(0)
  })

  it('refuses a folder holding a symbolic link, naming it, and writes nothing', async () => {
    const cache = await emptyCache()
    const dir = path.join(await tempDir(), 'store.zarr')
    await fs.cp(path.join(FIXTURE_CACHE, 'sst-monthly.zarr'), dir, { recursive: true })
    await fs.symlink('/etc/hostname', path.join(dir, 'sst', 'extra'))
    const r = await runCli(['put', cache, 'z', dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /store\.zarr\/sst\/extra is a symbolic link; a folder payload must hold only real files/,
    )
    expect(await listFiles(cache).catch(() => [])).toEqual([])
  })

  it('refuses a folder that is no Zarr store, saying to pass --serializer', async () => {
    const cache = await emptyCache()
    const dir = await tempDir()
    await fs.writeFile(path.join(dir, 'readme.txt'), 'hello')
    const r = await runCli(['put', cache, 'z', dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /is not a Zarr store \(no \.zgroup, \.zmetadata or zarr\.json at its top\); pass --serializer/,
    )
  })
})
