// The reader: pandas' type inference and index rules, quoting, and round trips of the writer.
import type { Timestamp, Vector } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { csvLoadKwargs } from '../../../electron/engine/serializers/csv/csv-serializer.js'
import { readPandasCsv } from '../../../electron/engine/serializers/csv/read-csv.js'
import { writePandasCsv } from '../../../electron/engine/serializers/csv/write-csv.js'
import { timestampsAsNs } from '../../../electron/engine/table/arrow-columns.js'
import { getTableIndex } from '../../../electron/engine/table/pandas-meta.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'
import { rowsToTable } from '../../../electron/engine/table/rows-to-table.js'
import { EDGE_CSV, edgeTable } from './edge-table.js'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
const read = (s: string, kwargs = {}) => readPandasCsv(bytes(s), kwargs)
const types = (s: string, kwargs = {}) =>
  tableToJson(read(s, kwargs)).columns.map((c) => `${c.name}:${c.type}`)
const column = (s: string, name: string, kwargs = {}): unknown[] =>
  [...(read(s, kwargs).getChild(name) as Vector)].map((v) => v as unknown)

describe('readPandasCsv type inference', () => {
  it('infers int64, float64 (ints with a gap too), bool, datetime and string like pandas', () => {
    const csv =
      'i,g,f,b,d,t,s\n1,1,1.5,True,2020-01-01,2020-01-01 06:30:00,x\n-2,,inf,false,2020-02-29,2020-01-02 06:30:00.25,y\n'
    expect(types(csv)).toEqual([
      'i:int64',
      'g:float64',
      'f:float64',
      'b:bool',
      'd:datetime',
      't:datetime',
      's:string',
    ])
    expect(column(csv, 'i')).toEqual([1n, -2n])
    expect(column(csv, 'f')).toEqual([1.5, Infinity])
    expect(column(csv, 'b')).toEqual([true, false])
  })

  it("treats pandas' default NA texts as missing everywhere, and na_values/keep_default_na", () => {
    expect(column('a,b\nNA,1\nnull,2\nx,3\n', 'a')).toEqual([null, null, 'x'])
    expect(column('a\nNA\nx\n', 'a', { keep_default_na: false })).toEqual(['NA', 'x'])
    expect(column('a\n-999\n5\n', 'a', { na_values: ['-999'] })).toEqual([null, 5])
  })

  it('keeps 64-bit extremes exact: int64, then uint64, then text beyond', () => {
    expect(column('a\n9223372036854775807\n-9223372036854775808\n', 'a')).toEqual([
      2n ** 63n - 1n,
      -(2n ** 63n),
    ])
    expect(types('a\n18446744073709551615\n1\n')).toEqual(['a:uint64'])
    expect(types('a\n99999999999999999999\n1\n')).toEqual(['a:string'])
  })

  it('reads microseconds exactly, and switches to nanoseconds only when a value needs them', () => {
    const us = read('t\n2020-01-01 00:00:00.123456\n').getChild('t') as Vector<Timestamp>
    expect(String(us.type)).toBe('Timestamp<MICROSECOND>')
    expect(timestampsAsNs(us)).toEqual([1577836800123456000n])
    const ns = read('t\n2020-01-01 00:00:00.123456789\n').getChild('t') as Vector<Timestamp>
    expect(String(ns.type)).toBe('Timestamp<NANOSECOND>')
    expect(timestampsAsNs(ns)).toEqual([1577836800123456789n])
    const zoned = read('t\n2020-01-01 05:30:00+05:30\n').getChild('t') as Vector<Timestamp>
    expect(zoned.type.timezone).toBe('UTC')
    expect(timestampsAsNs(zoned)).toEqual([1577836800000000000n])
    expect(types('t\n2020-02-30\n')).toEqual(['t:string'])
  })

  it('honours parse_dates, dtype, usecols, nrows and header=None', () => {
    expect(types('d,e\n2020-01-01,2020-01-01\n', { parse_dates: false })).toEqual([
      'd:string',
      'e:string',
    ])
    expect(types('d,e\n2020-01-01,2020-01-01\n', { parse_dates: ['e'] })).toEqual([
      'd:string',
      'e:datetime',
    ])
    expect(column('zip,n\n01234,1\n', 'zip', { dtype: { zip: 'str' } })).toEqual(['01234'])
    expect(types('a,b,c\n1,2,3\n', { usecols: ['c', 'a'] })).toEqual(['a:int64', 'c:int64'])
    expect(read('a\n1\n2\n3\n', { nrows: 2 }).numRows).toBe(2)
    expect(types('1,x\n2,y\n', { header: null })).toEqual(['0:int64', '1:string'])
  })
})

