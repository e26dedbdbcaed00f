// The query engine's parts on their own: rows picked by position keep their exact types,
// filter values are read in the column's type (with errors that name it), sort keys put
// missing values last both ways, CLI --where spellings, and export names.
import { tableFromArrays } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { parseWhere, queryFromOptions } from '../../electron/cli/query-args.js'
import { UsageError } from '../../electron/cli/args.js'
import {
  categoryColumn,
  int64Column,
  tableFromColumns,
  timestampColumn,
} from '../../electron/engine/table/arrow-columns.js'
import { withRangeIndex } from '../../electron/engine/table/pandas-meta.js'
import { tableToJson } from '../../electron/engine/table/table-json.js'
import { kindValues } from '../../electron/engine/table/query/columns.js'
import { exportName } from '../../electron/engine/table/query/export.js'
import { compileFilter, parseIsoNs, readValue } from '../../electron/engine/table/query/filters.js'
import { SortKey, sortPositions } from '../../electron/engine/table/query/sort-keys.js'
import { takeRows } from '../../electron/engine/table/query/take.js'

describe('takeRows', () => {
  it('keeps ns timestamps, int64 beyond 2^53, categoricals and the RangeIndex labels', () => {
    const big = 2n ** 60n + 1n
    const part = (ns: bigint[], ints: bigint[], cats: string[], start: number) =>
      withRangeIndex(
        tableFromColumns(
          ['t', 'i', 'c'],
          [timestampColumn(ns, 'ns'), int64Column(ints), categoryColumn(cats)],
          ns.length,
        ),
        null,
        start,
        2,
      )
    const a = part([1_000_000_001n, 5n], [big, 1n], ['x', 'y'], 10)
    const b = part([7n], [3n], ['z'], 14)
    const picked = takeRows([a, b], [2, 0, 1])
    const json = tableToJson(picked, 3)
    expect(json.index?.values).toEqual([14, 10, 12])
    expect(json.rows).toEqual([
      ['1970-01-01T00:00:00.000000007', 3, 'z'],
      ['1970-01-01T00:00:01.000000001', big, 'x'],
      ['1970-01-01T00:00:00.000000005', 1, 'y'],
    ])
  })
})

describe('filters', () => {
  it('reads values in the column type and names the column when it cannot', () => {
    expect(readValue('2.5', 'number', 'float64', 'x')).toBe(2.5)
    expect(readValue('9007199254740993', 'number', 'int64', 'x')).toBe(9007199254740993n)
    expect(readValue('True', 'bool', 'bool', 'ok')).toBe(true)
    expect(readValue('2021-03-01T12:00:00.5Z', 'datetime', 'datetime', 'at')).toBe(
      1614600000500000000n,
    )
    expect(() => readValue('soon', 'datetime', 'datetime', 'at')).toThrow(
      /Column 'at' is datetime: the filter value "soon" is not an ISO date or time/,
    )
    expect(() => readValue('maybe', 'bool', 'bool', 'ok')).toThrow(/Column 'ok' is bool/)
    expect(() => readValue('2021-02-31', 'date', 'date', 'd')).toThrow(/is not an ISO date/)
    expect(parseIsoNs('2021-03-01T01:00:00+01:00')).toBe(parseIsoNs('2021-03-01'))
  })

  it('treats a missing value as pandas does: never equal or ordered, always "not equal"', () => {
    const text = () => ''
    const ne = compileFilter({ column: 'x', op: 'ne', value: 1 }, 'number', 'float64')
    const lt = compileFilter({ column: 'x', op: 'lt', value: 1 }, 'number', 'float64')
    expect([ne.test(null, text), lt.test(null, text), lt.test(0, text)]).toEqual([
      true,
      false,
      true,
    ])
    const values = kindValues(
      tableFromArrays({ x: new Float64Array([NaN, 1]) }).getChild('x')!,
      'number',
    )
    expect(values).toEqual([null, 1])
  })
})

describe('sort keys', () => {
  it('puts missing values last in both directions, ties in file order', () => {
    const values = [3, null, 1, 3, null, 2]
    const order = (descending: boolean) => {
      const key = new SortKey('number', descending, values.length)
      values.forEach((v, i) => key.set(i, v))
      return [...sortPositions(Uint32Array.from(values.keys()), [key])]
    }
    expect(order(false)).toEqual([2, 5, 0, 3, 1, 4])
    expect(order(true)).toEqual([0, 3, 5, 2, 1, 4])
  })

  it('orders text by code point, as Python compares str', () => {
    const texts = ['\u{1F600}', '\uFF21', 'b', 'B']
    const key = new SortKey('text', false, texts.length)
    texts.forEach((t, i) => key.set(i, t))
    expect([...sortPositions(Uint32Array.from(texts.keys()), [key])]).toEqual([3, 2, 1, 0])
  })
})

describe('the CLI query options', () => {
  it('parses --where and --sort, and names the flag in errors', () => {
    expect(parseWhere('level>=3')).toEqual({ column: 'level', op: 'ge', value: '3' })
    expect(parseWhere('name~a=b')).toEqual({ column: 'name', op: 'contains', value: 'a=b' })
    expect(parseWhere('x isnull')).toEqual({ column: 'x', op: 'isNull', value: null })
    expect(queryFromOptions({ sort: 'a:desc,b' }).sort).toEqual([
      { column: 'a', descending: true },
      { column: 'b', descending: false },
    ])
    expect(() => parseWhere('x>')).toThrow(UsageError)
    expect(() => parseWhere('x>')).toThrow(/--where 'x>': no value after '>'/)
  })
})

describe('export names', () => {
  it('says what the export holds', () => {
    const q = { sort: [], filters: [], search: '', groupBy: null }
    expect(exportName('runs/sales-2021.parquet', { ...q, search: 'x' }, 'csv')).toBe(
      'sales-2021.filtered.csv',
    )
    expect(
      exportName('t.csv', { ...q, sort: [{ column: 'a', descending: false }] }, 'parquet'),
    ).toBe('t.sorted.parquet')
    expect(exportName('t', q, 'csv')).toBe('t.csv')
  })
})
