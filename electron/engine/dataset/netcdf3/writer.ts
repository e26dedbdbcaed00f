import { InvalidArgumentError } from '../../errors.js'
import type { AttrValue, EncodedDataset, EncodedVariable } from '../model.js'

// A NetCDF3 writer (classic and 64-bit offset), as the netCDF library lays files out: header,
// then the fixed-size variables one after the other, then the records, each record holding one
// slab of every record variable. Values are already CF-encoded (cf-encode.ts).

const TYPE_OF: Record<string, { code: number; size: number }> = {
  int8: { code: 1, size: 1 },
  '|S1': { code: 2, size: 1 },
  int16: { code: 3, size: 2 },
  int32: { code: 4, size: 4 },
  float32: { code: 5, size: 4 },
  float64: { code: 6, size: 8 },
}

const pad4 = (n: number): number => n + ((4 - (n % 4)) % 4)

/** Bytes the header, then the data, are written into. */
class Out {
  bytes: number[] = []
  u32(v: number): void {
    this.bytes.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255)
  }
  u64(v: number): void {
    this.u32(Math.floor(v / 2 ** 32))
    this.u32(v % 2 ** 32)
  }
  raw(b: Uint8Array): void {
    for (const x of b) this.bytes.push(x)
    for (let i = b.length; i % 4 !== 0; i++) this.bytes.push(0)
  }
  name(s: string): void {
    const b = new TextEncoder().encode(s)
    this.u32(b.length)
    this.raw(b)
  }
}

function checkName(kind: string, name: string): void {
  if (name === '' || name.includes('/') || /^[\s]|[\s]$/.test(name)) {
    throw new InvalidArgumentError(`The ${kind} name '${name}' is not a valid NetCDF name.`)
  }
}

// One attribute's type and bytes; _FillValue takes its variable's type, as netCDF requires.
function attrBytes(
  key: string,
  v: AttrValue,
  varType: string | null,
): { code: number; data: Uint8Array; n: number } {
  if (typeof v === 'string') {
    const data = new TextEncoder().encode(v)
    return { code: 2, data, n: data.length }
  }
  const values = ArrayBuffer.isView(v)
    ? Array.from(v as unknown as ArrayLike<number | bigint>)
    : Array.isArray(v)
      ? v
      : [v]
  if (values.some((x) => typeof x !== 'number' && typeof x !== 'bigint')) {
    throw new InvalidArgumentError(
      `Attribute '${key}' mixes text and numbers; NetCDF3 cannot store it.`,
    )
  }
  const nums = values.map((x) => {
    if (typeof x === 'bigint') {
      if (x < -(2n ** 31n) || x >= 2n ** 31n) {
        throw new InvalidArgumentError(
          `Attribute '${key}' holds ${x}, which NetCDF3 cannot store (no int64): use format='NETCDF4'.`,
        )
      }
      return Number(x)
    }
    return x as number
  })
  let type: string
  if (key === '_FillValue' && varType && varType !== '|S1') type = varType
  else if (v instanceof Float32Array) type = 'float32'
  else if (v instanceof Int8Array) type = 'int8'
  else if (v instanceof Int16Array) type = 'int16'
  else if (nums.every((x) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31)) type = 'int32'
  else type = 'float64'
  const t = TYPE_OF[type]!
  const data = new Uint8Array(t.size * nums.length)
  const view = new DataView(data.buffer)
  nums.forEach((x, i) => writeValue(view, i * t.size, t.code, x))
  return { code: t.code, data, n: nums.length }
}

function writeValue(view: DataView, at: number, code: number, x: number | string): void {
  if (code === 1) view.setInt8(at, x as number)
  else if (code === 2) view.setUint8(at, typeof x === 'string' ? x.charCodeAt(0) & 255 : x)
  else if (code === 3) view.setInt16(at, x as number)
  else if (code === 4) view.setInt32(at, x as number)
  else if (code === 5) view.setFloat32(at, x as number)
  else view.setFloat64(at, x as number)
}

function attrList(out: Out, attrs: Map<string, AttrValue>, varType: string | null): void {
  if (attrs.size === 0) {
    out.u32(0)
    out.u32(0)
    return
  }
  out.u32(12)
  out.u32(attrs.size)
  for (const [k, v] of attrs) {
    checkName('attribute', k)
    const a = attrBytes(k, v, varType)
    out.name(k)
    out.u32(a.code)
    out.u32(a.n)
    out.raw(a.data)
  }
}

