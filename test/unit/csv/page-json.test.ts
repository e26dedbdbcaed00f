// A CSV page's JSON made from its texts without Arrow (csv-page-json.ts, what `xpersist show`
// prints) is byte for byte what tableToJson gives for the page's Arrow table, for every type
// the reader infers or a dtype kwarg forces, every index kind, and pages past the first.
import { describe, expect, it } from 'vitest'
import { keptRowsJson } from '../../../electron/engine/serializers/csv/csv-page-json.js'
import { readCsvPage, readCsvPageRows } from '../../../electron/engine/serializers/csv/csv-pages.js'
import type { Kwargs } from '../../../electron/engine/serializers/serializer.js'
import { stringifyJson } from '../../../electron/engine/pyvalue-json.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'
import { MemoryBackend, memoryTarget } from './memory-backend.js'

const CASES: [string, string, Kwargs][] = [
  ['unnamed index, mixed types', ',a,b,c,d\n0,1,2.5,x,True\n1,2,,y,False\n2,3,inf,,true\n', {}],
  ['no index', 'a,b\n1,2\n3,4\n5,6\n', {}],
  ['implicit index', 'a,b\nr0,1,2\nr1,3,4\nr2,5,6\n', {}],
  ['named index_col', 'time,v\n2001-01-01,1\n2001-01-02,2\n', { index_col: 0 }],
  ['index named like a column', 'v,v\n1,2\n3,4\n', { index_col: 1 }],
  ['ints with missing become floats', 'a\n1\n\n3\nNA\n', {}],
  [
    'big ints',
    'a,b,c\n9007199254740993,18446744073709551615,1\n-9223372036854775808,1,99999999999999999999\n',
    {},
  ],
  ['all missing', 'a,b\n,\n,\n', {}],
  ['floats', 'a\n-0.0\n1e308\n1e309\n-inf\nnan\n.5\n', {}],
  [
    'dates',
    'a,b,c,d\n2001-01-01,2001-01-01T00:00:00.000000001,2001-01-01 00:00:00+01:00,x\n2002-02-02,,2002-01-01T05:00:00Z,2002-01-01\n',
    { parse_dates: ['a', 'b', 'c', 'd'] },
  ],
  [
    'dtype forced',
    'a,b,c,d,e,f\n1,2,3.5,True,x,1\n2,,0.1,False,y,\n',
    { dtype: { a: 'int64', b: 'Int64', c: 'float32', d: 'bool', e: 'category', f: 'string' } },
  ],
  ['usecols', 'a,b,c\n1,2,3\n4,5,6\n', { usecols: ['c', 'a'] }],
  ['no header', '1,2\n3,4\n', { header: null }],
  ['header only', 'a,b\n', {}],
  ['empty and repeated names', ',,a,a\n1,2,3,4\n5,6,7,8\n', { index_col: false }],
  ['na_values and nrows', 'a,b\nMISSING,1\n2,2\n3,3\n4,4\n', { na_values: ['MISSING'], nrows: 3 }],
  ['quoted, sep', 'a;b\n"x;y";1\n"q""r";2\n', { sep: ';' }],
]

async function both(text: string, kwargs: Kwargs, offset: number, rows: number) {
  const backend = new MemoryBackend()
  await backend.put('p.csv', new TextEncoder().encode(text))
  const target = memoryTarget(backend, 'p.csv')
  const meta = (await backend.head('p.csv'))!
  // An error (a page past the end of a file without a header has no columns) must match too.
  const attempt = async (f: () => Promise<string>) => f().catch((err: Error) => err.message)
  return {
    arrow: await attempt(async () => {
      const table = await readCsvPage(target, meta, kwargs, offset, rows, 1_000_000)
      return stringifyJson(tableToJson(table!.table, rows))
    }),
    direct: await attempt(async () => {
      const page = await readCsvPageRows(target, meta, kwargs, offset, rows, 1_000_000)
      return stringifyJson(keptRowsJson(page!.reader.kept(), offset))
    }),
  }
}

describe('CSV page JSON without Arrow', () => {
  for (const [name, text, kwargs] of CASES) {
    it(`equals tableToJson of the page table: ${name}`, async () => {
      for (const [offset, rows] of [
        [0, 20],
        [0, 1],
        [1, 2],
        [2, 20],
      ] as const) {
        const { arrow, direct } = await both(text, kwargs, offset, rows)
        expect(direct, `${name} @${offset}+${rows}`).toBe(arrow)
      }
    })
  }

  it('a forced dtype the texts do not fit fails the same way', async () => {
    const kwargs = { dtype: { a: 'int64' } }
    const text = 'a\n1\nx\n'
    const backend = new MemoryBackend()
    await backend.put('p.csv', new TextEncoder().encode(text))
    const target = memoryTarget(backend, 'p.csv')
    const meta = (await backend.head('p.csv'))!
    const page = await readCsvPageRows(target, meta, kwargs, 0, 5, 1_000_000)
    expect(() => keptRowsJson(page!.reader.kept())).toThrow(/'x' is not an integer/)
    await expect(readCsvPage(target, meta, kwargs, 0, 5, 1_000_000)).rejects.toThrow(
      /'x' is not an integer/,
    )
  })
})
