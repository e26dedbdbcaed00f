// The extra Python-written files in test/fixtures/joblib (see its README and make_fixtures.py):
// each reads as the value make_fixtures.py dumped.
import { describe, expect, test } from 'vitest'
import { NotSupportedError } from '../../../electron/engine/errors.js'
import { NdArray, PySet, PyTuple, PythonObject } from '../../../electron/engine/pyvalue.js'
import { pyToJson } from '../../../electron/engine/pyvalue-json.js'
import { readJoblib } from '../../../electron/engine/serializers/joblib/joblib-reader.js'
import { NumpyDtype } from '../../../electron/engine/serializers/joblib/numpy-dtype.js'
import { fixture, hex } from './helpers.js'

const read = (name: string): unknown => readJoblib(fixture(`joblib/${name}`))
const json = (name: string): unknown => pyToJson(read(name))

describe('numpy arrays joblib wrote inline', () => {
  test.each([
    [
      'f-order-f8.joblib',
      {
        dtype: 'float64',
        shape: [2, 3],
        values: [
          [0, 1, 2],
          [3, 4, 5],
        ],
      },
    ],
    ['be-i4.joblib', { dtype: 'int32', shape: [5], values: [-2, -1, 0, 1, 2] }],
    [
      'be-f8-2d.joblib',
      {
        dtype: 'float64',
        shape: [2, 2],
        values: [
          [1.5, -2.25],
          [null, null],
        ],
      },
    ],
    [
      'datetime64-ns.joblib',
      {
        dtype: 'datetime64[ns]',
        shape: [3],
        values: ['2020-01-01T00:00:00', null, '1969-12-31T23:59:59.500000'],
      },
    ],
    [
      'datetime64-d.joblib',
      { dtype: 'datetime64[D]', shape: [2], values: ['2000-02-29', '1900-01-01'] },
    ],
    ['timedelta64-s.joblib', { dtype: 'timedelta64[s]', shape: [3], values: [0, 90, -5] }],
    ['str-u.joblib', { dtype: 'str96', shape: [4], values: ['a', 'bcd', 'é€😀', ''] }],
    ['bytes-s.joblib', { dtype: 'bytes16', shape: [3], values: ['ab', 'c', ''] }],
    ['object-array.joblib', { dtype: 'object', shape: [4], values: [1, 'two', null, [3, 4]] }],
    [
      'gzip.joblib',
      { dtype: 'float64', shape: [50], values: Array.from({ length: 50 }, (_, i) => i) },
    ],
    ['alignment-none.joblib', { dtype: 'int64', shape: [5], values: [0, 1, 2, 3, 4] }],
  ])('%s', (name, want) => {
    expect(json(name)).toEqual(want)
  })

  test('big-endian data is swapped to native order and says so in its dtype', () => {
    const arr = read('be-i4.joblib') as NdArray
    expect(arr.dtype).toBe('<i4')
    expect(arr.data).toBeInstanceOf(Int32Array)
  })

  test('Fortran-order data is reordered to C order', () => {
    expect((read('f-order-f8.joblib') as NdArray).data).toEqual(
      new Float64Array([0, 1, 2, 3, 4, 5]),
    )
  })

  test('every decoded dtype, plus complex as a placeholder, empty, 0-d and 3-d arrays', () => {
    const got = read('dtypes.joblib') as Map<string, NdArray | PythonObject>
    const values = (k: string): unknown => (pyToJson(got.get(k)) as { values: unknown }).values
    expect(values('b1')).toEqual([true, false, true])
    expect(values('i1')).toEqual([-128, 0, 127])
    expect(values('i2')).toEqual([-32768, 1, 32767])
    expect(values('i8')).toEqual([-(2n ** 63n), 0, 2n ** 53n + 1n, 2n ** 63n - 1n])
    expect(values('u1')).toEqual([0, 255])
    expect(values('u2')).toEqual([0, 65535])
    expect(values('u4')).toEqual([0, 4294967295])
    expect(values('u8')).toEqual([0, 2n ** 64n - 1n])
    expect(values('f4')).toEqual([0.5, -1.25, Math.fround(0.1)])
    expect(values('f2')).toEqual([1, -0.5, 65504])
    expect(values('empty')).toEqual([])
    expect(pyToJson(got.get('scalar0d'))).toEqual({ dtype: 'float64', shape: [], values: 7.5 })
    expect((got.get('cube') as NdArray).data).toEqual(Int16Array.from({ length: 24 }, (_, i) => i))
    expect(got.get('i8')?.constructor).toBe(NdArray)
    expect((got.get('u8') as NdArray).data).toBeInstanceOf(BigUint64Array)
    const complex = got.get('c16') as PythonObject
    expect(complex).toBeInstanceOf(PythonObject)
    expect(complex.pythonClass).toBe('numpy.ndarray')
    expect(complex.state).toMatchObject({ dtype: '<c16', shape: [2] })
  })

  test('wrappers from joblib <= 1.1 (no alignment padding) still read', () => {
    expect(pyToJson(read('no-alignment.joblib'))).toEqual([
      { dtype: 'float32', shape: [3], values: [0, 1, 2] },
      { dtype: 'uint16', shape: [2], values: [0, 1] },
    ])
  })
})

