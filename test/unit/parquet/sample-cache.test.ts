// The Parquet files real Python xpersist wrote (pyarrow and fastparquet) read back as
// expected.json says pd.read_parquet gives them: whole, and one page at a time.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  pandasParquetSerializer,
  previewPandasParquet,
} from '../../../electron/engine/serializers/parquet/parquet-serializer.js'
import { FIXTURE_CACHE, FIXTURE_EXPECTED } from '../../helpers/temp.js'
import { jsonOf, norm, targetIn } from './helpers.js'
import type { Table } from 'apache-arrow'

interface Frame {
  columns: string[]
  n_rows: number
  index: { type: string; name: string | null; values?: unknown[] }
  rows: Record<string, unknown>[]
}
interface Art {
  serializer: string
  files: { size: number }[]
  value: Frame
  loaded_by_python_get: Frame
  parquet_file: { row_group_num_rows: number[] }
}
const expected = JSON.parse(readFileSync(FIXTURE_EXPECTED, 'utf8')) as {
  artifacts: Record<string, Art>
}
const KEYS = Object.keys(expected.artifacts).filter(
  (k) => expected.artifacts[k]!.serializer === 'pandas.parquet',
)

// pd.read_parquet's frame: what the pyarrow engine gives whichever engine wrote the file.
function want(key: string, row: number): unknown[] {
  const frame = expected.artifacts[key]!.loaded_by_python_get
  const r = frame.rows[row]!
  return frame.columns.map((c) => norm(r[c] as never))
}

// Times compare as UTC instants: expected.json keeps the zone's offset, the JSON form 'Z'.
function instant(v: unknown): unknown {
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT.*([+-]\d\d:\d\d)$/.test(v)) return v
  return norm(new Date(v).toISOString().replace('.000Z', 'Z'))
}

function rowOf(table: Table, i: number): unknown[] {
  return jsonOf(table).rows[i]!.map((c) => instant(norm(c)))
}

describe('pandas.parquet reads the sample cache', () => {
  it('has the four Parquet keys', () => {
    expect(KEYS.sort()).toEqual([
      'gauges.parquet',
      'hourly-zstd.parquet',
      'mixed-types-fastparquet.parquet',
      'run-summary.parquet',
    ])
  })

  it.each(KEYS)('%s loads whole, with its index and every row', async (key) => {
    const frame = expected.artifacts[key]!.loaded_by_python_get
    const table = (await pandasParquetSerializer.load(
      await targetIn(FIXTURE_CACHE, key),
      {},
    )) as Table
    const json = jsonOf(table)
    expect(json.rowCount).toBe(frame.n_rows)
    expect(json.columns.map((c) => c.name)).toEqual(frame.columns)
    for (let i = 0; i < frame.n_rows; i++) {
      expect(rowOf(table, i)).toEqual(want(key, i).map(instant))
    }
    expect(json.index?.name ?? null).toBe(frame.index.name)
    expect(json.index?.values.map((v) => norm(v))).toEqual(frame.index.values)
  })

  it.each(KEYS)('%s pages: each row alone at its offset, with its index label', async (key) => {
    const frame = expected.artifacts[key]!.loaded_by_python_get
    const target = await targetIn(FIXTURE_CACHE, key)
    for (let i = 0; i < frame.n_rows; i++) {
      const page = await previewPandasParquet(target, { offset: i, rows: 1, kwargs: {} })
      expect(page.rowCount).toBe(frame.n_rows)
      expect(page.table.numRows).toBe(1)
      expect(rowOf(page.table, 0)).toEqual(want(key, i).map(instant))
      expect(jsonOf(page.table).index?.values.map((v) => norm(v))).toEqual([frame.index.values![i]])
    }
    const past = await previewPandasParquet(target, {
      offset: frame.n_rows + 5,
      rows: 3,
      kwargs: {},
    })
    expect([past.rowCount, past.table.numRows]).toEqual([frame.n_rows, 0])
  })

  it('reads only the row group a page falls in (hourly-zstd: 4 groups of 6, 6, 6, 2)', async () => {
    const key = 'hourly-zstd.parquet'
    const target = await targetIn(FIXTURE_CACHE, key)
    const size = expected.artifacts[key]!.files[0]!.size
    const whole = await previewPandasParquet(target, { offset: 0, rows: 20, kwargs: {} })
    const one = await previewPandasParquet(target, { offset: 13, rows: 2, kwargs: {} })
    const across = await previewPandasParquet(target, { offset: 5, rows: 2, kwargs: {} })
    expect(whole.bytesRead).toBe(size)
    expect(one.totalBytes).toBe(size)
    expect(one.bytesRead).toBeLessThan(across.bytesRead)
    expect(across.bytesRead).toBeLessThan(whole.bytesRead)
    const col = await previewPandasParquet(target, {
      offset: 13,
      rows: 2,
      kwargs: {},
      columns: ['gust_ms'],
    })
    expect(col.bytesRead).toBeLessThan(one.bytesRead)
    expect(jsonOf(col.table).columns.map((c) => c.name)).toEqual(['gust_ms'])
    expect(rowOf(col.table, 1)).toEqual([want(key, 14)[3]])
  })

  it('refuses a column the file does not have, naming the ones it has', async () => {
    const target = await targetIn(FIXTURE_CACHE, 'gauges.parquet')
    await expect(previewPandasParquet(target, { kwargs: {}, columns: ['nope'] })).rejects.toThrow(
      /gauges\.parquet has no column 'nope'; it has river, flow_m3s/,
    )
  })

  it('refuses to dump a value that is not an Arrow table, saying what it takes', async () => {
    const target = await targetIn(FIXTURE_CACHE, 'gauges.parquet')
    await expect(pandasParquetSerializer.dump({}, target, {})).rejects.toThrow(
      /pandas\.parquet writes apache-arrow Tables, not object/,
    )
  })
})
