// Column summaries on table pages: from Parquet footer statistics ('file') when every row group
// has them, decoded in the column's type; else computed on the page's rows ('page').
import { readFileSync } from 'node:fs'
import type { FileMetaData } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { CacheStore } from '../../electron/engine/index.js'
import { previewArtifact } from '../../electron/engine/preview.js'
import type { ColumnSummary, TablePreview } from '../../electron/engine/preview-types.js'
import { columnSummaries, pageSummary } from '../../electron/engine/table/column-summary.js'
import { FIXTURE_CACHE, FIXTURE_EXPECTED } from '../helpers/temp.js'

interface Frame {
  columns: string[]
  rows: Record<string, unknown>[]
}
const expected = JSON.parse(readFileSync(FIXTURE_EXPECTED, 'utf8')) as {
  artifacts: Record<string, { serializer: string; loaded_by_python_get: Frame }>
}

async function page(key: string, offset = 0, rows = 3): Promise<TablePreview> {
  const store = await CacheStore.open(FIXTURE_CACHE, { readonly: true })
  const p = await previewArtifact(store, key, { offset, rows })
  if (p.kind !== 'table') throw new Error(`${key} is not a table`)
  return p
}

function summaryOf(p: TablePreview, name: string): ColumnSummary | undefined {
  return p.columns.find((c) => c.name === name)?.summary
}

describe('Parquet keys of the sample cache (pyarrow): the whole file from statistics', () => {
  for (const key of ['gauges.parquet', 'hourly-zstd.parquet', 'run-summary.parquet']) {
    it(`${key}: every column matches pandas' whole frame, not only the 3-row page`, async () => {
      const p = await page(key)
      const frame = expected.artifacts[key]!.loaded_by_python_get
      for (const c of p.columns) {
        const values = frame.rows.map((r) => r[c.name] ?? null)
        const present = values.filter((v) => v !== null) as (number | string | boolean)[]
        const sorted = [...present].sort((a, b) =>
          typeof a === 'number' ? a - (b as number) : String(a) < String(b) ? -1 : 1,
        )
        expect(c.summary, c.name).toEqual({
          source: 'file',
          nullCount: values.length - present.length,
          min: sorted[0],
          max: sorted[sorted.length - 1],
        })
      }
    })
  }

  it('hourly-zstd.parquet: nulls in later row groups count although the page has none', async () => {
    const p = await page('hourly-zstd.parquet', 0, 2)
    const gust = p.columns.findIndex((c) => c.name === 'gust_ms')
    expect(p.rows.every((r) => r[gust] !== null)).toBe(true)
    expect(summaryOf(p, 'gust_ms')?.nullCount).toBe(2)
  })
})

describe('fastparquet file: statistics used only where exact', () => {
  it('ns timestamps fall back to the page; int64 with nulls comes from the file', async () => {
    const p = await page('mixed-types-fastparquet.parquet', 0, 2)
    expect(summaryOf(p, 'observed_at')?.source).toBe('page')
    // fastparquet keeps float NaN as NaN, which null_count does not count: the page says.
    expect(summaryOf(p, 'value')?.source).toBe('page')
    expect(summaryOf(p, 'count')).toEqual({ source: 'file', nullCount: 2, min: 0, max: 12 })
  })
})

describe('CSV pages: computed on the rows of the page', () => {
  it('stations.csv: the first page and a later page differ', async () => {
    const first = await page('stations.csv', 0, 5)
    expect(summaryOf(first, 'temperature')).toEqual({
      source: 'page',
      nullCount: 1,
      min: -3.25,
      max: 21,
    })
    expect(summaryOf(first, 'installed')).toMatchObject({
      source: 'page',
      min: '1999-12-31T00:00:00',
      max: '2020-02-29T00:00:00',
    })
    const later = await page('stations.csv', 3, 5)
    expect(later.columns.every((c) => c.summary?.source === 'page')).toBe(true)
    const ids = later.rows.map((r) => r[0] as number)
    expect(summaryOf(later, 'station_id')).toMatchObject({
      min: Math.min(...ids),
      max: Math.max(...ids),
    })
  })
})

