// Column types as pd.read_parquet (pyarrow) gives them, from files pyarrow wrote
// (test/fixtures/datasets/parquet/write_parquet_types.py): timestamp units and zones, dates,
// nullable integers and booleans, categoricals, decimals exact, and each index kind.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Table } from 'apache-arrow'
import {
  pandasParquetSerializer,
  previewPandasParquet,
} from '../../../electron/engine/serializers/parquet/parquet-serializer.js'
import { shortTypeName } from '../../../electron/engine/table/arrow-columns.js'
import { dataColumns } from '../../../electron/engine/table/pandas-meta.js'
import { REPO } from '../../helpers/temp.js'
import { jsonOf, norm, targetIn } from './helpers.js'

const DIR = path.join(REPO, 'test', 'fixtures', 'datasets', 'parquet')
const expected = JSON.parse(readFileSync(path.join(DIR, 'types.expected.json'), 'utf8')) as Record<
  string,
  {
    columns: string[]
    rows: unknown[][]
    index: { name?: string | null; names?: string[]; values: unknown[] }
  }
>

async function load(name: string): Promise<Table> {
  return (await pandasParquetSerializer.load(await targetIn(DIR, name), {})) as Table
}

describe('pandas.parquet column types', () => {
  it('keeps each column the type pandas reads', async () => {
    const table = await load('types.parquet')
    const types = dataColumns(table).map((f) => [f.name, shortTypeName(f.type)])
    expect(Object.fromEntries(types)).toEqual({
      ts_ms: 'datetime',
      ts_us: 'datetime',
      ts_ns: 'datetime',
      ts_tz: 'datetime',
      day: 'date',
      nullable_int: 'int64',
      nullable_bool: 'bool',
      cat: 'string',
      text: 'string',
      f64: 'float64',
      f32: 'float32',
      i8: 'int8',
      u16: 'uint16',
      dec: 'decimal(10,2)',
    })
    expect(String(table.schema.fields.find((f) => f.name === 'ts_tz')!.type)).toMatch(
      /Europe\/Berlin/,
    )
  })

  it('gives every value pd.read_parquet gives (ns kept, zones as UTC, decimals exact)', async () => {
    const want = expected['types.parquet']!
    const json = jsonOf(await load('types.parquet'))
    expect(json.columns.map((c) => c.name)).toEqual(want.columns)
    expect(json.rows).toHaveLength(7)
    const f32 = want.columns.indexOf('f32')
    const big = want.columns.indexOf('nullable_int')
    json.rows.forEach((row, r) => {
      row.forEach((cell, c) => {
        const w = want.rows[r]![c]
        if (c === f32 && typeof w === 'number') expect(cell).toBeCloseTo(w, 6)
        // JSON.parse cannot hold -(2^53)-1: the reader gives it exactly, as a bigint.
        else if (c === big && r === 3) expect(cell).toBe(-(2n ** 53n) - 1n)
        else
          expect([r, want.columns[c], norm(cell)]).toEqual([r, want.columns[c], norm(w as never)])
      })
    })
    expect(json.index).toEqual({ name: 'id', values: want.index.values })
  })

  it('pages across the row groups of 3 give the same rows', async () => {
    const whole = jsonOf(await load('types.parquet'))
    const target = await targetIn(DIR, 'types.parquet')
    const page = await previewPandasParquet(target, { offset: 2, rows: 3, kwargs: {} })
    const json = jsonOf(page.table)
    expect(json.rows).toEqual(whole.rows.slice(2, 5))
    expect(json.index?.values).toEqual([30, 40, 50])
    expect(page.bytesRead).toBeLessThan(page.totalBytes)
  })

  it('restores a RangeIndex from metadata alone, numbered from the page offset', async () => {
    const want = expected['range-index.parquet']!
    const json = jsonOf(await load('range-index.parquet'))
    expect(json.index).toEqual({ name: null, values: want.index.values })
    const target = await targetIn(DIR, 'range-index.parquet')
    const page = await previewPandasParquet(target, { offset: 23, rows: 4, kwargs: {} })
    expect(jsonOf(page.table).index?.values).toEqual([146, 148, 150, 152])
    expect(jsonOf(page.table).rows).toEqual([[23], [24], [25], [26]])
  })

  it('keeps a MultiIndex in the loaded table; a page shows every level as the index', async () => {
    const want = expected['multi-index.parquet']!
    const table = await load('multi-index.parquet')
    expect(dataColumns(table).map((f) => f.name)).toEqual(['value'])
    const levels = want.index.names!.map((n) => table.getChild(n)!.toArray())
    expect(
      levels.map((l) =>
        Array.from(l as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v)),
      ),
    ).toEqual(want.index.names!.map((_, i) => want.index.values.map((t) => (t as unknown[])[i])))
    const page = await previewPandasParquet(await targetIn(DIR, 'multi-index.parquet'), {
      offset: 1,
      rows: 2,
      kwargs: {},
    })
    const json = jsonOf(page.table)
    expect(json.index).toEqual({
      name: null,
      names: ['letter', 'n'],
      values: [
        ['a', 2],
        ['b', 1],
      ],
    })
    expect(json.columns.map((c) => c.name)).toEqual(['value'])
    expect(json.rows).toEqual([[2.5], [3.5]])
  })
})
