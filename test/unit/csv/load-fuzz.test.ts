// The byte reader (csv-load.ts) against the text reader it replaced (read-csv.ts, the
// reference) on random CSVs: quotes, embedded newlines, CRLF, NaN texts, ints past 2^53 and
// 2^63, exponent floats, dates with and without offsets, bools, empty fields, short rows, a
// BOM, spaces around numbers, non-ASCII text, and the errors (ragged rows, invalid UTF-8, an
// unclosed quote). Pieces of a few bytes cut every record and character somewhere. Seeded,
// bounded by count.
import type { Table } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import {
  checkCsvBytes,
  loadCsvBytes,
  loadStats,
} from '../../../electron/engine/serializers/csv/csv-load.js'
import { readPandasCsvText } from '../../../electron/engine/serializers/csv/read-csv.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'

function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!

// Each column draws from one family most of the time, so whole columns come out int, float,
// bool or datetime, with the odd cell of another family turning them to text.
const FAMILIES: ((r: () => number) => string)[] = [
  (r) => String(Math.floor((r() - 0.5) * 2e6)),
  (r) =>
    pick(r, [
      '9007199254740993',
      '-9223372036854775808',
      '18446744073709551615',
      '99999999999999999999',
      '+12',
      ' 7 ',
      '007',
    ]),
  (r) =>
    pick(r, [
      String((r() - 0.5) * 1e3),
      '1e5',
      '-2.5E-3',
      '.5',
      '1.',
      'inf',
      '-Infinity',
      '0.1000000000000000055511151231257827',
      '1e400',
      '-0.0',
      '3.14159265358979323846',
    ]),
  (r) => pick(r, ['True', 'False', 'true', 'FALSE', 'TRUE', 'false']),
  (r) =>
    pick(r, [
      '2001-04-01',
      '2021-01-01 06:30:00.5',
      '2021-01-01T06:30:00',
      '1999-12-31 23:59:59.123456789',
      '2020-02-30',
      '2021-03-04 05:06:07+01:00',
      '2300-01-01',
    ]),
  (r) =>
    pick(r, ['a', 'b,c', 'say "hi"', 'two\nlines', 'crlf\r\ninside', 'é', '\u00a05', 'x y', '  ']),
]
const NA_TEXTS = ['', 'NaN', 'nan', 'NA', 'null', '#N/A', '<NA>', '-nan']

function quote(cell: string, rand: () => number): string {
  if (/[",\r\n]/.test(cell) || rand() < 0.05) return `"${cell.replace(/"/g, '""')}"`
  return cell
}

function randomCsv(rand: () => number): string {
  const eol = rand() < 0.6 ? '\n' : '\r\n'
  const width = 1 + Math.floor(rand() * 5)
  const families = Array.from({ length: width }, () => pick(rand, FAMILIES))
  const header = Array.from({ length: width }, (_, i) => (i === 0 && rand() < 0.3 ? '' : `c${i}`))
  const lines = [header.join(',')]
  const rows = Math.floor(rand() * 40)
  for (let i = 0; i < rows; i++) {
    let cells = families.map((f) => {
      const r = rand()
      if (r < 0.1) return pick(rand, NA_TEXTS)
      if (r < 0.13) return pick(rand, FAMILIES)(rand)
      return f(rand)
    })
    if (rand() < 0.03) cells = cells.slice(0, Math.max(1, cells.length - 1))
    lines.push(cells.map((c) => quote(c, rand)).join(','))
    if (rand() < 0.03) lines.push('')
  }
  const body = lines.join(eol) + (rand() < 0.7 ? eol : '')
  return (rand() < 0.1 ? '\uFEFF' : '') + body
}

function describeTable(t: Table): unknown {
  return {
    fields: t.schema.fields.map((f) => [f.name, String(f.type)]),
    meta: t.schema.metadata.get('pandas'),
    json: tableToJson(t, 1000),
  }
}

function outcome(read: () => Table): unknown {
  try {
    return describeTable(read())
  } catch (err) {
    return { error: (err as Error).constructor.name, message: (err as Error).message }
  }
}

function corrupt(bytes: Uint8Array, rand: () => number): Uint8Array {
  const out = bytes.slice()
  const r = rand()
  if (r < 0.3 && out.length > 2) out[Math.floor(rand() * out.length)] = 0xff
  else if (r < 0.6) {
    const extra = new TextEncoder().encode('1,2,3,4,5,6,7\n')
    const joined = new Uint8Array(out.length + extra.length)
    joined.set(out)
    joined.set(extra, out.length)
    return joined
  } else {
    const extra = new TextEncoder().encode('"unclosed,1\n')
    const joined = new Uint8Array(out.length + extra.length)
    joined.set(out)
    joined.set(extra, out.length)
    return joined
  }
  return out
}

describe('whole-CSV byte reader on random files', () => {
  it('reads what the text reader reads, whatever the piece size', () => {
    const rand = prng(88)
    const before = loadStats.fallbacks
    for (let round = 0; round < 150; round++) {
      const bytes = new TextEncoder().encode(randomCsv(rand))
      const kwargs = pick(rand, [
        {},
        {},
        { index_col: 0 },
        { parse_dates: false },
        { keep_default_na: false },
        { header: null },
        { nrows: 5 },
      ])
      const want = outcome(() => readPandasCsvText(bytes, kwargs))
      const piece = pick(rand, [1, 2, 3, 7, 64, 1 << 20])
      const text = new TextDecoder().decode(bytes)
      expect(
        outcome(() => loadCsvBytes(bytes, kwargs, piece)),
        `${JSON.stringify(kwargs)} ${piece}\n${text}`,
      ).toEqual(want)
    }
    // The byte reader itself read them: none needed the text reader.
    expect(loadStats.fallbacks - before).toBe(0)
  })

  it('fails as the text reader fails on broken files, and the put check agrees', () => {
    const rand = prng(9)
    for (let round = 0; round < 80; round++) {
      const bytes = corrupt(new TextEncoder().encode(randomCsv(rand)), rand)
      const want = outcome(() => readPandasCsvText(bytes, {}))
      const piece = pick(rand, [1, 5, 1 << 20])
      const label = new TextDecoder().decode(bytes)
      expect(
        outcome(() => loadCsvBytes(bytes, {}, piece)),
        label,
      ).toEqual(want)
      let check: unknown
      try {
        checkCsvBytes(bytes, piece)
        check = 'ok'
      } catch (err) {
        check = (err as Error).message
      }
      expect(check, label).toEqual(
        'error' in (want as object) ? (want as { message: string }).message : 'ok',
      )
    }
  })
})
