/**
 * The values of one pandas block or index, read from what the safe pickle machine left: numpy
 * arrays (NdArray) and inert placeholders of pandas' extension arrays (DatetimeArray,
 * Categorical, IntegerArray, ...), whose pickled state is plain data. Nothing here constructs
 * a pandas object or runs anything; a layout we do not know throws NotAFrame, so the caller
 * keeps the placeholder.
 */
import {
  DataType,
  DateDay,
  Duration,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
} from 'apache-arrow'
import { Timestamp, TimeUnit, Uint16, Uint32, Uint64, Uint8, Utf8, Bool } from 'apache-arrow'
import { CorruptPayloadError } from '../../errors.js'
import { NdArray, PyFloat, PyTuple, PythonObject } from '../../pyvalue.js'
import { pyRepr } from '../../pyvalue-json.js'
import { timezoneName } from '../../pyvalue-time.js'
import { NumpyDtype } from './numpy-dtype.js'
import { Placeholder } from './python-refs.js'
import { dictionaryColumn, type RawColumn } from './pandas-vectors.js'
// Categories are an Index; the two modules call each other only at run time.
import { indexColumn } from './pandas-index.js'

/** A pickled pandas layout this reader does not know: the value stays a placeholder. */
export class NotAFrame extends Error {}

/** The class name of a pandas object or call ('DataFrame', '_new_Index'), else null. */
export function pandasName(v: unknown): string | null {
  if (!(v instanceof PythonObject) || !/^pandas[._]/.test(v.pythonClass)) return null
  return v.pythonClass.slice(v.pythonClass.lastIndexOf('.') + 1)
}

/** The REDUCE / NEWOBJ arguments a placeholder recorded. */
export function argsOf(v: unknown): unknown[] {
  return v instanceof Placeholder ? v.state.args : []
}

/** What BUILD gave a placeholder (its `__setstate__` argument). */
export function stateOf(v: unknown): unknown {
  return v instanceof Placeholder ? v.state.state : undefined
}

/** A dict member of a placeholder's state, or of a Map. */
export function field(v: unknown, key: string): unknown {
  const s = v instanceof Map ? v : stateOf(v)
  return s instanceof Map ? s.get(key) : undefined
}

const UNITS: Record<string, TimeUnit> = {
  s: TimeUnit.SECOND,
  ms: TimeUnit.MILLISECOND,
  us: TimeUnit.MICROSECOND,
  ns: TimeUnit.NANOSECOND,
}

/**
 * The `items` columns of a block's values, each `rows` long: a 2-D numpy array (one row per
 * column, as pandas lays blocks out) or a 1-D extension array (one column).
 */
export function blockColumns(values: unknown, items: number, rows: number): RawColumn[] {
  if (values instanceof NdArray) return splitRows(values, items, rows, (d, v) => ndColumn(d, v))
  const name = pandasName(values)
  if (name === '__pyx_unpickle_NDArrayBacked') return backedColumns(values, items, rows)
  if (name === 'Categorical') {
    // pandas before 1.3 pickled Categorical with a plain __dict__ state.
    const codes = field(values, '_codes') ?? field(values, '_ndarray')
    return [categorical(field(values, '_dtype'), codes, rows)]
  }
  if (name === 'IntegerArray' || name === 'FloatingArray' || name === 'BooleanArray') {
    const data = field(values, '_data')
    const mask = field(values, '_mask')
    if (!(data instanceof NdArray) || !(mask instanceof NdArray)) throw new NotAFrame(name)
    const col = one(splitRows(data, 1, rows, ndColumn))
    const missing = one(splitRows(mask, 1, rows, ndColumn)).values
    return [{ ...col, mask: missing }]
  }
  throw new NotAFrame(`block values ${describe(values)}`)
}

/** One index's or 1-D array's values as a column. */
export function arrayColumn(values: unknown, rows: number): RawColumn {
  return one(blockColumns(values, 1, rows))
}

// DatetimeArray, TimedeltaArray, Categorical, StringArray: (dtype, ndarray[, attrs]) state.
function backedColumns(v: unknown, items: number, rows: number): RawColumn[] {
  const cls = pandasName(argsOf(v)[0])
  const state = stateOf(v)
  if (!(state instanceof PyTuple) || state.items.length < 2) throw new NotAFrame(`${cls} state`)
  const [dtype, data] = state.items
  if (!(data instanceof NdArray)) throw new NotAFrame(`${cls} data`)
  if (cls === 'Categorical') return [categorical(dtype, data, rows)]
  if (cls === 'StringArray')
    return splitRows(data, items, rows, (_d, vals) => objectColumn(Array.from(vals)))
  if (cls === 'DatetimeArray') {
    const tz = dtype instanceof NumpyDtype ? null : timezoneName(field(dtype, 'tz'))
    return splitRows(data, items, rows, (d, vals) => ndColumn(d, vals, tz))
  }
  if (cls === 'TimedeltaArray') return splitRows(data, items, rows, ndColumn)
  throw new NotAFrame(`extension array ${String(cls)}`)
}

