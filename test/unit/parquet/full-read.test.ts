// Whole-table loads read eligible columns with parquet-wasm: the Table must be the one the
// hyparquet path builds (types, time zones, nulls, every value), and parquet-wasm is left
// out (the hyparquet path reads) when its memory estimate is over the limit.
import path from 'node:path'
import { readFileSync } from 'node:fs'
import type { Table, Vector } from 'apache-arrow'
import { parquetSchema } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import {
  pandasParquetSerializer,
  previewPandasParquet,
} from '../../../electron/engine/serializers/parquet/parquet-serializer.js'
import { openParquet } from '../../../electron/engine/serializers/parquet/parquet-file.js'
import { wasmColumns } from '../../../electron/engine/serializers/parquet/parquet-full-read.js'
import { jsonCells } from '../../../electron/engine/table/table-json.js'
import { FIXTURE_CACHE, FIXTURE_EXPECTED, REPO } from '../../helpers/temp.js'
import { targetIn } from './helpers.js'

const PAGES = path.join(REPO, 'test', 'fixtures', 'tables', 'page-reads')
const expected = JSON.parse(readFileSync(FIXTURE_EXPECTED, 'utf8')) as {
  artifacts: Record<string, { serializer: string }>
}
const CASES: [string, string][] = [
  ...[
    'pa-v1-dict.parquet',
    'pa-v2-plain-zstd.parquet',
    'pa-v1-lists.parquet',
    'fastparquet.parquet',
    'pa-page-index.parquet',
  ].map((f): [string, string] => [PAGES, f]),
  ...Object.keys(expected.artifacts)
    .filter((k) => expected.artifacts[k]!.serializer === 'pandas.parquet')
    .map((k): [string, string] => [FIXTURE_CACHE, k]),
]

// Every column: the same Arrow type (time zone included), null count and cells.
function sameColumns(got: Table, want: Table): number {
  for (const field of got.schema.fields) {
    const other = want.schema.fields.find((f) => f.name === field.name)
    expect(other, field.name).toBeDefined()
    expect(String(field.type), field.name).toBe(String(other!.type))
    const a = got.getChild(field.name) as Vector
    const b = want.getChild(field.name) as Vector
    expect(a.nullCount, field.name).toBe(b.nullCount)
    expect(jsonCells(a), field.name).toEqual(jsonCells(b))
  }
  return got.schema.fields.length
}

describe('whole-table Parquet loads through parquet-wasm', () => {
  for (const [dir, key] of CASES) {
    it(`${key}: the same Table as the hyparquet path`, async () => {
      const target = await targetIn(dir, key)
      const loaded = (await pandasParquetSerializer.load(target, {})) as Table
      // A preview page of every row goes through hyparquet only.
      const paged = await previewPandasParquet(target, {
        offset: 0,
        rows: loaded.numRows,
        kwargs: {},
      })
      expect(loaded.numRows).toBe(paged.table.numRows)
      expect(sameColumns(loaded, paged.table)).toBeGreaterThan(0)
      expect(loaded.schema.metadata.get('pandas')).toBeDefined()
    })
  }

  it('reads the flat numeric, text, bool and time columns with parquet-wasm', async () => {
    const file = await openParquet(await targetIn(PAGES, 'pa-v1-dict.parquet'))
    const top = parquetSchema(file.metadata).children
    const names = top.map((c) => c.element.name)
    const plans = top.map((c) => ({
      element: c.element,
      node: c,
      categorical: c.element.name === 'cat',
      ordered: false,
      empty: false,
      timezone: c.element.name === 'time' ? 'Europe/Paris' : null,
    }))
    const fast = await wasmColumns(file, names, plans)
    expect([...fast.keys()].sort()).toEqual(
      ['__index_level_0__', 'flag', 'id', 'ints', 'small', 'temp', 'text', 'time'].filter((n) =>
        names.includes(n),
      ),
    )
    expect(String(fast.get('time')!.type)).toBe('Timestamp<NANOSECOND, Europe/Paris>')
    // Over the memory limit: nothing is read there, hyparquet reads every column.
    expect((await wasmColumns(file, names, plans, 1)).size).toBe(0)
  })

  it('joins row groups of 800, 900 and 300 rows (nulls at unaligned bits) in parquet-wasm', async () => {
    const target = await targetIn(PAGES, 'fastparquet.parquet')
    const file = await openParquet(target)
    expect(file.metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([800, 900, 300])
    const top = parquetSchema(file.metadata).children
    const plans = top.map((c) => ({
      element: c.element,
      node: c,
      categorical: c.element.name === 'cat',
      ordered: false,
      empty: false,
      timezone: null,
    }))
    const fast = await wasmColumns(
      file,
      top.map((c) => c.element.name),
      plans,
    )
    // Not left to hyparquet: the joined columns are the ones compared above (same Table).
    for (const name of ['id', 'temp', 'text', 'ints', 'flag', 'small']) {
      expect(fast.get(name)?.length, name).toBe(2000)
    }
    expect(fast.get('text')!.nullCount).toBeGreaterThan(0)
    expect(fast.get('ints')!.nullCount).toBeGreaterThan(0)
  })
})
