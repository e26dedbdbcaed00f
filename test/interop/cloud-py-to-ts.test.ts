/**
 * Python writes a cache into a bucket, TypeScript reads it: the interop venv's xpersist puts a
 * DataFrame (pandas.parquet and pandas.csv) and a Zarr dataset into s3://bucket/prefix through
 * s3fs (moto) and gs://bucket/prefix through gcsfs (fake-gcs-server), and prints what its own
 * `get` returns. Our engine opens the same URL and must read every key equal to that golden.
 * NetCDF cannot be written there by Python (netCDF4 opens a local path): asserted, not hidden.
 */
import { Table } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Dataset } from '../../electron/engine/dataset/model.js'
import { CacheStore } from '../../electron/engine/store.js'
import { shortTypeName } from '../../electron/engine/table/arrow-columns.js'
import { dataColumns } from '../../electron/engine/table/pandas-meta.js'
import { startCloud, requireCloudPython, type CloudKind, type CloudStore } from './helpers/cloud.js'
import { differences } from './helpers/compare.js'
import { datasetFormOf } from './helpers/dataset-form.js'
import { normalise, tablePlain } from './helpers/plain.js'
import { HOOK_TIMEOUT_MS, skipWithoutPython } from './helpers/python.js'

interface FramePlain {
  columns: string[]
  dtypes: Record<string, string>
  index: { name: unknown; values: unknown[] }
  rows: unknown[][]
}
interface VarPlain {
  dims: string[]
  shape: number[]
  attrs: Record<string, unknown>
  values: unknown
}
interface DatasetPlain {
  dims: Record<string, number>
  coords: string[]
  data_vars: string[]
  attrs: Record<string, unknown>
  variables: Record<string, VarPlain>
}
interface Corpus {
  format: string
  keys: string[]
  not_written: Record<string, string>
  put: { frame: FramePlain }
  values: Record<string, unknown>
}

const TYPES: Record<string, string> = {
  int64: 'int64',
  float64: 'float64',
  object: 'string',
  bool: 'bool',
}
const KEYS = ['sst.zarr', 'stations.csv', 'stations.parquet']
const SUITE = 'Python writes a cache into a bucket, TypeScript reads it'

const frameOf = (p: FramePlain): unknown =>
  normalise({
    columns: p.columns,
    index: { name: p.index.name, values: p.index.values },
    rows: p.rows,
  })

describe.skipIf(skipWithoutPython(SUITE)).each<CloudKind>(['s3', 'gs'])(`${SUITE} (%s)`, (kind) => {
  let cloud: CloudStore
  let corpus: Corpus
  let store: CacheStore
  let url = ''

  beforeAll(async () => {
    await requireCloudPython()
    cloud = await startCloud(kind)
    url = `${cloud.bucketUrl}/py-cache`
    corpus = JSON.parse(await cloud.python('cloud_cache.py', ['write', url])) as Corpus
    store = await CacheStore.open(url, { readonly: true, storageOptions: cloud.storageOptions })
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    await cloud?.stop()
  })

  it('Python wrote the corpus this suite expects; NetCDF it cannot write to a bucket', () => {
    expect(corpus.format).toBe('xpersist-cloud-corpus/1')
    expect(corpus.keys).toEqual(KEYS)
    expect(Object.keys(corpus.not_written)).toEqual(['sst.nc'])
    expect(corpus.not_written['sst.nc']).toMatch(/NetCDF|No such file|not.*found/i)
  })

  it('lists the keys Python lists', async () => {
    const keys = (await store.keys()).slice().sort()
    expect(keys).toEqual(corpus.keys)
  })

  it('reads the Parquet table Python gets, index and types included', async () => {
    const table = await store.get('stations.parquet')
    expect(table).toBeInstanceOf(Table)
    const golden = corpus.values['stations.parquet'] as FramePlain
    const ours = tablePlain(table as Table, { exact: false })
    expect(differences(normalise(ours), frameOf(golden), 1e-12)).toEqual([])
    const types = dataColumns(table as Table).map((f) => shortTypeName(f.type))
    expect(types).toEqual(golden.columns.map((c) => TYPES[golden.dtypes[c]!]))
  })

  it('reads the CSV table as the DataFrame Python put (its index from the first column)', async () => {
    const table = await store.get('stations.csv')
    expect(table).toBeInstanceOf(Table)
    const put = corpus.put.frame
    const ours = tablePlain(table as Table, { exact: false })
    expect(differences(normalise(ours), frameOf(put), 1e-12)).toEqual([])
    // Python's own get (pd.read_csv, no index_col) sees the same cells after the index.
    const got = corpus.values['stations.csv'] as FramePlain
    expect(got.rows.map((r) => r.slice(1))).toEqual(put.rows)
  })

  it('reads the Zarr dataset Python gets: dims, attrs, every variable and value', async () => {
    const ds = (await store.get('sst.zarr')) as Dataset
    try {
      expect(ds.kind).toBe('dataset')
      const golden = corpus.values['sst.zarr'] as DatasetPlain
      const form = await datasetFormOf(ds)
      expect(form.dims).toEqual(golden.dims)
      expect(Object.keys(form.coords).sort()).toEqual(golden.coords.slice().sort())
      expect(Object.keys(form.data_vars).sort()).toEqual(golden.data_vars.slice().sort())
      expect(normalise(form.attrs)).toEqual(normalise(golden.attrs))
      const vars = { ...form.coords, ...form.data_vars }
      for (const [name, want] of Object.entries(golden.variables)) {
        const got = vars[name]!
        expect(got.dims, name).toEqual(want.dims)
        expect(got.shape, name).toEqual(want.shape)
        expect(normalise(got.attrs), name).toEqual(normalise(want.attrs))
        expect(differences(normalise(got.values), normalise(want.values), 1e-6), name).toEqual([])
      }
    } finally {
      await ds.close()
    }
  })
})
