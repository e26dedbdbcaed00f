/**
 * Python writes datasets, TypeScript reads them: python/write_datasets.py puts the dataset
 * corpus (every NetCDF engine and format, Zarr v2 codecs, calendars, CF encodings, an
 * xcollection, and Zarr v3 from the optional .venv-zarr3) into a temp cache with golden JSON
 * of what xarray 2023.1 reads back. For every entry, `store.get` (read through the model, and
 * through ds-core's datasetPreview) and `previewArtifact` (the `show --json` form) must equal
 * the golden: dims, variable names,
 * dtypes, attrs, values within 1e-6 relative, times exactly.
 */
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { datasetPreview } from '../../electron/engine/dataset/dataset-json.js'
import type { Collection, Dataset } from '../../electron/engine/dataset/model.js'
import { previewArtifact } from '../../electron/engine/preview.js'
import { CacheStore } from '../../electron/engine/store.js'
import { REPO, listFiles, tempDir } from '../helpers/temp.js'
import { datasetFormOf, formDifferences, type DatasetForm } from './helpers/dataset-form.js'
import { HOOK_TIMEOUT_MS, runPython, skipWithoutPython } from './helpers/python.js'

interface Entry {
  serializer: string
  writer: string
  features: string[]
  golden: string
  expect: { note_contains?: string; unlimited_dims?: string[]; missing_chunk?: string }
}
interface Manifest {
  format: string
  zarr3: { available: boolean; reason: string | null; failed?: Record<string, string> }
  entries: Record<string, Entry>
}
type Golden = DatasetForm | { kind: 'collection'; datasets: Record<string, DatasetForm> }

// What corpus_datasets.py writes (checked against the manifest below).
const NETCDF = [
  'nc4-netcdf4.nc',
  'nc4-h5netcdf.nc',
  'nc4-classic.nc',
  'nc3-classic.nc',
  'nc3-64bit.nc',
  'cf-encodings.nc',
  'cf-encodings-nc3.nc',
  'calendars.nc',
]
const ZARR2 = [
  'zarr2-default.zarr',
  'zarr2-zlib.zarr',
  'zarr2-gzip.zarr',
  'zarr2-zstd.zarr',
  'zarr2-missing-chunk.zarr',
  'zarr2-360day.zarr',
]
const COLLECTIONS = ['collection.xc']
// What write_datasets_zarr3.py writes with the second venv.
const ZARR3 = [
  'zarr3-default.zarr',
  'zarr3-gzip.zarr',
  'zarr3-blosc.zarr',
  'zarr3-sharded.zarr',
  'zarr3-strings.zarr',
  'zarr3-missing-chunk.zarr',
]
const ZARR3_PYTHON = path.join(REPO, '.venv-zarr3', 'bin', 'python')
const HAVE_ZARR3 = existsSync(ZARR3_PYTHON)

const SUITE = 'Python writes datasets, TypeScript reads them'

