/**
 * Python writes, TypeScript reads: python/write_cache.py puts 13 artifacts through the real
 * xpersist 2021.12.17 into a temp cache, and the engine must list them, parse and re-encode
 * every sidecar byte for byte, find every payload file, and read every CSV and joblib value
 * as Python put it. NetCDF, Zarr and Parquet must list and parse, and refuse `get` politely.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { Table } from 'apache-arrow'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeSidecar, encodeSidecar } from '../../electron/engine/sidecar.js'
import type { Dataset } from '../../electron/engine/dataset/model.js'
import { CacheStore } from '../../electron/engine/store.js'
import { shortTypeName } from '../../electron/engine/table/arrow-columns.js'
import { dataColumns } from '../../electron/engine/table/pandas-meta.js'
import { tempDir } from '../helpers/temp.js'
import { differences } from './helpers/compare.js'
import { normalise, tablePlain, valuePlain } from './helpers/plain.js'
import { HOOK_TIMEOUT_MS, runPython, skipWithoutPython } from './helpers/python.js'

interface ManifestArtifact {
  serializer: string
  sidecar_path: string
  sidecar_text: string
  sidecar: Record<string, unknown>
  files: { path: string; size: number }[]
  value: Record<string, unknown>
}

interface Manifest {
  format: string
  python_keys: string[]
  python_keys_sorted: string[]
  artifacts: Record<string, ManifestArtifact>
}

// What write_cache.py writes, by how the engine reads it (checked against the manifest below).
const CSV = ['stations.csv', 'stations-noindex.csv', 'edge-cases.csv']
const JOBLIB = [
  'list-ints',
  'run-config',
  'greeting',
  'pi',
  'vec-f8',
  'grid-i4',
  'vec-f8-compressed',
]
const PARQUET = ['stations.parquet']
const DATASETS = ['sst-monthly.zarr', 'sst-monthly.nc']
const ALL = [...CSV, ...JOBLIB, ...PARQUET, ...DATASETS]

// pandas dtype of the DataFrame Python put -> our column type after the CSV round trip.
// A CSV has no categories: a category column comes back as strings, as pd.read_csv gives.
const CSV_TYPES: Record<string, string> = {
  int64: 'int64',
  float64: 'float64',
  object: 'string',
  bool: 'bool',
  'datetime64[ns]': 'datetime',
  category: 'string',
}

const SUITE = 'Python writes, TypeScript reads'

describe.skipIf(skipWithoutPython(SUITE))(SUITE, () => {
  let cache = ''
  let manifest: Manifest
  let store: CacheStore
  const art = (key: string): ManifestArtifact => manifest.artifacts[key]!

  beforeAll(async () => {
    const dir = await tempDir('xp-interop-py-')
    cache = path.join(dir, 'cache')
    const manifestPath = path.join(dir, 'manifest.json')
    await runPython('write_cache.py', [cache, '--manifest', manifestPath])
    manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as Manifest
    store = await CacheStore.open(cache, { readonly: true })
  }, HOOK_TIMEOUT_MS)

  it('writes the artifacts this suite expects', () => {
    expect(manifest.format).toBe('xpersist-interop-manifest/1')
    expect(Object.keys(manifest.artifacts).sort()).toEqual([...ALL].sort())
  })

  it('lists every key, sorted (all top-level here, so Python lists the same ones)', async () => {
    const keys = await store.keys()
    expect(keys).toEqual(Object.keys(manifest.artifacts).sort())
    expect(keys).toEqual(manifest.python_keys_sorted)
  })

  describe.each(ALL)('%s', (key) => {
    it('has a sidecar that parses to what Python wrote', async () => {
      const artifact = await store.getArtifact(key)
      expect(JSON.parse(JSON.stringify(artifact))).toEqual(art(key).sidecar)
      expect(artifact.serializer).toBe(art(key).serializer)
    })

    it('re-encodes its sidecar to the exact bytes Python wrote', async () => {
      const bytes = await fs.readFile(path.join(cache, art(key).sidecar_path))
      expect(bytes.toString('utf8')).toBe(art(key).sidecar_text)
      const again = encodeSidecar(decodeSidecar(bytes, art(key).sidecar_path))
      expect(Buffer.from(again).equals(bytes)).toBe(true)
    })

    it('lists the payload files Python wrote, with their sizes', async () => {
      const expected = art(key).files.map((f) => ({ path: f.path, bytes: f.size }))
      expect(await store.payloadFiles(key)).toEqual(expected)
    })
  })

  describe.each(CSV)('%s', (key) => {
    it('reads the table Python put (floats from text within 1e-12)', async () => {
      const table = await store.get(key)
      expect(table).toBeInstanceOf(Table)
      const ours = tablePlain(table as Table, { exact: false })
      const put = art(key).value as {
        columns: string[]
        dtypes: Record<string, string>
        index: { name: unknown; values: unknown[] }
        rows: unknown[][]
      }
      // to_csv writes '' for both an empty string and None, and pd.read_csv reads both as
      // NaN: a CSV cannot tell them apart, so '' is expected back as missing.
      const rows = put.rows.map((row) => row.map((cell) => (cell === '' ? null : cell)))
      const expected = {
        columns: put.columns,
        index: { name: put.index.name, values: put.index.values },
        rows,
      }
      expect(differences(normalise(ours), normalise(expected), 1e-12)).toEqual([])
      const types = dataColumns(table as Table).map((f) => shortTypeName(f.type))
      expect(types).toEqual(put.columns.map((c) => CSV_TYPES[put.dtypes[c]!]))
    })
  })

  describe.each(JOBLIB)('%s', (key) => {
    it('reads the value Python put, exactly', async () => {
      const value = await store.get(key)
      const put = { ...art(key).value }
      delete put.fortran_order // the engine keeps arrays in C order; values are nested anyway
      expect(differences(normalise(valuePlain(value, { exact: false })), normalise(put))).toEqual(
        [],
      )
    })
  })

  describe.each(DATASETS)('%s', (key) => {
    it('gets a dataset with the variables Python put', async () => {
      const value = (await store.get(key)) as Dataset
      const put = art(key).value as { dims: object; coords: string[]; data_vars: string[] }
      expect(value.kind).toBe('dataset')
      expect(Object.fromEntries(value.dims)).toEqual(put.dims)
      expect([...value.coords.keys()].sort()).toEqual([...put.coords].sort())
      expect([...value.dataVars.keys()].sort()).toEqual([...put.data_vars].sort())
    })
  })

  describe.each(PARQUET)('%s', (key) => {
    it('reads the table pyarrow wrote, index and types included', async () => {
      const table = await store.get(key)
      expect(table).toBeInstanceOf(Table)
      const put = art(key).value as {
        columns: string[]
        dtypes: Record<string, string>
        index: { name: unknown; values: unknown[] }
        rows: unknown[][]
      }
      const ours = tablePlain(table as Table, { exact: false })
      const expected = {
        columns: put.columns,
        index: { name: put.index.name, values: put.index.values },
        rows: put.rows,
      }
      expect(differences(normalise(ours), normalise(expected), 1e-12)).toEqual([])
      const types = dataColumns(table as Table).map((f) => shortTypeName(f.type))
      expect(types).toEqual(put.columns.map((c) => CSV_TYPES[put.dtypes[c]!]))
    })
  })

  // A sidecar the engine writes for an Artifact must be the bytes Python writes for it. Same
  // value, same metadata on both sides would still differ in created_at, so instead every
  // sidecar_text Python wrote (unicode escapes, nested metadata, floats) is decoded and
  // encoded again by the engine.
  describe('sidecar bytes', () => {
    it.each(ALL)('%s: encodeSidecar(decodeSidecar(sidecar_text)) is sidecar_text', (key) => {
      const text = art(key).sidecar_text
      const artifact = decodeSidecar(new TextEncoder().encode(text), key)
      expect(new TextDecoder().decode(encodeSidecar(artifact))).toBe(text)
    })

    it('covers unicode escapes, nested metadata and floats', () => {
      const texts = ALL.map((k) => art(k).sidecar_text).join('\n')
      expect(texts).toContain('"Z\\u00fcrich"')
      expect(texts).toMatch(/"nested": \{\n {6}"a": 1,\n {6}"b": \[\n {8}1\.5,\n {8}null/)
      expect(texts).toContain('"compress": 3')
    })
  })
})