/** Writes an encoded dataset as a NetCDF3 file; types NetCDF3 lacks are an error naming the variable. */
export function writeNetcdf3(
  ds: EncodedDataset,
  format: 'NETCDF3_CLASSIC' | 'NETCDF3_64BIT',
): Uint8Array {
  if (ds.unlimitedDims.length > 1) {
    throw new InvalidArgumentError(
      `NetCDF3 allows one unlimited dimension, not ${ds.unlimitedDims.length} (${ds.unlimitedDims.join(', ')}).`,
    )
  }
  const dimNames = [...ds.dims.keys()]
  const recordDim = ds.unlimitedDims[0] ?? null
  if (recordDim !== null && !ds.dims.has(recordDim)) {
    throw new InvalidArgumentError(
      `Unlimited dimension '${recordDim}' is not a dimension of the dataset.`,
    )
  }
  const numRecs = recordDim === null ? 0 : ds.dims.get(recordDim)!
  const vars = ds.variables.map((v) => layout(v, recordDim))
  // Header size does not depend on the offsets' values, only on their width: write it twice.
  const header = (begins: number[]): Out => {
    const out = new Out()
    out.bytes.push(0x43, 0x44, 0x46, format === 'NETCDF3_CLASSIC' ? 1 : 2)
    out.u32(numRecs)
    if (dimNames.length === 0) {
      out.u32(0)
      out.u32(0)
    } else {
      out.u32(10)
      out.u32(dimNames.length)
      for (const d of dimNames) {
        checkName('dimension', d)
        out.name(d)
        out.u32(d === recordDim ? 0 : ds.dims.get(d)!)
      }
    }
    attrList(out, ds.attrs, null)
    if (vars.length === 0) {
      out.u32(0)
      out.u32(0)
    } else {
      out.u32(11)
      out.u32(vars.length)
      vars.forEach((l, i) => {
        checkName('variable', l.v.name)
        out.name(l.v.name)
        out.u32(l.v.dims.length)
        for (const d of l.v.dims) out.u32(dimNames.indexOf(d))
        attrList(out, l.v.attrs, l.v.data.dtype)
        out.u32(l.type.code)
        out.u32(Math.min(l.vsize, 2 ** 32 - 1))
        if (format === 'NETCDF3_CLASSIC') out.u32(begins[i]!)
        else out.u64(begins[i]!)
      })
    }
    return out
  }
  const headerSize = header(vars.map(() => 0)).bytes.length
  const begins: number[] = []
  let at = headerSize
  const place = (record: boolean) => {
    for (const [i, l] of vars.entries()) {
      if (l.isRecord !== record) continue
      begins[i] = at
      at += l.vsize
    }
  }
  place(false)
  const records = vars.filter((l) => l.isRecord)
  const recSize =
    records.length === 1 ? records[0]!.recordBytes : records.reduce((s, l) => s + l.vsize, 0)
  place(true)
  const total = records.length ? begins[vars.indexOf(records[0]!)]! + recSize * numRecs : at
  if (format === 'NETCDF3_CLASSIC' && Math.max(0, ...begins) >= 2 ** 31) {
    throw new InvalidArgumentError(
      `The dataset is too large for NETCDF3_CLASSIC offsets: use NETCDF3_64BIT or NETCDF4.`,
    )
  }
  const file = new Uint8Array(Math.max(total, headerSize))
  file.set(header(begins).bytes)
  const view = new DataView(file.buffer)
  vars.forEach((l, i) => {
    const values = l.v.data.data as ArrayLike<number | string>
    const perRecord = l.isRecord ? l.recordBytes / l.type.size : values.length
    for (let k = 0; k < values.length; k++) {
      const rec = l.isRecord ? Math.floor(k / perRecord) : 0
      const pos = begins[i]! + rec * recSize + (k - rec * perRecord) * l.type.size
      writeValue(view, pos, l.type.code, values[k]!)
    }
  })
  return file
}

function layout(v: EncodedVariable, recordDim: string | null) {
  const type = TYPE_OF[v.data.dtype]
  if (!type) {
    throw new InvalidArgumentError(
      `Variable '${v.name}' has dtype ${v.data.dtype}, which NetCDF3 cannot store: use format='NETCDF4'.`,
    )
  }
  const isRecord = recordDim !== null && v.dims.includes(recordDim)
  if (isRecord && v.dims[0] !== recordDim) {
    throw new InvalidArgumentError(
      `Variable '${v.name}': the unlimited dimension '${recordDim}' must be its first dimension.`,
    )
  }
  const inner = v.data.shape.slice(isRecord ? 1 : 0).reduce((a, b) => a * b, 1)
  const recordBytes = inner * type.size
  return { v, type, isRecord, recordBytes, vsize: pad4(recordBytes) }
}
