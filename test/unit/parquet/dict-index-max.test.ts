// maxIndex (parquet-dict-prefix.ts): the highest of the first n dictionary indices of an
// RLE/bit-packed hybrid run, as a data page stores them, read only as far as n needs.
import { describe, expect, it } from 'vitest'
import { maxIndex } from '../../../electron/engine/serializers/parquet/parquet-dict-indices.js'
import { prng } from '../../helpers/prng.js'

function varint(n: number): number[] {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return out
}

// The hybrid encoding of `values` at `width` bits, as runs of `kinds` (RLE or bit-packed).
function encode(values: number[], width: number, rand: (n: number) => number): Uint8Array {
  const out = [width]
  let at = 0
  while (at < values.length) {
    const run = Math.min(values.length - at, 1 + rand(40))
    if (rand(2) === 0) {
      const value = values[at]!
      let n = 1
      while (n < run && values[at + n] === value) n++
      out.push(...varint(n * 2))
      for (let i = 0; i < (width + 7) >> 3; i++) out.push((value >>> (8 * i)) & 0xff)
      at += n
    } else {
      const groups = Math.ceil(run / 8)
      out.push(...varint(groups * 2 + 1))
      const bytes = new Array<number>(groups * width).fill(0)
      for (let i = 0; i < groups * 8; i++) {
        const v = at + i < values.length && i < run ? values[at + i]! : 0
        for (let b = 0; b < width; b++) {
          if (Math.floor(v / 2 ** b) % 2) bytes[(i * width + b) >> 3]! |= 1 << ((i * width + b) & 7)
        }
      }
      out.push(...bytes)
      // Padding values of a last group count as values: keep them in the sequence.
      for (let i = run; i < groups * 8; i++) values.splice(at + i, 0, 0)
      at += groups * 8
    }
  }
  return new Uint8Array(out)
}

describe('maxIndex', () => {
  it('equals the highest of the first n values for random runs (bounded count)', () => {
    const rand = prng(5)
    for (let round = 0; round < 300; round++) {
      const width = [1, 3, 7, 8, 9, 13, 16, 17, 24, 31][rand(10)]!
      const top = Math.min(2 ** width, 2 ** 31)
      const values = Array.from({ length: 1 + rand(300) }, () =>
        rand(3) === 0 ? rand(Math.min(top, 4)) : rand(top),
      )
      const bytes = encode(values, width, rand)
      for (const n of [1, 2, 7, 8, 9, rand(values.length) + 1, values.length]) {
        const want = Math.max(...values.slice(0, n))
        expect(maxIndex(bytes, n), `width ${width} n ${n}`).toBe(want)
      }
    }
  })

  it('reads nothing past the values it needs, and refuses what cannot be a run', () => {
    const rand = prng(9)
    const values = Array.from({ length: 64 }, () => rand(1000))
    const bytes = encode(values.slice(), 10, () => 39) // bit-packed runs of 40 values
    expect(maxIndex(bytes, 0)).toBe(-1)
    expect(maxIndex(new Uint8Array([0]), 5)).toBe(0) // width 0: every index is 0
    expect(maxIndex(new Uint8Array([33, 2, 1]), 1)).toBeNaN() // width over 32
    expect(maxIndex(new Uint8Array([]), 1)).toBeNaN()
    expect(maxIndex(new Uint8Array([8, 2]), 1)).toBeNaN() // an RLE run without its value
    expect(maxIndex(new Uint8Array([8, 3, 1, 2]), 3)).toBeNaN() // a bit-packed group cut off
    expect(maxIndex(new Uint8Array([8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), 1)).toBeNaN()
    // Values past the end of the page's runs (nulls have none): the highest of those there.
    expect(maxIndex(new Uint8Array([8, 4, 7]), 10)).toBe(7)
    expect(Number.isNaN(maxIndex(bytes, 64))).toBe(false)
  })
})