function categorical(dtype: unknown, codes: unknown, rows: number): RawColumn {
  if (pandasName(dtype) !== 'CategoricalDtype' || !(codes instanceof NdArray)) {
    throw new NotAFrame('categorical layout')
  }
  const categories = indexColumn(field(dtype, 'categories'))
  if (codes.size !== rows) throw mismatch(`categorical codes: ${codes.size} for ${rows} rows`)
  const n = categories.values.length
  const data = codes.data as ArrayLike<number>
  for (let i = 0; i < data.length; i++) {
    if (Number(data[i]) >= n) throw mismatch(`categorical code ${data[i]} of ${n} categories`)
  }
  return dictionaryColumn(categories, data, field(dtype, 'ordered') === true)
}

function splitRows(
  arr: NdArray,
  items: number,
  rows: number,
  column: (dtype: string, values: ArrayLike<unknown>) => RawColumn,
): RawColumn[] {
  const shape = arr.shape
  const ok =
    shape.length === 2 ? shape[0] === items && shape[1] === rows : items === 1 && shape[0] === rows
  if (!ok || shape.length > 2) {
    throw mismatch(`a block of shape (${shape.join(', ')}) for ${items} columns of ${rows} rows`)
  }
  const data = arr.data
  return Array.from({ length: items }, (_, j) => {
    const part = Array.isArray(data)
      ? data.slice(j * rows, (j + 1) * rows)
      : data.subarray(j * rows, (j + 1) * rows)
    return column(arr.dtype, part)
  })
}

/** A numpy column by its dtype string ('<i8', '|b1', '<M8[ns]', '|O'); typed data is kept. */
function ndColumn(dtype: string, values: ArrayLike<unknown>, tz: string | null = null): RawColumn {
  const m = /^[<>|=]?([iufbMmO])(\d*)(?:\[(\w+)\])?$/.exec(dtype)
  if (!m) throw new NotAFrame(`dtype ${dtype}`)
  const [, kind, size, unit] = m
  if (kind === 'O') return objectColumn(Array.from(values))
  if (kind === 'b') return { type: new Bool(), values }
  if (kind === 'f') {
    const type = size === '4' ? new Float32() : size === '8' ? new Float64() : null
    if (!type) throw new NotAFrame(`dtype ${dtype}`)
    return { type, values }
  }
  if (kind === 'i' || kind === 'u') return { type: intType(kind, Number(size)), values }
  const timeUnit = UNITS[unit ?? '']
  if (timeUnit === undefined) throw new NotAFrame(`dtype ${dtype}`)
  // NaT (the smallest int64) is missing: toVector's validity says so.
  return { type: kind === 'M' ? new Timestamp(timeUnit, tz) : new Duration(timeUnit), values }
}

function intType(kind: string, size: number): DataType {
  const types: Record<string, DataType | undefined> = {
    i1: new Int8(),
    i2: new Int16(),
    i4: new Int32(),
    i8: new Int64(),
    u1: new Uint8(),
    u2: new Uint16(),
    u4: new Uint32(),
    u8: new Uint64(),
  }
  const type = types[`${kind}${size}`]
  if (!type) throw new NotAFrame(`integer size ${size}`)
  return type
}

/**
 * An object column as pyarrow infers one: text (None, NaN and pd.NA missing), booleans,
 * numbers, or dates (datetime.date); anything else mixed in becomes its Python repr as text.
 */
function objectColumn(values: unknown[]): RawColumn {
  const vals = values.map((v) => (isMissing(v) ? null : v))
  const present = vals.filter((v) => v !== null)
  if (present.every((v) => typeof v === 'boolean')) {
    return present.length ? { type: new Bool(), values: vals } : { type: new Utf8(), values: vals }
  }
  if (present.every((v) => typeof v === 'number' || v instanceof PyFloat)) {
    return { type: new Float64(), values: vals.map((v) => (v instanceof PyFloat ? v.value : v)) }
  }
  const days = present.every((v) => dateDays(v) !== null)
  if (days)
    return { type: new DateDay(), values: vals.map((v) => (v === null ? null : dateDays(v))) }
  return {
    type: new Utf8(),
    values: vals.map((v) => (v === null || typeof v === 'string' ? v : pyRepr(v))),
  }
}

function isMissing(v: unknown): boolean {
  if (v === null || v === undefined) return true
  if (typeof v === 'number') return Number.isNaN(v)
  if (v instanceof PyFloat) return Number.isNaN(v.value)
  const name = pandasName(v)
  return name === 'NA' || name === '__nat_unpickle' || name === 'NaTType'
}

/** datetime.date(b'\x07\xe4\x01\x1f') as days since 1970-01-01, else null. */
function dateDays(v: unknown): number | null {
  if (!(v instanceof Placeholder) || v.pythonClass !== 'datetime.date') return null
  const [b] = v.state.args
  if (!(b instanceof Uint8Array) || b.length !== 4) return null
  const ms = Date.UTC(b[0]! * 256 + b[1]!, b[2]! - 1, b[3]!)
  return Number.isNaN(ms) ? null : Math.round(ms / 86_400_000)
}

function one(cols: RawColumn[]): RawColumn {
  if (cols.length !== 1) throw mismatch(`${cols.length} columns where one was expected`)
  return cols[0]!
}

/** A frame whose parts disagree (shapes, placements): the pickle is damaged. */
export function mismatch(what: string): CorruptPayloadError {
  return new CorruptPayloadError(
    `This pickled pandas object is inconsistent (${what}); the payload is damaged. ` +
      'Write the artifact again from Python.',
  )
}

function describe(v: unknown): string {
  return v instanceof PythonObject ? v.pythonClass : typeof v
}
