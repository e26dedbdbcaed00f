/**
 * hyparquet's decoded column values -> Arrow vectors typed as pandas (pyarrow) reads them:
 * timestamps keep their unit and time zone, dates stay dates, nullable integers stay integers,
 * categoricals become dictionary columns (categories in order, ordered flag kept), decimals
 * exact 128-bit Decimals, lists and structs Arrow List and Struct (parquet-nested.ts).
 */
import {
  DataType,
  DateDay,
  Int8,
  Int16,
  Int32,
  Uint8,
  Uint16,
  Uint32,
  makeData,
  makeVector,
  type Vector,
} from 'apache-arrow'
import type { ParquetParsers, SchemaElement, SchemaTree } from 'hyparquet'
import {
  boolColumn,
  categoryColumn,
  decimalColumn,
  nullColumn,
  scaledText,
  float32Column,
  float64Column,
  int64Column,
  timestampColumn,
  uint64Column,
  utf8Column,
} from '../../table/arrow-columns.js'
import { expectedType } from './parquet-full-read.js'
import {
  cellText,
  convertedBits,
  isDecimal,
  leafType,
  leafValue,
  nestedVector,
  unsigned,
} from './parquet-nested.js'

export { isDecimal }

/**
 * Parsers that keep raw epoch values: hyparquet's defaults make Dates, which drop the
 * microseconds and nanoseconds pandas keeps. The unit is read back from the schema.
 */
export const RAW_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => BigInt(v),
  timestampFromMicroseconds: (v: bigint) => BigInt(v),
  timestampFromNanoseconds: (v: bigint) => BigInt(v),
  dateFromDays: (v: number) => v,
}

/** How one top-level column is turned into Arrow. */
export interface ColumnPlan {
  element: SchemaElement
  /** The column's schema subtree (children for lists and structs). */
  node: SchemaTree
  /** The pandas metadata says 'categorical'. */
  categorical: boolean
  /** The pandas metadata's `ordered` for a categorical. */
  ordered: boolean
  /** A categorical's categories in order (its dictionary page), when read. */
  categories?: unknown[] | null
  /** The pandas metadata says 'empty' (an all-None column pyarrow stores as type null). */
  empty: boolean
  /** The pandas metadata's time zone (pyarrow and fastparquet both record it). */
  timezone: string | null
}

/** One column's decoded values as an Arrow vector. */
export function toVector(values: ArrayLike<unknown>, plan: ColumnPlan): Vector {
  const direct = typedVector(values, plan)
  if (direct) return direct
  const el = plan.element
  const list = Array.from(values, (v) => (v === undefined ? null : v))
  const lt = el.logical_type
  // pyarrow stores an all-None column as logical type NULL (fastparquet as text, kept text).
  if (lt?.type === 'NULL' || (plan.empty && el.type === 'INT32' && list.every((v) => v === null)))
    return nullColumn(list.length)
  if (plan.node.children.length > 0) return nestedVector(list, plan.node)
  if (plan.categorical) {
    const type = leafType(el)
    if (type)
      return categoryColumn(
        list.map((v) => leafValue(v, el)),
        plan.ordered,
        type,
        plan.categories?.map((v) => leafValue(v, el)) ?? null,
      )
  }
  if (isDecimal(el)) {
    if (list.some((v) => typeof v === 'number' && !Number.isInteger(v))) {
      // A BYTE_ARRAY decimal hyparquet already scaled to a float: the best that is left.
      return utf8Column(list.map((v) => (v === null ? null : String(v))))
    }
    const scale = decimalScale(el)
    const precision = el.precision ?? (lt?.type === 'DECIMAL' ? lt.precision : 38)
    return decimalColumn(
      list.map((v) => (v === null ? null : unscaled(v))),
      precision,
      scale,
    )
  }
  if (
    lt?.type === 'TIMESTAMP' ||
    el.converted_type?.startsWith('TIMESTAMP') ||
    el.type === 'INT96'
  ) {
    const unit =
      lt?.type === 'TIMESTAMP'
        ? lt.unit
        : el.converted_type === 'TIMESTAMP_MICROS'
          ? 'MICROS'
          : el.type === 'INT96'
            ? 'NANOS'
            : 'MILLIS'
    const utc =
      lt?.type === 'TIMESTAMP'
        ? lt.isAdjustedToUTC
        : el.type !== 'INT96' && el.converted_type !== undefined
    const tz = plan.timezone ?? (utc && lt?.type === 'TIMESTAMP' ? 'UTC' : null)
    const raw = list as (bigint | null)[]
    if (unit === 'NANOS') return timestampColumn(raw, 'ns', tz)
    if (unit === 'MICROS') return timestampColumn(raw, 'us', tz)
    return timestampColumn(
      raw.map((v) => (v === null ? null : v * 1000n)),
      'us',
      tz,
    )
  }
  if (lt?.type === 'DATE' || el.converted_type === 'DATE') {
    return fixed(new DateDay(), Int32Array, list as (number | null)[])
  }
  switch (el.type) {
    case 'BOOLEAN':
      return boolColumn(list as (boolean | null)[])
    case 'FLOAT':
      return float32Column(list as (number | null)[])
    case 'DOUBLE':
      return float64Column(list as (number | null)[])
    case 'INT64':
      if (unsigned(el))
        return uint64Column(list.map((v) => (v === null ? null : BigInt(v as bigint))))
      return int64Column(list.map((v) => (v === null ? null : BigInt(v as bigint))))
    case 'INT32':
      return int32Vector(el, list as (number | null)[])
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return utf8Column(list.map(cellText))
    default:
      return utf8Column(list.map(cellText))
  }
}

