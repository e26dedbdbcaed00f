import { InvalidArgumentError } from '../../errors.js'
import { NdArray, PyFloat, PySet, PyTuple, PythonObject } from '../../pyvalue.js'
import { OP } from './pickle-opcodes.js'
import { PickleOutput } from './pickle-output.js'
// One depth limit for writing and reading: what is written here must read back.
import { MAX_DEPTH } from '../../../../shared/limits.js'

/** CPython writes list, dict and set items in batches of this many, each between MARKs. */
const BATCHSIZE = 1000
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const encoder = new TextEncoder()

/**
 * Writes a JSON-like value as a protocol 4 pickle, byte for byte what CPython's
 * `pickle.dumps(value, protocol=4)` writes for the same Python value (see the value model in
 * pyvalue.ts). Throws InvalidArgumentError, naming the path, for anything Python could not load
 * back as plain data: functions, symbols, undefined, class instances, cycles, unhashable keys.
 *
 * Two choices stand in for Python object identity, which JavaScript strings lack: equal strings
 * share one memo entry (as interned strings do in CPython), and an object met twice is written
 * once and then referenced, as CPython does. Numbers that are safe integers are ints; other
 * numbers (fractions, -0, NaN, infinities, integers beyond 2^53) are floats.
 */
export function writePickle(value: unknown): Uint8Array {
  const w = new PickleWriter()
  w.out.write([OP.PROTO, 4])
  w.out.framing = true
  w.save(value, 'value', 0)
  w.out.write([OP.STOP])
  w.out.commitFrame()
  return w.out.bytes()
}

class PickleWriter {
  readonly out = new PickleOutput()
  private readonly memo = new Map<unknown, number>()
  /** Containers being written right now: meeting one again means a cycle. */
  private readonly open = new Map<object, string>()

  save(v: unknown, path: string, depth: number): void {
    this.saveValue(v, path, depth)
    this.out.opcodeBoundary()
  }

  private saveValue(v: unknown, path: string, depth: number): void {
    if (v === null) return this.out.write([OP.NONE])
    if (v === true) return this.out.write([OP.NEWTRUE])
    if (v === false) return this.out.write([OP.NEWFALSE])
    if (typeof v === 'bigint') return this.saveInt(v)
    if (typeof v === 'number') {
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? this.saveInt(v) : this.saveFloat(v)
    }
    if (v instanceof PyFloat) return this.saveFloat(v.value)
    if (typeof v !== 'string' && (typeof v !== 'object' || v === undefined)) {
      throw invalid(
        path,
        `is ${typeof v === 'function' ? 'a function' : typeof v}, which pickle cannot hold`,
      )
    }
    const seen = typeof v === 'object' ? this.open.get(v) : undefined
    if (seen !== undefined) throw invalid(path, `refers back to ${seen} (a cycle)`)
    if (this.memo.has(v)) return this.memoGet(this.memo.get(v) as number)
    if (typeof v === 'string') return this.saveStr(v, path)
    // `depth` containers hold this one: it would be level depth + 1, which must read back.
    const scalar = v instanceof Uint8Array || v instanceof NdArray // not a level when read
    if (depth >= MAX_DEPTH && !scalar) throw invalid(path, `nests deeper than ${MAX_DEPTH} levels`)
    this.open.set(v, path)
    try {
      this.saveObject(v, path, depth + 1)
    } finally {
      this.open.delete(v)
    }
  }

  private saveObject(v: object, path: string, depth: number): void {
    if (v instanceof Uint8Array) return this.saveBytes(v)
    if (Array.isArray(v)) {
      this.out.write([OP.EMPTY_LIST])
      this.memoize(v)
      return this.batch(v, OP.APPENDS, (item, i) => this.save(item, `${path}[${i}]`, depth), true)
    }
    if (v instanceof PyTuple) return this.saveTuple(v, path, depth)
    if (v instanceof PySet) return this.saveSet(v, path, depth)
    if (v instanceof Map) return this.saveDict(v, [...v.entries()], path, depth)
    const proto = Object.getPrototypeOf(v) as unknown
    if (proto === Object.prototype || proto === null) {
      if (Object.getOwnPropertySymbols(v).length) throw invalid(path, 'has symbol keys')
      return this.saveDict(v, Object.entries(v), path, depth)
    }
    if (v instanceof NdArray) {
      throw invalid(path, 'is a numpy array; the joblib writer does not write arrays yet')
    }
    if (v instanceof PythonObject) {
      throw invalid(path, `is a ${v.pythonClass} that was only named when it was read, not loaded`)
    }
    throw invalid(path, `is a ${v.constructor?.name ?? 'class'} instance, which pickle cannot hold`)
  }

  private saveTuple(t: PyTuple, path: string, depth: number): void {
    const n = t.items.length
    if (n === 0) return this.out.write([OP.EMPTY_TUPLE]) // CPython does not memoize ()
    if (n > 3) this.out.write([OP.MARK])
    t.items.forEach((item, i) => this.save(item, `${path}[${i}]`, depth))
    this.out.write([n > 3 ? OP.TUPLE : OP.TUPLE1 + n - 1])
    this.memoize(t)
  }

  private saveSet(s: PySet, path: string, depth: number): void {
    const items = s.items
    items.forEach((item, i) => assertHashable(item, `${path}{${i}}`))
    if (s.frozen) {
      this.out.write([OP.MARK])
      items.forEach((item, i) => this.save(item, `${path}{${i}}`, depth))
      this.out.write([OP.FROZENSET])
      return this.memoize(s)
    }
    this.out.write([OP.EMPTY_SET])
    this.memoize(s)
    this.batch(items, OP.ADDITEMS, (item, i) => this.save(item, `${path}{${i}}`, depth), false)
  }

