/**
 * pandas' cell rules (infer-column.ts) read from a cell's UTF-8 bytes instead of a string:
 * integer and float syntax with the same surrounding whitespace, the six bool texts, the
 * datetime forms parseDatetime takes, and the missing-value texts. Only ASCII is judged here;
 * a numeric-looking cell with other bytes is left to the string rules (see csv-profile.ts).
 */

import { eiselLemire } from './csv-float-exact.js'

/** Whether b is whitespace that `\s` matches in ASCII (tab, newlines, vertical tab, form feed, space). */
export function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d)
}

/** Integer verdicts: not an integer, one a double holds exactly, one that may not. */
export const NOT_INT = 0
export const SMALL_INT = 1
export const BIG_INT = 2

/** INT_RE (`^\s*[+-]?\d+\s*$`) on bytes; BIG_INT when over 15 significant digits. */
export function intKind(b: Uint8Array, s: number, e: number): number {
  while (s < e && isSpace(b[s]!)) s++
  while (e > s && isSpace(b[e - 1]!)) e--
  if (s < e && (b[s] === 0x2b || b[s] === 0x2d)) s++
  if (s >= e) return NOT_INT
  let sig = 0
  for (let i = s; i < e; i++) {
    const d = b[i]! - 0x30
    if (d < 0 || d > 9) return NOT_INT
    if (sig > 0 || d !== 0) sig++
  }
  return sig > 15 ? BIG_INT : SMALL_INT
}

/** FLOAT_RE on bytes: digits with an optional point and exponent, or inf / infinity. */
export function isFloatText(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && isSpace(b[s]!)) s++
  while (e > s && isSpace(b[e - 1]!)) e--
  if (s < e && (b[s] === 0x2b || b[s] === 0x2d)) s++
  if (s >= e) return false
  const c = b[s]! | 0x20
  if (c === 0x69) return isInf(b, s, e)
  let i = s
  let digits = 0
  while (i < e && isDigit(b[i]!)) i++
  digits += i - s
  if (i < e && b[i] === 0x2e) {
    const from = ++i
    while (i < e && isDigit(b[i]!)) i++
    digits += i - from
  }
  if (digits === 0) return false
  if (i < e && (b[i]! | 0x20) === 0x65) {
    i++
    if (i < e && (b[i] === 0x2b || b[i] === 0x2d)) i++
    const from = i
    while (i < e && isDigit(b[i]!)) i++
    if (i === from) return false
  }
  return i === e
}

const INF = [0x69, 0x6e, 0x66, 0x69, 0x6e, 0x69, 0x74, 0x79] // 'infinity'

function isInf(b: Uint8Array, s: number, e: number): boolean {
  const n = e - s
  if (n !== 3 && n !== 8) return false
  for (let i = 0; i < n; i++) if ((b[s + i]! | 0x20) !== INF[i]) return false
  return true
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i)

/**
 * parseFloatCell for a cell not yet judged: NaN when isFloatText would refuse it (no float
 * text reads as NaN: 'nan' is not FLOAT_RE's), so a speculative float column checks and
 * parses in one scan.
 */
export function parseFloatChecked(b: Uint8Array, s: number, e: number): number {
  return parseFloatCell(b, s, e, true)
}

/**
 * A float cell's value, correctly rounded as Number() rounds it: one rounding for mantissas
 * up to 2^53 with a power of ten a double holds (Clinger's fast path), else through Number().
 */
export function parseFloatCell(b: Uint8Array, s: number, e: number, strict = false): number {
  while (s < e && isSpace(b[s]!)) s++
  while (e > s && isSpace(b[e - 1]!)) e--
  let i = s
  let neg = false
  if (i < e && (b[i] === 0x2b || b[i] === 0x2d)) neg = b[i++] === 0x2d
  // The first 15 significant digits sum exactly in a double; up to 4 more go to `tail`, so
  // a 19-digit mantissa is known exactly without BigInt.
  let head = 0
  let tail = 0
  let tailLen = 0
  let sig = 0
  let scale = 0
  let point = false
  const from = i
  for (; i < e; i++) {
    const d = b[i]! - 0x30
    if (d < 0 || d > 9) {
      if (b[i] !== 0x2e || point) break
      point = true
      continue
    }
    if (sig > 0 || d !== 0) sig++
    if (sig <= 15) head = head * 10 + d
    else if (sig <= 19) {
      tail = tail * 10 + d
      tailLen++
    }
    if (point) scale--
  }
  // Only a point, or no digit at all: not a number.
  let bad = i - from === (point ? 1 : 0)
  let exp = 0
  if (i < e && (b[i]! | 0x20) === 0x65) {
    i++
    let eneg = false
    if (i < e && (b[i] === 0x2b || b[i] === 0x2d)) eneg = b[i++] === 0x2d
    let digits = 0
    while (i < e && isDigit(b[i]!) && digits < 6) {
      exp = exp * 10 + (b[i++]! - 0x30)
      digits++
    }
    if (digits === 0) bad = true
    if (eneg) exp = -exp
  }
  if (strict && (bad || i !== e) && !isFloatText(b, s, e)) return NaN
  const p = scale + exp
  if (i === e && sig <= 17) {
    // Exact while the mantissa stays within 2^53 (head * 10^tailLen is then below it too).
    const mant = tailLen === 0 ? head : head * POW10[tailLen]! + tail
    if (mant <= 2 ** 53 && p >= -22 && p <= 22) {
      const v = p < 0 ? mant / POW10[-p]! : mant * POW10[p]!
      return neg ? -v : v
    }
  }
  if (i === e && sig <= 19) {
    // head * 10^tailLen + tail as unsigned 32-bit halves, every step exact in doubles.
    const k = POW10[tailLen]!
    const hh = Math.floor(head * 2 ** -32)
    const x = (head - hh * 4294967296) * k + tail
    const carry = Math.floor(x * 2 ** -32)
    const v = eiselLemire(hh * k + carry, x - carry * 4294967296, p, neg)
    if (v !== null) return v
  }
  if (i === e) return Number(latin1(b, s, e))
  const text = latin1(b, s, e)
    .toLowerCase()
    .replace(/^([+-]?)inf(inity)?$/, '$1Infinity')
  return Number(text)
}

