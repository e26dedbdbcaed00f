// The pickle writer produces exactly what CPython's pickle.dumps(value, protocol=4) produces.
// The hex and digests below come from Python 3.11.7 in a scratch venv, e.g.
//   python -c "import pickle; print(pickle.dumps([1, 2, 3], protocol=4).hex())"
// and for the large values hashlib.sha256(pickle.dumps(v, protocol=4)).hexdigest().
import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { InvalidArgumentError } from '../../../electron/engine/errors.js'
import { NdArray, PyFloat, PySet, PyTuple, PythonObject } from '../../../electron/engine/pyvalue.js'
import { readJoblib } from '../../../electron/engine/serializers/joblib/joblib-reader.js'
import {
  encodeLong,
  writePickle,
} from '../../../electron/engine/serializers/joblib/pickle-writer.js'
import { fixture, toHex } from './helpers.js'

const f = (v: number): PyFloat => new PyFloat(v)
const ordered = (...entries: [unknown, unknown][]): Map<unknown, unknown> => new Map(entries)

describe('byte-identical to CPython pickle.dumps(protocol=4)', () => {
  test('the Python-written sample-cache files, which are plain pickles', () => {
    expect(toHex(writePickle([1, 2, 3]))).toBe('8004950b000000000000005d94284b014b024b03652e')
    expect(writePickle([1, 2, 3])).toEqual(fixture('sample-cache/list-ints'))
    expect(writePickle('hello from xpersist')).toEqual(fixture('sample-cache/greeting'))
    expect(writePickle(Math.PI)).toEqual(fixture('sample-cache/pi'))
    const prefect = { status: 'ok', n_points: 120, mean_sst: 29.0618 }
    expect(writePickle(prefect)).toEqual(
      fixture('sample-cache/prefect-result-2026-11-26t14-43-29-741998-00-00'),
    )
    const runConfig = {
      name: 'ctrl',
      members: [1, 2, 3],
      params: { dt: 0.5, alpha: 0.001, label: 'baseline', levels: [f(1000), f(850), f(500)] },
      enabled: true,
      disabled: false,
      parent: null,
      tags: ['ocean', 'sst'],
      nested: [
        [1, 2],
        ['a', null],
      ],
      count: -7,
    }
    expect(writePickle(runConfig)).toEqual(fixture('sample-cache/run-config'))
  })

  test.each([
    [
      'ints of every width, bools and None',
      [
        null,
        true,
        false,
        0,
        255,
        256,
        65535,
        65536,
        -1,
        2 ** 31 - 1,
        -(2 ** 31),
        2 ** 31,
        -(2 ** 31) - 1,
        2n ** 63n,
        -(2n ** 63n),
        2n ** 64n,
        2n ** 53n + 1n,
      ] as unknown[],
      '8004955d000000000000005d94284e88894b004bff4d00014dffff4a000001004affffffff4affffff7f4a00000080' +
        '8a0500000080008a05ffffff7fff8a090000000000000080008a0800000000000000808a0900000000000000000' +
        '18a0701000000000020652e',
    ],
    [
      'floats, including -0.0, nan, inf and integral floats',
      [0.5, -0, f(1000), NaN, Infinity, -Infinity, 1e300, 5e-324],
      '8004954d000000000000005d9428473fe000000000000047800000000000000047408f400000000000477ff80000' +
        '00000000477ff000000000000047fff0000000000000477e37e43c8800759c470000000000000001652e',
    ],
    [
      'tuples of each length, sets, frozensets and bytes',
      ordered(
        ['t0', new PyTuple([])],
        ['t1', new PyTuple([1])],
        ['t2', new PyTuple([1, 'a'])],
        ['t3', new PyTuple([1, 2, 3])],
        ['t5', new PyTuple([1, 2, 3, 4, 5])],
        ['set', new PySet([1, 2, 3])],
        ['fs', new PySet([], true)],
        ['fs1', new PySet([7], true)],
        ['bytes', new Uint8Array([0, 1, 255])],
      ),
      '80049571000000000000007d94288c02743094298c027431944b0185948c027432944b018c01619486948c02743394' +
        '4b014b024b0387948c02743594284b014b024b034b044b0574948c03736574948f94284b014b024b03908c026673' +
        '942891948c0366733194284b0791948c0562797465739443030001ff94752e',
    ],
    [
      'non-string keys',
      ordered(
        [1, 'int'],
        [new PyTuple([1, 2]), 'tuple'],
        [null, 'none'],
        [2.5, 'float'],
        [new Uint8Array([0x6b]), 'bytes'],
        [new PySet([1], true), 'fs'],
      ),
      '8004954a000000000000007d94284b018c03696e74944b014b0286948c057475706c65944e8c046e6f6e6594474004' +
        '0000000000008c05666c6f61749443016b948c05627974657394284b0191948c02667394752e',
    ],
    [
      'repeated dict keys share one memo entry, as interned strings do',
      [
        { name: 'a', value: 1 },
        { name: 'b', value: 2 },
      ],
      '8004952c000000000000005d94287d94288c046e616d65948c0161948c0576616c7565944b01757d942868028c0162' +
        '9468044b0275652e',
    ],
  ])('%s', (_name, value, want) => {
    expect(toHex(writePickle(value))).toBe(want)
  })

  test('an object met twice is written once and then referenced (BINGET)', () => {
    const shared = [1, 2]
    expect(toHex(writePickle({ a: shared, b: shared }))).toBe(
      '80049517000000000000007d94288c0161945d94284b014b02658c0162946802752e',
    )
  })

  test.each([
    [
      '64 KiB frames for a long list',
      Array.from({ length: 30000 }, (_, i) => i),
      89827,
      '8d59bb88cf36af8287ed8ada76eb27324a1c77153f07fcc54c63696c64b2a84c',
    ],
    [
      'a 70000-byte string written outside frames',
      'a'.repeat(70000),
      70009,
      '713297fabe14e5987082534f5ea14d2f47ce5a545c215864ac905e3f15e74c2f',
    ],
    [
      "a 1000-entry dict (with CPython's trailing empty batch)",
      Object.fromEntries(
        Array.from({ length: 1000 }, (_, i) => [`k${String(i).padStart(4, '0')}`, i]),
      ),
      10762,
      '625fbc4057a9779c550f1ad8202280101ef1ba4a48fb842236c36da6b1176bf0',
    ],
    [
      'more than 256 memo entries (LONG_BINGET range)',
      Array.from({ length: 300 }, (_, i) => [i]),
      1560,
      'a40163228378f788c26f4b5e8b80de3a547375327b0fbe0b9477440dd3cc40fa',
    ],
  ])('%s', (_name, value, length, sha256) => {
    const bytes = writePickle(value)
    expect(bytes.length).toBe(length)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256)
  })

  test('encodeLong follows CPython, including -(2**(8j-1)) without a sign byte', () => {
    expect([...encodeLong(2n ** 31n)]).toEqual([0, 0, 0, 0x80, 0])
    expect([...encodeLong(-(2n ** 31n) - 1n)]).toEqual([0xff, 0xff, 0xff, 0x7f, 0xff])
    expect([...encodeLong(-(2n ** 63n))]).toEqual([0, 0, 0, 0, 0, 0, 0, 0x80])
    expect([...encodeLong(-(2n ** 64n) + 1n)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0xff])
  })
})

