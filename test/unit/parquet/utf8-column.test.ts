// utf8Column encodes text straight into one buffer (Arrow's builder was the slow part of
// string columns): the same column as Arrow's own builder for ASCII, accents, emoji, lone
// surrogates, empty strings and nulls.
import { Utf8, vectorFromArray } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { utf8Column } from '../../../electron/engine/table/arrow-columns.js'

const CASES: (string | null)[] = [
  'station-0001',
  '',
  null,
  'name-29-é',
  'Zürich café',
  '北京',
  'emoji 🌧️ rain',
  'lone \ud800 surrogate',
  'a'.repeat(1000),
  'x\u0000y',
  null,
]

describe('utf8Column', () => {
  it('gives the same bytes, offsets and nulls as Arrow builds', () => {
    // Repeated so the buffer has to grow more than once.
    const values = Array.from({ length: 300 }, (_, i) => CASES[i % CASES.length]!)
    const ours = utf8Column(values)
    const theirs = vectorFromArray(values, new Utf8())
    expect(ours.toArray()).toEqual(theirs.toArray())
    expect(ours.nullCount).toBe(theirs.nullCount)
    for (let i = 0; i < values.length; i++) expect(ours.isValid(i)).toBe(values[i] !== null)
    const d = ours.data[0]!
    expect(d.valueOffsets[values.length]).toBe(d.values.length)
    const t = theirs.data[0]!
    // Arrow pads its buffer; the bytes up to the last offset are the column.
    const bytes = t.values.subarray(0, t.valueOffsets[values.length])
    expect(Buffer.from(d.values).equals(Buffer.from(bytes))).toBe(true)
    expect([...d.valueOffsets]).toEqual([...t.valueOffsets.subarray(0, values.length + 1)])
  })
})
