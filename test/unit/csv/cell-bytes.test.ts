// Numbers parsed from bytes equal Number() on their text, including the fast path's edges
// (mantissas at 2^53, powers of ten at +-22) and texts that need Number() itself.
import { describe, expect, it } from 'vitest'
import { parseFloatCell } from '../../../electron/engine/serializers/csv/csv-cell-bytes.js'
import { parseDateCell } from '../../../electron/engine/serializers/csv/csv-date-bytes.js'
import { parseDatetime } from '../../../electron/engine/table/datetime-text.js'

const enc = new TextEncoder()
const float = (t: string) => parseFloatCell(enc.encode(t), 0, enc.encode(t).length)

describe('parseFloatCell', () => {
  it('rounds as Number() does', () => {
    let seed = 5
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
    const texts = [
      '9007199254740992',
      '9007199254740993e-5',
      '9007199254740991.5',
      '1e22',
      '1e23',
      '123456789012345678e-22',
      '-0.0',
      '0.1',
      '.5',
      '5.',
      ' 7.25 ',
      '1E-22',
      '4.9e-324',
      '1e400',
    ]
    for (let i = 0; i < 3000; i++) {
      const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20)
      texts.push(String(x), x.toPrecision(1 + Math.floor(rand() * 17)), x.toExponential(10))
    }
    for (const t of texts) expect(Object.is(float(t), Number(t.trim())), t).toBe(true)
  })
})

describe('parseDateCell', () => {
  it('accepts what parseDatetime accepts, to the microsecond', () => {
    const out = { us: 0, zoned: false, plain: false }
    const texts = [
      '2001-04-01',
      '2021-01-01 06:30:00.5',
      '2021-01-01T06:30:00',
      '2020-02-29',
      '2021-02-29',
      '2021-13-01',
      '2021-01-01 24:00:00',
      '2021-01-01 06:30',
      '1969-12-31 23:59:59.999999',
      '2021-01-01Z',
      '2021-03-04 05:06:07+01:00',
      '2021-03-27T22:30:00+0300',
      '2021-03-27T22:30:00-0130',
      '2021-03-27T22:30:00+030',
      '2021-03-27T22:30:00+03x0',
      '2021-03-04 05:06:07.1234567',
      '2021-1-01',
      '',
    ]
    for (const t of texts) {
      const b = enc.encode(t)
      const want = parseDatetime(t)
      expect(parseDateCell(b, 0, b.length, out), t).toBe(want !== null)
      if (want && out.plain) expect(BigInt(out.us) * 1000n, t).toBe(want.ns)
    }
  })
})
