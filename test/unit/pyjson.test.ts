import { describe, expect, it } from 'vitest'
import { PyFloat, pyFloatRepr, pyJsonDumps, pyStringLiteral } from '../../shared/pyjson.js'
import { pyJsonParse } from '../../shared/pyjson-parse.js'

// Expected strings below were printed by CPython 3.11's repr() and json.dumps().
describe('pyFloatRepr', () => {
  const cases: [number, string][] = [
    [0.1, '0.1'],
    [1e16, '1e+16'],
    [1e-5, '1e-05'],
    [123456789012345680.0, '1.2345678901234568e+17'],
    [1.5e16, '1.5e+16'],
    [-0, '-0.0'],
    [1000, '1000.0'],
    [1e22, '1e+22'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0.0001, '0.0001'],
    [0.00001234, '1.234e-05'],
    [12345.678, '12345.678'],
    [2.5e-7, '2.5e-07'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
  ]
  it.each(cases)('%s -> %s', (x, want) => expect(pyFloatRepr(x)).toBe(want))
})

describe('pyJsonDumps', () => {
  it('matches json.dumps(indent=2) byte for byte', () => {
    const value = {
      a: 'é\u2603\u{1F600}\x01\x7f/\\"\n',
      b: [],
      c: {},
      d: [1, { e: [new PyFloat(2), null, true] }],
      big: 2n ** 70n,
    }
    expect(pyJsonDumps(value, 2)).toBe(
      [
        '{',
        '  "a": "\\u00e9\\u2603\\ud83d\\ude00\\u0001\\u007f/\\\\\\"\\n",',
        '  "b": [],',
        '  "c": {},',
        '  "d": [',
        '    1,',
        '    {',
        '      "e": [',
        '        2.0,',
        '        null,',
        '        true',
        '      ]',
        '    }',
        '  ],',
        '  "big": 1180591620717411303424',
        '}',
      ].join('\n'),
    )
  })
  it('with ascii false, writes letters and emoji as they are and escapes only the unseeable', () => {
    const value = {
      'Zürich 温度': 'calm 🌊 é',
      hidden: 'a\u202eb\u200bc\x7f\t"\\',
      lone: 'x\ud800y\udfffz',
    }
    const text = pyJsonDumps(value, undefined, { ascii: false })
    expect(text).toBe(
      '{"Zürich 温度": "calm 🌊 é", "hidden": "a\\u202eb\\u200bc\\u007f\\t\\"\\\\", ' +
        '"lone": "x\\ud800y\\udfffz"}',
    )
    // Parsed back, the same strings: what the sidecar writer then escapes as Python does.
    expect(pyJsonDumps(pyJsonParse(text))).toBe(pyJsonDumps(value))
  })
  it('uses Python default separators without indent', () => {
    expect(pyJsonDumps({ x: [1, 2], y: { z: new PyFloat(1) } })).toBe(
      '{"x": [1, 2], "y": {"z": 1.0}}',
    )
  })
  it('names the path of a value JSON cannot hold', () => {
    expect(() => pyJsonDumps({ a: [1, () => 1] })).toThrow(/value\.a\[1\] is a function/)
    expect(() => pyJsonDumps({ a: new Date(0) })).toThrow(/value\.a is a Date/)
  })
})

describe('pyJsonParse', () => {
  it('keeps integral floats, big ints and non-finite floats', () => {
    const v = pyJsonParse(
      '{"f": 1.0, "e": 1e3, "i": 7, "b": 123456789012345678901, "n": NaN, "m": -Infinity}',
    ) as Record<string, unknown>
    expect(v.f).toEqual(new PyFloat(1))
    expect(v.e).toEqual(new PyFloat(1000))
    expect(v.i).toBe(7)
    expect(v.b).toBe(123456789012345678901n)
    expect((v.n as PyFloat).value).toBeNaN()
    expect((v.m as PyFloat).value).toBe(-Infinity)
  })
  it('round-trips what it reads', () => {
    const text = '{\n  "levels": [\n    1000.0,\n    850.5,\n    -0.0\n  ],\n  "x": 1e-05\n}'
    expect(pyJsonDumps(pyJsonParse(text), 2)).toBe(text)
  })
  it('takes the fast path for plain JSON and agrees with JSON.parse', () => {
    const text = '{"key": "a", "n": [1, 2.5, "1.0 in a string"], "t": "2026-11-26T14:43:29.476057"}'
    expect(pyJsonParse(text)).toEqual({
      key: 'a',
      n: [1, 2.5, '1.0 in a string'],
      t: '2026-11-26T14:43:29.476057',
    })
  })
  it('does not let __proto__ reach the prototype', () => {
    const v = pyJsonParse('{"__proto__": {"polluted": 1.0}}') as Record<string, unknown>
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(v)).toEqual(['__proto__'])
  })
  it('says where a text is broken', () => {
    expect(() => pyJsonParse('{\n  "a": 1.0,\n  "b": }')).toThrow(/line 3/)
    expect(() => pyJsonParse('{"a": 1} x')).toThrow(/unexpected text/)
  })
})

describe('numbers Python would have held as floats', () => {
  it('writes -0 and unsafe integers as floats, as the pickle writer does', () => {
    expect(pyJsonDumps([-0, 0, 1e20, 2 ** 53 - 1, 2 ** 53])).toBe(
      '[-0.0, 0, 1e+20, 9007199254740991, 9007199254740992.0]',
    )
  })
})

describe('pyStringLiteral on long and unusual strings', () => {
  // The per-character definition of json.dumps' ensure_ascii escaping, as a reference.
  const reference = (s: string): string =>
    '"' +
    [...Array(s.length).keys()]
      .map((i) => {
        const c = s.charCodeAt(i)
        const named: Record<number, string> = {
          0x22: '\\"',
          0x5c: '\\\\',
          0x0a: '\\n',
          0x0d: '\\r',
          0x09: '\\t',
          0x08: '\\b',
          0x0c: '\\f',
        }
        if (named[c]) return named[c]
        return c < 0x20 || c > 0x7e ? `\\u${c.toString(16).padStart(4, '0')}` : s[i]
      })
      .join('') +
    '"'

  it('escapes every BMP code unit and surrogate pairs as Python does', () => {
    let s = ''
    for (let c = 0; c < 0x3000; c++) s += String.fromCharCode(c)
    s += '😀\ud800x\udfffy'
    expect(pyStringLiteral(s)).toBe(reference(s))
    expect(pyStringLiteral('plain text')).toBe('"plain text"')
  })

  it('a 4 MB string with escapes throughout encodes exactly', () => {
    const s = 'é"a\\b\n'.repeat(600_000)
    expect(pyStringLiteral(s)).toBe(reference(s))
  })
})
