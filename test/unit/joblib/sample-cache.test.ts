// Every joblib artifact in the Python-written sample cache reads back equal to the value that
// Python put, as described in sample-cache.expected.json.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { NdArray, PythonObject } from '../../../electron/engine/pyvalue.js'
import { pyToJson } from '../../../electron/engine/pyvalue-json.js'
import { numpyDtypeName } from '../../../electron/engine/ndarray-json.js'
import { readJoblib } from '../../../electron/engine/serializers/joblib/joblib-reader.js'
import { fixture } from './helpers.js'

interface Expected {
  artifacts: Record<string, { serializer: string; value: Record<string, unknown> }>
}

const expected = JSON.parse(
  readFileSync(new URL('../../fixtures/sample-cache.expected.json', import.meta.url), 'utf8'),
) as Expected

const joblibKeys = Object.entries(expected.artifacts)
  .filter(([, a]) => a.serializer === 'joblib')
  .map(([key]) => key)

/** Every NdArray reachable from a value (placeholders' state included). */
function findArrays(v: unknown, out: NdArray[] = [], seen = new Set<unknown>()): NdArray[] {
  if (v === null || typeof v !== 'object' || seen.has(v)) return out
  seen.add(v)
  if (v instanceof NdArray) out.push(v)
  const children =
    v instanceof Map
      ? [...v.keys(), ...v.values()]
      : v instanceof PythonObject
        ? [v.state]
        : Object.values(v)
  for (const child of children) findArrays(child, out, seen)
  return out
}

describe('sample-cache joblib artifacts', () => {
  test('the fixture has the nine joblib keys this suite expects', () => {
    expect(joblibKeys.sort()).toEqual([
      'greeting',
      'grid-i4',
      'list-ints',
      'pi',
      'prefect-result-2026-11-26t14-43-29-741998-00-00',
      'run-config',
      'stations-joblib',
      'vec-f8',
      'vec-f8-compressed',
    ])
  })

  test.each(joblibKeys)('%s reads as the value Python put', (key) => {
    const want = expected.artifacts[key]?.value as Record<string, unknown>
    const got = readJoblib(fixture(`sample-cache/${key}`))
    if (want.python_type === 'numpy.ndarray') {
      expect(got).toBeInstanceOf(NdArray)
      const arr = got as NdArray
      expect(arr.dtype).toBe(want.dtype_str)
      expect(numpyDtypeName(arr.dtype)).toBe(want.dtype)
      expect(arr.shape).toEqual(want.shape)
      expect(pyToJson(arr)).toEqual({ dtype: want.dtype, shape: want.shape, values: want.values })
    } else if (want.python_type === 'pandas.core.frame.DataFrame') {
      expect(got).toBeInstanceOf(PythonObject)
      expect((got as PythonObject).pythonClass).toBe('pandas.core.frame.DataFrame')
      expect(pyToJson(got)).toEqual({ __python__: 'pandas.core.frame.DataFrame' })
    } else {
      expect(pyToJson(got)).toEqual(want.json)
    }
  })

  test('run-config keeps dict order and types (Map, ints, floats, None)', () => {
    const got = readJoblib(fixture('sample-cache/run-config')) as Map<string, unknown>
    expect(got).toBeInstanceOf(Map)
    expect([...got.keys()]).toEqual([
      'name',
      'members',
      'params',
      'enabled',
      'disabled',
      'parent',
      'tags',
      'nested',
      'count',
    ])
    expect((got.get('params') as Map<string, unknown>).get('alpha')).toBe(0.001)
    expect(got.get('count')).toBe(-7)
  })

  test('the DataFrame placeholder still carries its column blocks, read from the inline bytes', () => {
    const frame = readJoblib(fixture('sample-cache/stations-joblib'))
    const arrays = findArrays(frame)
    const byValues = arrays.map((a) => JSON.stringify(pyToJson(a)))
    // The int64 station_id block, the object block and the datetime64 block, as Python wrote them.
    expect(byValues).toContain(
      JSON.stringify({ dtype: 'int64', shape: [1, 5], values: [[101, 102, 103, 104, 105]] }),
    )
    const installed = arrays.find((a) => a.dtype === '<M8[ns]')
    expect(pyToJson(installed)).toMatchObject({
      values: [
        [
          '2001-04-01T00:00:00',
          '1999-12-31T00:00:00',
          '2010-06-15T00:00:00',
          '2015-01-01T00:00:00',
          '2020-02-29T00:00:00',
        ],
      ],
    })
    const names = arrays.find((a) => a.dtype === '|O' && (a.data as unknown[]).includes('Boulder'))
    expect(names?.data).toEqual([
      'Boulder',
      'Mesa Lab',
      'Niwot, Ridge',
      'Foothills "B"',
      'Marshall',
    ])
  })
})