describe('readPandasCsv index rules', () => {
  it('makes an empty-header first column the unnamed index, and mangles names like pandas', () => {
    const t = read(',a,a,\n0,1,2,3\n')
    expect(getTableIndex(t)).toEqual({ name: null, field: '__index_level_0__' })
    expect(t.schema.fields.map((f) => f.name)).toEqual([
      'a',
      'a.1',
      'Unnamed: 3',
      '__index_level_0__',
    ])
  })

  it('keeps a named first column as data unless index_col says otherwise', () => {
    const csv = 'time,v\n2021-01-01,1.5\n'
    expect(getTableIndex(read(csv))).toBeNull()
    expect(getTableIndex(read(csv, { index_col: 0 }))).toEqual({ name: 'time', field: 'time' })
    expect(getTableIndex(read(csv, { index_col: 'v' }))).toEqual({ name: 'v', field: 'v' })
    expect(getTableIndex(read(',v\n0,1\n', { index_col: false }))).toBeNull()
  })

  it("finds pandas' implicit index when records are one field longer than the header", () => {
    const written = writePandasCsv(rowsToTable([{ x: 1.5 }]), { index_label: false })
    expect(new TextDecoder().decode(written)).toBe('x\n0,1.5\n')
    const t = readPandasCsv(written)
    expect(tableToJson(t).index).toEqual({ name: null, values: [0] })
    expect(tableToJson(t).rows).toEqual([[1.5]])
  })

  it('reads back a header=False, index=True file with the sidecar-derived kwargs', () => {
    const written = writePandasCsv(rowsToTable([{ x: 'a' }, { x: 'b' }]), { header: false })
    const t = readPandasCsv(written, csvLoadKwargs({}, { header: false }))
    expect(tableToJson(t).index?.values).toEqual([0, 1])
    expect(tableToJson(t).rows).toEqual([['a'], ['b']])
  })
})

describe('quoting and line endings', () => {
  it('reads doubled quotes, separators and newlines inside quotes, and \\r\\n files', () => {
    const t = read('a,b\r\n"x ""q"", y","line1\r\nline2"\r\n\r\nz,\r\n')
    expect(tableToJson(t).rows).toEqual([
      ['x "q", y', 'line1\r\nline2'],
      ['z', null],
    ])
  })

  it('tells a lone `""` record (a missing value) from a blank line, and drops a BOM', () => {
    expect(column('\uFEFFa\n""\n\nx\n', 'a')).toEqual([null, 'x'])
  })

  it('refuses malformed CSV with a CorruptPayloadError', () => {
    expect(() => read('a,b\n1,2,3,4\n')).toThrow(/expected 2 fields in record 2, saw 4/)
    expect(() => read('a\n"open\n')).toThrow(expect.objectContaining({ code: 'CORRUPT_PAYLOAD' }))
    expect(() => read('')).toThrow(/No columns/)
    expect(() => readPandasCsv(new Uint8Array([0x61, 0x0a, 0xff]))).toThrow(/UTF-8/)
  })
})

describe('round trips', () => {
  it('reads pandas-written edge text to the values that were written', () => {
    const back = read(EDGE_CSV)
    const json = tableToJson(back)
    expect(json.columns.map((c) => c.type)).toEqual([
      'string',
      'float64',
      'int64',
      'bool',
      'float64',
      'datetime',
    ])
    const original = tableToJson(edgeTable())
    // float32 comes back as float64 holding the written digits (28.4282), as in pandas.
    expect(json.rows).toEqual(original.rows)
    expect(Object.is(back.getChild('f')!.get(1), -0)).toBe(true)
    expect(json.index).toEqual({ name: null, values: [0, 1, 2, 3, 4, 5, 6] })
  })

  it('writes what it read byte for byte, in every split of the input', () => {
    const table = read(EDGE_CSV)
    const again = new TextDecoder().decode(writePandasCsv(table))
    // Only the float32 column is spelled differently once it is float64 (0.0001 vs 1e-04).
    expect(again).toBe(EDGE_CSV.replace('1e-04', '0.0001'))
    const whole = tableToJson(table, 100)
    const all = bytes(EDGE_CSV)
    for (const size of [1, 2, 3, 7, 64]) {
      const pieces = Array.from({ length: Math.ceil(all.length / size) }, (_, i) =>
        all.subarray(i * size, (i + 1) * size),
      )
      expect(tableToJson(readPandasCsv(pieces), 100)).toEqual(whole)
    }
  })

  it('round-trips row objects with gaps, unicode and quotes', () => {
    const rows = [
      { id: 1, name: 'Zoë "the" ☃', score: 0.5, ok: true },
      { id: 2, name: 'a,b\nc', ok: false },
    ]
    const back = tableToJson(readPandasCsv(writePandasCsv(rowsToTable(rows))))
    expect(back.rows).toEqual([
      [1, 'Zoë "the" ☃', 0.5, true],
      [2, 'a,b\nc', null, false],
    ])
  })
})
