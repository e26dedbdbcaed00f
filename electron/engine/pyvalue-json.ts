import { MAX_DEPTH } from '../../shared/limits.js'
import { LimitExceededError } from './errors.js'
import { elementConverter, nestValues, numpyDtypeName } from './ndarray-json.js'
import { pyTimeText } from './pyvalue-time.js'
import { EXECUTES_CODE_NOTE, NdArray, PyFloat, PySet, PyTuple, PythonObject } from './pyvalue.js'

/** Bounds on the JSON form: a small pickle of shared references can stand for a huge tree. */
export interface PyToJsonOptions {
  /** Containers nested deeper than this throw LimitExceededError (default MAX_DEPTH, 100). */
  maxDepth?: number
  /** Values (array elements included) beyond this throw LimitExceededError (default 10 million). */
  maxNodes?: number
  /**
   * numpy arrays with more elements than `over` show only their first `head` elements, in C
   * order, as `{dtype, shape, size, head}` (no `values`, so it cannot pass for the whole array).
   */
  arrayPreview?: { over: number; head: number; onPreview?: (size: number) => void }
  /**
   * Python ints beyond 2^53 as `{"__int__": "digits"}` instead of bigint: for JSON that is
   * parsed by JSON.parse (the explorer over HTTP), which would round them to a float.
   */
  taggedBigInts?: boolean
  /**
   * Pickled dates and times (datetime.date/datetime, pandas Timestamp and NaT, inert
   * placeholders) as `{"__datetime__": "ISO text"}`, NaT as `{"__datetime__": null}`, for the
   * explorer's tree, instead of only their class name.
   */
  taggedTimes?: boolean
}

/** The tagged form of an exact int (see `taggedBigInts`). */
export const BIG_INT_TAG = '__int__'
/** The tagged form of a date or time (see `taggedTimes`). */
export const DATETIME_TAG = '__datetime__'

/**
 * Converts the value model (pyvalue.ts) into JSON data for `show --json`: NdArray becomes
 * `{dtype, shape, values}` with nested lists, a PythonObject `{"__python__": "module.Class"}`
 * (plus `"__unsafe__"` saying so when Python would run code to make it),
 * bytes `{"__bytes_b64__": ...}`, tuples and sets arrays, a dict an object without prototype
 * (keys stringified as Python's json.dumps does, or as repr for tuples and other keys it
 * refuses), NaN and infinities null. A bigint stays a bigint: print it with `stringifyJson`.
 * A container met again inside itself becomes `{"__cycle__": true}`. Like any JS object, a
 * converted dict lists integer-like keys ('1', '2') before the others when enumerated.
 */
export function pyToJson(value: unknown, options: PyToJsonOptions = {}): unknown {
  const maxDepth = options.maxDepth ?? MAX_DEPTH
  const maxNodes = options.maxNodes ?? 10_000_000
  const open = new Set<object>()
  let nodes = 0

  const count = (): void => {
    if (++nodes > maxNodes) {
      throw new LimitExceededError(
        `The value has more than ${maxNodes} items to show as JSON; raise maxNodes to see it all.`,
      )
    }
  }

  const convert = (v: unknown, depth: number): unknown => {
    count()
    if (v === null || v === undefined) return null
    if (typeof v === 'number') return Number.isFinite(v) ? v : null
    if (typeof v === 'bigint' && options.taggedBigInts) return { [BIG_INT_TAG]: v.toString() }
    if (typeof v !== 'object') return v // string, boolean, bigint
    if (v instanceof PyFloat) return Number.isFinite(v.value) ? v.value : null
    if (v instanceof Uint8Array) return { __bytes_b64__: Buffer.from(v).toString('base64') }
    if (v instanceof PythonObject) {
      const time = options.taggedTimes && !v.executesCode ? pyTimeText(v) : undefined
      if (time !== undefined) return { [DATETIME_TAG]: time }
      if (!v.executesCode) return { __python__: v.pythonClass }
      return { __python__: v.pythonClass, __unsafe__: EXECUTES_CODE_NOTE }
    }
    if (open.has(v)) return { __cycle__: true }
    if (depth >= maxDepth) {
      throw new LimitExceededError(
        `The value nests deeper than ${maxDepth} levels to show as JSON.`,
      )
    }
    open.add(v)
    try {
      return convertContainer(v, depth + 1)
    } finally {
      open.delete(v)
    }
  }

  const convertContainer = (v: object, depth: number): unknown => {
    const inner = (x: unknown): unknown => convert(x, depth)
    if (v instanceof NdArray) {
      const element = elementConverter(v.dtype, inner)
      const preview = options.arrayPreview
      if (preview && v.size > preview.over) {
        const data = v.data as ArrayLike<unknown>
        const head: unknown[] = []
        for (let i = 0; i < Math.min(preview.head, v.size); i++) {
          count()
          head.push(element(data[i]))
        }
        preview.onPreview?.(v.size)
        return { dtype: numpyDtypeName(v.dtype), shape: [...v.shape], size: v.size, head }
      }
      const values = nestValues(v, (x) => (count(), element(x)))
      return { dtype: numpyDtypeName(v.dtype), shape: [...v.shape], values }
    }
    if (Array.isArray(v)) return v.map(inner)
    if (v instanceof PyTuple || v instanceof PySet) return v.items.map(inner)
    const out = Object.create(null) as Record<string, unknown>
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v)
    for (const [k, x] of entries) out[jsonKey(k)] = inner(x)
    return out
  }

  return convert(value, 0)
}

