/**
 * Argument decoders for pickle opcodes: the text forms of protocol 0 (INT, LONG, FLOAT, STRING,
 * UNICODE), the two's-complement bytes of LONG1/LONG4, and UTF-8 text. Each throws
 * CorruptPayloadError with the opcode's byte offset when the argument is malformed.
 */
import { corrupt, latin1 } from './byte-reader.js'

const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

/** A Python int as the value model holds it: a number when exact, else a bigint. */
export function intValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v
}

/** LONG1/LONG4 payload: little-endian two's complement (empty means 0). */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0
  let hex = ''
  for (let i = bytes.length - 1; i >= 0; i--)
    hex += (bytes[i] as number).toString(16).padStart(2, '0')
  let v = BigInt(`0x${hex}`)
  if ((bytes[bytes.length - 1] as number) & 0x80) v -= 1n << BigInt(bytes.length * 8)
  return intValue(v)
}

/** INT's decimal line; protocol 0 spells True and False as 01 and 00. */
export function parseIntLine(text: string, at: number): number | bigint | boolean {
  if (text === '01') return true
  if (text === '00') return false
  return parseDecimal(text, at, 'INT')
}

/** LONG's decimal line, with Python 2's trailing 'L'. */
export function parseLongLine(text: string, at: number): number | bigint {
  return parseDecimal(text.endsWith('L') ? text.slice(0, -1) : text, at, 'LONG')
}

function parseDecimal(text: string, at: number, op: string): number | bigint {
  if (!/^[+-]?\d{1,4300}$/.test(text))
    throw corrupt(at, `${op} argument '${text.slice(0, 40)}' is not an integer`)
  return intValue(BigInt(text))
}

/** FLOAT's line, as Python's float() reads it (repr output, including nan and inf). */
export function parseFloatLine(text: string, at: number): number {
  const t = text.trim().toLowerCase()
  if (t === 'nan' || t === '-nan' || t === '+nan') return NaN
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity
  if (t === '-inf' || t === '-infinity') return -Infinity
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) {
    throw corrupt(at, `FLOAT argument '${text.slice(0, 40)}' is not a number`)
  }
  return Number(t)
}

/** UTF-8 text of BINUNICODE and friends; invalid UTF-8 is corruption, not replaced silently. */
export function utf8(bytes: Uint8Array, at: number): string {
  try {
    return utf8Decoder.decode(bytes)
  } catch {
    throw corrupt(at, 'string is not valid UTF-8')
  }
}

/** UNICODE's raw-unicode-escape line: latin-1 bytes with \uXXXX and \UXXXXXXXX escapes. */
export function rawUnicodeEscape(bytes: Uint8Array, at: number): string {
  return latin1(bytes).replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u4, u8) => {
    const cp = parseInt((u4 ?? u8) as string, 16)
    if (cp > 0x10ffff) throw corrupt(at, `UNICODE escape \\U${u8 as string} is out of range`)
    return String.fromCodePoint(cp)
  })
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
}

/**
 * STRING's quoted argument (a Python 2 str repr), unquoted and unescaped as
 * codecs.escape_decode does, returned as latin-1 text (one character per byte).
 */
export function parseStringRepr(text: string, at: number): string {
  const q = text[0]
  if (text.length < 2 || (q !== "'" && q !== '"') || text[text.length - 1] !== q) {
    throw corrupt(at, 'the STRING opcode argument must be quoted')
  }
  const body = text.slice(1, -1)
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g, (m, esc: string) => {
    if (esc[0] === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16))
    if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8) & 0xff)
    return SIMPLE_ESCAPES[esc] ?? m
  })
}
