/**
 * TypeScript writes a cache into a bucket, Python reads it: our engine puts tables
 * (pandas.parquet and pandas.csv), a Zarr dataset and joblib values into s3://bucket/prefix
 * (moto) and gs://bucket/prefix (fake-gcs-server); the interop venv's xpersist, through s3fs
 * and gcsfs, must read each equal to what was put. joblib runs this way only, and Python
 * downloads its payload first: joblib.load opens a path with the builtin open.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CacheStore } from '../../electron/engine/store.js'
import { PyTuple } from '../../electron/engine/pyvalue.js'
import { rowsToTable } from '../../electron/engine/table/rows-to-table.js'
import { startCloud, requireCloudPython, type CloudKind, type CloudStore } from './helpers/cloud.js'
import { differences } from './helpers/compare.js'
import { datasetFromSpec, type DatasetSpec } from './helpers/dataset-spec.js'
import { normalise, tablePlain, valuePlain } from './helpers/plain.js'
import { HOOK_TIMEOUT_MS, SCRIPTS, skipWithoutPython } from './helpers/python.js'

interface PyRead {
  value: Record<string, unknown> | null
  error: string | null
  read_with: string | null
}
interface VarPlain {
  dims: string[]
  attrs: Record<string, unknown>
  values: unknown
}

const SPEC = (
  JSON.parse(await fs.readFile(path.join(SCRIPTS, 'dataset-specs.json'), 'utf8')) as Record<
    string,
    DatasetSpec
  >
).basic!

const TABLE = rowsToTable([
  { n: 1, x: 0.1, s: 'a,b', ok: true },
  { n: 3_000_000_000, x: NaN, s: 'é "q"', ok: false },
  { n: -7, x: 1e-5, s: 'São Tomé 🌊', ok: true },
])

const JOBLIB: Record<string, unknown> = {
  'params.joblib': new Map<unknown, unknown>([
    ['name', 'ctrl'],
    ['levels', [0.5, 850.25]],
    ['pair', new PyTuple([1, 'a'])],
  ]),
  'ints.joblib': [0, -1, 2 ** 31, 3_000_000_000, 2n ** 64n + 1n],
  'text.joblib': 'Zürich ✓ 🌊',
}
const TABLES = { 'table.parquet': 'pandas.parquet', 'table.csv': 'pandas.csv' } as const
const ZARR = 'sst.zarr'
const KEYS = [...Object.keys(TABLES), ZARR, ...Object.keys(JOBLIB)]
const SUITE = 'TypeScript writes a cache into a bucket, Python reads it'

describe.skipIf(skipWithoutPython(SUITE)).each<CloudKind>(['s3', 'gs'])(`${SUITE} (%s)`, (kind) => {
  let cloud: CloudStore
  let read: Record<string, PyRead>
  let emptyKeys: { keys: string[] | null; error: string | null }

  beforeAll(async () => {
    await requireCloudPython()
    cloud = await startCloud(kind)
    const url = `${cloud.bucketUrl}/ts-cache`
    const store = await CacheStore.open(url, { storageOptions: cloud.storageOptions })
    for (const [key, serializer] of Object.entries(TABLES)) {
      await store.put(key, TABLE, { serializer })
    }
    await store.put(ZARR, datasetFromSpec(SPEC), { serializer: 'xarray.zarr' })
    for (const [key, value] of Object.entries(JOBLIB)) {
      await store.put(key, value, { serializer: 'joblib' })
    }
    const out = JSON.parse(
      await cloud.python('cloud_cache.py', ['read', url, JSON.stringify(KEYS)]),
    )
    read = (out as { results: Record<string, PyRead> }).results
    emptyKeys = JSON.parse(
      await cloud.python('cloud_cache.py', ['keys', `${cloud.bucketUrl}/nothing-here`]),
    ) as typeof emptyKeys
  }, HOOK_TIMEOUT_MS)

  afterAll(async () => {
    await cloud?.stop()
  })

  const ok = (key: string): Record<string, unknown> => {
    const r = read[key]!
    expect(r.error, key).toBeNull()
    return r.value!
  }

  it.each(Object.keys(TABLES))('%s: Python gets the table that was put', (key) => {
    const theirs = ok(key) as { columns: string[]; index: unknown; rows: unknown[][] }
    expect(read[key]!.read_with).toBe('CacheStore.get')
    const ours = tablePlain(TABLE, { exact: false })
    // The table has no pandas index, so both serializers write none: Python gets the same
    // columns and cells, and (Parquet) a default RangeIndex.
    const got = { columns: theirs.columns, rows: theirs.rows }
    const want = { columns: ours.columns, rows: ours.rows }
    expect(differences(normalise(got), normalise(want), 1e-12)).toEqual([])
    if (key.endsWith('.parquet')) {
      expect((theirs.index as { type: string }).type).toBe('RangeIndex')
    }
  })

  it('Python gets the Zarr dataset that was put: every variable, attribute and value', () => {
    const ds = ok(ZARR) as { attrs: Record<string, unknown>; variables: Record<string, VarPlain> }
    expect(normalise(ds.attrs)).toEqual(normalise(SPEC.attrs))
    const want = { ...SPEC.coords, ...SPEC.data_vars }
    expect(Object.keys(ds.variables).sort()).toEqual(Object.keys(want).sort())
    for (const [name, v] of Object.entries(want)) {
      const got = ds.variables[name]!
      expect(got.dims, name).toEqual(v.dims)
      expect(normalise(got.attrs), name).toEqual(normalise(v.attrs))
      expect(differences(normalise(got.values), normalise(v.values), 1e-6), name).toEqual([])
    }
  })

  it.each(Object.keys(JOBLIB))(
    '%s: Python downloads and joblib.loads the value, exactly',
    (key) => {
      const theirs = ok(key)
      expect(read[key]!.read_with).toBe('download + joblib.load')
      const expected = valuePlain(JOBLIB[key], { exact: true })
      expect(differences(normalise(theirs), normalise(expected))).toEqual([])
    },
  )

  it("an empty prefix: Python's keys() raises on GCS (s3fs lists nothing), ours returns []", async () => {
    // Measured with xpersist 2021.12.17, s3fs/gcsfs 2022.11.0: gcsfs raises FileNotFoundError
    // for the missing xpersist_metadata_store folder, s3fs lists it as empty.
    if (kind === 'gs') {
      expect(emptyKeys.keys).toBeNull()
      expect(emptyKeys.error).toMatch(/^FileNotFoundError: .*nothing-here/)
    } else {
      expect(emptyKeys).toEqual({ keys: [], error: null })
    }
    const empty = await CacheStore.open(`${cloud.bucketUrl}/nothing-here`, {
      readonly: true,
      storageOptions: cloud.storageOptions,
    })
    expect(await empty.keys()).toEqual([])
  })
})
