/**
 * JSON exactly as Python's `json` module reads and writes it, so sidecars round-trip byte for
 * byte: `json.dumps(obj, indent=2)` output (ASCII escapes, Python float repr, NaN/Infinity),
 * and a parser that keeps what JSON.parse would lose (1.0 stays a float, big ints stay exact).
 */

import { MAX_DEPTH } from './limits.js'
import { INVISIBLE } from './visible-text.js'

/** An integral Python float (1000.0) or a non-finite one, kept apart from an int on round trips. */
export class PyFloat {
  constructor(readonly value: number) {}
  /** JSON.stringify sees the number. */
  toJSON(): number {
    return this.value
  }
}

/** Any value pyjson parses or dumps. */
export type PyJson =
  null | boolean | number | bigint | string | PyFloat | PyJson[] | { [key: string]: PyJson }

/** Python's repr() of a float, from a JS number (both print the shortest round-trip digits). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  const sign = x < 0 ? '-' : ''
  const [mantissa = '', expText = '0'] = Math.abs(x).toExponential().split('e')
  const digits = mantissa.replace('.', '')
  const exp = Number(expText)
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : ''
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0')
  return `${sign}${intPart}.${digits.slice(exp + 1) || '0'}`
}

/**
 * A JSON string literal with Python's ensure_ascii escaping; with `ascii` false, as people read
 * it: letters of every script and emoji as they are, and only what cannot be seen or written
 * on its own escaped (quote, backslash, controls, bidi and zero-width characters, lone
 * surrogates). Both parse back to the same string.
 */
export function pyStringLiteral(s: string, ascii = true): string {
  // One regex pass over runs of plain characters: escaping char by char took seconds on a
  // long string.
  const [needs, escaped] = ascii ? [NEEDS_ESCAPE, ESCAPED] : [NEEDS_EDITOR_ESCAPE, EDITOR_ESCAPED]
  return `"${needs.test(s) ? s.replace(escaped, escapeChar) : s}"`
}

const NEEDS_ESCAPE = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/
const ESCAPED = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/g
// Quote, backslash, what visible-text shows as escapes, and a surrogate without its pair.
const EDITOR_SOURCE =
  `["\\\\]|${INVISIBLE.source}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|` +
  `(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`
const NEEDS_EDITOR_ESCAPE = new RegExp(EDITOR_SOURCE)
const EDITOR_ESCAPED = new RegExp(EDITOR_SOURCE, 'g')
const NAMED_ESCAPES = new Map([
  ['"', '\\"'],
  ['\\', '\\\\'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
  ['\b', '\\b'],
  ['\f', '\\f'],
])

function escapeChar(c: string): string {
  return NAMED_ESCAPES.get(c) ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
}

// An int only when Python would have had an int: -0 and integers beyond 2^53 were floats.
function dumpNumber(v: number): string {
  return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : pyFloatRepr(v)
}

interface DumpOptions {
  indent: number | undefined
  ascii: boolean
}

function dumpValue(v: unknown, options: DumpOptions, level: number, path: string): string {
  const { indent, ascii } = options
  if (v === null) return 'null'
  if (v === true) return 'true'
  if (v === false) return 'false'
  if (typeof v === 'number') return dumpNumber(v)
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'string') return pyStringLiteral(v, ascii)
  if (v instanceof PyFloat) return pyFloatRepr(v.value)
  if (level >= MAX_DEPTH) throw new TypeError(`${path} nests deeper than ${MAX_DEPTH} levels`)
  const [open, close, entries] = Array.isArray(v)
    ? ['[', ']', v.map((x, i) => [undefined, x, `${path}[${i}]`] as const)]
    : isPlainObject(v)
      ? ['{', '}', Object.entries(v).map(([k, x]) => [k, x, `${path}.${k}`] as const)]
      : (() => {
          throw new TypeError(`${path} is a ${describe(v)}, which JSON cannot hold`)
        })()
  if (entries.length === 0) return open + close
  const parts = entries.map(([k, x, p]) => {
    const body = dumpValue(x, options, level + 1, p)
    return k === undefined ? body : `${pyStringLiteral(k, ascii)}: ${body}`
  })
  if (indent === undefined) return open + parts.join(', ') + close
  const inner = '\n' + ' '.repeat(indent * (level + 1))
  return open + inner + parts.join(',' + inner) + '\n' + ' '.repeat(indent * level) + close
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined'
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object'
  return typeof v
}

/** True for `{}`-style objects (no class instances, Maps or Dates). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * `json.dumps(value, indent=indent)` as Python writes it; without indent, Python's default
 * separators (', ', ': '). Throws TypeError naming the path of a value JSON cannot hold.
 * `ascii: false` writes strings for people to read and edit (see pyStringLiteral); what is
 * written to disk keeps the default.
 */
export function pyJsonDumps(value: unknown, indent?: number, { ascii = true } = {}): string {
  return dumpValue(value, { indent, ascii }, 0, 'value')
}
