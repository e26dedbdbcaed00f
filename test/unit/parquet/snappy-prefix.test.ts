// The partial Snappy decoder (snappy-prefix.ts): whole streams decode as hyparquet's decoder
// does, every prefix of a stream decodes to a prefix of its output, and streams no
// compressor writes are refused, never decoded into garbage or a huge allocation.
import { snappyUncompress } from 'hyparquet'
import { snappyCompress } from 'hyparquet-writer/src/snappy.js'
import { describe, expect, it } from 'vitest'
import {
  SnappyError,
  snappyPrefix,
} from '../../../electron/engine/serializers/parquet/snappy-prefix.js'
import { prng } from '../../helpers/prng.js'

// Bytes that compress: runs, repeats at several distances, and noise.
function sample(rand: (n: number) => number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  let at = 0
  while (at < length) {
    const kind = rand(3)
    const n = Math.min(length - at, 1 + rand(kind === 0 ? 300 : 40))
    for (let i = 0; i < n; i++) {
      if (kind === 0 && at >= 70000)
        out[at + i] = out[at + i - 70000]! // a 4-byte offset copy
      else if (kind === 1 && at >= 64) out[at + i] = out[at + i - 1 - rand(8) * 8]!
      else out[at + i] = rand(kind === 2 ? 256 : 4)
    }
    at += n
  }
  return out
}

function reference(compressed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length)
  snappyUncompress(compressed, out)
  return out
}

describe('snappyPrefix', () => {
  it('decodes whole streams exactly as hyparquet does (random data, bounded count)', () => {
    const rand = prng(41)
    for (const length of [0, 1, 59, 60, 61, 255, 256, 257, 4096, 65536, 65537, 200_000]) {
      const data = sample(rand, length)
      const compressed = snappyCompress(data)
      const ours = snappyPrefix(compressed, length)
      expect(ours).toEqual(reference(compressed, length))
      expect(ours).toEqual(data)
    }
  })

  it('decodes long literals (1 to 4 length bytes) and copies with 1-, 2- and 4-byte offsets', () => {
    const literal = (n: number): number[] => {
      const extra = n - 1 < 256 ? 1 : n - 1 < 65536 ? 2 : 3
      const len = [(n - 1) & 0xff, ((n - 1) >> 8) & 0xff, ((n - 1) >> 16) & 0xff].slice(0, extra)
      return [((59 + extra) << 2) | 0, ...len]
    }
    const body = Array.from({ length: 70000 }, (_, i) => (i * 7) % 251)
    // literal 70000, copy1 (len 11, offset 3), copy2 (len 64, offset 300), copy4 (len 5, offset 69000)
    const stream = [
      ...[0xc0, 0xa3, 0x04], // varint 70000 + 11 + 64 + 5 = 70080
      ...literal(70000),
      ...body,
      ((11 - 4) << 2) | 1,
      3,
      ((64 - 1) << 2) | 2,
      300 & 0xff,
      300 >> 8,
      ((5 - 1) << 2) | 3,
      69000 & 0xff,
      (69000 >> 8) & 0xff,
      69000 >> 16,
      0,
    ]
    const input = new Uint8Array(stream)
    const declared = 70000 + 11 + 64 + 5
    expect(snappyPrefix(input, declared)).toEqual(reference(input, declared))
  })

  it('gives a prefix of the output for every prefix of a stream', () => {
    const rand = prng(7)
    const data = sample(rand, 1500)
    const compressed = snappyCompress(data)
    for (let cut = 0; cut <= compressed.length; cut++) {
      const out = snappyPrefix(compressed.subarray(0, cut), data.length)
      expect(out).toEqual(data.subarray(0, out.length))
      if (cut === compressed.length) expect(out.length).toBe(data.length)
    }
    // Monotone: more input never gives less output.
    let last = 0
    for (let cut = 0; cut <= compressed.length; cut += 13) {
      const n = snappyPrefix(compressed.subarray(0, cut), data.length).length
      expect(n).toBeGreaterThanOrEqual(last)
      last = n
    }
  })

  it('refuses streams no compressor writes', () => {
    const bad = (bytes: number[], length: number): void => {
      expect(() => snappyPrefix(new Uint8Array(bytes), length)).toThrow(SnappyError)
    }
    bad([5, 0b01 | (0 << 2), 1], 5) // a copy before any output
    bad([5, 0, 65, 0b10, 0, 0], 5) // a copy with offset 0
    bad([9, 0, 65, 0b01, 2], 9) // a copy reaching 2 bytes back from 1
    bad([2, 8, 1, 2, 3], 2) // a literal of 3 bytes where 2 are declared
    bad([4, 0, 65, 0b01 | (4 << 2), 1], 4) // a copy running past the declared length
    bad([3, 0, 65], 4) // a length header of 3 where the page says 4
    bad([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 1) // a length header past 5 bytes
  })

  it('allocates by what the input produces, not by a huge declared length', () => {
    const declared = 2 ** 31
    const header = [0x80, 0x80, 0x80, 0x80, 0x08]
    const out = snappyPrefix(new Uint8Array([...header, 0, 65]), declared)
    expect(out).toEqual(new Uint8Array([65]))
    expect(out.buffer.byteLength).toBeLessThan(1 << 20)
  })

  it('fuzz: flipped bytes give output or a SnappyError, never another error (bounded)', () => {
    const rand = prng(99)
    const data = sample(rand, 2000)
    const compressed = snappyCompress(data)
    for (let round = 0; round < 400; round++) {
      const damaged = compressed.slice()
      damaged[rand(damaged.length)] = rand(256)
      try {
        const out = snappyPrefix(damaged.subarray(0, rand(damaged.length + 1)), data.length)
        expect(out.length).toBeLessThanOrEqual(data.length)
      } catch (err) {
        expect(err).toBeInstanceOf(SnappyError)
      }
    }
  })
})