describe('pageSummary', () => {
  it('orders integers beyond 2^53 (sent as text) exactly, and counts nulls', () => {
    const rows = [
      ['9007199254740993'],
      [5],
      [null],
      ['-9007199254740995'],
      ['10000000000000000000'],
    ]
    expect(pageSummary('int64', rows, 0)).toEqual({
      source: 'page',
      nullCount: 1,
      min: '-9007199254740995',
      max: '10000000000000000000',
    })
  })

  it('lists have a null count but no min or max', () => {
    expect(pageSummary('list<int64>', [['[1]'], [null]], 0)).toEqual({
      source: 'page',
      nullCount: 1,
      min: null,
      max: null,
    })
  })
})

// A footer as hyparquet parses it with its default parsers, for the types the fixtures lack.
function footer(
  columns: { el: Record<string, unknown>; stats: Record<string, unknown>[] }[],
): FileMetaData {
  const groups = columns[0]!.stats.length
  return {
    version: 2,
    created_by: 'parquet-cpp-arrow version 25.0.1',
    num_rows: BigInt(groups * 10),
    schema: [{ name: 'schema', num_children: columns.length }, ...columns.map((c) => c.el)],
    row_groups: Array.from({ length: groups }, (_, g) => ({
      num_rows: 10n,
      columns: columns.map((c) => ({
        meta_data: { path_in_schema: [c.el.name], statistics: c.stats[g] },
      })),
    })),
  } as unknown as FileMetaData
}

describe('fileSummaries decoding', () => {
  it('big int64, decimals, dates and ms timestamps decode exactly', () => {
    const meta = footer([
      {
        el: { name: 'big', type: 'INT64' },
        stats: [
          { null_count: 0n, min_value: 9007199254740993n, max_value: 9007199254740999n },
          { null_count: 3n, min_value: -2n, max_value: 12n },
        ],
      },
      {
        el: { name: 'price', type: 'INT64', converted_type: 'DECIMAL', scale: 2, precision: 18 },
        stats: [
          { null_count: 0n, min_value: 0.1, max_value: 123.45 },
          { null_count: 0n, min_value: -0.07, max_value: 9.9 },
        ],
      },
      {
        el: { name: 'day', type: 'INT32', converted_type: 'DATE' },
        stats: [
          { null_count: 1n, min_value: new Date(Date.UTC(2020, 1, 29)), max_value: new Date(0) },
          { null_count: 0n, min_value: new Date(0), max_value: new Date(Date.UTC(2021, 0, 1)) },
        ],
      },
      {
        el: {
          name: 'at',
          type: 'INT64',
          logical_type: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true },
        },
        stats: [
          { null_count: 0n, min_value: new Date(1500), max_value: new Date(2500) },
          { null_count: 0n, min_value: new Date(1000), max_value: new Date(2000) },
        ],
      },
    ])
    const cols = ['big', 'price', 'day', 'at'].map((name) => ({ name, type: 'x' }))
    const [big, price, day, at] = columnSummaries(cols, [], meta)
    expect(big).toEqual({ source: 'file', nullCount: 3, min: -2, max: '9007199254740999' })
    expect(price).toEqual({ source: 'file', nullCount: 0, min: '-0.07', max: '123.45' })
    expect(day).toEqual({ source: 'file', nullCount: 1, min: '1970-01-01', max: '2021-01-01' })
    expect(at).toEqual({
      source: 'file',
      nullCount: 0,
      min: '1970-01-01T00:00:01Z',
      max: '1970-01-01T00:00:02.500000Z',
    })
  })

  it('a row group without statistics for a column sends it to the page', () => {
    const meta = footer([
      {
        el: { name: 'n', type: 'INT32' },
        stats: [{ null_count: 0n, min_value: 1, max_value: 2 }, undefined as never],
      },
    ])
    const [n] = columnSummaries([{ name: 'n', type: 'int32' }], [[7], [null]], meta)
    expect(n).toEqual({ source: 'page', nullCount: 1, min: 7, max: 7 })
  })
})
