// store.put of a Dataset or a Collection through 'xarray.zarr' / 'xcollection': what was loaded
// from the Python-written fixture goes back in, and Python xpersist's get returns it identical
// to what xarray / xcollection open from the original.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { CacheStore } from '../../../electron/engine/store.js'
import type { Collection, Dataset } from '../../../electron/engine/dataset/model.js'
import { datasetPreview } from '../../../electron/engine/dataset/dataset-json.js'
import { PYTHON, PYTHON_TIMEOUT_MS, skipWithoutPython } from '../../interop/helpers/python.js'
import { FIXTURE_CACHE, REPO, tempDir } from '../../helpers/temp.js'

const COMPARE = path.join(REPO, 'test', 'unit', 'dataset', 'python', 'xpersist_get_compare.py')

async function pythonGet(cache: string, key: string, ref: string, kind: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(PYTHON, [COMPARE, cache, key, ref, kind], {
    timeout: PYTHON_TIMEOUT_MS,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  })
  return JSON.parse(stdout.trim().split('\n').at(-1) as string)
}

// A preview without each variable's chunks and storage encoding.
function withoutStorage(p: unknown): unknown {
  const out = JSON.parse(JSON.stringify(p)) as Record<
    string,
    Record<string, Record<string, unknown>>
  >
  for (const group of [out.coords!, out.data_vars!]) {
    for (const v of Object.values(group)) {
      delete v.chunks
      for (const k of ['chunks', 'preferred_chunks'])
        delete (v.encoding as Record<string, unknown>)[k]
    }
  }
  return out
}

async function stores() {
  const source = await CacheStore.open(FIXTURE_CACHE, { readonly: true })
  const cache = path.join(await tempDir('xp-zarr-put-'), 'cache')
  return { source, cache, target: await CacheStore.open(cache) }
}

describe('put through xarray.zarr', () => {
  test('a loaded dataset put back previews the same; zarr_format 3 too', async () => {
    const { source, target } = await stores()
    const ds = (await source.get('sst-monthly.zarr')) as Dataset
    const before = await datasetPreview(ds)
    for (const [key, dumpKwargs] of [
      ['again.zarr', {}],
      ['v3.zarr', { zarr_format: 3, consolidated: true }],
      ['plain.zarr', { consolidated: false, encoding: { sst: { chunks: [3, 2, 5] } } }],
    ] as const) {
      await target.put(key, ds, { serializer: 'xarray.zarr', dumpKwargs })
      const back = (await target.get(key)) as Dataset
      const after = await datasetPreview(back)
      // Chunking was changed on purpose for plain.zarr: all else is the same.
      const same = key === 'plain.zarr' ? withoutStorage : (p: unknown) => p
      expect(same({ ...after, bytesRead: 0 }), key).toEqual(same({ ...before, bytesRead: 0 }))
    }
    const plain = (await target.get('plain.zarr')) as Dataset
    expect(plain.dataVars.get('sst')!.chunks).toEqual([3, 2, 5])
    await expect(
      target.put('bad.zarr', ds, { serializer: 'xarray.zarr', dumpKwargs: { append_dim: 'time' } }),
    ).rejects.toThrow(/does not support dump kwarg 'append_dim'/)
  })

  test.skipIf(skipWithoutPython('zarr put vs Python get'))(
    'Python xpersist get returns what xr.open_zarr opens from the original',
    async () => {
      const { source, cache, target } = await stores()
      for (const key of [
        'sst-monthly.zarr',
        'sst-monthly-chunked.zarr',
        'experiments/run-1/ssta.zarr',
      ]) {
        const ds = (await source.get(key)) as Dataset
        await target.put(key, ds, { serializer: 'xarray.zarr' })
        const r = await pythonGet(cache, key, path.join(FIXTURE_CACHE, key), 'dataset')
        expect(r, key).toMatchObject({ ok: true })
      }
    },
    PYTHON_TIMEOUT_MS * 3,
  )
})

describe('put through xcollection', () => {
  test.skipIf(skipWithoutPython('xcollection put vs Python get'))(
    'a loaded collection put back (auto picks xcollection) reads in Python as the original',
    async () => {
      const { source, cache, target } = await stores()
      const c = (await source.get('sst-collection')) as Collection
      const art = await target.put('coll', c)
      expect(art.serializer).toBe('xcollection')
      const back = (await target.get('coll')) as Collection
      expect([...back.datasets.keys()]).toEqual(['anomaly', 'sst'])
      const r = await pythonGet(
        cache,
        'coll',
        path.join(FIXTURE_CACHE, 'sst-collection'),
        'collection',
      )
      expect(r).toEqual({ ok: true, names: ['anomaly', 'sst'] })
    },
    PYTHON_TIMEOUT_MS,
  )
})