describe.skipIf(skipWithoutPython(SUITE))(SUITE, () => {
  let dir = ''
  let manifest: Manifest
  let store: CacheStore
  const golden = async (key: string): Promise<Golden> =>
    JSON.parse(await fs.readFile(path.join(dir, manifest.entries[key]!.golden), 'utf8')) as Golden

  beforeAll(async () => {
    dir = path.join(await tempDir('xp-interop-ds-'), 'corpus')
    await runPython('write_datasets.py', [dir])
    manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest
    store = await CacheStore.open(path.join(dir, 'cache'), { readonly: true })
  }, HOOK_TIMEOUT_MS)

  it('writes the corpus this suite expects, small', async () => {
    expect(manifest.format).toBe('xpersist-dataset-corpus/1')
    const want = [...NETCDF, ...ZARR2, ...COLLECTIONS, ...(HAVE_ZARR3 ? ZARR3 : [])]
    expect(Object.keys(manifest.entries).sort()).toEqual(want.sort())
    expect(manifest.zarr3.available, manifest.zarr3.reason ?? '').toBe(HAVE_ZARR3)
    expect(manifest.zarr3.failed ?? {}).toEqual({})
    let bytes = 0
    for (const f of await listFiles(dir)) bytes += (await fs.stat(path.join(dir, f))).size
    expect(bytes).toBeLessThan(2 * 1024 ** 2)
  })

  const readable = [...NETCDF, ...ZARR2]
  describe.each(readable)('%s', (key) => {
    it('store.get gives the Dataset xarray reads (dims, dtypes, attrs, values)', async () => {
      const ds = (await store.get(key)) as Dataset
      try {
        expect(ds.kind).toBe('dataset')
        const form = await datasetFormOf(ds)
        expect(formDifferences(form, (await golden(key)) as DatasetForm)).toEqual([])
      } finally {
        await ds.close()
      }
    })

    it('datasetPreview of it gives the same form', async () => {
      const ds = (await store.get(key)) as Dataset
      try {
        const form = (await datasetPreview(ds)) as unknown as DatasetForm
        expect(formDifferences(form, (await golden(key)) as DatasetForm)).toEqual([])
      } finally {
        await ds.close()
      }
    })

    it('previewArtifact gives the same dataset form', async () => {
      const preview = await previewArtifact(store, key)
      expect(preview.kind).toBe('dataset')
      if (preview.kind !== 'dataset') return
      const got = preview as unknown as DatasetForm
      expect(formDifferences(got, (await golden(key)) as DatasetForm)).toEqual([])
    })
  })

  it('nc4-netcdf4.nc: notes the ignored group and keeps the unlimited dimension', async () => {
    const ds = (await store.get('nc4-netcdf4.nc')) as Dataset
    try {
      expect(ds.notes.join('\n')).toContain('forecast')
      const unlimited = ds.encoding.get('unlimited_dims') as Iterable<string> | undefined
      expect([...(unlimited ?? [])]).toEqual(['time'])
    } finally {
      await ds.close()
    }
    const preview = await previewArtifact(store, 'nc4-netcdf4.nc')
    expect(preview.kind === 'dataset' && preview.notes.join('\n')).toContain('forecast')
  })

  it('zarr2-missing-chunk.zarr: the deleted chunk reads as the fill value (NaN)', async () => {
    const ds = (await store.get('zarr2-missing-chunk.zarr')) as Dataset
    try {
      const part = await ds.dataVars.get('sst')!.read([
        { start: 2, stop: 4 },
        { start: 0, stop: 2 },
      ])
      expect(part.shape).toEqual([2, 2, 5])
      expect([...(part.data as Float32Array)].every(Number.isNaN)).toBe(true)
    } finally {
      await ds.close()
    }
  })

  describe.each(COLLECTIONS)('%s', (key) => {
    it('store.get gives every member dataset as xcollection reads it', async () => {
      const col = (await store.get(key)) as Collection
      const want = (await golden(key)) as { datasets: Record<string, DatasetForm> }
      expect(col.kind).toBe('collection')
      expect([...col.datasets.keys()].sort()).toEqual(Object.keys(want.datasets).sort())
      for (const [name, ds] of col.datasets) {
        try {
          const diffs = formDifferences(await datasetFormOf(ds), want.datasets[name]!)
          expect(diffs, name).toEqual([])
        } finally {
          await ds.close()
        }
      }
    })

    it('previewArtifact gives the collection form', async () => {
      const preview = await previewArtifact(store, key)
      const want = (await golden(key)) as { datasets: Record<string, DatasetForm> }
      expect(preview.kind).toBe('collection')
      if (preview.kind !== 'collection') return
      expect(Object.keys(preview.datasets).sort()).toEqual(Object.keys(want.datasets).sort())
      for (const [name, form] of Object.entries(preview.datasets)) {
        const diffs = formDifferences(form as unknown as DatasetForm, want.datasets[name]!)
        expect(diffs, name).toEqual([])
      }
    })
  })

  const ZARR3_SUITE = 'Zarr v3 written by zarr-python 3'
  if (!HAVE_ZARR3) {
    console.warn(
      `Skipping '${ZARR3_SUITE}': ${path.relative(REPO, ZARR3_PYTHON)} is missing ` +
        `(bash test/interop/setup-venv-zarr3.sh builds it; zarr 3 needs numpy >= 1.25, ` +
        `which .venv-interop's pinned stack cannot take).`,
    )
  }
  describe.skipIf(!HAVE_ZARR3).each(ZARR3)('%s', (key) => {
    it('store.get gives the Dataset xarray 2025 reads', async () => {
      const ds = (await store.get(key)) as Dataset
      try {
        const form = await datasetFormOf(ds)
        expect(formDifferences(form, (await golden(key)) as DatasetForm)).toEqual([])
      } finally {
        await ds.close()
      }
    })

    it('previewArtifact gives the same dataset form', async () => {
      const preview = await previewArtifact(store, key)
      expect(preview.kind).toBe('dataset')
      const got = preview as unknown as DatasetForm
      expect(formDifferences(got, (await golden(key)) as DatasetForm)).toEqual([])
    })
  })
})
