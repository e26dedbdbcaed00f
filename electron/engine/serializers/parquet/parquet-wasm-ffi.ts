/**
 * Arrow columns read straight out of parquet-wasm's memory through the Arrow C Data
 * Interface (ArrowSchema/ArrowArray structs, wasm32 layout): views of each buffer that the
 * caller copies once (parquet-ffi-concat.ts), instead of an IPC stream written in wasm and
 * parsed again (measured: the IPC step took as long as the decode). Only the flat types the
 * full read asks for are understood; anything else is null.
 */
import { DataType, makeData, type Data } from 'apache-arrow'

/** One column as the C Data Interface describes it, with its buffers. */
export interface FfiColumn {
  name: string
  /** The C Data Interface format string ('l', 'g', 'u', 'tsn:UTC', ...). */
  format: string
  length: number
  nullCount: number
  offset: number
  buffers: (Uint8Array | null)[]
}

const FORMAT_WIDTH: Record<string, number> = Object.assign(Object.create(null) as object, {
  c: 1,
  C: 1,
  s: 2,
  S: 2,
  i: 4,
  I: 4,
  l: 8,
  L: 8,
  f: 4,
  g: 8,
  tdD: 4,
})

/**
 * The top-level columns of one record batch (a struct array) at `arrayAddr` with the schema
 * at `schemaAddr`, their buffers as views of `memory`: valid only until the next call into
 * wasm (which may grow the memory and detach them) or the batch is freed, so copy them first.
 * Throws on a struct it cannot read.
 */
export function ffiBatchViews(
  memory: ArrayBuffer,
  arrayAddr: number,
  schemaAddr: number,
): FfiColumn[] {
  const view = new DataView(memory)
  const u32 = (at: number): number => view.getUint32(at, true)
  const i64 = (at: number): number => Number(view.getBigInt64(at, true))
  const cstr = (at: number): string => {
    if (at === 0) return ''
    let end = at
    while (view.getUint8(end) !== 0) end++
    return Buffer.from(memory, at, end - at).toString('utf8')
  }
  const childCount = i64(arrayAddr + 32)
  if (i64(schemaAddr + 24) !== childCount) throw new Error('schema and array disagree')
  const schemaChildren = u32(schemaAddr + 32)
  const arrayChildren = u32(arrayAddr + 44)
  const out: FfiColumn[] = []
  for (let c = 0; c < childCount; c++) {
    const s = u32(schemaChildren + 4 * c)
    const a = u32(arrayChildren + 4 * c)
    const format = cstr(u32(s))
    const length = i64(a)
    const nBuffers = i64(a + 24)
    const buffersAt = u32(a + 40)
    const width = bufferBytes(format, length + i64(a + 16))
    const buffers: (Uint8Array | null)[] = []
    for (let b = 0; b < nBuffers; b++) {
      const at = u32(buffersAt + 4 * b)
      let bytes = 0
      if (b === 0) bytes = Math.ceil((length + i64(a + 16)) / 8)
      else if (b === 1) bytes = width.second
      else bytes = width.third(view, u32(buffersAt + 4))
      if (at !== 0 && at + bytes > memory.byteLength) throw new Error('buffer past wasm memory')
      buffers.push(at === 0 ? null : new Uint8Array(memory, at, bytes))
    }
    out.push({
      name: cstr(u32(s + 4)),
      format,
      length,
      nullCount: i64(a + 8),
      offset: i64(a + 16),
      buffers,
    })
  }
  return out
}

// Bytes of the second buffer (values or offsets) and of the third (string data, read from
// the last offset).
function bufferBytes(
  format: string,
  slots: number,
): { second: number; third: (view: DataView, offsetsAt: number) => number } {
  const none = (): number => 0
  if (format === 'b') return { second: Math.ceil(slots / 8), third: none }
  if (format === 'u')
    return { second: 4 * (slots + 1), third: (v, at) => v.getInt32(at + 4 * slots, true) }
  if (format === 'U')
    return {
      second: 8 * (slots + 1),
      third: (v, at) => Number(v.getBigInt64(at + 8 * slots, true)),
    }
  const w = fixedWidth(format)
  if (!w) throw new Error(`unsupported format ${format}`)
  return { second: w * slots, third: none }
}

/** Bytes per value of a fixed-width C format (0 for others: bits, strings, unknown). */
export function fixedWidth(format: string): number {
  return FORMAT_WIDTH[format] ?? (/^ts[smun]:/.test(format) ? 8 : 0)
}

/** The C format string of a type the full read asks for (a timestamp's zone left out). */
export function formatOf(type: DataType): string | null {
  if (DataType.isTimestamp(type)) return ['tss:', 'tsm:', 'tsu:', 'tsn:'][type.unit] ?? null
  if (DataType.isDate(type)) return 'tdD'
  if (DataType.isBool(type)) return 'b'
  if (DataType.isUtf8(type)) return 'u'
  if (DataType.isFloat(type)) return ['e', 'f', 'g'][type.precision] ?? null
  if (DataType.isInt(type)) {
    const code = { 8: 'c', 16: 's', 32: 'i', 64: 'l' }[type.bitWidth as 8]
    return type.isSigned ? code : code.toUpperCase()
  }
  return null
}

/** The column as Arrow Data of `type`, or null when its format is another one. */
export function ffiData(column: FfiColumn, type: DataType): Data | null {
  const want = formatOf(type)
  if (!want || column.offset !== 0) return null
  const fmt = column.format.startsWith('ts') ? column.format.slice(0, 4) : column.format
  const [validity, second, third] = column.buffers
  const nullCount = column.nullCount
  const nullBitmap = nullCount > 0 ? validity : null
  if (nullCount > 0 && !validity) return null
  const length = column.length
  if (want === 'u' && (fmt === 'u' || fmt === 'U')) {
    if (!second || !third) return null
    let valueOffsets: Int32Array
    if (fmt === 'u') valueOffsets = new Int32Array(second.buffer, 0, length + 1)
    else {
      const wide = new BigInt64Array(second.buffer, 0, length + 1)
      if (wide[length]! > 0x7fffffffn) return null
      valueOffsets = Int32Array.from(wide, (v) => Number(v))
    }
    return makeData({ type, length, nullCount, nullBitmap, valueOffsets, data: third } as never)
  }
  if (fmt !== want || !second) return null
  const Ctor = (
    type as DataType & { ArrayType: new (b: ArrayBuffer, o: number, n: number) => unknown }
  ).ArrayType
  const data = want === 'b' ? second : new Ctor(second.buffer, 0, length)
  return makeData({ type, length, nullCount, nullBitmap, data } as never)
}
