/**
 * Our values in the "plain form" the interop scripts print (python/xp.py `plain`), so what
 * the engine holds can be compared with what Python put or read: NaN -> null, +-inf ->
 * {"__float__": ..}, ints beyond 2^53 -> {"__bigint__": digits}, tuples, sets, bytes and
 * nested arrays tagged. With `exact`, integral floats become PyFloat, as pyJsonParse reads
 * Python's `1.0`, so an int written where a float was meant shows up as a difference.
 */
import { DataType, type Float, type Table, type Vector } from 'apache-arrow'
import {
  elementConverter,
  nestValues,
  numpyDtypeName,
} from '../../../electron/engine/ndarray-json.js'
import { pyRepr, stringifyJson } from '../../../electron/engine/pyvalue-json.js'
import { NdArray, PyFloat, PySet, PyTuple, PythonObject } from '../../../electron/engine/pyvalue.js'
import { dataColumns } from '../../../electron/engine/table/pandas-meta.js'
import { tableToJson, type JsonCell } from '../../../electron/engine/table/table-json.js'

/** Whether integral floats are kept apart from ints (PyFloat) or are plain numbers. */
export interface PlainOptions {
  exact: boolean
}

/** A Python float in plain form. */
export function floatPlain(x: number, { exact }: PlainOptions): unknown {
  if (Number.isNaN(x)) return null
  if (!Number.isFinite(x)) return { __float__: x > 0 ? 'Infinity' : '-Infinity' }
  return exact && Number.isInteger(x) ? new PyFloat(x) : x
}

/** A Python int in plain form. */
export function intPlain(x: number | bigint): unknown {
  const n = Number(x)
  return Number.isSafeInteger(n) ? n : { __bigint__: x.toString() }
}

/** xp.jsonable for a value of the engine's model (pyvalue.ts). */
export function jsonable(v: unknown, o: PlainOptions): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean' || typeof v === 'string') return v
  // The pickle writer's rule: a safe integer (not -0) is an int, any other number a float.
  if (typeof v === 'number') return isInt(v) ? v : floatPlain(v, o)
  if (typeof v === 'bigint') return intPlain(v)
  if (v instanceof PyFloat) return floatPlain(v.value, o)
  if (v instanceof Uint8Array) return { __bytes_b64__: Buffer.from(v).toString('base64') }
  if (v instanceof NdArray) return { __ndarray__: arrayPlain(v, o) }
  if (Array.isArray(v)) return v.map((x) => jsonable(x, o))
  if (v instanceof PyTuple) return { __tuple__: v.items.map((x) => jsonable(x, o)) }
  if (v instanceof PySet) return { __set__: v.items.map((x) => jsonable(x, o)) }
  if (v instanceof PythonObject) return { __python__: v.pythonClass }
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object)
  // xp.jsonable writes a key as str(k): the string itself, else (ints, tuples) its repr.
  const key = (k: unknown): string => (typeof k === 'string' ? k : pyRepr(k))
  return Object.fromEntries(entries.map(([k, x]) => [key(k), jsonable(x, o)]))
}

/** xp.plain for a non-table value: arrays get their own form, the rest {python_type, json}. */
export function valuePlain(v: unknown, o: PlainOptions): unknown {
  if (v instanceof NdArray) return { python_type: 'numpy.ndarray', ...arrayPlain(v, o) }
  return { python_type: pythonType(v), json: jsonable(v, o) }
}

/** The Python type a value of the engine's model is (or is written as). */
export function pythonType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'string') return 'str'
  if (typeof v === 'bigint') return 'int'
  if (typeof v === 'number') return isInt(v) ? 'int' : 'float'
  if (v instanceof PyFloat) return 'float'
  if (v instanceof Uint8Array) return 'bytes'
  if (Array.isArray(v)) return 'list'
  if (v instanceof PyTuple) return 'tuple'
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set'
  if (v instanceof PythonObject) return v.pythonClass
  return 'dict'
}

function isInt(x: number): boolean {
  return Number.isSafeInteger(x) && !Object.is(x, -0)
}

/**
 * xp.array_plain without fortran_order: the engine keeps arrays in C order whatever the file
 * said, and `values` (nested in logical order) is what must agree.
 */
function arrayPlain(a: NdArray, o: PlainOptions): Record<string, unknown> {
  const element = elementConverter(a.dtype, (x) => jsonable(x, o))
  const raw = /[Mm]8|b1$|O$/.test(a.dtype)
  const convert = (x: unknown): unknown =>
    raw ? element(x) : typeof x === 'number' ? floatOrInt(x, a.dtype, o) : intPlain(x as bigint)
  return {
    dtype: numpyDtypeName(a.dtype),
    dtype_str: a.dtype,
    shape: [...a.shape],
    values: nestValues(a, convert),
  }
}

function floatOrInt(x: number, dtype: string, o: PlainOptions): unknown {
  return /f\d+$/.test(dtype) ? floatPlain(x, o) : x
}

/** The parts of xp.frame_plain a CSV round trip must keep. */
export interface TablePlain {
  columns: string[]
  index: { name: unknown; values: unknown[] }
  rows: unknown[][]
}

/** A table as xp.frame_plain would show the DataFrame pyarrow makes of it. */
export function tablePlain(table: Table, o: PlainOptions): TablePlain {
  const json = tableToJson(table, table.numRows)
  const fields = dataColumns(table)
  const floats = fields.map((f) => {
    if (!DataType.isFloat(f.type)) return null
    const vector = table.getChild(f.name) as Vector<Float>
    return (i: number): unknown => {
      const x = vector.get(i)
      return x === null ? null : floatPlain(x, o)
    }
  })
  return {
    columns: json.columns.map((c) => c.name),
    index: {
      name: json.index?.name ?? null,
      values: json.index ? json.index.values.map(cellPlain) : range(table.numRows),
    },
    rows: json.rows.map((row, r) => row.map((cell, c) => floats[c]?.(r) ?? cellPlain(cell))),
  }
}

function cellPlain(cell: JsonCell): unknown {
  return typeof cell === 'bigint' ? intPlain(cell) : cell
}

/** 0..n-1, pandas' default RangeIndex. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

/** Canonical text of a datetime: pandas' '2001-04-01', '2001-04-01 00:00:00.000' and ISO alike. */
export function canonicalDatetime(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?)?$/.exec(text)
  if (!m) return text
  const fraction = (m[3] ?? '').replace(/0+$/, '')
  return `${m[1]}T${m[2] ?? '00:00:00'}${fraction ? `.${fraction}` : ''}`
}

/** Datetime strings made canonical and sets sorted, anywhere in a plain value. */
export function normalise(v: unknown): unknown {
  if (typeof v === 'string') return canonicalDatetime(v)
  if (Array.isArray(v)) return v.map(normalise)
  if (v === null || typeof v !== 'object' || v instanceof PyFloat) return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) out[k] = normalise(x)
  if (Array.isArray(out.__set__)) {
    // xp.py sorts a set's items by repr; any fixed order will do for comparing.
    out.__set__ = [...out.__set__].sort((a, b) => (stringifyJson(a) < stringifyJson(b) ? -1 : 1))
  }
  return out
}
