// pyToJson and stringifyJson: the JSON form `show --json` prints for values read from pickles.
import { describe, expect, test } from 'vitest'
import { LimitExceededError } from '../../../electron/engine/errors.js'
import { datetimeIso, numpyDtypeName } from '../../../electron/engine/ndarray-json.js'
import { NdArray, PyFloat, PySet, PyTuple, PythonObject } from '../../../electron/engine/pyvalue.js'
import { jsonKey, pyToJson, stringifyJson } from '../../../electron/engine/pyvalue-json.js'

describe('pyToJson', () => {
  test('plain values, special floats and bigints', () => {
    expect(
      pyToJson([null, true, 'x', 1.5, NaN, Infinity, -Infinity, new PyFloat(2), 2n ** 70n]),
    ).toEqual([null, true, 'x', 1.5, null, null, null, 2, 2n ** 70n])
  })

  test('tuples and sets become arrays, bytes base64, placeholders their class name', () => {
    expect(
      pyToJson([
        new PyTuple([1, 2]),
        new PySet(['a'], true),
        new Uint8Array([104, 105]),
        new PythonObject('pandas.core.frame.DataFrame', { args: [] }),
      ]),
    ).toEqual([
      [1, 2],
      ['a'],
      { __bytes_b64__: 'aGk=' },
      { __python__: 'pandas.core.frame.DataFrame' },
    ])
  })

  test('dict keys are stringified as Python does; objects have no prototype', () => {
    const dict = new Map<unknown, unknown>([
      ['s', 1],
      [1, 2],
      [2.5, 3],
      [true, 4],
      [null, 5],
      [2n ** 64n, 6],
      [new PyTuple([1, 'a']), 7],
      [new PyTuple([1]), 8],
      [new Uint8Array([0x6b, 0x27]), 9],
      [new PySet([1, 2], true), 10],
    ])
    const out = pyToJson(dict) as Record<string, unknown>
    expect(Object.getPrototypeOf(out)).toBeNull()
    // JS objects list integer-like keys first, so compare as a key -> value table.
    expect({ ...out }).toEqual({
      s: 1,
      '1': 2,
      '2.5': 3,
      true: 4,
      null: 5,
      '18446744073709551616': 6,
      "(1, 'a')": 7,
      '(1,)': 8,
      "b'k\\''": 9,
      'frozenset({1, 2})': 10,
    })
  })

  test('a __proto__ key is an own property and pollutes nothing', () => {
    const out = pyToJson(new Map([['__proto__', new Map([['x', 1]])]])) as Record<string, unknown>
    expect(Object.hasOwn(out, '__proto__')).toBe(true)
    expect(stringifyJson(out)).toBe('{"__proto__":{"x":1}}')
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  test('NdArray becomes dtype name, shape and values nested per shape', () => {
    const grid = new NdArray('<i4', [2, 3], Int32Array.from([0, 1, 2, 3, 4, 5]))
    expect(pyToJson(grid)).toEqual({
      dtype: 'int32',
      shape: [2, 3],
      values: [
        [0, 1, 2],
        [3, 4, 5],
      ],
    })
    const floats = new NdArray('<f8', [3], Float64Array.from([NaN, Infinity, 0.5]))
    expect(pyToJson(floats)).toEqual({ dtype: 'float64', shape: [3], values: [null, null, 0.5] })
    const big = new NdArray('<i8', [2], BigInt64Array.from([5n, 2n ** 60n]))
    expect(pyToJson(big)).toEqual({ dtype: 'int64', shape: [2], values: [5, 2n ** 60n] })
    const flags = new NdArray('|b1', [2], Uint8Array.from([1, 0]))
    expect(pyToJson(flags)).toEqual({ dtype: 'bool', shape: [2], values: [true, false] })
    expect(pyToJson(new NdArray('<f8', [], Float64Array.from([7])))).toEqual({
      dtype: 'float64',
      shape: [],
      values: 7,
    })
    expect(pyToJson(new NdArray('<f8', [0, 2], new Float64Array(0)))).toMatchObject({ values: [] })
    const objects = new NdArray('|O', [2], [new PyTuple([1]), new Uint8Array([1])])
    expect(pyToJson(objects)).toEqual({
      dtype: 'object',
      shape: [2],
      values: [[1], { __bytes_b64__: 'AQ==' }],
    })
  })

  test('datetime64 values become ISO strings, NaT null', () => {
    const ns = new NdArray(
      '<M8[ns]',
      [3],
      BigInt64Array.from([1577836800000000001n, -(2n ** 63n), -1000n]),
    )
    expect(pyToJson(ns)).toEqual({
      dtype: 'datetime64[ns]',
      shape: [3],
      values: ['2020-01-01T00:00:00.000000001', null, '1969-12-31T23:59:59.999999'],
    })
    expect(datetimeIso(11016n, 1, 'D')).toBe('2000-02-29')
    expect(datetimeIso(-25567n, 1, 'D')).toBe('1900-01-01')
    expect(datetimeIso(30n, 1, 'Y')).toBe('2000-01-01')
    expect(datetimeIso(-1n, 1, 'M')).toBe('1969-12-01')
    expect(datetimeIso(3n, 1, 'W')).toBe('1970-01-22')
    expect(datetimeIso(90n, 1, 's')).toBe('1970-01-01T00:01:30')
    expect(datetimeIso(1n, 10, 'ms')).toBe('1970-01-01T00:00:00.010000')
    expect(datetimeIso(951782400000000n, 1, 'us')).toBe('2000-02-29T00:00:00')
  })

  test('numpy dtype names', () => {
    expect(
      ['|b1', '|i1', '<u2', '<f2', '<f4', '<c16', '<M8[D]', '<m8[s]', '|O', '<U3', '|S2'].map(
        numpyDtypeName,
      ),
    ).toEqual([
      'bool',
      'int8',
      'uint16',
      'float16',
      'float32',
      'complex128',
      'datetime64[D]',
      'timedelta64[s]',
      'object',
      'str96',
      'bytes16',
    ])
  })

  test('cycles are marked, not followed', () => {
    const a: unknown[] = [1]
    a.push(a)
    expect(pyToJson(a)).toEqual([1, { __cycle__: true }])
  })

  test('shared references that would expand into a huge tree hit maxNodes', () => {
    let v: unknown = [1]
    for (let i = 0; i < 40; i++) v = [v, v] // 2^40 leaves from 41 lists
    expect(() => pyToJson(v)).toThrow(LimitExceededError)
    expect(() => pyToJson(v, { maxNodes: 1000 })).toThrow(/more than 1000 items/)
  })

  test('deep nesting hits maxDepth', () => {
    let v: unknown = 1
    for (let i = 0; i < 50; i++) v = [v]
    expect(() => pyToJson(v, { maxDepth: 20 })).toThrow(/deeper than 20 levels/)
    expect(() => pyToJson(v, { maxDepth: 60 })).not.toThrow()
  })

  test('jsonKey follows json.dumps for the key types it takes', () => {
    expect([1, 1.5, 1e-7, NaN, -Infinity, false].map(jsonKey)).toEqual([
      '1',
      '1.5',
      '1e-07',
      'NaN',
      '-Infinity',
      'false',
    ])
  })
})

describe('stringifyJson', () => {
  test('writes bigints as plain digits that Python json.loads reads exactly', () => {
    const big = 2n ** 70n
    expect(stringifyJson({ a: big, b: [-(2n ** 64n), 1] })).toBe(
      '{"a":1180591620717411303424,"b":[-18446744073709551616,1]}',
    )
  })

  test('indents like JSON.stringify and leaves look-alike strings alone', () => {
    const value = { s: '\u0000bigint:5', n: 5n }
    expect(stringifyJson(value, 2)).toBe('{\n  "s": "\\u0000bigint:5",\n  "n": 5\n}')
    expect(stringifyJson([1, 'x'], 1)).toBe(JSON.stringify([1, 'x'], null, 1))
  })

  test('round-trips pyToJson output of a real array', () => {
    const arr = new NdArray('<u8', [2], BigUint64Array.from([1n, 2n ** 64n - 1n]))
    expect(stringifyJson(pyToJson(arr))).toBe(
      '{"dtype":"uint64","shape":[2],"values":[1,18446744073709551615]}',
    )
  })
})
