// Pickled pandas DataFrames and Series (pandas 1.5.3, 2.2.3, 3.1.1; joblib plain and zlib)
// read as Arrow tables from the pickle's data, compared with the table JSON pandas wrote
// (test/fixtures/tables/write_pickled_frames.py); damaged frames are errors, unknown ones
// stay placeholders.
import { readdirSync, readFileSync } from 'node:fs'
import { DataType, type Dictionary, type Table, type Timestamp } from 'apache-arrow'
import { describe, expect, test } from 'vitest'
import { CorruptPayloadError } from '../../../electron/engine/errors.js'
import { NdArray, PythonObject } from '../../../electron/engine/pyvalue.js'
import { stringifyJson } from '../../../electron/engine/pyvalue-json.js'
import { joblibSerializer } from '../../../electron/engine/serializers/joblib/joblib-serializer.js'
import { readJoblib } from '../../../electron/engine/serializers/joblib/joblib-reader.js'
import { pandasTable } from '../../../electron/engine/serializers/joblib/pandas-frame.js'
import { Placeholder } from '../../../electron/engine/serializers/joblib/python-refs.js'
import { readPandasMetadata } from '../../../electron/engine/table/pandas-meta.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'
import { fixture, MemoryBackend } from './helpers.js'

const ROOT = new URL('../../fixtures/tables/pickled/', import.meta.url)
const VERSIONS = readdirSync(ROOT).sort()
const CASES = VERSIONS.flatMap((v) =>
  readdirSync(new URL(`${v}/`, ROOT))
    .filter((f) => f.endsWith('.pkl'))
    .map((f) => [v, f] as const),
)

function load(version: string, file: string): Table {
  const table = pandasTable(readJoblib(fixture(`tables/pickled/${version}/${file}`)))
  if (!table) throw new Error(`${version}/${file} stayed a placeholder`)
  return table
}

function rawFrame(version: string, name: string): Placeholder {
  return readJoblib(fixture(`tables/pickled/${version}/${name}.pkl`)) as Placeholder
}

/** The Placeholder args of the DataFrame's manager: [blocks, axes]. */
function managerArgs(frame: Placeholder): unknown[] {
  const mgr = (frame.state.state as Map<string, unknown>).get('_mgr') as Placeholder
  return mgr.state.args
}

describe('pickled pandas frames', () => {
  test('fixtures exist for pandas 1.x, 2.x and 3.x, each under 100 KB', () => {
    expect(VERSIONS.map((v) => v.split('.')[0])).toEqual(['1', '2', '3'])
    expect(CASES.length).toBeGreaterThanOrEqual(3 * 2 * 18)
    for (const [v, f] of CASES)
      expect(fixture(`tables/pickled/${v}/${f}`).length).toBeLessThan(100_000)
  })

  test.each(CASES)('pandas %s %s reads as the table pandas wrote', (version, file) => {
    const want = JSON.parse(
      readFileSync(new URL(`${version}/${file.replace(/(\.z)?\.pkl$/, '.json')}`, ROOT), 'utf8'),
    ) as unknown
    const got = JSON.parse(stringifyJson(tableToJson(load(version, file), 20))) as unknown
    expect(got).toEqual(want)
  })

  test.each(VERSIONS)('pandas %s: tz-aware columns keep their zone', (version) => {
    const t = load(version, 'tz.pkl')
    const zones = t.schema.fields.map((f) => (f.type as Timestamp).timezone)
    expect(zones).toEqual(['UTC', 'Europe/Paris'])
  })

  test.each(VERSIONS)('pandas %s: categoricals are dictionaries, ordered when pandas said', (v) => {
    const t = load(v, 'categorical.pkl')
    const types = t.schema.fields.map((f) => f.type as Dictionary)
    expect(types.every((ty) => DataType.isDictionary(ty))).toBe(true)
    expect(types.map((ty) => ty.isOrdered)).toEqual([false, true])
    expect(t.getChild('o')?.toArray()).toEqual(['lo', 'hi', 'hi', 'lo'])
  })

  test.each(VERSIONS)('pandas %s: a MultiIndex is recorded level by level', (version) => {
    const t = load(version, 'multiindex.pkl')
    const meta = readPandasMetadata(t)
    expect(meta?.index_columns).toEqual(['letter', 'num'])
    expect(t.getChild('num')?.toArray()).toEqual(new BigInt64Array([1n, 2n, 1n, 2n]))
    const cols = load(version, 'multi_columns.pkl').schema.fields.map((f) => f.name)
    expect(cols).toEqual(["('a', 'x')", "('a', 'y')"])
  })

  test.each(VERSIONS)('pandas %s: nullable Int64/boolean keep their nulls', (version) => {
    const t = load(version, 'nullable.pkl')
    expect(t.getChild('I')?.type.toString()).toBe('Int64')
    expect(t.getChild('I')?.nullCount).toBe(1)
    expect(t.getChild('B')?.nullCount).toBe(1)
  })

  test('a Series is a one-column table named after it (unnamed: "0")', () => {
    for (const v of VERSIONS) {
      expect(load(v, 'series_named.pkl').schema.fields[0]?.name).toBe('price')
      expect(load(v, 'series_unnamed.pkl').schema.fields.map((f) => f.name)).toEqual(['0'])
    }
  })

  test('the joblib serializer loads and previews a pickled DataFrame as a table', async () => {
    const backend = new MemoryBackend()
    await backend.put('df', fixture('tables/pickled/2.2.3/basic.z.pkl'))
    const target = { backend, path: 'df', putMode: 'overwrite' as const }
    const loaded = (await joblibSerializer.load(target, {})) as Table
    expect(loaded.numRows).toBe(4)
    const preview = (await joblibSerializer.preview!(target, { kwargs: {} })) as Table
    expect(tableToJson(preview).columns[0]).toEqual({ name: 'i', type: 'int64' })
  })

  test('the sample cache DataFrame Python put reads as its rows', () => {
    const t = pandasTable(readJoblib(fixture('sample-cache/stations-joblib'))) as Table
    const json = tableToJson(t)
    expect(json.columns.map((c) => c.name)).toEqual([
      'station_id',
      'temperature',
      'name',
      'active',
      'installed',
      'climate_zone',
    ])
    expect(json.rows[0]).toEqual([101, 12.5, 'Boulder', true, '2001-04-01T00:00:00', 'semi-arid'])
  })
})

