// Limits bound bytes of memory and work, not only counts: a few KB of compressed pickle that
// stands for millions of objects is refused early, and nesting (dict keys included) is bounded.
import { deflateSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { LimitExceededError } from '../../../electron/engine/errors.js'
import { pyToJson } from '../../../electron/engine/pyvalue-json.js'
import { PyTuple } from '../../../electron/engine/pyvalue.js'
import { joblibSerializer } from '../../../electron/engine/serializers/joblib/joblib-serializer.js'
import { readJoblib } from '../../../electron/engine/serializers/joblib/joblib-reader.js'
import { MemoryBackend } from './helpers.js'

/** What joblib.dump([{} for _ in range(n)], compress=9) writes: EMPTY_DICT MEMOIZE per dict. */
function emptyDicts(n: number): Uint8Array {
  const batch = Buffer.concat([
    Buffer.from([0x28]),
    Buffer.alloc(2000, '7d94', 'hex'),
    Buffer.from([0x65]),
  ])
  const body = Buffer.concat([
    Buffer.from([0x80, 0x04, 0x5d, 0x94]),
    ...new Array<Buffer>(n / 1000).fill(batch),
    Buffer.from([0x2e]),
  ])
  return new Uint8Array(deflateSync(body, { level: 9 }))
}

describe('memory and work budgets', () => {
  const tenMillion = emptyDicts(10_000_000)

  test('the file is tiny: tens of KB for 10 million dicts', () => {
    expect(tenMillion.length).toBeLessThan(64 * 1024)
  })

  test('a preview of 10 million empty dicts stops at its object budget with a clear message', async () => {
    const backend = new MemoryBackend()
    backend.objects.set('dicts', tenMillion)
    const preview = joblibSerializer.preview!(backend.target('dicts'), { kwargs: {} })
    await expect(preview).rejects.toThrow(LimitExceededError)
    await expect(preview).rejects.toThrow(
      /The preview stops at 64 MB of Python objects \(maxObjectBytes\) and this pickle needs more\. Load the artifact to read it all/,
    )
  })

  test('a preview of an ordinary large value fits its budgets: a list of a million ints', async () => {
    const batch = Buffer.concat([
      Buffer.from([0x28]),
      Buffer.alloc(2000, '4b07', 'hex'),
      Buffer.from([0x65]),
    ])
    const body = Buffer.concat([
      Buffer.from([0x80, 0x04, 0x5d, 0x94]),
      ...new Array<Buffer>(1000).fill(batch),
      Buffer.from([0x2e]),
    ])
    const backend = new MemoryBackend()
    backend.objects.set('ints', new Uint8Array(deflateSync(body)))
    const got = (await joblibSerializer.preview!(backend.target('ints'), {
      kwargs: {},
    })) as number[]
    expect(got.length).toBe(1_000_000)
    expect(got[999_999]).toBe(7)
  })

  // Builds ~2.6 million dicts before the default load budget stops it: seconds, more under load.
  test('a load of 10 million empty dicts is refused too, naming the limit to raise', () => {
    expect(() => readJoblib(tenMillion)).toThrow(
      /more than 512 MB of Python objects \(maxObjectBytes\)/,
    )
  }, 240_000)

  test('the budget is spent as objects are made, before the heap holds them', () => {
    // 1000 dicts fit in 1 MB; 10,000 do not.
    expect((readJoblib(emptyDicts(1000), { maxObjectBytes: 1024 ** 2 }) as unknown[]).length).toBe(
      1000,
    )
    expect(() => readJoblib(emptyDicts(10_000), { maxObjectBytes: 1024 ** 2 })).toThrow(
      /maxObjectBytes/,
    )
  })

  test('memo references count as slots: [x] * n stops at the budget though x is made once', () => {
    const batch = [0x28, ...new Array<number[]>(1000).fill([0x68, 0x01]).flat(), 0x65]
    const body = Uint8Array.from([
      0x80,
      0x04,
      0x5d,
      0x94,
      0x7d,
      0x94,
      0x30,
      ...new Array<number[]>(100).fill(batch).flat(),
      0x2e,
    ])
    expect((readJoblib(body) as unknown[]).length).toBe(100_000)
    expect(() => readJoblib(body, { maxObjectBytes: 1024 ** 2 })).toThrow(/maxObjectBytes/)
  })

  test('work is bounded apart from memory: pushing and popping None forever stops at maxWork', () => {
    const body = Uint8Array.from([
      0x80,
      0x04,
      ...new Array<number[]>(100_000).fill([0x4e, 0x30]).flat(),
      0x4e,
      0x2e,
    ])
    expect(readJoblib(body)).toBeNull()
    expect(() => readJoblib(body, { maxWork: 50_000 })).toThrow(/50,000 steps of work \(maxWork\)/)
  })
})

describe('depth', () => {
  test('a 100,000-deep tuple as a dict key is refused, not a stack overflow', () => {
    // {((((),),),...): None}
    const body = Uint8Array.from([
      0x80,
      0x04,
      0x7d,
      0x29,
      ...new Array<number>(100_000).fill(0x85),
      0x4e,
      0x73,
      0x2e,
    ])
    const err = (() => {
      try {
        return pyToJson(readJoblib(body))
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(LimitExceededError)
    expect((err as Error).message).toMatch(/nests containers deeper than 100 levels/)
  })

  test('a deep key built outside the reader is refused by pyToJson, not a stack overflow', () => {
    let key: unknown = 1
    for (let i = 0; i < 100_000; i++) key = new PyTuple([key])
    expect(() => pyToJson(new Map([[key, 1]]))).toThrow(LimitExceededError)
  })

  test('100 levels load; 101 do not', () => {
    const nest = (n: number) =>
      Uint8Array.from([0x80, 0x04, 0x4e, ...new Array<number>(n).fill(0x85), 0x2e])
    expect(readJoblib(nest(100))).toBeInstanceOf(PyTuple)
    expect(() => readJoblib(nest(101))).toThrow(LimitExceededError)
  })
})
