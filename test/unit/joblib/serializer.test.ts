// The 'joblib' Serializer end to end through a Target: kwargs, compression, preview bounds.
import { gunzipSync, inflateSync } from 'node:zlib'
import { pickSerializer } from '../../../electron/engine/pick.js'
import { describe, expect, test } from 'vitest'
import {
  CorruptPayloadError,
  InvalidArgumentError,
  LimitExceededError,
  NotSupportedError,
} from '../../../electron/engine/errors.js'
import { NdArray, PySet, PyTuple } from '../../../electron/engine/pyvalue.js'
import { detectCompression } from '../../../electron/engine/serializers/joblib/joblib-container.js'
import { parseCompress } from '../../../electron/engine/serializers/joblib/joblib-kwargs.js'
import { joblibSerializer } from '../../../electron/engine/serializers/joblib/joblib-serializer.js'
import { writePickle } from '../../../electron/engine/serializers/joblib/pickle-writer.js'
import { fixture, MemoryBackend, toHex } from './helpers.js'

const value = {
  name: 'ctrl',
  members: [1, 2, 3],
  shape: new PyTuple([3, 4]),
  tags: new PySet(['ocean']),
  blob: new Uint8Array([1, 2, 3]),
  big: 2n ** 80n,
}
const loaded = new Map<string, unknown>([
  ['name', 'ctrl'],
  ['members', [1, 2, 3]],
  ['shape', new PyTuple([3, 4])],
  ['tags', new PySet(['ocean'])],
  ['blob', new Uint8Array([1, 2, 3])],
  ['big', 2n ** 80n],
])