describe('damaged and unknown pickled frames', () => {
  test('a block placed past the columns is a CorruptPayloadError', () => {
    const frame = rawFrame('1.5.3', 'basic')
    const [blocks] = managerArgs(frame) as [{ items: Placeholder[] }]
    const slice = blocks.items[0]!.state.args[1] as Placeholder
    slice.state.args.splice(0, 2, 7, 8) // column 7 twice, column 0 never
    expect(() => pandasTable(frame)).toThrow(CorruptPayloadError)
    expect(() => pandasTable(frame)).toThrow(/placed by two blocks|no block holds/)
  })

  test('a block whose shape disagrees with the index is a CorruptPayloadError', () => {
    const frame = rawFrame('2.2.3', 'basic')
    const [blocks] = managerArgs(frame) as [{ items: Placeholder[] }]
    const values = blocks.items[0]!.state.args[0] as NdArray
    blocks.items[0]!.state.args[0] = new NdArray(values.dtype, [1, 3], values.data.slice(0, 3))
    expect(() => pandasTable(frame)).toThrow(CorruptPayloadError)
  })

  test('a huge RangeIndex with no data behind it is refused, not allocated', () => {
    const frame = rawFrame('1.5.3', 'series_unnamed')
    const mgr = (frame.state.state as Map<string, unknown>).get('_mgr') as Placeholder
    const state = mgr.state.state as { items: unknown[] }
    const d = (state.items[3] as Map<string, Map<string, unknown[]>>).get('0.14.1')!
    const index = d.get('axes')![0] as Placeholder
    ;(index.state.args[1] as Map<string, unknown>).set('stop', 2 ** 52)
    expect(() => pandasTable(frame)).toThrow()
  })

  test('a block of an unknown kind leaves the DataFrame a placeholder', () => {
    const frame = rawFrame('3.1.1', 'basic')
    const [blocks] = managerArgs(frame) as [{ items: Placeholder[] }]
    blocks.items[0]!.state.args[0] = new Placeholder('pandas.arrays.PeriodArray', [])
    expect(pandasTable(frame)).toBeNull()
    expect(frame).toBeInstanceOf(PythonObject)
  })

  test('values that are not frames are left alone', () => {
    expect(pandasTable(new Map())).toBeNull()
    expect(pandasTable(new Placeholder('mypkg.DataFrame', []))).toBeNull()
    expect(pandasTable(new Placeholder('pandas.core.frame.DataFrame', []))).toBeNull()
  })
})

describe('fuzzed frame pickles', () => {
  test('flipped bytes give a table, a placeholder or an xpersist error, never a crash', async () => {
    const { XpersistError } = await import('../../../electron/engine/errors.js')
    const good = fixture('tables/pickled/1.5.3/basic.pkl')
    let seed = 8
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
    let outcomes = 0
    for (let i = 0; i < 400; i++) {
      const bytes = good.slice()
      for (let k = 0; k < 3; k++) bytes[rand(bytes.length)] = rand(256)
      try {
        const value = readJoblib(bytes)
        const t = pandasTable(value)
        if (t) tableToJson(t, 5)
        outcomes++
      } catch (err) {
        expect(err).toBeInstanceOf(XpersistError)
        outcomes++
      }
    }
    expect(outcomes).toBe(400)
  })
})
