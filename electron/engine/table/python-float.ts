/**
 * Floats spelled the way pandas' to_csv spells them. Without float_format pandas writes
 * numpy's str() of each value: the shortest digits that read back to the same float of the
 * column's width (so a float32 28.4282 is '28.4282', not '28.428199768066406'), positional
 * between 1e-4 and 1e16 and scientific outside, as Python's repr does.
 */
import { pyFloatRepr } from '../../../shared/pyjson.js'
import { InvalidArgumentError } from '../errors.js'

/** Python's repr() of a float64 ('21.0', '0.1', '1e-05', '1.2345678901234568e+17'). */
export function reprFloat64(x: number): string {
  // Python's repr, except that str() of a non-finite float is nan/inf, not JSON's NaN.
  return Number.isFinite(x) ? pyFloatRepr(x) : nonFinite(x)
}

/** numpy's str() of a float32 value (given as the double it widens to exactly). */
export function reprFloat32(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x)
  const { digits, exp } = shortestFloat32Digits(x)
  return layout(x, digits, exp)
}

/** The shortest decimal that reads back as the same float32, as a JS number (for JSON). */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x
  const { digits, exp } = shortestFloat32Digits(x)
  return Number(`${x < 0 ? '-' : ''}${digits[0]}.${digits.slice(1) || '0'}e${exp}`)
}

function nonFinite(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  return x > 0 ? 'inf' : '-inf'
}

// numpy picks positional vs scientific by the value itself, which matters for float32:
// float32(1e-4) is slightly below 1e-4, so numpy writes '1e-04'.
function layout(x: number, digits: string, exp: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : ''
  const abs = Math.abs(x)
  if (abs === 0 || (abs >= 1e-4 && abs < 1e16)) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`
    const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0')
    return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`
  }
  const rest = digits.slice(1)
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  return `${sign}${digits[0]}${rest ? '.' + rest : ''}e${e}`
}

// Shortest digits that round-trip through float32. The nearest p-digit decimal is tried first;
// a neighbour is tried too because at powers of two the round-trip interval is lopsided.
function shortestFloat32Digits(x: number): { digits: string; exp: number } {
  const abs = Math.abs(x)
  if (abs === 0) return { digits: '0', exp: 0 }
  for (let p = 1; p <= 9; p++) {
    const [m = '0', e = '0'] = abs.toExponential(p - 1).split('e')
    const nearest = { digits: m.replace('.', ''), exp: Number(e) }
    const hits = [nearest, bump(nearest, -1), bump(nearest, 1)].filter(
      (c) => Math.fround(toNumber(c)) === abs,
    )
    if (hits.length === 0) continue
    // Closest to the exact value wins; an exact tie goes to the even digit, as in numpy.
    const exact = exactDecimal(abs)
    const dist = hits.map((c) => distance(c, exact))
    let bestAt = 0
    for (let i = 1; i < hits.length; i++) {
      const d = dist[i]!
      const b = dist[bestAt]!
      if (d < b || (d === b && Number(hits[i]!.digits.at(-1)) % 2 === 0)) bestAt = i
    }
    const best = hits[bestAt]!
    return { digits: best.digits.replace(/0+$/, '') || '0', exp: best.exp }
  }
  // Unreachable: 9 significant digits always identify a float32.
  const [m = '0', e = '0'] = abs.toExponential(8).split('e')
  return { digits: m.replace('.', '').replace(/0+$/, ''), exp: Number(e) }
}

// |c - x| scaled by a common power of ten, exactly.
function distance(
  c: { digits: string; exp: number },
  x: { digits: bigint; scale: number },
): bigint {
  const cScale = c.digits.length - 1 - c.exp
  const scale = Math.max(cScale, x.scale)
  const cv = BigInt(c.digits) * 10n ** BigInt(scale - cScale)
  const xv = x.digits * 10n ** BigInt(scale - x.scale)
  return cv > xv ? cv - xv : xv - cv
}

function toNumber(c: { digits: string; exp: number }): number {
  return Number(`${c.digits}e${c.exp - c.digits.length + 1}`)
}

function bump(c: { digits: string; exp: number }, by: 1 | -1): { digits: string; exp: number } {
  const s = (BigInt(c.digits) + BigInt(by)).toString()
  // 99 + 1 = 100 moves up a decade; 10 - 1 = 9 moves down one and reads 9.9...
  if (s.length > c.digits.length) return { digits: s.slice(0, c.digits.length), exp: c.exp + 1 }
  if (s.length < c.digits.length || s === '0') {
    return { digits: '9'.repeat(c.digits.length), exp: c.exp - 1 }
  }
  return { digits: s, exp: c.exp }
}

