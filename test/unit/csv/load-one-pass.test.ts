// The one-pass load (csv-load-spec.ts) guesses column types from the first piece: a file whose
// later pieces contradict the guess must read exactly as the text reader (the reference) reads
// it, widening an integer column in place when pandas would make it float64, and reading the
// file in two passes for anything else. Pieces are made small so the guess sees few rows.
import type { Table } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { loadCsvBytes, loadStats } from '../../../electron/engine/serializers/csv/csv-load.js'
import { readPandasCsvText } from '../../../electron/engine/serializers/csv/read-csv.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'

const enc = new TextEncoder()

function describeTable(t: Table): unknown {
  return {
    fields: t.schema.fields.map((f) => [f.name, String(f.type)]),
    json: tableToJson(t, 100_000),
  }
}

// A CSV of `rows` rows: column a's cells from `early` for the first 50 rows, then `late`.
function csv(rows: number, early: (i: number) => string, late: (i: number) => string): Uint8Array {
  const lines = ['i,a,b']
  for (let i = 0; i < rows; i++) lines.push(`${i},${i < 50 ? early(i) : late(i)},x${i % 7}`)
  return enc.encode(lines.join('\n') + '\n')
}

// Reads with pieces of 256 bytes (about 20 rows for the guess) and says whether it took two passes.
function read(bytes: Uint8Array): { table: unknown; twoPass: boolean } {
  const before = loadStats.twoPass
  const table = describeTable(loadCsvBytes(bytes, {}, 256))
  return { table, twoPass: loadStats.twoPass > before }
}

const cases: [string, (i: number) => string, (i: number) => string, boolean][] = [
  [
    'an int column meeting a missing value',
    (i) => String(i * 3),
    (i) => (i % 9 ? `${i}` : 'NaN'),
    false,
  ],
  [
    'an int column meeting a float',
    (i) => String(-i),
    (i) => (i === 120 ? '2.5e3' : `${i}`),
    false,
  ],
  ['a missing column meeting floats', () => '', (i) => `${i / 8}`, false],
  ['a float column meeting text', (i) => `${i}.5`, (i) => (i === 300 ? 'oops' : `${i}.25`), true],
  ['an int column meeting text', (i) => `${i}`, (i) => (i === 70 ? 'n/a?' : `${i}`), true],
  [
    'an int column meeting 2^64',
    (i) => `${i}`,
    (i) => (i === 99 ? '18446744073709551616' : `${i}`),
    true,
  ],
  [
    'a bool column meeting text',
    (i) => (i % 2 ? 'True' : 'False'),
    (i) => (i === 200 ? 'maybe' : 'true'),
    true,
  ],
  [
    'a date column meeting an offset',
    () => '2021-01-01 06:30:00',
    () => '2021-01-01T06:30:00+01:00',
    true,
  ],
  ['a missing column meeting text', () => 'NA', (i) => `t${i}`, true],
  [
    'a text column with longer text later',
    (i) => `s${i}`,
    (i) => 'long text '.repeat(i % 40),
    false,
  ],
]

describe('one-pass CSV load against the text reader', () => {
  for (const [what, early, late, twoPass] of cases) {
    it(`reads ${what} as the text reader does`, () => {
      const bytes = csv(400, early, late)
      const got = read(bytes)
      expect(got.table).toEqual(describeTable(readPandasCsvText(bytes, {})))
      expect(got.twoPass).toBe(twoPass)
    })
  }

  it('grows past its row guess when later rows are shorter', () => {
    const lines = ['i,a']
    for (let i = 0; i < 3000; i++) lines.push(i < 20 ? `${i},${'w'.repeat(200)}` : `${i},v`)
    const bytes = enc.encode(lines.join('\n'))
    const got = read(bytes)
    expect(got.twoPass).toBe(false)
    expect(got.table).toEqual(describeTable(readPandasCsvText(bytes, {})))
  })

  it('widens an int column to float64 at a record too short to hold it', () => {
    const bytes = csv(
      200,
      (i) => `${i}`,
      (i) => `${i}`,
    )
    const text = new TextDecoder().decode(bytes).replace('\n150,150,x3\n', '\n150\n')
    expect(text).toContain('\n150\n')
    const short = enc.encode(text)
    const got = read(short)
    expect(got.twoPass).toBe(false)
    const want = readPandasCsvText(short, {})
    expect(String(want.schema.fields[1]!.type)).toBe('Float64')
    expect(got.table).toEqual(describeTable(want))
  })
})
