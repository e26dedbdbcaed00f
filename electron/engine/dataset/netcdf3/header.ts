import { CorruptPayloadError } from '../../errors.js'
import type { AttrMap, AttrValue } from '../model.js'

// The NetCDF3 header (classic 'CDF\x01' and 64-bit offset 'CDF\x02'), parsed from a prefix of
// the file. Counts in the header are untrusted: each is checked against the bytes that are
// left before anything is allocated, so a header claiming 2^31 dimensions is refused at once.

/** NetCDF3 external types: code -> numpy dtype and size. */
export const NC_TYPES: ReadonlyMap<number, { dtype: string; size: number }> = new Map([
  [1, { dtype: 'int8', size: 1 }],
  [2, { dtype: '|S1', size: 1 }],
  [3, { dtype: 'int16', size: 2 }],
  [4, { dtype: 'int32', size: 4 }],
  [5, { dtype: 'float32', size: 4 }],
  [6, { dtype: 'float64', size: 8 }],
])

/** One variable as the header describes it. */
export interface Nc3Variable {
  name: string
  dimIds: number[]
  attrs: AttrMap
  type: number
  /** Bytes of one record (record variables) or of the whole variable, padded to 4. */
  vsize: number
  begin: number
  isRecord: boolean
}

/** A parsed NetCDF3 header. */
export interface Nc3Header {
  version: 1 | 2
  numRecs: number
  dims: { name: string; size: number }[]
  recordDim: number | null
  attrs: AttrMap
  variables: Nc3Variable[]
  /** Bytes one record spans across all record variables. */
  recSize: number
  /** Where the header ends. */
  headerSize: number
}

/** Thrown when the prefix ends inside the header: fetch more and parse again. */
export class NeedMoreBytes extends Error {
  constructor(readonly needed: number) {
    super(`header needs more than ${needed} bytes`)
  }
}

class Cursor {
  pos = 0
  private readonly view: DataView
  constructor(
    private readonly bytes: Uint8Array,
    private readonly fileSize: number,
    private readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  need(n: number): void {
    if (this.pos + n > this.fileSize) {
      throw new CorruptPayloadError(
        `${this.file}: the NetCDF header is cut short (the file ends at byte ${this.fileSize}).`,
      )
    }
    if (this.pos + n > this.bytes.length) throw new NeedMoreBytes(this.pos + n)
  }
  u32(): number {
    this.need(4)
    const v = this.view.getUint32(this.pos)
    this.pos += 4
    return v
  }
  u64(): number {
    this.need(8)
    const v = this.view.getBigUint64(this.pos)
    this.pos += 8
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.corrupt(`an offset of ${v} bytes`)
    return Number(v)
  }
  /** A count of items, each at least `minBytes` long: refused when they cannot fit. */
  count(what: string, minBytes: number): number {
    const n = this.u32()
    if (n * minBytes > this.fileSize - this.pos) {
      throw this.corrupt(
        `${n} ${what}, more than the ${this.fileSize - this.pos} bytes left can hold`,
      )
    }
    return n
  }
  bytesPadded(n: number): Uint8Array {
    const padded = n + ((4 - (n % 4)) % 4)
    this.need(padded)
    const out = this.bytes.subarray(this.pos, this.pos + n)
    this.pos += padded
    return out
  }
  name(): string {
    const n = this.count('name bytes', 1)
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytesPadded(n))
  }
  corrupt(what: string): CorruptPayloadError {
    return new CorruptPayloadError(
      `${this.file}: the NetCDF header claims ${what}; the file is corrupt.`,
    )
  }
}

const ABSENT = 0
const NC_DIMENSION = 10
const NC_VARIABLE = 11
const NC_ATTRIBUTE = 12

function list(c: Cursor, tag: number, what: string, minBytes: number): number {
  const t = c.u32()
  const n = c.count(what, minBytes)
  if (t === ABSENT && n === 0) return 0
  if (t !== tag) throw c.corrupt(`a ${what} list with tag ${t}`)
  return n
}