  private saveDict(d: object, entries: [unknown, unknown][], path: string, depth: number): void {
    this.out.write([OP.EMPTY_DICT])
    this.memoize(d)
    const keyPath = (k: unknown): string =>
      typeof k === 'string' && /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${repr(k)}]`
    const saveEntry = ([k, val]: [unknown, unknown]): void => {
      assertHashable(k, `${keyPath(k)} (the key)`)
      this.save(k, `${keyPath(k)} (the key)`, depth)
      this.save(val, keyPath(k), depth)
    }
    if (entries.length === 1) {
      saveEntry(entries[0] as [unknown, unknown])
      return this.out.write([OP.SETITEM])
    }
    this.batch(entries, OP.SETITEMS, saveEntry, false)
  }

  /**
   * CPython's batching: MARK, up to 1000 items, then APPENDS / SETITEMS / ADDITEMS. Lists write
   * a lone item with APPEND; dicts and sets close with an extra empty batch when the count is
   * an exact multiple of 1000, because their loop only stops on a short batch.
   */
  private batch<T>(
    items: T[],
    op: number,
    save: (item: T, i: number) => void,
    isList: boolean,
  ): void {
    if (items.length === 0) return
    if (isList && items.length === 1) {
      save(items[0] as T, 0)
      return this.out.write([OP.APPEND])
    }
    let i = 0
    let inBatch: number
    do {
      this.out.write([OP.MARK])
      inBatch = 0
      while (i < items.length && inBatch < BATCHSIZE) {
        save(items[i] as T, i)
        i++
        inBatch++
      }
      this.out.write([op])
    } while (isList ? i < items.length : inBatch === BATCHSIZE)
  }

  private saveInt(v: number | bigint): void {
    const n = typeof v === 'bigint' ? v : BigInt(v)
    if (n >= 0n && n <= 0xffn) return this.out.write([OP.BININT1, Number(n)])
    if (n >= 0n && n <= 0xffffn)
      return this.out.write([OP.BININT2, Number(n) & 0xff, Number(n) >> 8])
    if (n >= -(2n ** 31n) && n < 2n ** 31n) {
      const b = new Uint8Array(5)
      b[0] = OP.BININT
      new DataView(b.buffer).setInt32(1, Number(n), true)
      return this.out.write(b)
    }
    const bytes = encodeLong(n)
    if (bytes.length < 256) this.out.write([OP.LONG1, bytes.length])
    else this.out.write([OP.LONG4, ...uint32(bytes.length)])
    this.out.write(bytes)
  }

  private saveFloat(v: number): void {
    const b = new Uint8Array(9)
    b[0] = OP.BINFLOAT
    new DataView(b.buffer).setFloat64(1, v, false)
    this.out.write(b)
  }

  private saveStr(s: string, path: string): void {
    if (LONE_SURROGATE.test(s))
      throw invalid(path, 'is a string with a lone surrogate (not valid UTF-8)')
    const data = encoder.encode(s)
    this.out.writeWithPayload(
      header(data.length, OP.SHORT_BINUNICODE, OP.BINUNICODE, OP.BINUNICODE8),
      data,
    )
    this.memoize(s)
  }

  private saveBytes(b: Uint8Array): void {
    this.out.writeWithPayload(header(b.length, OP.SHORT_BINBYTES, OP.BINBYTES, OP.BINBYTES8), b)
    this.memoize(b)
  }

  private memoize(v: unknown): void {
    this.memo.set(v, this.memo.size)
    this.out.write([OP.MEMOIZE])
  }

  private memoGet(i: number): void {
    this.out.write(i < 256 ? [OP.BINGET, i] : [OP.LONG_BINGET, ...uint32(i)])
  }
}

/** Python's encode_long: shortest little-endian two's complement (CPython's exact rule). */
export function encodeLong(n: bigint): Uint8Array {
  const abs = n < 0n ? -n : n
  let nbytes = (abs.toString(2).length >> 3) + 1
  const out = new Uint8Array(nbytes)
  let rest = BigInt.asUintN(nbytes * 8, n)
  for (let i = 0; i < nbytes; i++, rest >>= 8n) out[i] = Number(rest & 0xffn)
  // -(2**(8j-1)) is its own 256's complement and needs no sign byte.
  if (
    n < 0n &&
    nbytes > 1 &&
    out[nbytes - 1] === 0xff &&
    ((out[nbytes - 2] as number) & 0x80) !== 0
  ) {
    nbytes--
  }
  return out.subarray(0, nbytes)
}

function header(length: number, short: number, four: number, eight: number): number[] {
  if (length < 256) return [short, length]
  if (length <= 0xffffffff) return [four, ...uint32(length)]
  const b = new Uint8Array(9)
  b[0] = eight
  new DataView(b.buffer).setBigUint64(1, BigInt(length), true)
  return [...b]
}

function uint32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]
}

/** Python dict keys and set items must be hashable, or pickle.load fails on the file. */
function assertHashable(v: unknown, path: string): void {
  if (v instanceof PyTuple) return v.items.forEach((x, i) => assertHashable(x, `${path}[${i}]`))
  if (v instanceof PySet && v.frozen)
    return v.items.forEach((x, i) => assertHashable(x, `${path}{${i}}`))
  if (v === null || typeof v !== 'object' || v instanceof PyFloat || v instanceof Uint8Array) return
  throw invalid(path, 'is a list, dict or set, which Python cannot use as a dict key or set item')
}

function repr(k: unknown): string {
  return typeof k === 'string'
    ? JSON.stringify(k)
    : typeof k === 'bigint'
      ? k.toString()
      : String(k)
}

function invalid(path: string, what: string): InvalidArgumentError {
  return new InvalidArgumentError(`Cannot write ${path} as a joblib pickle: it ${what}.`)
}
