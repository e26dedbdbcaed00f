// A DataFrame-like table full of edge cases, and the text pandas 1.5.3 writes for it.
import { Table } from 'apache-arrow'
import {
  boolColumn,
  float32Column,
  float64Column,
  int64Column,
  timestampColumn,
  utf8Column,
} from '../../../electron/engine/table/arrow-columns.js'

/** Epoch microseconds of a naive ISO datetime. */
export const us = (iso: string): bigint => BigInt(Date.parse(iso + 'Z')) * 1000n

/** The edge-case frame: awkward strings, float reprs, int64 extremes, float32, datetimes. */
export function edgeTable(): Table {
  return new Table({
    s: utf8Column([
      'plain',
      'comma, inside',
      'quote "q"',
      'line\nbreak',
      'crlf\r\nx',
      'ünïcødé 🚀',
      null,
    ]),
    f: float64Column([0.1, -0, 1e-5, 1.2345678901234568e17, null, 1e16, 123]),
    i: int64Column([0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 42n, 7n, 1n]),
    b: boolColumn([true, false, true, false, true, false, true]),
    f32: float32Column([28.4282, 1e-4, 0.1, 3.4028234663852886e38, 16777216, -2.5, null]),
    t: timestampColumn(
      [
        us('2020-01-01T00:00:00'),
        us('2020-01-01T12:00:00.500'),
        us('1969-12-31T23:59:59.250'),
        us('2262-04-11T00:00:00'),
        us('1677-09-22T00:00:00'),
        null,
        us('2021-06-30T06:30:00'),
      ],
      'us',
    ),
  })
}

/** DataFrame.to_csv() of the edge frame, as pandas 1.5.3 wrote it. */
export const EDGE_CSV =
  ',s,f,i,b,f32,t\n0,plain,0.1,0,True,28.4282,2020-01-01 00:00:00.000\n1,"comma, inside",-0.0,-1,False,1e-04,2020-01-01 12:00:00.500\n2,"quote ""q""",1e-05,9223372036854775807,True,0.1,1969-12-31 23:59:59.250\n3,"line\nbreak",1.2345678901234568e+17,-9223372036854775808,False,3.4028235e+38,2262-04-11 00:00:00.000\n4,"crlf\r\nx",,42,True,16777216.0,1677-09-22 00:00:00.000\n5,ünïcødé 🚀,1e+16,7,False,-2.5,\n6,,123.0,1,True,,2021-06-30 06:30:00.000\n'
