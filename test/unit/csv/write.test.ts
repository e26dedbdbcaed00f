// The writer against text pandas 1.5.3 wrote for the same DataFrame (each expected string
// below was produced by DataFrame.to_csv in a scratch pandas 1.5.3 / numpy 1.24 venv).
import { Table, vectorFromArray, DateDay, Dictionary, Utf8, Int32 } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { writePandasCsv } from '../../../electron/engine/serializers/csv/write-csv.js'
import {
  float64Column,
  timestampColumn,
  utf8Column,
} from '../../../electron/engine/table/arrow-columns.js'
import { withRangeIndex, withTableIndex } from '../../../electron/engine/table/pandas-meta.js'
import { rowsToTable } from '../../../electron/engine/table/rows-to-table.js'
import { EDGE_CSV, edgeTable, us } from './edge-table.js'

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
describe('writePandasCsv matches DataFrame.to_csv', () => {
  it('writes the default form: RangeIndex, reprs, QUOTE_MINIMAL, millisecond column', () => {
    expect(text(writePandasCsv(edgeTable()))).toBe(EDGE_CSV)
  })

  it('honours sep, na_rep, lineterminator, quotechar and index_label', () => {
    const kwargs = {
      sep: ';',
      na_rep: 'NA',
      lineterminator: '\r\n',
      quotechar: "'",
      index_label: 'row',
    }
    expect(text(writePandasCsv(edgeTable(), kwargs))).toBe(
      "row;s;f;i;b;f32;t\r\n0;plain;0.1;0;True;28.4282;2020-01-01 00:00:00.000\r\n1;comma, inside;-0.0;-1;False;1e-04;2020-01-01 12:00:00.500\r\n2;quote \"q\";1e-05;9223372036854775807;True;0.1;1969-12-31 23:59:59.250\r\n3;'line\nbreak';1.2345678901234568e+17;-9223372036854775808;False;3.4028235e+38;2262-04-11 00:00:00.000\r\n4;'crlf\r\nx';NA;42;True;16777216.0;1677-09-22 00:00:00.000\r\n5;ünïcødé 🚀;1e+16;7;False;-2.5;NA\r\n6;NA;123.0;1;True;NA;2021-06-30 06:30:00.000\r\n",
    )
  })

  it('writes neither index nor header when told', () => {
    expect(text(writePandasCsv(edgeTable(), { index: false, header: false }))).toBe(
      'plain,0.1,0,True,28.4282,2020-01-01 00:00:00.000\n"comma, inside",-0.0,-1,False,1e-04,2020-01-01 12:00:00.500\n"quote ""q""",1e-05,9223372036854775807,True,0.1,1969-12-31 23:59:59.250\n"line\nbreak",1.2345678901234568e+17,-9223372036854775808,False,3.4028235e+38,2262-04-11 00:00:00.000\n"crlf\r\nx",,42,True,16777216.0,1677-09-22 00:00:00.000\nünïcødé 🚀,1e+16,7,False,-2.5,\n,123.0,1,True,,2021-06-30 06:30:00.000\n',
    )
  })

  it('applies float_format (round half even on the exact value) and date_format', () => {
    expect(
      text(writePandasCsv(edgeTable(), { float_format: '%.3f', date_format: '%Y/%m/%d' })),
    ).toBe(
      ',s,f,i,b,f32,t\n0,plain,0.100,0,True,28.428,2020/01/01\n1,"comma, inside",-0.000,-1,False,0.000,2020/01/01\n2,"quote ""q""",0.000,9223372036854775807,True,0.100,1969/12/31\n3,"line\nbreak",123456789012345680.000,-9223372036854775808,False,340282346638528859811704183484516925440.000,2262/04/11\n4,"crlf\r\nx",,42,True,16777216.000,1677/09/22\n5,ünïcødé 🚀,10000000000000000.000,7,False,-2.500,\n6,,123.000,1,True,,2021/06/30\n',
    )
  })

  it('writes a column subset and leaves the index label out with index_label=False', () => {
    expect(text(writePandasCsv(edgeTable(), { index_label: false, columns: ['i', 'b'] }))).toBe(
      'i,b\n0,0,True\n1,-1,False\n2,9223372036854775807,True\n3,-9223372036854775808,False\n4,42,True\n5,7,False\n6,1,True\n',
    )
  })

  it('writes the table index from its pandas metadata, named or not', () => {
    const t = new Table({ v: float64Column([1.5, 2.5]), key: utf8Column(['r1', 'r2']) })
    expect(text(writePandasCsv(withTableIndex(t, 'key', 'idx')))).toBe('idx,v\nr1,1.5\nr2,2.5\n')
    expect(text(writePandasCsv(withTableIndex(t, 'key', null)))).toBe(',v\nr1,1.5\nr2,2.5\n')
    const ranged = withRangeIndex(new Table({ a: float64Column([1.5, 2.5]) }), 'row', 10, 2)
    expect(text(writePandasCsv(ranged))).toBe('row,a\n10,1.5\n12,2.5\n')
  })

  it('writes tz-aware datetimes as str(Timestamp) in their zone, nanoseconds when present', () => {
    const utc = timestampColumn(
      [us('2020-01-01T00:00:00.500'), us('2020-01-02T00:00:00')],
      'us',
      'UTC',
    )
    expect(text(writePandasCsv(new Table({ t: utc })))).toBe(
      ',t\n0,2020-01-01 00:00:00.500000+00:00\n1,2020-01-02 00:00:00+00:00\n',
    )
    const values = [us('2020-01-01T00:00:00.500'), us('2020-01-02T00:00:00')]
    const kolkata = timestampColumn(values, 'us', 'Asia/Kolkata')
    expect(text(writePandasCsv(new Table({ t: kolkata })))).toBe(
      ',t\n0,2020-01-01 05:30:00.500000+05:30\n1,2020-01-02 05:30:00+05:30\n',
    )
    const ns = timestampColumn(
      [us('2020-01-01T00:00:00') * 1000n + 1n, us('2020-01-02T00:00:00') * 1000n],
      'ns',
    )
    expect(text(writePandasCsv(new Table({ t: ns })))).toBe(
      ',t\n0,2020-01-01 00:00:00.000000001\n1,2020-01-02 00:00:00.000000000\n',
    )
  })

  it('writes Arrow dates as str(date) and categories as their values', () => {
    const d = vectorFromArray([new Date(Date.UTC(2020, 0, 1)), null], new DateDay())
    const c = vectorFromArray(['x', null], new Dictionary(new Utf8(), new Int32()))
    expect(text(writePandasCsv(new Table({ d, c })))).toBe(',d,c\n0,2020-01-01,x\n1,,\n')
  })

  it('writes row objects as pd.DataFrame(list_of_dicts) would', () => {
    const table = rowsToTable([
      { a: 1, b: 'x' },
      { a: 2, c: true },
    ])
    expect(text(writePandasCsv(table))).toBe(',a,b,c\n0,1,x,\n1,2,,True\n')
  })

  it('quotes a row that is one empty field, and writes a frame with no columns', () => {
    const t = new Table({ a: utf8Column([null, 'x']) })
    expect(text(writePandasCsv(t, { index: false }))).toBe('a\n""\nx\n')
    expect(text(writePandasCsv(new Table({ a: utf8Column([]) })))).toBe(',a\n')
  })
})
