// The Eisel-Lemire path (csv-float-exact.ts) equals Number() bit for bit on the forms pandas
// writes (17 significant digits, exponents) and on hard cases: halfway decimals between
// neighbouring doubles, 19-digit mantissas, the ends of the exponent range, subnormals.
import { describe, expect, it } from 'vitest'
import { parseFloatCell } from '../../../electron/engine/serializers/csv/csv-cell-bytes.js'
import { eiselLemire } from '../../../electron/engine/serializers/csv/csv-float-exact.js'

const enc = new TextEncoder()
const float = (t: string) => {
  const b = enc.encode(t)
  return parseFloatCell(b, 0, b.length)
}

function seeded(seed: number): () => number {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
}

const digits = (rand: () => number, n: number) => {
  let s = String(1 + Math.floor(rand() * 9))
  for (let i = 1; i < n; i++) s += String(Math.floor(rand() * 10))
  return s
}

// The exact decimal midpoint between a double and its successor (BigInt arithmetic).
function midpoint(x: number): string {
  const f = new Float64Array([x])
  const u = new BigUint64Array(f.buffer)
  const bits = u[0]!
  const exp = Number((bits >> 52n) & 0x7ffn)
  const frac = bits & ((1n << 52n) - 1n)
  const m = (exp === 0 ? frac : frac | (1n << 52n)) * 2n + 1n // 2m+1 at 2^(e-1)
  const e2 = (exp === 0 ? 1 : exp) - 1075 - 1
  if (e2 >= 0) return (m << BigInt(e2)).toString()
  // m / 2^-e2 = m * 5^-e2 / 10^-e2
  const scaled = (m * 5n ** BigInt(-e2)).toString()
  return `${scaled}e-${-e2}`
}

describe('eiselLemire', () => {
  it('equals Number() on 17-digit and exponent forms (seeded, 20,000 texts)', () => {
    const rand = seeded(8)
    const texts: string[] = []
    for (let i = 0; i < 4000; i++) {
      const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 60 - 30)
      texts.push(String(x), x.toPrecision(17), x.toExponential(16))
      const d = digits(rand, 1 + Math.floor(rand() * 19))
      const exp = Math.floor(rand() * 660) - 345
      texts.push(`${d}e${exp}`, `-0.${d}E+${Math.abs(exp % 300)}`)
    }
    let exactPath = 0
    for (const t of texts) {
      expect(Object.is(float(t), Number(t)), t).toBe(true)
      const m = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t)
      if (m && (m[2]! + (m[3] ?? '')).replace(/^0+/, '').length <= 19) {
        const all = BigInt(m[2]! + (m[3] ?? ''))
        const p = Number(m[4] ?? 0) - (m[3] ?? '').length
        const v = eiselLemire(Number(all >> 32n), Number(all & 0xffffffffn), p, m[1] === '-')
        if (v !== null) {
          exactPath++
          expect(Object.is(v, Number(t)), t).toBe(true)
        }
      }
    }
    // The method decides nearly all of them itself (it gives up only near ties).
    expect(exactPath).toBeGreaterThan(texts.length * 0.7)
  })

  it('equals Number() at midpoints between doubles and just beside them', () => {
    const rand = seeded(21)
    const xs = [
      1,
      0.1,
      2 ** 53,
      1e22,
      1e23,
      5e-324,
      2.2250738585072014e-308,
      1.7976931348623157e308,
    ]
    for (let i = 0; i < 1500; i++) xs.push((rand() + 0.1) * 10 ** Math.floor(rand() * 40 - 20))
    for (const x of xs) {
      const mid = midpoint(x)
      const [mant, exp] = mid.split('e')
      const texts = [mid]
      // Short forms of the midpoint cut to 17-19 digits, and one unit either side.
      for (const n of [17, 18, 19]) {
        if (mant!.length <= n) continue
        const cut = mant!.slice(0, n)
        const p = Number(exp ?? 0) + mant!.length - n
        const up = (BigInt(cut) + 1n).toString()
        const down = (BigInt(cut) - 1n).toString()
        texts.push(`${cut}e${p}`, `${up}e${p}`, `${down}e${p}`)
      }
      for (const t of texts) expect(Object.is(float(t), Number(t)), t).toBe(true)
    }
  })

  it('gives up rather than guess outside the range it tables', () => {
    expect(eiselLemire(0, 1, 400, false)).toBeNull()
    expect(eiselLemire(0, 1, -400, false)).toBeNull()
    expect(eiselLemire(0, 0, 5, true)).toBe(-0)
    expect(float('1e-400')).toBe(0)
    expect(float('12345678901234567e300')).toBe(Infinity)
  })
})
