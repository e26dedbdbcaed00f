// Corrupt CSV payloads, through a page and through the full load: ragged rows (more fields is
// pandas' ParserError, fewer is NaN), invalid UTF-8, an unclosed quote at the end, NUL bytes.
// Each is a clear error naming the payload and where, or pandas' values; never a hang.
import { describe, expect, it } from 'vitest'
import { CorruptPayloadError } from '../../../electron/engine/errors.js'
import {
  pandasCsvSerializer,
  previewPandasCsv,
} from '../../../electron/engine/serializers/csv/csv-serializer.js'
import { Utf8Check } from '../../../electron/engine/serializers/csv/csv-page-check.js'
import { tableToJson } from '../../../electron/engine/table/table-json.js'
import { MemoryBackend, memoryTarget } from './memory-backend.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

async function both(bytes: Uint8Array, offset = 0, rows = 20) {
  const backend = new MemoryBackend()
  await backend.put('bad.csv', bytes)
  const target = memoryTarget(backend, 'bad.csv')
  const attempt = async <T>(f: () => Promise<T>): Promise<T | Error> => f().catch((e: Error) => e)
  return {
    page: await attempt(async () => {
      const p = await previewPandasCsv(target, { kwargs: {}, offset, rows })
      return tableToJson(p.table, rows)
    }),
    full: await attempt(async () => {
      const t = await pandasCsvSerializer.load(target, {})
      return tableToJson(t as never, 100)
    }),
  }
}

function expectError(got: unknown, ...parts: (string | RegExp)[]): void {
  expect(got).toBeInstanceOf(CorruptPayloadError)
  for (const p of parts) expect((got as Error).message).toMatch(p)
}

describe('ragged rows', () => {
  // pandas 1.5: ParserError "Error tokenizing data. C error: Expected 2 fields in line L, saw 3",
  // L counting line ends outside quotes, blank lines included.
  it.each([
    ['a,b\n1,2\n3,4,5\n6,7\n', 1, 8, 3],
    ['a,b\n1,2\n\n\n3,4,5\n', 1, 10, 5],
    ['a,b\n1,"x\ny"\n\n3,4,5\n', 1, 13, 4],
  ])(
    'more fields than the header is an error naming the row and the line (%j)',
    async (text, row, byte, line) => {
      const { page, full } = await both(enc(text))
      expectError(
        page,
        'The CSV payload bad.csv',
        `expected 2 fields in data row ${row} (from 0) at byte ${byte}, saw 3`,
        `Expected 2 fields in line ${line}, saw 3`,
      )
      expectError(full, 'bad.csv', /expected 2 fields/i)
    },
  )

  it('a ragged row deep in the file fails the page that holds it, not the others', async () => {
    const lines = ['a,b']
    for (let i = 0; i < 30_000; i++) lines.push(i === 20_005 ? '1,2,3' : `${i},${i}`)
    const text = lines.join('\n') + '\n'
    const deep = await both(enc(text), 20_000, 10)
    expectError(deep.page, 'expected 2 fields in data row 20005 (from 0) at byte')
    // Deep in the file pandas' line is not known without a scan from the top: not claimed.
    expect((deep.page as Error).message).not.toMatch('line')
    const first = await both(enc(text), 0, 10)
    expect((first.page as { rows: unknown[] }).rows).toHaveLength(10)
  })

  it('a ragged row that starts a deep page is not taken for an implicit index', async () => {
    const lines = ['a,b']
    for (let i = 0; i < 50; i++) lines.push(i === 30 ? '1,2,3' : `${i},${i}`)
    const { page } = await both(enc(lines.join('\n') + '\n'), 30, 5)
    expectError(page, 'expected 2 fields in data row 30 (from 0)')
    // Where row 0 is one wider, every row is: deep pages keep the index.
    const wide = ['a,b', ...Array.from({ length: 50 }, (_, i) => `r${i},${i},${i * 2}`)]
    const deep = await both(enc(wide.join('\n') + '\n'), 30, 2)
    expect(deep.page).toMatchObject({
      index: { values: ['r30', 'r31'] },
      rows: [
        [30, 60],
        [31, 62],
      ],
    })
  })

  it('an implicit index (one more field on the first row) is not ragged', async () => {
    const { page, full } = await both(enc('a,b\nx,1,2\ny,3,4\n'))
    expect(page).toMatchObject({
      index: { values: ['x', 'y'] },
      rows: [
        [1, 2],
        [3, 4],
      ],
    })
    expect(full).toEqual(page)
  })

  it('fewer fields than the header are missing values, as pandas reads them', async () => {
    // pd.read_csv: {'a': [1, 3], 'b': [2, 4], 'c': [nan, 5.0]}
    const { page, full } = await both(enc('a,b,c\n1,2\n3,4,5\n'))
    expect(page).toMatchObject({
      columns: [
        { name: 'a', type: 'int64' },
        { name: 'b', type: 'int64' },
        { name: 'c', type: 'float64' },
      ],
      rows: [
        [1, 2, null],
        [3, 4, 5],
      ],
    })
    expect(full).toEqual(page)
  })
})