describe('joblibSerializer', () => {
  test("is named joblib, the fallback 'auto' picks for anything else", () => {
    expect(joblibSerializer.name).toBe('joblib')
    expect(pickSerializer(undefined)).toBe('joblib')
    expect(pickSerializer(() => 0)).toBe('joblib')
  })

  test('dump with no kwargs writes the plain protocol 4 pickle; load reads it back', async () => {
    const backend = new MemoryBackend()
    await joblibSerializer.dump(value, backend.target('k'), {})
    expect(backend.objects.get('k')).toEqual(writePickle(value))
    expect(await joblibSerializer.load(backend.target('k'), {})).toEqual(loaded)
  })

  test.each([
    [3, 'zlib', 0x5e],
    [true, 'zlib', 0x5e],
    [9, 'zlib', 0xda],
    [1, 'zlib', 0x01],
    [['gzip', 3], 'gzip', undefined],
    [new PyTuple(['gzip', 6]), 'gzip', undefined],
    ['gzip', 'gzip', undefined],
    [['zlib', null], 'zlib', 0x5e],
  ])('compress=%j writes %s and round-trips', async (compress, method, zlibFlag) => {
    const backend = new MemoryBackend()
    await joblibSerializer.dump(value, backend.target('k'), { compress })
    const stored = backend.objects.get('k') as Uint8Array
    expect(detectCompression(stored)).toBe(method)
    if (zlibFlag !== undefined) expect(stored[1]).toBe(zlibFlag) // the level as zlib's header says it
    const inflated = method === 'gzip' ? gunzipSync(stored) : inflateSync(stored)
    expect(new Uint8Array(inflated)).toEqual(writePickle(value))
    expect(await joblibSerializer.load(backend.target('k'), {})).toEqual(loaded)
  })

  test('compress=3 output equals joblib.dump([1, 2, 3], compress=3) from joblib 1.6.0', async () => {
    const backend = new MemoryBackend()
    await joblibSerializer.dump([1, 2, 3], backend.target('k'), { compress: 3 })
    expect(toHex(backend.objects.get('k') as Uint8Array)).toBe(
      '785e6b6099cacd0001b15334bc19bd99bc9953f500296603b8',
    )
    await joblibSerializer.dump([1, 2, 3], backend.target('g'), { compress: ['gzip', 3] })
    expect(toHex(backend.objects.get('g') as Uint8Array)).toBe(
      '1f8b08000000000000036b6099cacd0001b15334bc19bd99bc9953f5002d43e4fa16000000',
    )
  })

  test.each([0, false, null, ['gzip', 0]])('compress=%j writes no compression', (compress) => {
    expect(parseCompress(compress)).toEqual({ method: 'none' })
  })

  test('bad compress values are InvalidArgument; other codecs are NotSupported by name', () => {
    expect(() => parseCompress(10)).toThrow(InvalidArgumentError)
    expect(() => parseCompress(2.5)).toThrow(/integer 0-9/)
    expect(() => parseCompress(['snappy', 3])).toThrow(/method 'snappy' is unknown/)
    expect(() => parseCompress({ level: 3 })).toThrow(InvalidArgumentError)
    expect(() => parseCompress(['lz4', 3])).toThrow(NotSupportedError)
    expect(() => parseCompress('bz2')).toThrow(/writes zlib and gzip joblib files, not bz2/)
  })

  test('protocol 4 is accepted, any other protocol is NotSupported', async () => {
    const backend = new MemoryBackend()
    await joblibSerializer.dump([1], backend.target('k'), { protocol: 4 })
    await expect(joblibSerializer.dump([1], backend.target('k'), { protocol: 5 })).rejects.toThrow(
      NotSupportedError,
    )
  })

  test('unknown kwargs are refused by name on both sides', async () => {
    const backend = new MemoryBackend()
    await expect(
      joblibSerializer.dump([1], backend.target('k'), { cache_size: 1 }),
    ).rejects.toThrow(
      /joblib does not support dump kwarg 'cache_size'; supported: compress, protocol/,
    )
    await joblibSerializer.dump([1], backend.target('k'), {})
    await expect(joblibSerializer.load(backend.target('k'), { fix_imports: true })).rejects.toThrow(
      /load kwarg 'fix_imports'; supported: mmap_mode/,
    )
  })

  test('mmap_mode None is accepted; a real mmap mode is NotSupported', async () => {
    const backend = new MemoryBackend()
    await joblibSerializer.dump([1], backend.target('k'), {})
    expect(await joblibSerializer.load(backend.target('k'), { mmap_mode: null })).toEqual([1])
    await expect(joblibSerializer.load(backend.target('k'), { mmap_mode: 'r' })).rejects.toThrow(
      NotSupportedError,
    )
  })

  test('values the writer refuses fail the dump and write nothing', async () => {
    const backend = new MemoryBackend()
    const array = new NdArray('<f8', [1], new Float64Array(1))
    await expect(joblibSerializer.dump({ a: array }, backend.target('k'), {})).rejects.toThrow(
      InvalidArgumentError,
    )
    expect(backend.objects.has('k')).toBe(false)
  })

  test('a missing payload is a CorruptPayloadError naming the path', async () => {
    await expect(joblibSerializer.load(new MemoryBackend().target('gone'), {})).rejects.toThrow(
      CorruptPayloadError,
    )
  })

  test('preview returns what load returns for a real joblib file', async () => {
    const backend = new MemoryBackend()
    backend.objects.set('vec', fixture('sample-cache/vec-f8-compressed'))
    const preview = await joblibSerializer.preview?.(backend.target('vec'), { kwargs: {} })
    expect(preview).toEqual(await joblibSerializer.load(backend.target('vec'), {}))
    expect((preview as NdArray).shape).toEqual([200])
  })

  test('preview refuses a payload over maxBytes before reading it', async () => {
    const backend = new MemoryBackend()
    backend.objects.set('vec', fixture('sample-cache/vec-f8'))
    const gets = backend.gets
    await expect(
      joblibSerializer.preview?.(backend.target('vec'), { kwargs: {}, maxBytes: 100 }),
    ).rejects.toThrow(LimitExceededError)
    expect(backend.gets).toBe(gets)
  })

  test('preview bounds the decompressed size by maxBytes too', async () => {
    const backend = new MemoryBackend()
    backend.objects.set('vec', fixture('sample-cache/vec-f8-compressed')) // 1270 bytes, 1825 inflated
    await expect(
      joblibSerializer.preview?.(backend.target('vec'), { kwargs: {}, maxBytes: 1500 }),
    ).rejects.toThrow(/larger than maxDecompressedBytes \(1500 bytes\)/)
  })
})
