// Overwriting a key's Zarr store: the new store's objects are written first, then the old
// store's leftovers are removed (never a mix of two stores), and only objects this key owns:
// a key nested inside the folder keeps its payload, the sidecars stay.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import type { EncodedDataset } from '../../../electron/engine/dataset/model.js'
import { openZarr } from '../../../electron/engine/dataset/zarr/open-zarr.js'
import { writeZarr } from '../../../electron/engine/dataset/zarr/write-zarr.js'
import { FIXTURE_CACHE, listFiles, tempDir } from '../../helpers/temp.js'
import { nestedKeysCache, writePayload, writeSidecar } from '../../helpers/nested-keys.js'
import { encodedFrom, targetIn } from './zarr-helpers.js'

async function fixtureDataset(): Promise<EncodedDataset> {
  return encodedFrom(await openZarr(await targetIn(FIXTURE_CACHE, 'sst-monthly-chunked.zarr')))
}

function only(ds: EncodedDataset, names: string[]): EncodedDataset {
  return { ...ds, variables: ds.variables.filter((v) => names.includes(v.name)) }
}

describe('overwriting a zarr payload', () => {
  test('objects of the old store the new one lacks are removed; a nested key keeps its files', async () => {
    const cache = path.join(await tempDir('xp-zarr-over-'), 'cache')
    const ds = await fixtureDataset()
    await writeSidecar(cache, 'k.zarr', 'xarray.zarr')
    const target = await targetIn(cache, 'k.zarr', true)
    await writeZarr(ds, target)
    // Another key nested inside this one's folder, and a rechunked rewrite with fewer arrays.
    await writeSidecar(cache, 'k.zarr/notes')
    await writePayload(cache, 'k.zarr/notes', 'another key')
    const small = only(ds, ['lat', 'lon', 'time', 'land_mask'])
    await writeZarr(small, target, { consolidated: false })
    const files = await listFiles(path.join(cache, 'k.zarr'))
    expect(files).toEqual([
      '.zattrs',
      '.zgroup',
      'land_mask/.zarray',
      'land_mask/.zattrs',
      'land_mask/0.0',
      'lat/.zarray',
      'lat/.zattrs',
      'lat/0',
      'lon/.zarray',
      'lon/.zattrs',
      'lon/0',
      'notes',
      'time/.zarray',
      'time/.zattrs',
      'time/0',
    ])
    // The stale .zmetadata is gone too, so readers list the folder and see the new store.
    const back = await openZarr(target)
    expect(back.variables.map((v) => v.name)).toEqual(['land_mask', 'lat', 'lon', 'time'])
    expect(await fs.readFile(path.join(cache, 'k.zarr', 'notes'), 'utf8')).toBe('another key')
  })

  test('the nested-keys cache: rewriting nest/x keeps nest/x/part0', async () => {
    const cache = await nestedKeysCache()
    const target = await targetIn(cache, 'nest/x')
    await writeZarr(only(await fixtureDataset(), ['lat']), target)
    expect(await listFiles(path.join(cache, 'nest', 'x'))).toEqual([
      '.zattrs',
      '.zgroup',
      '.zmetadata',
      'lat/.zarray',
      'lat/.zattrs',
      'lat/0',
      'part0',
    ])
    expect(await listFiles(path.join(cache, 'runs'))).toHaveLength(4)
  })

  test('a single-file payload at the key (an earlier netCDF put) is replaced by the store', async () => {
    const cache = path.join(await tempDir('xp-zarr-over-'), 'cache')
    await writePayload(cache, 'k', 'CDF\x01 not a folder')
    const target = await targetIn(cache, 'k')
    await writeZarr(only(await fixtureDataset(), ['lon']), target)
    expect((await openZarr(target)).variables.map((v) => v.name)).toEqual(['lon'])
  })
})
