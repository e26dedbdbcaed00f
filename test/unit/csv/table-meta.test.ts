// The index convention (pyarrow's 'pandas' metadata) and the CLI's table JSON.
import { Schema, Table, tableFromArrays } from 'apache-arrow'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readPandasCsv } from '../../../electron/engine/serializers/csv/read-csv.js'
import {
  float64Column,
  int64Column,
  utf8Column,
} from '../../../electron/engine/table/arrow-columns.js'
import {
  PANDAS_METADATA_KEY,
  dataColumns,
  getRangeIndex,
  getTableIndex,
  readPandasMetadata,
  sliceTable,
  withRangeIndex,
  withTableIndex,
} from '../../../electron/engine/table/pandas-meta.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'

const CACHE = join(import.meta.dirname, '../../fixtures/sample-cache')

// pa.Table.from_pandas(pd.read_csv('daily-obs', index_col=0, parse_dates=True) with obs_time
// parsed) under pyarrow 14.0.2; 'creator' aside, our metadata must be this.
const PYARROW_DAILY_OBS = {
  index_columns: ['time'],
  column_indexes: [
    {
      name: null,
      field_name: null,
      pandas_type: 'unicode',
      numpy_type: 'object',
      metadata: { encoding: 'UTF-8' },
    },
  ],
  columns: [
    {
      name: 'tmax',
      field_name: 'tmax',
      pandas_type: 'float64',
      numpy_type: 'float64',
      metadata: null,
    },
    {
      name: 'precip',
      field_name: 'precip',
      pandas_type: 'float64',
      numpy_type: 'float64',
      metadata: null,
    },
    {
      name: 'flag',
      field_name: 'flag',
      pandas_type: 'unicode',
      numpy_type: 'object',
      metadata: null,
    },
    {
      name: 'obs_time',
      field_name: 'obs_time',
      pandas_type: 'datetime',
      numpy_type: 'datetime64[ns]',
      metadata: null,
    },
    {
      name: 'time',
      field_name: 'time',
      pandas_type: 'datetime',
      numpy_type: 'datetime64[ns]',
      metadata: null,
    },
  ],
  pandas_version: '1.5.3',
}

describe('pandas index metadata', () => {
  it('records an index exactly as pyarrow does', async () => {
    const table = readPandasCsv(await readFile(join(CACHE, 'daily-obs')), { index_col: 0 })
    const { creator, ...meta } = readPandasMetadata(table)!
    expect(meta).toEqual(PYARROW_DAILY_OBS)
    expect(creator?.library).toBe('xpersist')
  })

  it('gives tables built without metadata no index', () => {
    const t = tableFromArrays({ a: new Float64Array([1, 2]) })
    expect(getTableIndex(t)).toBeNull()
    expect(getRangeIndex(t)).toBeNull()
    expect(dataColumns(t).map((f) => f.name)).toEqual(['a'])
    expect(tableToJson(t).index).toBeNull()
  })

  it('marks, names and hides an index column; ignores metadata naming a missing column', () => {
    const t = new Table({ v: float64Column([1, 2]), key: utf8Column(['a', 'b']) })
    const indexed = withTableIndex(t, 'key', 'label')
    expect(getTableIndex(indexed)).toEqual({ name: 'label', field: 'key' })
    expect(dataColumns(indexed).map((f) => f.name)).toEqual(['v'])
    expect(getTableIndex(withTableIndex(t, 'key', null))).toEqual({ name: null, field: 'key' })
    expect(() => withTableIndex(t, 'nope', null)).toThrow(/no column 'nope'/)
    expect(getTableIndex(indexed.select(['v']))).toBeNull()
    const foreign = new Map(indexed.schema.metadata).set(PANDAS_METADATA_KEY, '{not json')
    expect(
      getTableIndex(new Table(new Schema(indexed.schema.fields, foreign), indexed.batches)),
    ).toBeNull()
  })

  it('keeps RangeIndex labels when slicing', () => {
    const t = withRangeIndex(new Table({ a: int64Column([5n, 6n, 7n, 8n]) }), 'row', 100, 10)
    const sliced = sliceTable(t, 2)
    expect(getRangeIndex(sliced)).toEqual({
      kind: 'range',
      name: 'row',
      start: 120,
      stop: 140,
      step: 10,
    })
    expect(tableToJson(sliced).index).toEqual({ name: 'row', values: [120, 130] })
  })
})

describe('tableToJson', () => {
  it('gives the stable JSON form of the stations fixture', async () => {
    const table = readPandasCsv(await readFile(join(CACHE, 'stations.csv')))
    expect(tableToJson(table, 2)).toEqual({
      kind: 'table',
      rowCount: 5,
      columns: [
        { name: 'station_id', type: 'int64' },
        { name: 'temperature', type: 'float64' },
        { name: 'name', type: 'string' },
        { name: 'active', type: 'bool' },
        { name: 'installed', type: 'datetime' },
        { name: 'climate_zone', type: 'string' },
      ],
      index: { name: null, values: [0, 1] },
      rows: [
        [101, 12.5, 'Boulder', true, '2001-04-01T00:00:00', 'semi-arid'],
        [102, null, 'Mesa Lab', false, '1999-12-31T00:00:00', 'alpine'],
      ],
    })
  })

  it('keeps unsafe int64 values as bigint and maps NaN and infinities to null', () => {
    const t = new Table({
      big: int64Column([2n ** 60n, 1n]),
      f: float64Column([NaN, Infinity]),
    })
    expect(tableToJson(t).rows).toEqual([
      [2n ** 60n, null],
      [1, null],
    ])
    expect(tableToJson(t, 0).rows).toEqual([])
  })
})
