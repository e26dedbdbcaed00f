// Every pandas.csv artifact Python xpersist wrote into the sample cache: read it (from a temp
// copy), compare with what Python put (expected.json), and write it back byte for byte.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvLoadKwargs } from '../../../electron/engine/serializers/csv/csv-serializer.js'
import { readPandasCsv } from '../../../electron/engine/serializers/csv/read-csv.js'
import { writePandasCsv } from '../../../electron/engine/serializers/csv/write-csv.js'
import { getTableIndex } from '../../../electron/engine/table/pandas-meta.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const CACHE = join(FIXTURES, 'sample-cache')
const KEYS = [
  'stations.csv',
  'daily-obs',
  'stations-noindex.csv',
  'prefect-result-2026-11-26t14-43-29-740448-00-00',
]

interface FrameDescription {
  columns: string[]
  dtypes: Record<string, string>
  rows: Record<string, unknown>[]
  index: { type: string; name: string | null; values: unknown[] }
}
interface Expected {
  artifacts: Record<string, { value: FrameDescription; loaded_by_python_get: FrameDescription }>
}
interface Sidecar {
  serializer: string
  load_kwargs: Record<string, unknown>
  dump_kwargs: Record<string, unknown>
}

// A CSV keeps no width or category: float32 reads back float64, category as strings.
const TYPE_OF_DTYPE: Record<string, string> = {
  int64: 'int64',
  float64: 'float64',
  float32: 'float64',
  bool: 'bool',
  object: 'string',
  category: 'string',
  'datetime64[ns]': 'datetime',
}

let dir: string
let expected: Expected

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xpersist-csv-'))
  for (const key of KEYS) await copyFile(join(CACHE, key), join(dir, key))
  expected = JSON.parse(await readFile(join(FIXTURES, 'sample-cache.expected.json'), 'utf8'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function sidecar(key: string): Promise<Sidecar> {
  const path = join(CACHE, 'xpersist_metadata_store', `${key}.artifact.json`)
  return JSON.parse(await readFile(path, 'utf8')) as Sidecar
}

// Cells compare as Python wrote them; float32 values were widened to float64 by Python's JSON.
function sameCell(actual: unknown, wanted: unknown, dtype: string | undefined): boolean {
  if (dtype === 'float32' && typeof wanted === 'number' && typeof actual === 'number') {
    return Math.fround(actual) === Math.fround(wanted)
  }
  return Object.is(actual, wanted) || actual === wanted
}

function expectFrame(json: ReturnType<typeof tableToJson>, frame: FrameDescription): void {
  expect(json.columns.map((c) => c.name)).toEqual(frame.columns)
  expect(json.columns.map((c) => c.type)).toEqual(
    frame.columns.map((c) => TYPE_OF_DTYPE[frame.dtypes[c]!]),
  )
  expect(json.rowCount).toBe(frame.rows.length)
  frame.rows.forEach((row, r) => {
    frame.columns.forEach((c, i) => {
      const ok = sameCell(json.rows[r]![i], row[c], frame.dtypes[c])
      expect(ok, `row ${r} column ${c}: ${json.rows[r]![i]} vs ${row[c]}`).toBe(true)
    })
  })
}

describe.each(KEYS)('pandas.csv fixture %s', (key) => {
  it('reads (with the sidecar-derived kwargs) to the DataFrame Python put', async () => {
    const side = await sidecar(key)
    expect(side.serializer).toBe('pandas.csv')
    const bytes = await readFile(join(dir, key))
    const table = readPandasCsv(bytes, csvLoadKwargs(side.load_kwargs, side.dump_kwargs))
    const json = tableToJson(table, 1000)
    const value = expected.artifacts[key]!.value
    expectFrame(json, value)
    expect(json.index?.name ?? null).toBe(value.index.name)
    expect(json.index?.values).toEqual(value.index.values)
  })

  it('reads with no kwargs like pd.read_csv, except that an empty-header first column is the index', async () => {
    const table = readPandasCsv(await readFile(join(dir, key)))
    const python = expected.artifacts[key]!.loaded_by_python_get
    const json = tableToJson(table, 1000)
    // pandas names the unnamed index 'Unnamed: 0' and keeps it as data; we make it the index.
    const columns = python.columns.filter((c) => c !== 'Unnamed: 0')
    expect(json.columns.map((c) => c.name)).toEqual(columns)
    expect(getTableIndex(table) !== null).toBe(python.columns.includes('Unnamed: 0'))
    // Dates are parsed here (pd.read_csv leaves them as text): compare the other columns.
    json.columns.forEach((col, i) => {
      if (col.type === 'datetime') return
      expect(col.type).toBe(TYPE_OF_DTYPE[python.dtypes[col.name]!])
      python.rows.forEach((row, r) => expect(json.rows[r]![i]).toEqual(row[col.name]))
    })
  })

  it('writes back byte-identical with the sidecar dump_kwargs', async () => {
    const side = await sidecar(key)
    const original = await readFile(join(dir, key))
    const table = readPandasCsv(original, csvLoadKwargs(side.load_kwargs, side.dump_kwargs))
    const written = writePandasCsv(table, side.dump_kwargs)
    expect(Buffer.from(written).toString('utf8')).toBe(original.toString('utf8'))
    expect(Buffer.compare(Buffer.from(written), original)).toBe(0)
  })
})