describe('values pickle cannot hold are refused with their path', () => {
  test.each([
    ['a function', { params: [1, 2, () => 0] }, /value\.params\[2\] .*a function/],
    ['undefined', { a: { b: undefined } }, /value\.a\.b .*undefined/],
    ['a symbol', [Symbol('x')], /value\[0\] .*symbol/],
    ['a class instance', { when: new Date(0) }, /value\.when .*Date instance/],
    [
      'a placeholder',
      [new PythonObject('pandas.core.frame.DataFrame')],
      /value\[0\] .*DataFrame.*only named/,
    ],
    [
      'a numpy array',
      { a: new NdArray('<f8', [1], new Float64Array(1)) },
      /value\.a .*numpy array/,
    ],
    ['a list as a dict key', new Map([[[1], 2]]), /value\[1\] \(the key\).*dict key/],
    ['a set inside a set', new PySet([new PySet([1])]), /value\{0\}.*set item/],
    ['a lone surrogate', { s: 'a\ud800' }, /value\.s .*lone surrogate/],
    ['symbol keys', { [Symbol('k')]: 1 }, /value .*symbol keys/],
  ])('%s', (_name, value, message) => {
    expect(() => writePickle(value)).toThrow(InvalidArgumentError)
    expect(() => writePickle(value)).toThrow(message)
  })

  test('cycles are refused, naming both ends', () => {
    const a: unknown[] = [1]
    const root = { list: a }
    a.push({ back: a })
    expect(() => writePickle(root)).toThrow(
      /value\.list\[1\]\.back .*refers back to value\.list \(a cycle\)/,
    )
  })

  test('the writer and the reader share one depth limit: 100 levels round-trip, 101 do not', () => {
    const nest = (n: number): unknown => {
      let v: unknown = []
      for (let i = 1; i < n; i++) v = [v]
      return v
    }
    expect(readJoblib(writePickle(nest(100)))).toEqual(nest(100))
    expect(() => writePickle(nest(101))).toThrow(/nests deeper than 100 levels/)
  })

  test('deep nesting is refused before the JS stack runs out', () => {
    let deep: unknown = 1
    for (let i = 0; i < 5000; i++) deep = [deep]
    expect(() => writePickle(deep)).toThrow(/nests deeper than 100 levels/)
  })
})

describe('round trip through the reader', () => {
  test.each([
    ['nested data', { a: [1, 'x', null, true], b: { c: [[], {}], d: -12.5 } }],
    ['big ints stay exact', [2n ** 100n, -(2n ** 70n), 2n ** 53n + 1n, Number.MAX_SAFE_INTEGER]],
    [
      'tuples, sets and bytes',
      [new PyTuple([1, new PyTuple([])]), new PySet(['a']), new Uint8Array(300)],
    ],
    ['unicode', ['', 'é', '日本語', '😀'.repeat(100), 'x'.repeat(70000)]],
  ])('%s', (_name, value) => {
    const back = readJoblib(writePickle(value))
    expect(normalize(back)).toEqual(normalize(value))
  })

  test('PyFloat comes back as a float-valued number; -0 keeps its sign', () => {
    const back = readJoblib(writePickle([new PyFloat(1000), -0])) as number[]
    expect(back).toEqual([1000, -0])
    expect(Object.is(back[1], -0)).toBe(true)
  })
})

/** Plain objects and Maps compare equal once both are Maps (the reader returns dicts as Maps). */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize)
  if (v instanceof PyTuple) return new PyTuple(v.items.map(normalize))
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, normalize(x)]))
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return new Map(Object.entries(v).map(([k, x]) => [k, normalize(x)]))
  }
  return v
}