// hyparquet hands a column without nulls over as a typed array: its buffer becomes the
// Arrow column as is (or converted to the narrower width), never boxed value by value.
function typedVector(values: ArrayLike<unknown>, plan: ColumnPlan): Vector | null {
  if (!ArrayBuffer.isView(values) || values instanceof DataView) return null
  const type = expectedType(plan)
  if (!type || DataType.isBool(type) || DataType.isUtf8(type) || DataType.isTimestamp(type))
    return null
  const Ctor = type.ArrayType as new (a: ArrayLike<unknown>) => ArrayLike<unknown>
  const data = values.constructor === Ctor ? values : new Ctor(values)
  return makeVector(makeData({ type, length: values.length, data } as never))
}

function int32Vector(el: SchemaElement, values: (number | null)[]): Vector {
  const lt = el.logical_type
  const bits = lt?.type === 'INTEGER' ? lt.bitWidth : convertedBits(el.converted_type)
  const signed = !unsigned(el)
  if (bits === 8)
    return signed ? fixed(new Int8(), Int8Array, values) : fixed(new Uint8(), Uint8Array, values)
  if (bits === 16)
    return signed
      ? fixed(new Int16(), Int16Array, values)
      : fixed(new Uint16(), Uint16Array, values)
  return signed ? fixed(new Int32(), Int32Array, values) : fixed(new Uint32(), Uint32Array, values)
}

type TypedCtor = new (length: number) => { [i: number]: number; length: number }

function fixed(type: DataType, Ctor: TypedCtor, values: (number | null)[]): Vector {
  const data = new Ctor(values.length)
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8))
  let nullCount = 0
  values.forEach((v, i) => {
    if (v === null) nullCount++
    else {
      data[i] = Number(v)
      nullBitmap[i >> 3]! |= 1 << (i & 7)
    }
  })
  return makeVector(makeData({ type, length: values.length, data, nullBitmap, nullCount } as never))
}

function decimalScale(el: SchemaElement): number {
  const lt = el.logical_type
  return el.scale ?? (lt?.type === 'DECIMAL' ? lt.scale : 0)
}

/** The exact decimal text of an unscaled integer (int32, int64 or big-endian two's complement). */
export function decimalText(raw: unknown, scale: number): string {
  if (typeof raw === 'number' && !Number.isInteger(raw)) return String(raw)
  return scaledText(unscaled(raw), scale)
}

// A decimal's unscaled integer from int32, int64 or big-endian two's complement bytes.
function unscaled(raw: unknown): bigint {
  if (!(raw instanceof Uint8Array)) return BigInt(raw as number | bigint)
  let n = 0n
  for (const b of raw) n = n * 256n + BigInt(b)
  if (raw.length > 0 && raw[0]! >= 0x80) n -= 1n << BigInt(raw.length * 8)
  return n
}
