/**
 * hyparquet's decoded column values -> Arrow vectors typed as pandas (pyarrow) reads them:
 * timestamps keep their unit and time zone, dates stay dates, nullable integers stay integers,
 * categoricals become dictionary columns of their values, decimals exact strings.
 */
import {
  Bool,
  DateDay,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  List,
  Struct,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType,
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

/**
 * The Arrow type of a list or struct column from its schema subtree, or null when a part of it
 * has no plain Arrow form here (maps, timestamps or decimals inside): that column is then shown
 * as JSON text.
 */
function nestedType(node: SchemaTree): DataType | null {
  const el = node.element
  if (node.children.length === 0) return leafType(el)
  if (el.converted_type === 'LIST' || el.logical_type?.type === 'LIST') {
    // The three-level list: <name> (LIST) > repeated group > element.
    const repeated = node.children[0]
    const item = repeated && repeated.children.length === 1 ? repeated.children[0]! : repeated
    const type = item && nestedType(item)
    return type ? new List(new Field('item', type, true)) : null
  }
  if (el.converted_type === 'MAP' || el.logical_type?.type === 'MAP') return null
  if (el.repetition_type === 'REPEATED') return null
  const fields: Field[] = []
  for (const child of node.children) {
    const type = nestedType(child)
    if (!type) return null
    fields.push(new Field(child.element.name, type, true))
  }
  return new Struct(fields)
}

function nestedVector(values: unknown[], node: SchemaTree): Vector {
  const type = nestedType(node)
  if (!type) return utf8Column(values.map(cellText))
  return vectorFromArray(values.map((v) => nestedValue(v, node)) as never[], type as never)
}

// hyparquet's nested values with undefined as null and leaves as the Arrow builders take them.
function nestedValue(v: unknown, node: SchemaTree): unknown {
  if (v === null || v === undefined) return null
  if (node.children.length === 0) return leafValue(v, node.element)
  const el = node.element
  if (el.converted_type === 'LIST' || el.logical_type?.type === 'LIST') {
    const repeated = node.children[0]!
    const item = repeated.children.length === 1 ? repeated.children[0]! : repeated
    return Array.isArray(v) ? v.map((x) => nestedValue(x, item)) : null
  }
  const row = Object.create(null) as Record<string, unknown>
  for (const child of node.children) {
    row[child.element.name] = nestedValue((v as Record<string, unknown>)[child.element.name], child)
  }
  return row
}

// The Arrow type of a plain leaf (inside a list, struct or categorical), or null for types
// kept out of nested values here.
function leafType(el: SchemaElement): DataType | null {
  const lt = el.logical_type
  if (isDecimal(el) || el.type === 'INT96' || lt?.type === 'TIMESTAMP') return null
  if (el.converted_type?.startsWith('TIMESTAMP') || lt?.type === 'DATE') return null
  if (el.converted_type === 'DATE' || lt?.type === 'JSON' || lt?.type === 'BSON') return null
  switch (el.type) {
    case 'BOOLEAN':
      return new Bool()
    case 'FLOAT':
      return new Float32()
    case 'DOUBLE':
      return new Float64()
    case 'INT64':
      return unsigned(el) ? new Uint64() : new Int64()
    case 'INT32': {
      const bits = lt?.type === 'INTEGER' ? lt.bitWidth : convertedBits(el.converted_type)
      const signed = !unsigned(el)
      if (bits === 8) return signed ? new Int8() : new Uint8()
      if (bits === 16) return signed ? new Int16() : new Uint16()
      return signed ? new Int32() : new Uint32()
    }
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return new Utf8()
    default:
      return null
  }
}

function leafValue(v: unknown, el: SchemaElement): unknown {
  if (v === null || v === undefined) return null
  if (el.type === 'INT64') return BigInt(v as bigint)
  if (el.type === 'BYTE_ARRAY' || el.type === 'FIXED_LEN_BYTE_ARRAY') return cellText(v)
  return v
}

function cellText(v: unknown): string | null {
  if (v === null) return null
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))
}
