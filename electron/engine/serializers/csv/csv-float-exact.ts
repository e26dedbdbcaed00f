/**
 * Eisel-Lemire: a decimal mantissa of up to 19 digits times a power of ten, correctly rounded
 * to a double without a string or Number(), as Go's strconv (eiselLemire64) does it. Numbers
 * written by pandas carry 17 significant digits, past the 2^53 that Clinger's fast path in
 * csv-cell-bytes.ts takes, and Number() on a sliced string cost a quarter of a load. Returns
 * null on the rare cases the 64-bit product cannot decide (near a tie, or out of range): the
 * caller then asks Number(), so the result always equals Number()'s bit for bit.
 */

const MIN_EXP10 = -342
const MAX_EXP10 = 308
const TWO32 = 2 ** 32

// The top 64 bits of 10^q normalized (top bit set), truncated: [hi32, lo32] at 2 * (q - MIN).
// Filled on first use of each q, from BigInt (exact), so only the exponents a file uses cost.
const pow10 = new Float64Array((MAX_EXP10 - MIN_EXP10 + 1) * 2)
const known = new Uint8Array(MAX_EXP10 - MIN_EXP10 + 1)

function fillPow10(q: number): void {
  let top: bigint
  if (q >= 0) {
    const v = 10n ** BigInt(q)
    const len = v.toString(2).length
    top = len >= 64 ? v >> BigInt(len - 64) : v << BigInt(64 - len)
  } else {
    const d = 10n ** BigInt(-q)
    const shift = d.toString(2).length + 64
    const v = (1n << BigInt(shift)) / d
    const len = v.toString(2).length
    top = v >> BigInt(len - 64)
  }
  const i = 2 * (q - MIN_EXP10)
  pow10[i] = Number(top >> 32n)
  pow10[i + 1] = Number(top & 0xffffffffn)
  known[q - MIN_EXP10] = 1
}

const INV32 = 2 ** -32

// 2^(e - 1075) for each biased exponent e of a normal double, by exact halvings and doublings:
// a 53-bit integer mantissa times it is the double, with no rounding.
const POW2 = new Float64Array(0x7ff)
POW2[1075 - 1] = 0.5
for (let e = 1075; e < 0x7ff; e++) POW2[e] = e === 1075 ? 1 : POW2[e - 1]! * 2
for (let e = 1073; e >= 1; e--) POW2[e] = POW2[e + 1]! / 2

/**
 * The double nearest (manHi * 2^32 + manLo) * 10^exp10 (ties to even), negated when `neg`,
 * or null when this method cannot be sure. manHi and manLo are unsigned 32-bit halves.
 */
export function eiselLemire(
  manHi: number,
  manLo: number,
  exp10: number,
  neg: boolean,
): number | null {
  if (manHi === 0 && manLo === 0) return neg ? -0 : 0
  if (exp10 < MIN_EXP10 || exp10 > MAX_EXP10) return null
  if (known[exp10 - MIN_EXP10] === 0) fillPow10(exp10)
  // Normalize the mantissa so its top bit is set.
  const clz = manHi !== 0 ? Math.clz32(manHi) : 32 + Math.clz32(manLo)
  let m1: number
  let m0: number
  if (clz >= 32) {
    m1 = (manLo << (clz - 32)) >>> 0
    m0 = 0
  } else if (clz > 0) {
    m1 = ((manHi << clz) | (manLo >>> (32 - clz))) >>> 0
    m0 = (manLo << clz) >>> 0
  } else {
    m1 = manHi
    m0 = manLo
  }
  let retExp2 = ((217706 * exp10) >> 16) + 64 + 1023 - clz
  const p1 = pow10[2 * (exp10 - MIN_EXP10)]!
  const p0 = pow10[2 * (exp10 - MIN_EXP10) + 1]!
  // The 128-bit product m * p as four 32-bit limbs (l3 highest). Each 32x32 product's low
  // half is Math.imul's; its high half is the double product's, whose error (< 2^11) rounds away.
  const lo00 = Math.imul(m0, p0) >>> 0
  const hi00 = Math.round((m0 * p0 - lo00) * INV32)
  const lo10 = Math.imul(m1, p0) >>> 0
  const hi10 = Math.round((m1 * p0 - lo10) * INV32)
  const lo01 = Math.imul(m0, p1) >>> 0
  const hi01 = Math.round((m0 * p1 - lo01) * INV32)
  const lo11 = Math.imul(m1, p1) >>> 0
  const hi11 = Math.round((m1 * p1 - lo11) * INV32)
  const l0 = lo00
  let l1 = hi00 + lo10 + lo01
  const c1 = Math.floor(l1 * INV32)
  l1 -= c1 * TWO32
  let l2 = hi10 + hi01 + lo11 + c1
  const c2 = Math.floor(l2 * INV32)
  l2 -= c2 * TWO32
  const l3 = hi11 + c2
  // The power's lower 64 bits were dropped: when the low 9 bits of the top half are all ones,
  // they could carry into the result. Go multiplies wider here; asking Number() is as exact.
  if ((l2 & 0x1ff) === 0x1ff) return null
  const msb = l3 >>> 31
  const shift = msb + 9
  retExp2 -= 1 ^ msb
  const low = l2 >>> shift // retMantissa's low bits (the rest come from l3)
  if (l0 === 0 && l1 === 0 && (l2 & 0x1ff) === 0 && (low & 3) === 1) return null
  // retMantissa >> 1, exactly (at most 53 bits), plus the rounding bit.
  let mant = l3 * (msb === 1 ? 2097152 : 4194304) + (l2 >>> (shift + 1)) + (low & 1)
  if (mant >= 2 ** 53) {
    mant /= 2
    retExp2 += 1
  }
  if (retExp2 <= 0 || retExp2 >= 0x7ff) return null
  const v = mant * POW2[retExp2]!
  return neg ? -v : v
}
