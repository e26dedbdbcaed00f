// A hostile or broken joblib file yields a clear error or an inert placeholder: never a call,
// never a prototype change, never unbounded memory, never an untyped crash.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import {
  CorruptPayloadError,
  LimitExceededError,
  NotSupportedError,
  XpersistError,
} from '../../../electron/engine/errors.js'
import { PythonObject } from '../../../electron/engine/pyvalue.js'
import { pyToJson } from '../../../electron/engine/pyvalue-json.js'
import { readJoblib } from '../../../electron/engine/serializers/joblib/joblib-reader.js'
import type { PickleLimits } from '../../../electron/engine/serializers/joblib/limits.js'
import { tempDir } from '../../helpers/temp.js'
import { fixture, hex } from './helpers.js'

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const cat = (...parts: (Uint8Array | number[])[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => Uint8Array.from(p))))
const u64 = (n: bigint): number[] => [...new Uint8Array(new BigUint64Array([n]).buffer)]
const u32 = (n: number): number[] => [...new Uint8Array(new Uint32Array([n]).buffer)]

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

describe('truncated and garbage input', () => {
  const files = [
    'sample-cache/vec-f8',
    'sample-cache/run-config',
    'sample-cache/stations-joblib',
    'sample-cache/vec-f8-compressed',
    'joblib/object-array.joblib',
    'joblib/mixed.joblib',
    'joblib/plain-protocol0.pkl',
  ]

  test.each(files)('every strict prefix of %s is CorruptPayloadError', (name) => {
    const bytes = fixture(name)
    // Bounded by count: every prefix of a small file; of a large one the first and last 200
    // and about 400 spread between them.
    const stride = Math.max(1, Math.ceil(bytes.length / 400))
    const prefixes = [...Array(bytes.length).keys()].filter(
      (n) => n < 200 || n >= bytes.length - 200 || n % stride === 0,
    )
    for (const n of prefixes) {
      const err = errorOf(() => readJoblib(bytes.subarray(0, n)))
      expect(err, `prefix of ${n} bytes`).toBeInstanceOf(CorruptPayloadError)
    }
  })

  test('the message says what was cut short and at which byte', () => {
    const bytes = fixture('sample-cache/vec-f8')
    expect(() => readJoblib(bytes.subarray(0, 230))).toThrow(
      /Corrupt pickle at byte offset 224: truncated: array data of shape \(11\) needs 88 bytes, only 6 left/,
    )
  })

  test('single-byte corruptions of real files fail only with engine errors', () => {
    // Bounded by count (at most PER_FILE corruptions a file, one flip each, cycling through
    // the three), so the cost does not grow with the fixtures; every byte of the small files
    // is still hit, and a stride spreads the rest over the large one.
    const PER_FILE = 300
    const flips = [0x01, 0x80, 0xff]
    for (const name of files.filter((f) => !f.includes('compressed'))) {
      const good = fixture(name)
      const stride = Math.max(1, Math.ceil(good.length / PER_FILE))
      for (let n = 0; n * stride < good.length; n++) {
        const i = n * stride + (n % stride)
        const flip = flips[n % flips.length] as number
        const bad = good.slice()
        bad[i] = (bad[i] as number) ^ flip
        const err = errorOf(() => readJoblib(bad))
        if (err !== undefined)
          expect(err, `${name} byte ${i} ^ ${flip}`).toBeInstanceOf(XpersistError)
      }
    }
  })

  test('random bytes fail only with engine errors', () => {
    let seed = 42
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 8) & 0xff
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 1 + (i % 64) }, rand)
      bytes[0] = 0x80 // let most of them get past PROTO into the opcode loop
      const err = errorOf(() => readJoblib(bytes))
      if (err !== undefined) expect(err).toBeInstanceOf(XpersistError)
    }
  })

  test('an unknown opcode is named with its offset', () => {
    expect(() => readJoblib(hex('8004 ff'))).toThrow(/byte offset 2: unknown opcode 0xff/)
  })

  test('a newer pickle protocol is NotSupported', () => {
    expect(() => readJoblib(hex('8006 4e2e'))).toThrow(NotSupportedError)
  })

  test('stack underflow, a missing MARK and a missing memo entry are corrupt', () => {
    expect(() => readJoblib(ascii('a.'))).toThrow(/APPEND on an empty stack/)
    expect(() => readJoblib(ascii(']e.'))).toThrow(/APPENDS without a MARK/)
    expect(() => readJoblib(hex('80046805 2e'))).toThrow(/memo has no entry 5/)
  })

  test('invalid UTF-8 in a string is corrupt, not silently replaced', () => {
    expect(() => readJoblib(hex('80048c02c328 2e'))).toThrow(/not valid UTF-8/)
  })
})