function attrValue(c: Cursor, type: number, n: number): AttrValue {
  const raw = c.bytesPadded(n * (NC_TYPES.get(type)?.size ?? 1))
  if (type === 2) {
    let end = raw.length
    while (end > 0 && raw[end - 1] === 0) end--
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw.subarray(0, end))
    } catch {
      return String.fromCharCode(...raw.subarray(0, end))
    }
  }
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const values: number[] = []
  for (let i = 0; i < n; i++) {
    if (type === 1) values.push(v.getInt8(i))
    else if (type === 3) values.push(v.getInt16(i * 2))
    else if (type === 4) values.push(v.getInt32(i * 4))
    else if (type === 5) values.push(v.getFloat32(i * 4))
    else values.push(v.getFloat64(i * 8))
  }
  // netCDF libraries hand one-element attributes back as scalars.
  return values.length === 1 ? values[0]! : values
}

function attrs(c: Cursor): AttrMap {
  const out: AttrMap = new Map()
  const n = list(c, NC_ATTRIBUTE, 'attributes', 12)
  for (let i = 0; i < n; i++) {
    const name = c.name()
    const type = c.u32()
    if (!NC_TYPES.has(type)) throw c.corrupt(`attribute '${name}' of unknown type ${type}`)
    const count = c.count(`values in attribute '${name}'`, NC_TYPES.get(type)!.size)
    out.set(name, attrValue(c, type, count))
  }
  return out
}

/** Parses a NetCDF3 header from a prefix of a file of `fileSize` bytes (NeedMoreBytes if short). */
export function parseNc3Header(bytes: Uint8Array, fileSize: number, file: string): Nc3Header {
  const c = new Cursor(bytes, fileSize, file)
  c.need(4)
  const version = bytes[3]
  if (
    bytes[0] !== 0x43 ||
    bytes[1] !== 0x44 ||
    bytes[2] !== 0x46 ||
    (version !== 1 && version !== 2)
  ) {
    throw new CorruptPayloadError(`${file} is not a NetCDF3 classic or 64-bit offset file.`)
  }
  c.pos = 4
  const numRecsRaw = c.u32()
  const dims: Nc3Header['dims'] = []
  let recordDim: number | null = null
  const nDims = list(c, NC_DIMENSION, 'dimensions', 8)
  for (let i = 0; i < nDims; i++) {
    const name = c.name()
    const size = c.u32()
    if (size === 0) {
      if (recordDim !== null) throw c.corrupt('two record dimensions')
      recordDim = i
    }
    dims.push({ name, size })
  }
  const global = attrs(c)
  const variables: Nc3Variable[] = []
  const nVars = list(c, NC_VARIABLE, 'variables', 24)
  for (let i = 0; i < nVars; i++) {
    const name = c.name()
    const nd = c.count(`dimensions of variable '${name}'`, 4)
    const dimIds: number[] = []
    for (let j = 0; j < nd; j++) {
      const id = c.u32()
      if (id >= dims.length)
        throw c.corrupt(`variable '${name}' on dimension ${id} of ${dims.length}`)
      if (id === recordDim && j !== 0)
        throw c.corrupt(`variable '${name}' with the record dimension not first`)
      dimIds.push(id)
    }
    const vattrs = attrs(c)
    const type = c.u32()
    if (!NC_TYPES.has(type)) throw c.corrupt(`variable '${name}' of unknown type ${type}`)
    const vsize = c.u32()
    const begin = version === 1 ? c.u32() : c.u64()
    variables.push({
      name,
      dimIds,
      attrs: vattrs,
      type,
      vsize,
      begin,
      isRecord: dimIds[0] === recordDim && recordDim !== null,
    })
  }
  const records = variables.filter((v) => v.isRecord)
  // A lone record variable is not padded between records (the netCDF spec's exception).
  const recSize =
    records.length === 1
      ? recordBytes(records[0]!, dims)
      : records.reduce((s, v) => s + padded(recordBytes(v, dims)), 0)
  // 0xFFFFFFFF means "streaming": count the records the file holds.
  let numRecs = numRecsRaw
  if (numRecsRaw === 0xffffffff) {
    const first = Math.min(...records.map((v) => v.begin))
    numRecs = records.length && recSize > 0 ? Math.floor((fileSize - first) / recSize) : 0
  }
  return { version, numRecs, dims, recordDim, attrs: global, variables, recSize, headerSize: c.pos }
}

function padded(n: number): number {
  return n + ((4 - (n % 4)) % 4)
}

function recordBytes(v: Nc3Variable, dims: Nc3Header['dims']): number {
  let n = NC_TYPES.get(v.type)!.size
  for (const id of v.dimIds.slice(1)) n *= dims[id]!.size
  return n
}