/**
 * A formatter for to_csv's float_format, for the printf forms pandas users write: '%.Nf',
 * '%.Ne', '%.Ng' (N optional, upper case too) and '%d'/'%i', as Python's `%` operator
 * spells them, rounding the exact binary value half-to-even as C's printf does. Other forms
 * (widths, flags, callables) are refused by name rather than written differently.
 */
export function floatFormatter(spec: string): (x: number) => string {
  const m = /^%(?:\.(\d+))?([fFeEgGdi])$/.exec(spec)
  if (!m || (m[1] !== undefined && /[di]/.test(m[2]!)) || Number(m[1] ?? 0) > 100) {
    throw new InvalidArgumentError(
      `pandas.csv float_format must be one of '%.Nf', '%.Ne', '%.Ng' (N up to 100, or left ` +
        `out for 6; upper case too) or '%d', not ${JSON.stringify(spec)}. Round the column ` +
        `before dumping for other forms.`,
    )
  }
  const code = m[2]!
  const precision = m[1] === undefined ? 6 : Number(m[1])
  const lower = code.toLowerCase()
  const upper = code !== lower
  return (x) => {
    if (!Number.isFinite(x)) {
      if (lower === 'd' || lower === 'i') {
        throw new InvalidArgumentError(
          `pandas.csv float_format '${spec}' cannot write ${x} (Python: cannot convert float ` +
            `${nonFinite(x)} to integer); pick '%.0f' or replace the value.`,
        )
      }
      const s = nonFinite(x)
      return upper ? s.toUpperCase() : s
    }
    const s =
      lower === 'e'
        ? formatE(x, precision)
        : lower === 'g'
          ? formatG(x, precision)
          : lower === 'f'
            ? formatF(x, precision)
            : BigInt(Math.trunc(x)).toString()
    return upper ? s.toUpperCase() : s
  }
}

// C's %g: %e's exponent X after rounding to P significant digits picks %f (when -4 <= X < P)
// or %e, then trailing zeros (and a bare point) go.
function formatG(x: number, precision: number): string {
  const p = precision === 0 ? 1 : precision
  const e = formatE(x, p - 1)
  const exp = Number(e.slice(e.indexOf('e') + 1))
  if (exp >= -4 && exp < p) return stripZeros(formatF(x, p - 1 - exp))
  const at = e.indexOf('e')
  return stripZeros(e.slice(0, at)) + e.slice(at)
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s
}

// |x| = digits / 10^scale exactly: every finite double is a dyadic rational.
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, Math.abs(x))
  const bits = view.getBigUint64(0)
  const expField = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & ((1n << 52n) - 1n)
  const mant = expField === 0 ? fraction : fraction | (1n << 52n)
  const e2 = (expField === 0 ? 1 : expField) - 1075
  if (e2 >= 0) return { digits: mant << BigInt(e2), scale: 0 }
  return { digits: mant * 5n ** BigInt(-e2), scale: -e2 }
}

function roundHalfEven(n: bigint, drop: number): bigint {
  if (drop <= 0) return n * 10n ** BigInt(-drop)
  const div = 10n ** BigInt(drop)
  const q = n / div
  const twice = (n % div) * 2n
  return twice > div || (twice === div && q % 2n === 1n) ? q + 1n : q
}

function formatF(x: number, precision: number): string {
  const { digits, scale } = exactDecimal(x)
  const s = roundHalfEven(digits, scale - precision)
    .toString()
    .padStart(precision + 1, '0')
  const sign = x < 0 || Object.is(x, -0) ? '-' : ''
  if (precision === 0) return sign + s
  return `${sign}${s.slice(0, -precision)}.${s.slice(-precision)}`
}

function formatE(x: number, precision: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : ''
  const exact = exactDecimal(x)
  const scale = exact.scale
  let digits = exact.digits
  let exp = 0
  if (digits !== 0n) {
    exp = digits.toString().length - 1 - scale
    digits = roundHalfEven(digits, digits.toString().length - (precision + 1))
    if (digits.toString().length > precision + 1) {
      digits /= 10n
      exp += 1
    }
  }
  const s = digits.toString().padEnd(precision + 1, '0')
  const mantissa = precision === 0 ? s : `${s[0]}.${s.slice(1)}`
  return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
}
