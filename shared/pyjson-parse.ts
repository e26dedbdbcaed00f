import { jsonChildren, MAX_DEPTH, nestsDeeperThan } from './limits.js'
import { PyFloat, type PyJson } from './pyjson.js'

/** Where and why a text is not JSON Python would read. */
export class PyJsonSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message)
  }
}

// Texts without these go through the native JSON.parse: no integral float, exponent, NaN or
// big int can hide in them, so nothing would be lost. The check may also match inside a
// string; that only sends the text down the slower exact path.
const NEEDS_EXACT = /\d\.0*(?![0-9])|\d[eE]|NaN|Infinity|\d{16}/

/**
 * Parses JSON as Python's json.loads does: NaN/Infinity accepted, integral floats kept as
 * PyFloat, ints beyond 2^53 as bigint. A `__proto__` key becomes an own property, as in
 * JSON.parse, never the prototype.
 */
export function pyJsonParse(text: string): PyJson {
  if (!NEEDS_EXACT.test(text)) {
    let value: PyJson
    try {
      value = JSON.parse(text) as PyJson
    } catch {
      // fall through to the exact parser, which says where the text is wrong
      return new Parser(text).parseDocument()
    }
    // JSON.parse takes any depth; the walkers that come after it do not. A text with at most
    // MAX_DEPTH opening brackets cannot nest deeper, so a sidecar (a handful) skips the walk,
    // which cost a tenth of a 10,000-sidecar listing.
    if (!atMostOpeners(text, MAX_DEPTH) && nestsDeeperThan(value, MAX_DEPTH, jsonChildren)) {
      throw tooDeep(0)
    }
    return value
  }
  return new Parser(text).parseDocument()
}

/** Whether `text` holds at most `limit` of '{' and '[' together (inside strings too). */
function atMostOpeners(text: string, limit: number): boolean {
  let n = 0
  for (const opener of ['{', '[']) {
    for (let i = text.indexOf(opener); i >= 0; i = text.indexOf(opener, i + 1)) {
      if (++n > limit) return false
    }
  }
  return true
}

function tooDeep(position: number): PyJsonSyntaxError {
  return new PyJsonSyntaxError(
    `containers nest deeper than ${MAX_DEPTH} levels, the most xpersist reads`,
    position,
  )
}

class Parser {
  private pos = 0
  constructor(private readonly text: string) {}

  parseDocument(): PyJson {
    const value = this.parseValue(0)
    this.skipSpace()
    if (this.pos < this.text.length) this.fail('unexpected text after the JSON value')
    return value
  }

  private fail(what: string): never {
    const line = this.text.slice(0, this.pos).split('\n').length
    throw new PyJsonSyntaxError(`${what} at line ${line}, position ${this.pos}`, this.pos)
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) {
      this.pos++
    }
  }

  private parseValue(depth: number): PyJson {
    this.skipSpace()
    const c = this.text[this.pos]
    if ((c === '{' || c === '[') && depth >= MAX_DEPTH) throw tooDeep(this.pos)
    if (c === '{') return this.parseObject(depth)
    if (c === '[') return this.parseArray(depth)
    if (c === '"') return this.parseString()
    for (const [word, value] of WORDS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length
        return value
      }
    }
    return this.parseNumber()
  }

  private parseObject(depth: number): PyJson {
    const out: Record<string, PyJson> = {}
    this.pos++
    this.skipSpace()
    if (this.text[this.pos] === '}') {
      this.pos++
      return out
    }
    for (;;) {
      this.skipSpace()
      if (this.text[this.pos] !== '"') this.fail('expected a "quoted" object key')
      const key = this.parseString()
      this.skipSpace()
      if (this.text[this.pos++] !== ':') this.fail("expected ':' after an object key")
      Object.defineProperty(out, key, {
        value: this.parseValue(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      })
      this.skipSpace()
      const sep = this.text[this.pos++]
      if (sep === '}') return out
      if (sep !== ',') this.fail("expected ',' or '}' in an object")
    }
  }

  private parseArray(depth: number): PyJson {
    const out: PyJson[] = []
    this.pos++
    this.skipSpace()
    if (this.text[this.pos] === ']') {
      this.pos++
      return out
    }
    for (;;) {
      out.push(this.parseValue(depth + 1))
      this.skipSpace()
      const sep = this.text[this.pos++]
      if (sep === ']') return out
      if (sep !== ',') this.fail("expected ',' or ']' in an array")
    }
  }

  private parseString(): string {
    const start = this.pos
    this.pos++
    for (;;) {
      const c = this.text[this.pos]
      if (c === undefined) this.fail('unterminated string')
      if (c === '\\') this.pos += 2
      else if (c === '"') break
      else if (c.charCodeAt(0) < 0x20) this.fail('control character inside a string')
      else this.pos++
    }
    this.pos++
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string
    } catch {
      this.pos = start
      this.fail('bad escape in a string')
    }
  }

  private parseNumber(): PyJson {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(
      this.text.slice(this.pos, this.pos + 400),
    )
    if (!m) this.fail('expected a JSON value')
    this.pos += m[0].length
    const isFloat = m[1] !== undefined || m[2] !== undefined
    if (isFloat) {
      const v = Number(m[0])
      return Number.isInteger(v) ? new PyFloat(v) : v
    }
    const v = Number(m[0])
    return Number.isSafeInteger(v) ? v : BigInt(m[0])
  }
}

const WORDS: [string, PyJson][] = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['NaN', new PyFloat(NaN)],
  ['Infinity', new PyFloat(Infinity)],
  ['-Infinity', new PyFloat(-Infinity)],
]
