/**
 * What ts-to-python.test.ts puts into its cache: tables for pandas.csv and values for joblib
 * chosen for what is hard to carry across (float repr, big ints, NaN and infinities, quoting,
 * unicode, tuples and sets, compression), under top-level and nested keys, with metadata.
 */
import type { Table } from 'apache-arrow'
import type { PutOptionsArg } from '../../electron/engine/store.js'
import { PyFloat, PySet, PyTuple } from '../../electron/engine/pyvalue.js'
import { readPandasCsv } from '../../electron/engine/serializers/csv/read-csv.js'
import { rowsToTable } from '../../electron/engine/table/rows-to-table.js'

/** One put; `readCsv` are the pd.read_csv arguments Python reads a table back with. */
export interface Entry {
  key: string
  value: unknown
  options?: PutOptionsArg
  readCsv?: Record<string, unknown>
  /** An engine bug this entry shows: its sidecar test is expected to fail until it is fixed. */
  knownBug?: string
}

// Floats like 1.0 are PyFloat: a bare 1 would be written (and read back) as an int. -0.0 is
// a PyFloat too, for now: the bare number -0 is the known bug of 'metadata/negative-zero'.
const META = {
  experiment: 'ctrl',
  site: 'Zürich ✓ 🌊',
  member: 3,
  params: {
    dt: new PyFloat(1),
    alpha: 1e-5,
    sum: 0.30000000000000004,
    levels: [new PyFloat(1000), 850.5, new PyFloat(-0)],
    missing: new PyFloat(NaN),
  },
  tags: ['a', 'b'],
  parent: null,
  enabled: true,
  seed: 2n ** 64n + 1n,
}

const csv = (text: string, kwargs: Record<string, unknown> = {}): Table =>
  readPandasCsv(new TextEncoder().encode(text), kwargs)

// An unnamed index, as DataFrame.to_csv writes one: the first header cell is empty.
const MIXED = csv(
  [
    ',id,big,ratio,label,flag,when',
    '0,1,9007199254740993,0.1,"Boulder, CO",True,2001-04-01',
    '1,-2,-4611686018427387904,1e-05,"say ""hi""",False,1999-12-31 12:30:00',
    '2,3000000000,0,0.30000000000000004,"multi\nline",True,2020-02-29 23:59:59.5',
    '3,4,1,,Zürich ✓ 🌊,False,',
    '',
  ].join('\n'),
  { index_col: 0 },
)

const BY_STATION = csv(
  'station,temp_c,elevation_m\nBOU,12.5,1655\nNWT,-3.25,3528\n"Mesa, Lab",,1888\nSão Tomé,21.0,8\n',
  { index_col: 0 },
)

const ROWS = rowsToTable([
  { n: 1, x: 0.1, s: 'a,b', ok: true, at: new Date('2001-04-01T00:00:00Z') },
  { n: 3_000_000_000, x: NaN, s: 'é "q"\nz', ok: false, at: new Date('2020-02-29T23:59:59.123Z') },
  { n: -7, x: 1e-5, s: null, ok: true, at: null },
  { n: 2n ** 62n, x: 0.30000000000000004, s: '日本語 🌊', ok: false, at: new Date(0) },
])

const ROUND_TRIP = { float_precision: 'round_trip' }

const TABLES: Entry[] = [
  {
    key: 'tables/mixed.csv',
    value: MIXED,
    options: { additionalMetadata: META },
    readCsv: { index_col: 0, ...ROUND_TRIP },
  },
  { key: 'tables/by-station.csv', value: BY_STATION, readCsv: { index_col: 0, ...ROUND_TRIP } },
  {
    key: 'tables/rows.csv',
    value: ROWS,
    options: { serializer: 'pandas.csv' },
    readCsv: { index_col: 0, ...ROUND_TRIP },
  },
  {
    key: 'tables/rows-noindex.csv',
    value: ROWS,
    options: { dumpKwargs: { index: false } },
    readCsv: ROUND_TRIP,
  },
]

const NESTED = new Map<unknown, unknown>([
  ['name', 'ctrl'],
  ['members', [1, 2, 3]],
  [
    'params',
    new Map<unknown, unknown>([
      ['dt', 0.5],
      ['levels', [new PyFloat(1000), 850.25]],
    ]),
  ],
  ['plain object', { a: 1, b: [true, null], c: { d: 'deep' } }],
  ['pair', new PyTuple([1, 'a'])],
  ['tags', new PySet(['ocean', 'sst'])],
  ['frozen', new PySet([1, 2], true)],
  ['raw', new Uint8Array([0, 1, 254, 255])],
  [7, 'an int key'],
  [new PyTuple([1, 'b']), 'a tuple key'],
  ['empty', [[], new Map(), new PyTuple([])]],
])

const REPEATED = Array.from({ length: 200 }, (_, i) => ({ i, label: `row ${i % 7}`, x: i / 8 }))

const VALUES: Entry[] = [
  { key: 'none', value: null },
  { key: 'flags', value: [true, false] },
  {
    key: 'ints',
    value: [0, 1, -1, 2 ** 31 - 1, 2 ** 31, 3_000_000_000, -(2 ** 40), Number.MAX_SAFE_INTEGER],
    options: { additionalMetadata: META },
  },
  {
    key: 'big-ints',
    value: [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n + 1n, -(10n ** 30n)],
  },
  { key: 'big-int', value: 2n ** 64n + 1n, options: { serializer: 'joblib' } },
  {
    key: 'floats',
    value: [
      0.1,
      0.30000000000000004,
      1e-5,
      new PyFloat(1),
      1.5,
      NaN,
      Infinity,
      -Infinity,
      -0,
      1e300,
      5e-324,
      2 ** 53 + 2,
    ],
  },
  { key: 'one-float', value: new PyFloat(1) },
  {
    key: 'text',
    value: ['Zürich ✓', '🌊 wave', '', 'tab\tnew\nline', `quote " and '`, 'nul \u0000 byte', 'ℝ'],
  },
  {
    key: 'Zürich ✓ notes',
    value: 'a key with unicode and a space',
    options: { additionalMetadata: META },
  },
  {
    key: 'objects/config',
    value: NESTED,
    options: { additionalMetadata: { owner: 'xpersist-ts', nested: { a: 1, b: [1.5, null] } } },
  },
  { key: 'objects/deep/er/tuple', value: new PyTuple([1, 'a', null, new PyFloat(2), [3]]) },
  { key: 'objects/set', value: new PySet([1, 'two', new PyTuple([3, 4])]) },
  { key: 'bytes', value: new Uint8Array([0, 10, 13, 39, 92, 127, 128, 255]) },
  { key: 'compressed/zlib-3', value: REPEATED, options: { dumpKwargs: { compress: 3 } } },
  {
    key: 'metadata/negative-zero',
    value: -0,
    // -0 and integers beyond 2^53 are floats in Python: sidecar and pickle agree on that.
    options: { additionalMetadata: { zero: -0, values: [-0, 0], big: 1e20 } },
  },
  {
    key: 'compressed/gzip-3',
    value: REPEATED,
    options: { dumpKwargs: { compress: ['gzip', 3] }, additionalMetadata: META },
  },
]

/** Every put, tables first. */
export const ENTRIES: Entry[] = [...TABLES, ...VALUES]
