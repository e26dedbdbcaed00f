/**
 * pandas read_csv/to_csv kwargs both ways (python/tables_csv_kwargs.py):
 * (a) Python -> TypeScript: pandas writes CSVs with dump_kwargs (sep, index, float_format,
 *     date_format), Python xpersist's sidecars carry load_kwargs (sep, index_col, parse_dates,
 *     usecols, nrows, na_values); the full load (store.get) and pages (first and deep) must
 *     equal what Python's get returns: columns, dtypes, index, values.
 * (b) TypeScript -> Python: tables put here with dump_kwargs load in Python xpersist's get
 *     `assert_frame_equal` to pandas' own to_csv/read_csv round trip of the same frame, and
 *     the bytes equal what to_csv writes.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { Table } from 'apache-arrow'
import { beforeAll, describe, expect, it } from 'vitest'
import { previewPandasCsv } from '../../electron/engine/serializers/csv/csv-serializer.js'
import type { Kwargs } from '../../electron/engine/serializers/serializer.js'
import { CacheStore } from '../../electron/engine/store.js'
import {
  float64Column,
  int64Column,
  shortTypeName,
  tableFromColumns,
  timestampColumn,
  utf8Column,
  boolColumn,
} from '../../electron/engine/table/arrow-columns.js'
import { dataColumns, withTableIndex } from '../../electron/engine/table/pandas-meta.js'
import { tempDir } from '../helpers/temp.js'
import { differences } from './helpers/compare.js'
import { normalise, tablePlain } from './helpers/plain.js'
import { HOOK_TIMEOUT_MS, runPython, skipWithoutPython } from './helpers/python.js'

interface Golden {
  columns: string[]
  dtypes: Record<string, string>
  index: { name: unknown; dtype: string; values: unknown[] }
  rows: unknown[][]
}
interface Entry {
  dump_kwargs: Kwargs
  load_kwargs: Kwargs
  golden: Golden
}

// What tables_csv_kwargs.py writes.
const KEYS = [
  'semicolon.csv',
  'index-col.csv',
  'index-col-name.csv',
  'usecols-pos.csv',
  'nrows-na.csv',
  'dates-only.csv',
  'date-z.csv',
  'dates-as-text.csv',
]

function dtypeOf(numpy: string): string {
  if (numpy.startsWith('datetime64')) return 'datetime'
  return { object: 'string', int64: 'int64', float64: 'float64', bool: 'bool' }[numpy] ?? numpy
}

// Columns whose datetimes we infer without parse_dates, where pandas keeps the text (object):
// the values agree (as text), the dtype does not, by design (the explorer shows dates).
const INFERRED_DATES: Record<string, string[]> = { 'dates-as-text.csv': ['t'] }

// A datetime with an offset as its UTC instant: pandas keeps '+03:00' as a fixed-offset zone,
// the reader here holds the same instant in UTC.
function instants(v: unknown): unknown {
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(v)) {
    return new Date(v).toISOString().replace('.000Z', '').replace('Z', '')
  }
  if (Array.isArray(v)) return v.map(instants)
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, instants(x)]))
  return v
}

function plainOf(table: Table) {
  const ours = tablePlain(table, { exact: false })
  return instants(normalise({ columns: ours.columns, index: ours.index, rows: ours.rows }))
}

function goldenSlice(g: Golden, begin: number, end: number) {
  return instants(
    normalise({
      columns: g.columns,
      index: { name: g.index.name, values: g.index.values.slice(begin, end) },
      rows: g.rows.slice(begin, end),
    }),
  )
}

const PY_TO_TS = 'pandas CSV kwargs, Python writes, TypeScript reads'

describe.skipIf(skipWithoutPython(PY_TO_TS))(PY_TO_TS, () => {
  let dir = ''
  let store: CacheStore
  let entries: Record<string, Entry>

  beforeAll(async () => {
    dir = await tempDir('xp-interop-csvkw-')
    await runPython('tables_csv_kwargs.py', ['write', dir])
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8'))
    entries = (manifest as { entries: Record<string, Entry> }).entries
    store = await CacheStore.open(path.join(dir, 'cache'), { readonly: true })
  }, HOOK_TIMEOUT_MS)

  it('wrote the corpus', () => expect(Object.keys(entries).sort()).toEqual([...KEYS].sort()))

  describe.each(KEYS)('%s', (key) => {
    it('full load equals Python get (values, index, dtypes)', async () => {
      const { golden, load_kwargs } = entries[key]!
      expect((await store.getArtifact(key)).load_kwargs).toEqual(load_kwargs)
      const table = (await store.get(key)) as Table
      expect(differences(plainOf(table), goldenSlice(golden, 0, Infinity), 1e-12)).toEqual([])
      const types = dataColumns(table).map((f) => shortTypeName(f.type))
      const inferred = INFERRED_DATES[key] ?? []
      expect(types).toEqual(
        golden.columns.map((c) => (inferred.includes(c) ? 'datetime' : dtypeOf(golden.dtypes[c]!))),
      )
    })

    it('pages (first, deep, past nrows) equal the same rows of Python get', async () => {
      const { golden, load_kwargs } = entries[key]!
      const target = { backend: store.backend, path: key, putMode: 'overwrite' as const }
      for (const [offset, rows] of [
        [0, 4],
        [5, 3],
        [9, 10],
      ] as const) {
        const page = await previewPandasCsv(target, { kwargs: load_kwargs, offset, rows })
        const want = goldenSlice(golden, offset, offset + rows)
        expect(differences(plainOf(page.table), want, 1e-12), `${offset}+${rows}`).toEqual([])
      }
    })
  })
})

// Specs of the frames both sides build: TypeScript as Arrow tables, pandas as DataFrames.
interface ColumnSpec {
  name: string
  kind: 'int' | 'float' | 'str' | 'bool' | 'datetime'
  tz?: string
  values: unknown[]
}
interface FrameSpec {
  columns: ColumnSpec[]
  index?: ColumnSpec
}

const T = ['2021-03-27T00:00:00', '2021-03-28T05:30:15.250', null, '1999-12-31T23:59:59.999999']
const BASE: ColumnSpec[] = [
  { name: 'n', kind: 'int', values: [1, -2, 30_000, 4] },
  { name: 'x', kind: 'float', values: [0.1, -1234.56789, null, 1e-7] },
  { name: 's', kind: 'str', values: ['a;b', 'c,d', 'e "q"', 'plain'] },
  { name: 'ok', kind: 'bool', values: [true, false, true, true] },
  { name: 't', kind: 'datetime', values: T },
]
const STATION: ColumnSpec = { name: 'station', kind: 'str', values: ['w', 'x', 'y', 'z'] }

const JOBS: Record<string, { spec: FrameSpec; dump_kwargs: Kwargs }> = {
  'no-index-3f.csv': {
    spec: { columns: BASE },
    dump_kwargs: { index: false, float_format: '%.3f', date_format: '%Y-%m-%d' },
  },
  'semicolon.csv': { spec: { columns: BASE }, dump_kwargs: { sep: ';', index: false } },
  'indexed-e.csv': {
    spec: { columns: BASE, index: STATION },
    dump_kwargs: { float_format: '%.4e', date_format: '%Y-%m-%dT%H:%M:%S.%f' },
  },
  'g-and-z.csv': {
    spec: {
      columns: [...BASE.slice(0, 4), { name: 't', kind: 'datetime', tz: 'UTC', values: T }],
    },
    dump_kwargs: { index: false, float_format: '%g', date_format: '%Y-%m-%d %H:%M:%S%z' },
  },
  'na-rep.csv': {
    spec: { columns: BASE, index: STATION },
    dump_kwargs: { na_rep: 'MISSING', float_format: '%.2f' },
  },
  'tab-quote.csv': {
    spec: { columns: BASE },
    dump_kwargs: { sep: '\t', quotechar: "'", index: false },
  },
}

function vectorOf(c: ColumnSpec) {
  const v = c.values
  if (c.kind === 'int') return int64Column(v.map((x) => BigInt(x as number)))
  if (c.kind === 'float') return float64Column(v as (number | null)[])
  if (c.kind === 'str') return utf8Column(v as string[])
  if (c.kind === 'bool') return boolColumn(v as boolean[])
  const us = (iso: string) => {
    const [whole, frac = ''] = iso.split('.')
    return BigInt(Date.parse(`${whole}Z`)) * 1000n + BigInt(frac.padEnd(6, '0'))
  }
  return timestampColumn(
    (v as (string | null)[]).map((x) => (x === null ? null : us(x))),
    'us',
    c.tz ?? null,
  )
}

function tableOf(spec: FrameSpec): Table {
  const cols = spec.index ? [spec.index, ...spec.columns] : spec.columns
  const table = tableFromColumns(
    cols.map((c) => c.name),
    cols.map(vectorOf),
    cols[0]!.values.length,
  )
  return spec.index ? withTableIndex(table, spec.index.name, spec.index.name) : table
}

const TS_TO_PY = 'pandas CSV kwargs, TypeScript writes, Python reads'

describe.skipIf(skipWithoutPython(TS_TO_PY))(TS_TO_PY, () => {
  let results: Record<
    string,
    { bytes_equal: boolean; pandas_text: string; frame_error: string | null; load_kwargs: Kwargs }
  >
  let cache = ''

  beforeAll(async () => {
    const dir = await tempDir('xp-interop-csvkw-ts-')
    cache = path.join(dir, 'ts-cache')
    const store = await CacheStore.open(cache, { create: true })
    for (const [key, job] of Object.entries(JOBS)) {
      await store.put(key, tableOf(job.spec), {
        serializer: 'pandas.csv',
        dumpKwargs: job.dump_kwargs,
      })
    }
    await fs.writeFile(path.join(dir, 'jobs.json'), JSON.stringify(JOBS))
    results = JSON.parse(await runPython('tables_csv_kwargs.py', ['check', dir])) as typeof results
  }, HOOK_TIMEOUT_MS)

  describe.each(Object.keys(JOBS))('%s', (key) => {
    it('loads in Python xpersist equal to pandas round-tripping the same frame', () => {
      expect(results[key]!.frame_error).toBeNull()
    })

    it('is the bytes to_csv writes', async () => {
      const ours = await fs.readFile(path.join(cache, key), 'utf8')
      expect(ours).toBe(results[key]!.pandas_text)
      expect(results[key]!.bytes_equal).toBe(true)
    })
  })
})