/** A dict key as Python's json.dumps writes it, or as Python's repr where json.dumps refuses. */
export function jsonKey(key: unknown): string {
  if (typeof key === 'string') return key
  if (key === null || key === undefined) return 'null'
  if (typeof key === 'boolean') return String(key)
  if (typeof key === 'number') return pyNumber(key, 'json')
  return pyRepr(key)
}

/**
 * Python's repr of a value-model key, e.g. (1, 'a') -> "(1, 'a')". A tuple key nested deeper
 * than MAX_DEPTH throws LimitExceededError rather than running out of stack.
 */
export function pyRepr(v: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) {
    throw new LimitExceededError(`A dict key nests deeper than ${MAX_DEPTH} levels to show.`)
  }
  const inner = (x: unknown): string => pyRepr(x, depth + 1)
  if (v === null || v === undefined) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (typeof v === 'number') return pyNumber(v, 'repr')
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'string') return quote(v)
  if (v instanceof PyFloat) return pyNumber(v.value, 'repr', true)
  if (v instanceof PyTuple) {
    const items = v.items.map(inner)
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`
  }
  if (v instanceof PySet) {
    const items = v.items.map(inner).join(', ')
    if (v.frozen) return `frozenset({${items}})`
    return items ? `{${items}}` : 'set()'
  }
  if (v instanceof Uint8Array) {
    const body = [...v]
      .map((b) =>
        b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c ? String.fromCharCode(b) : escByte(b),
      )
      .join('')
    return `b'${body}'`
  }
  if (v instanceof PythonObject) return `<${v.pythonClass} object>`
  return String(v)
}

function pyNumber(n: number, style: 'json' | 'repr', float = false): string {
  if (Number.isNaN(n)) return style === 'json' ? 'NaN' : 'nan'
  if (!Number.isFinite(n)) return (n < 0 ? '-' : '') + (style === 'json' ? 'Infinity' : 'inf')
  if (Number.isInteger(n) && !float && Math.abs(n) < 1e16) return String(n)
  const s = String(n).replace(/e([+-])(\d)$/, (_m, sign: string, d: string) => `e${sign}0${d}`) // 1e-07
  return /[.e]/.test(s) ? s : `${s}.0`
}

function escByte(b: number): string {
  const named: Record<number, string> = {
    9: '\\t',
    10: '\\n',
    13: '\\r',
    0x27: "\\'",
    0x5c: '\\\\',
  }
  return named[b] ?? `\\x${b.toString(16).padStart(2, '0')}`
}

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'"
  const body = s.replace(
    /[\\\n\r\t]/g,
    (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c,
  )
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q
}

/**
 * JSON.stringify for pyToJson output that writes a bigint as its plain digits, which Python's
 * json.loads reads back as the exact int (JSON.stringify itself throws on bigint).
 */
export function stringifyJson(value: unknown, indent?: number | string): string {
  const token = `\u0000bigint${Math.random().toString(36).slice(2)}:`
  const text =
    JSON.stringify(
      value,
      (_key, v: unknown) => (typeof v === 'bigint' ? `${token}${v.toString()}` : v),
      indent,
    ) ?? 'null'
  // The marker's NUL is escaped by JSON.stringify, so the pattern matches only our markers.
  const escaped = JSON.stringify(token)
    .slice(1, -1)
    .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
  return text.replace(new RegExp(`"${escaped}(-?\\d+)"`, 'g'), '$1')
}