describe('declared sizes are checked before anything is allocated', () => {
  test('a BINUNICODE8 claiming 2^62 bytes is a LimitExceededError naming the limit', () => {
    const bytes = cat([0x80, 0x04, 0x8d], u64(2n ** 62n), ascii('abc.'))
    expect(() => readJoblib(bytes)).toThrow(LimitExceededError)
    expect(() => readJoblib(bytes)).toThrow(/maxStringBytes/)
  })

  test('a BINBYTES claiming more than the file holds is truncation', () => {
    expect(() => readJoblib(cat([0x80, 0x04, 0x42], u32(100_000_000), ascii('x.')))).toThrow(
      CorruptPayloadError,
    )
  })

  test('a FRAME longer than the file is corrupt', () => {
    expect(() => readJoblib(cat([0x80, 0x04, 0x95], u64(2n ** 60n), ascii('N.')))).toThrow(
      /FRAME declares/,
    )
  })

  test('a NumpyArrayWrapper with a huge shape hits maxArrayBytes before reading', () => {
    // vec-f8 with its shape (11,) rewritten to (2**40,): BININT1 0x0b becomes LONG1 of 6 bytes.
    const good = fixture('sample-cache/vec-f8')
    const at = good.indexOf(0x0b, 0x60) - 1 // the K 0b of the shape tuple
    const bad = cat(good.subarray(0, at), [0x8a, 6, 0, 0, 0, 0, 0, 1], good.subarray(at + 2))
    expect(() => readJoblib(bad)).toThrow(/maxArrayBytes/)
  })

  test('a zlib bomb stops at maxDecompressedBytes', () => {
    const bomb = deflateSync(new Uint8Array(20 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(30_000)
    expect(() => readJoblib(bomb, { maxDecompressedBytes: 1024 * 1024 })).toThrow(
      /larger than maxDecompressedBytes \(1048576 bytes\) once decompressed/,
    )
  })

  test('deep MARK nesting hits maxMarkDepth', () => {
    expect(() => readJoblib(cat([0x80, 0x04], new Array(20_000).fill(0x28)))).toThrow(
      /maxMarkDepth/,
    )
  })

  test('a deep stack hits maxStackDepth', () => {
    const limits: Partial<PickleLimits> = { maxStackDepth: 1000 }
    expect(() => readJoblib(cat([0x80, 0x04], new Array(1500).fill(0x5d)), limits)).toThrow(
      /maxStackDepth/,
    )
  })

  test('memo entries are bounded', () => {
    const bytes = cat([0x80, 0x04, 0x4e], new Array(20).fill(0x94), [0x2e])
    expect(readJoblib(bytes, { maxMemoEntries: 20 })).toBeNull()
    expect(() => readJoblib(bytes, { maxMemoEntries: 19 })).toThrow(/maxMemoEntries/)
  })

  test('a compressed list of repeated memo references stops at maxValues', () => {
    // [x, x, x, ...]: two bytes per reference, so zlib squeezes millions of them into a few KB.
    const batch = cat([0x28], new Array(2000).fill([0x68, 0x00]).flat(), [0x65])
    const body = cat([0x80, 0x04, 0x5d, 0x94], ...new Array(500).fill(batch), [0x2e])
    const file = deflateSync(body)
    expect(file.length).toBeLessThan(body.length / 100)
    expect(() => readJoblib(file, { maxValues: 100_000 })).toThrow(/maxValues/)
  })
})

describe('globals are names, never code', () => {
  test('posix.system via REDUCE becomes an inert placeholder and runs nothing', async () => {
    const marker = join(await tempDir(), 'pwned')
    const protocol0 = ascii(`cposix\nsystem\n(S'touch ${marker}'\ntR.`)
    const got = readJoblib(protocol0) as PythonObject
    expect(got).toBeInstanceOf(PythonObject)
    expect(got.pythonClass).toBe('posix.system')
    expect(got.state).toEqual({ args: [`touch ${marker}`] })
    expect(existsSync(marker)).toBe(false)
  })

  test('builtins.eval via STACK_GLOBAL, then BUILD, only records state', () => {
    const evalCall = hex(
      '8004 8c086275696c74696e73 8c046576616c 93 8c0d5f5f696d706f72745f5f28296f 85 52' +
        '8c0173 62 2e',
    )
    const got = readJoblib(evalCall) as PythonObject
    expect(got.pythonClass).toBe('builtins.eval')
    expect(got.state).toEqual({ args: ['__import__()o'], state: 's' })
  })

  test('calling the result of a placeholder call stays a placeholder', () => {
    // getattr(os, 'system')('id'): protocol 0, two nested REDUCEs.
    const got = readJoblib(
      ascii("cbuiltins\ngetattr\n(cos\nsystem\nS'x'\ntR(S'id'\ntR."),
    ) as PythonObject
    expect(got.pythonClass).toBe('builtins.getattr()')
    expect(got.state).toEqual({ args: ['id'] })
  })

  test('a __proto__ key stays a Map key and a JSON own property; Object.prototype is untouched', () => {
    const got = readJoblib(fixture('joblib/mixed.joblib')) as Map<unknown, unknown>
    expect(got.get('__proto__')).toBeInstanceOf(Map)
    const asJson = pyToJson(got) as Record<string, unknown>
    expect(Object.hasOwn(asJson, '__proto__')).toBe(true)
    expect(asJson['__proto__']).toEqual({ polluted: true })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  test('calls that would run code in Python are marked so, and shown so in JSON', () => {
    const system = readJoblib(ascii("cposix\nsystem\n(S'id'\ntR.")) as PythonObject
    expect(system.executesCode).toBe(true)
    expect(pyToJson(system)).toEqual({
      __python__: 'posix.system',
      __unsafe__: 'would execute code if loaded in Python',
    })
    for (const [module, name] of [
      ['os', 'system'],
      ['nt', 'system'],
      ['subprocess', 'Popen'],
      ['subprocess', 'check_output'],
      ['builtins', 'eval'],
      ['__builtin__', 'exec'],
      ['pty', 'spawn'],
      ['os', 'execvp'],
    ]) {
      const got = readJoblib(ascii(`c${module}\n${name}\n(S'x'\ntR.`)) as PythonObject
      expect(got.executesCode, `${module}.${name}`).toBe(true)
    }
    // getattr(os, 'system')('id'): the call of what getattr returned is marked too.
    const chained = readJoblib(
      ascii("cbuiltins\ngetattr\n(cos\nsystem\nS'x'\ntR(S'id'\ntR."),
    ) as PythonObject
    expect(chained.executesCode).toBe(true)
  })

  test('ordinary classes off the whitelist stay plain placeholders', () => {
    const got = readJoblib(ascii('csklearn.linear_model\nLinearRegression\n(tR.')) as PythonObject
    expect(got.executesCode).toBe(false)
    expect(pyToJson(got)).toEqual({ __python__: 'sklearn.linear_model.LinearRegression' })
  })

  test('persistent IDs are refused as NotSupported', () => {
    expect(() => readJoblib(ascii('Pabc\n.'))).toThrow(NotSupportedError)
  })
})
