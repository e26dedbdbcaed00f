// Zarr metadata documents as zarr-python reads and writes them. zarr 2 writes them with
// `json.dumps(indent=4, sort_keys=True, ensure_ascii=True, allow_nan=True)`, so a .zattrs may
// hold bare NaN/Infinity (not JSON, but what Python wrote): the Python-exact parser reads them.
import { pyJsonDumps, PyFloat } from '../../../../shared/pyjson.js'
import { pyJsonParse } from '../../../../shared/pyjson-parse.js'
import { CorruptPayloadError } from '../../errors.js'
import type { AttrMap, AttrValue } from '../model.js'

/** Metadata bytes read at most per document: real ones are a few KB, .zmetadata maybe MBs. */
export const MAX_METADATA_BYTES = 64 * 1024 * 1024

/** A parsed JSON object from a metadata file: null-prototype, so any key is safe. */
export type JsonObject = { [key: string]: unknown }

/** Parses one metadata document; CorruptPayloadError naming `where` if it is no JSON object. */
export function parseZarrJson(bytes: Uint8Array, where: string): JsonObject {
  if (bytes.byteLength > MAX_METADATA_BYTES) {
    throw new CorruptPayloadError(
      `${where} is ${bytes.byteLength} bytes, more than the ${MAX_METADATA_BYTES} a Zarr ` +
        `metadata file may have here; it is damaged or not Zarr metadata.`,
    )
  }
  let value: unknown
  try {
    value = pyJsonParse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    throw new CorruptPayloadError(`${where} is not valid JSON: ${(err as Error).message}.`)
  }
  const plain = toPlain(value)
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new CorruptPayloadError(`${where} is not a JSON object, as Zarr metadata must be.`)
  }
  return plain as JsonObject
}

// PyFloat -> number, objects -> null-prototype objects (JSON.parse keeps '__proto__' as an own
// key; copying into a null-prototype object keeps it harmless there too).
function toPlain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value
  if (Array.isArray(v)) return v.map(toPlain)
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = Object.create(null)
    for (const [k, x] of Object.entries(v)) out[k] = toPlain(x)
    return out
  }
  return v
}

/** True for a parsed JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map)
}

/** Attributes of a parsed .zattrs (or v3 `attributes`) as an ordered Map. */
export function toAttrMap(obj: JsonObject, skip: readonly string[] = []): AttrMap {
  const out: AttrMap = new Map()
  for (const [k, v] of Object.entries(obj)) if (!skip.includes(k)) out.set(k, toAttrValue(v))
  return out
}

function toAttrValue(v: unknown): AttrValue {
  if (Array.isArray(v)) return v.map(toAttrValue)
  if (isJsonObject(v)) return toAttrMap(v)
  return v as AttrValue
}

/** An attribute value back to plain JSON (Maps to objects, in order). */
export function attrToJson(v: AttrValue): unknown {
  if (v instanceof Map) {
    const out: JsonObject = Object.create(null)
    for (const [k, x] of v) out[k] = attrToJson(x)
    return out
  }
  if (Array.isArray(v)) return v.map(attrToJson)
  if (typeof v === 'number' && !Number.isFinite(v)) return new PyFloat(v)
  return v
}

/**
 * A metadata document as zarr 2 writes it: 4-space indent, keys sorted, ASCII escapes, NaN
 * bare (Python's allow_nan). v3 (zarr-python 3) writes the same with indent 2 and no sort.
 */
export function dumpZarrJson(
  value: unknown,
  options: { sortKeys: boolean; indent: number },
): Uint8Array {
  return new TextEncoder().encode(
    pyJsonDumps(options.sortKeys ? sortKeys(value) : value, options.indent),
  )
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (isJsonObject(v) && !(v instanceof PyFloat)) {
    const out: JsonObject = Object.create(null)
    for (const k of Object.keys(v).sort(comparePython)) out[k] = sortKeys(v[k])
    return out
  }
  return v
}

/** Python's str ordering (by code point), which JS's default sort (UTF-16 units) differs from. */
export function comparePython(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!
    if (d !== 0) return d
  }
  return x.length - y.length
}