describe('invalid UTF-8', () => {
  it('names the byte offset and the row', async () => {
    const bytes = new Uint8Array([...enc('a,b\n1,2\n3,'), 0xff, 0xfe, ...enc('\n')])
    const { page, full } = await both(bytes)
    expectError(page, 'bad.csv is not valid UTF-8', 'offset 10 (data row 1, from 0)')
    expectError(full, 'bad.csv', /UTF-8/)
  })

  it('in the header, and cut short at the end of the file', async () => {
    const header = await both(new Uint8Array([...enc('a,'), 0xc3, ...enc('b\n1,2\n')]))
    expectError(header.page, 'offset 2 (the header row)')
    const cut = await both(new Uint8Array([...enc('a,b\n1,caf'), 0xc3]))
    expectError(cut.page, 'offset 9')
  })

  it('accepts a character split across two reads', async () => {
    // 'é' straddles the 64 KiB boundary of the page's first read.
    const pad = 'x'.repeat(65_536 - 'a,b\n1,'.length - 1)
    const { page, full } = await both(enc(`a,b\n1,${pad}é\n2,3\n`))
    expect((page as { rows: unknown[][] }).rows[0]![1]).toBe(`${pad}é`)
    expect(full).toEqual(page)
  })

  it('refuses what RFC 3629 forbids', () => {
    const first = (bytes: number[]) => new Utf8Check().push(new Uint8Array(bytes))
    expect(first([0x61, 0xc0, 0x80])).toBe(1) // overlong
    expect(first([0xed, 0xa0, 0x80])).toBe(0) // surrogate
    expect(first([0xf4, 0x90, 0x80, 0x80])).toBe(0) // past U+10FFFF
    expect(first([0xe2, 0x82, 0x41])).toBe(0) // cut short by ASCII
    expect(first([0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xac])).toBeNull() // 😀€
  })
})

describe('an unclosed quote at the end of the file', () => {
  it('is an error, never a hang', async () => {
    // pandas: "EOF inside string starting at row 1".
    const { page, full } = await both(enc('a,b\n1,"abc\n2,3\n'))
    expectError(page, 'bad.csv ends inside a quoted field opened in data row 0')
    expectError(full, 'bad.csv', /quote|unterminated/i)
  })
})

describe('NUL bytes', () => {
  it('are kept as characters; page and full load agree', async () => {
    // pandas' C parser cuts a field at NUL ('x'); its python engine keeps it. Kept here: the
    // cell shows what the file holds.
    const { page, full } = await both(enc('a,b\n1,x\u0000y\n2,3\n\u0000,4\n'))
    expect(page).toMatchObject({
      rows: [
        ['1', 'x\u0000y'],
        ['2', '3'],
        ['\u0000', '4'],
      ],
    })
    expect(full).toEqual(page)
  })
})

describe('load kwargs on a page', () => {
  it('an unknown one is refused by name, with what to do, as the full load does', async () => {
    const backend = new MemoryBackend()
    await backend.put('k.csv', enc('a,b\n1,2\n'))
    const target = memoryTarget(backend, 'k.csv')
    const kwargs = { sep: ',', skiprows: 1, engine: 'c' }
    const message =
      /does not support load kwargs 'skiprows', 'engine'; supported: sep,.*Remove them/
    await expect(previewPandasCsv(target, { kwargs })).rejects.toThrow(message)
    await expect(pandasCsvSerializer.load(target, kwargs)).rejects.toThrow(message)
  })
})
