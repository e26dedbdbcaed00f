/**
 * hyparquet's decoded column values -> Arrow vectors typed as pandas (pyarrow) reads them:
 * timestamps keep their unit and time zone, dates stay dates, nullable integers stay integers,
 * categoricals become dictionary columns of their values, decimals exact strings.
 */
import {
  DateDay,
  Int8,
  Int16,
  Int32,
  Uint8,
  Uint16,
  Uint32,
  makeData,
  makeVector,
  type DataType,
  type Vector,
} from 'apache-arrow'
import type { ParquetParsers, SchemaElement } from 'hyparquet'
import {
  boolColumn,
  categoryColumn,
  float32Column,
  float64Column,
  int64Column,
  timestampColumn,
  uint64Column,
  utf8Column,
} from '../../table/arrow-columns.js'

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

/** How one leaf column is turned into Arrow. */
export interface ColumnPlan {
  element: SchemaElement
  /** The pandas metadata says 'categorical'. */
  categorical: boolean
  /** The pandas metadata's time zone (pyarrow and fastparquet both record it). */
  timezone: string | null
}

/** One column's decoded values as an Arrow vector. */
export function toVector(values: ArrayLike<unknown>, plan: ColumnPlan): Vector {
  const el = plan.element
  const list = Array.from(values, (v) => (v === undefined ? null : v))
  const lt = el.logical_type
  if (isDecimal(el))
    return utf8Column(list.map((v) => (v === null ? null : decimalText(v, decimalScale(el)))))
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
    case 'FIXED_LEN_BYTE_ARRAY': {
      const text = list.map(cellText)
      return plan.categorical ? categoryColumn(text) : utf8Column(text)
    }
    default:
      return utf8Column(list.map(cellText))
  }
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

function convertedBits(ct: SchemaElement['converted_type']): number {
  if (ct === 'INT_8' || ct === 'UINT_8') return 8
  if (ct === 'INT_16' || ct === 'UINT_16') return 16
  return 32
}

function unsigned(el: SchemaElement): boolean {
  const lt = el.logical_type
  if (lt?.type === 'INTEGER') return !lt.isSigned
  return el.converted_type?.startsWith('UINT') ?? false
}

/** True for DECIMAL columns, whose raw values the reader asks hyparquet not to convert. */
export function isDecimal(el: SchemaElement): boolean {
  return el.converted_type === 'DECIMAL' || el.logical_type?.type === 'DECIMAL'
}

function decimalScale(el: SchemaElement): number {
  const lt = el.logical_type
  return el.scale ?? (lt?.type === 'DECIMAL' ? lt.scale : 0)
}

/** The exact decimal text of an unscaled integer (int32, int64 or big-endian two's complement). */
export function decimalText(raw: unknown, scale: number): string {
  let n: bigint
  if (raw instanceof Uint8Array) {
    n = 0n
    for (const b of raw) n = n * 256n + BigInt(b)
    if (raw.length > 0 && raw[0]! >= 0x80) n -= 1n << BigInt(raw.length * 8)
  } else if (typeof raw === 'number' && !Number.isInteger(raw)) {
    // A BYTE_ARRAY decimal hyparquet already scaled to a float: the best that is left.
    return String(raw)
  } else n = BigInt(raw as number | bigint)
  const negative = n < 0n
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole
  return negative ? `-${text}` : text
}

function cellText(v: unknown): string | null {
  if (v === null) return null
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))
}