describe('plain Python values', () => {
  test('mixed.joblib keeps tuples, sets, bytes, big ints, special floats and odd keys', () => {
    const got = read('mixed.joblib') as Map<unknown, unknown>
    expect(got.get('tuple')).toEqual(new PyTuple([1, 'a', null]))
    expect(got.get('set')).toEqual(new PySet([1, 2, 3]))
    expect(got.get('frozenset')).toEqual(new PySet(['x'], true))
    expect(got.get('bytes')).toEqual(new Uint8Array([0, 1, 255]))
    expect(got.get('bytearray')).toEqual(new Uint8Array([0x61, 0x62]))
    expect(got.get('big')).toBe(2n ** 70n)
    expect(got.get('negbig')).toBe(-(2n ** 64n))
    expect([...(got.get('ordered') as Map<string, number>)]).toEqual([
      ['b', 1],
      ['a', 2],
    ])
    const floats = got.get('floats') as number[]
    expect(floats[0]).toBeNaN()
    expect(floats.slice(1)).toEqual([Infinity, -0, 1e300, 1000])
    expect(Object.is(floats[2], -0)).toBe(true)
    expect(got.get('np_scalars')).toEqual([2.5, -4, true, 0.5])
    expect((got.get('complex') as PythonObject).pythonClass).toBe('builtins.complex')
    expect(got.get(1)).toBe('int key')
    const tupleKey = [...got.keys()].find((k) => k instanceof PyTuple)
    expect(tupleKey).toEqual(new PyTuple([1, 2]))
    expect(got.get('__proto__')).toEqual(new Map([['polluted', true]]))
  })

  test('protocol 2 joblib files (_codecs.encode bytes, builtins.set) read', () => {
    expect(pyToJson(read('protocol2.joblib'))).toEqual({
      arr: { dtype: 'int32', shape: [4], values: [0, 1, 2, 3] },
      bytes: { __bytes_b64__: 'aGk=' },
      set: [5],
      empty: { __bytes_b64__: '' },
    })
  })

  test('zlib at level 9 and compress=True read', () => {
    expect(pyToJson(read('zlib9.joblib'))).toEqual({
      a: { dtype: 'int64', shape: [30], values: Array.from({ length: 30 }, (_, i) => i) },
      b: 'text'.repeat(10),
    })
    expect(read('zlib-true.joblib')).toEqual([1, 2, 3])
  })

  test.each([0, 1, 2, 3, 4, 5])('pickle.dumps(protocol=%i) of numpy values reads the same', (p) => {
    const got = read(`plain-protocol${p}.pkl`) as Map<string, unknown>
    expect(pyToJson(got.get('arr'))).toEqual({ dtype: 'float64', shape: [3], values: [0, 1, 2] })
    const dtype = got.get('dt') as NumpyDtype
    expect(dtype).toBeInstanceOf(NumpyDtype)
    expect(dtype.str).toBe('>u2')
    expect(got.get('s')).toEqual(new PySet([1]))
    expect(got.get('b')).toEqual(new Uint8Array([0x78, 0x79]))
    expect(got.get('l')).toEqual([1, new PyTuple([2])])
  })
})

describe('compression joblib can write but xpersist-ts does not read', () => {
  test.each(['bz2', 'xz', 'lzma', 'lz4'])(
    '%s is refused by name with what to do instead',
    (codec) => {
      expect(() => read(`${codec}.joblib`)).toThrow(NotSupportedError)
      expect(() => read(`${codec}.joblib`)).toThrow(
        new RegExp(`compress=\\('${codec}'.*reads zlib and gzip.*compress=3`),
      )
    },
  )
})

describe('numpy scalars pickled on their own', () => {
  // pickle.dumps(np.complex128(1+2j), protocol=4) and of np.datetime64('2020-01-01', 'ns'),
  // from numpy 2.4.6.
  test('a complex scalar is a placeholder named after its numpy type', () => {
    const got = readJoblib(
      hex(
        '80049573000000000000008c166e756d70792e5f636f72652e6d756c74696172726179948c067363616c61' +
          '729493948c056e756d7079948c0564747970659493948c0363313694898887945294284b038c013c944e4e4e' +
          '4affffffff4affffffff4b007494624310000000000000f03f000000000000004094869452942e',
      ),
    )
    expect(got).toBeInstanceOf(PythonObject)
    expect((got as PythonObject).pythonClass).toBe('numpy.complex128')
  })

  test('a datetime64 scalar is a 0-d array that keeps its unit', () => {
    const got = readJoblib(
      hex(
        '8004957b000000000000008c166e756d70792e5f636f72652e6d756c74696172726179948c067363616c61' +
          '729493948c056e756d7079948c0564747970659493948c024d3894898887945294284b048c013c944e4e4e' +
          '4affffffff4affffffff4b004e2843026e73944b014b014b0174948694749462430800008ab9359ae515' +
          '94869452942e',
      ),
    )
    expect(pyToJson(got)).toEqual({
      dtype: 'datetime64[ns]',
      shape: [],
      values: '2020-01-01T00:00:00',
    })
  })
})