/**
 * intKind and parseSmallInt in one scan for the common cell: the value of a bare integer
 * (optional sign, digits, no spaces) of at most 15 digits, else NaN (call intKind then).
 */
export function plainSmallInt(b: Uint8Array, s: number, e: number): number {
  let neg = false
  if (s < e && (b[s] === 0x2d || b[s] === 0x2b)) neg = b[s++] === 0x2d
  if (s >= e || e - s > 15) return NaN
  let v = 0
  for (let i = s; i < e; i++) {
    const d = b[i]! - 0x30
    if (d < 0 || d > 9) return NaN
    v = v * 10 + d
  }
  return neg ? -v : v
}

/** An integer cell's value when intKind said SMALL_INT. */
export function parseSmallInt(b: Uint8Array, s: number, e: number): number {
  while (s < e && isSpace(b[s]!)) s++
  let neg = false
  if (b[s] === 0x2b || b[s] === 0x2d) neg = b[s++] === 0x2d
  let v = 0
  while (s < e && isDigit(b[s]!)) v = v * 10 + (b[s++]! - 0x30)
  return neg ? -v : v
}

/** The trimmed ASCII text of a cell (for the rare values parsed through BigInt or Number). */
export function trimmedText(b: Uint8Array, s: number, e: number): string {
  while (s < e && isSpace(b[s]!)) s++
  while (e > s && isSpace(b[e - 1]!)) e--
  return latin1(b, s, e)
}

// The last buffer decoded whole: float cells of one piece are sliced out of one string
// instead of a Buffer and a string made per cell.
let cachedBytes: Uint8Array | null = null
let cachedText = ''

function latin1(b: Uint8Array, s: number, e: number): string {
  if (b !== cachedBytes) {
    cachedBytes = b
    cachedText = Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1')
  }
  return cachedText.substring(s, e)
}

/** 1 for a true text, 0 for a false one, -1 for neither (exact match, as pandas does). */
export function boolCell(b: Uint8Array, s: number, e: number): number {
  const n = e - s
  if (n === 4) {
    if (b[s + 1] === 0x72 && b[s + 2] === 0x75 && b[s + 3] === 0x65) {
      return b[s] === 0x54 || b[s] === 0x74 ? 1 : -1 // True, true
    }
    return b[s] === 0x54 && b[s + 1] === 0x52 && b[s + 2] === 0x55 && b[s + 3] === 0x45 ? 1 : -1
  }
  if (n !== 5) return -1
  if (b[s + 1] === 0x61 && b[s + 2] === 0x6c && b[s + 3] === 0x73 && b[s + 4] === 0x65) {
    return b[s] === 0x46 || b[s] === 0x66 ? 0 : -1 // False, false
  }
  const upper =
    b[s] === 0x46 &&
    b[s + 1] === 0x41 &&
    b[s + 2] === 0x4c &&
    b[s + 3] === 0x53 &&
    b[s + 4] === 0x45
  return upper ? 0 : -1
}

/** Missing-value texts matched on bytes, bucketed by length. */
export class NaMatcher {
  private readonly byLength: (Uint8Array[] | undefined)[] = []
  /** Whether some text holds this byte (a quote: an escaped cell can then be missing). */
  readonly bytesSeen = new Uint8Array(256)
  private readonly firstBytes = new Uint8Array(256)

  constructor(texts: ReadonlySet<string>) {
    const enc = new TextEncoder()
    for (const t of texts) {
      const bytes = enc.encode(t)
      const list = (this.byLength[bytes.length] ??= [])
      list.push(bytes)
      for (const b of bytes) this.bytesSeen[b] = 1
      if (bytes.length > 0) this.firstBytes[bytes[0]!] = 1
    }
  }

  /** Whether bytes [s, e) are one of the texts. */
  has(b: Uint8Array, s: number, e: number): boolean {
    if (e > s && this.firstBytes[b[s]!] === 0) return false
    const list = this.byLength[e - s]
    if (list === undefined) return false
    outer: for (const t of list) {
      for (let i = 0; i < t.length; i++) if (b[s + i] !== t[i]) continue outer
      return true
    }
    return false
  }
}
