/**
 * Parquet schema helpers for the reader: leaf types as Arrow types, and list and struct
 * columns (hyparquet's nested JS values) as Arrow List and Struct vectors.
 */
import {
  Bool,
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
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow'
import type { SchemaElement, SchemaTree } from 'hyparquet'
import { utf8Column } from '../../table/arrow-columns.js'

/** The bit width an INT32 column's converted type gives (8, 16, else 32). */
export function convertedBits(ct: SchemaElement['converted_type']): number {
  if (ct === 'INT_8' || ct === 'UINT_8') return 8
  if (ct === 'INT_16' || ct === 'UINT_16') return 16
  return 32
}

/** True for unsigned integer columns (logical or converted type). */
export function unsigned(el: SchemaElement): boolean {
  const lt = el.logical_type
  if (lt?.type === 'INTEGER') return !lt.isSigned
  return el.converted_type?.startsWith('UINT') ?? false
}

/** True for DECIMAL columns, whose raw values the reader asks hyparquet not to convert. */
export function isDecimal(el: SchemaElement): boolean {
  return el.converted_type === 'DECIMAL' || el.logical_type?.type === 'DECIMAL'
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

/** A list or struct column as Arrow List/Struct, or JSON text where a part has no Arrow form here. */
export function nestedVector(values: unknown[], node: SchemaTree): Vector {
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

/**
 * The Arrow type of a plain leaf (inside a list, struct or categorical), or null for types
 * kept out of nested values here.
 */
export function leafType(el: SchemaElement): DataType | null {
  const lt = el.logical_type
  if (isDecimal(el) || el.type === 'INT96' || lt?.type === 'TIMESTAMP') return null
  if (el.converted_type?.startsWith('TIMESTAMP') || lt?.type === 'DATE') return null
  if (el.converted_type === 'DATE' || lt?.type === 'JSON' || lt?.type === 'BSON') return null
  if (el.type === 'BYTE_ARRAY' || el.type === 'FIXED_LEN_BYTE_ARRAY') return new Utf8()
  return numericType(el)
}

/**
 * The Arrow type of a boolean, float or integer column (int widths and signedness from its
 * logical or converted type), or null for other physical types.
 */
export function numericType(el: SchemaElement): DataType | null {
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
      const lt = el.logical_type
      const bits = lt?.type === 'INTEGER' ? lt.bitWidth : convertedBits(el.converted_type)
      const signed = !unsigned(el)
      if (bits === 8) return signed ? new Int8() : new Uint8()
      if (bits === 16) return signed ? new Int16() : new Uint16()
      return signed ? new Int32() : new Uint32()
    }
    default:
      return null
  }
}

/** A decoded leaf value as the Arrow builders take it (int64 as bigint, bytes as text). */
export function leafValue(v: unknown, el: SchemaElement): unknown {
  if (v === null || v === undefined) return null
  if (el.type === 'INT64') return BigInt(v as bigint)
  if (el.type === 'BYTE_ARRAY' || el.type === 'FIXED_LEN_BYTE_ARRAY') return cellText(v)
  return v
}

/** A value as text (JSON for objects, base64 for bytes), null kept. */
export function cellText(v: unknown): string | null {
  if (v === null) return null
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))
}
