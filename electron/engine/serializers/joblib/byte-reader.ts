import { CorruptPayloadError } from '../../errors.js'

/** A CorruptPayloadError that says what was wrong and at which byte offset of the pickle. */
export function corrupt(offset: number, message: string): CorruptPayloadError {
  return new CorruptPayloadError(`Corrupt pickle at byte offset ${offset}: ${message}`)
}

const NEWLINE = 0x0a

/**
 * A bounds-checked cursor over the (decompressed) pickle bytes. Every read past the end throws
 * CorruptPayloadError naming what was being read, so a truncated file never yields a value.
 */
export class ByteReader {
  readonly bytes: Uint8Array
  private readonly view: DataView

  constructor(
    bytes: Uint8Array,
    public pos = 0,
  ) {
    // A plain Uint8Array view even for a Node Buffer, whose slice() would share memory.
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  /** Bytes left after the cursor. */
  get remaining(): number {
    return this.bytes.length - this.pos
  }

  /** A view of the next `n` bytes (no copy), advancing past them. */
  take(n: number, what: string): Uint8Array {
    if (n > this.remaining) {
      throw corrupt(this.pos, `truncated: ${what} needs ${n} bytes, only ${this.remaining} left`)
    }
    const out = this.bytes.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  /** One unsigned byte. */
  u8(what: string): number {
    this.need(1, what)
    return this.bytes[this.pos++] as number
  }

  /** Unsigned 16-bit little-endian. */
  u16(what: string): number {
    this.need(2, what)
    const v = this.view.getUint16(this.pos, true)
    this.pos += 2
    return v
  }

  /** Signed 32-bit little-endian. */
  i32(what: string): number {
    this.need(4, what)
    const v = this.view.getInt32(this.pos, true)
    this.pos += 4
    return v
  }

  /** Unsigned 32-bit little-endian. */
  u32(what: string): number {
    this.need(4, what)
    const v = this.view.getUint32(this.pos, true)
    this.pos += 4
    return v
  }

  /** Unsigned 64-bit little-endian, as a bigint so a hostile length cannot wrap around. */
  u64(what: string): bigint {
    this.need(8, what)
    const v = this.view.getBigUint64(this.pos, true)
    this.pos += 8
    return v
  }

  /** IEEE 754 double, big-endian (BINFLOAT's byte order). */
  f64be(what: string): number {
    this.need(8, what)
    const v = this.view.getFloat64(this.pos, false)
    this.pos += 8
    return v
  }

  /** The bytes up to the next newline (protocol 0 arguments), advancing past the newline. */
  line(what: string): Uint8Array {
    const end = this.bytes.indexOf(NEWLINE, this.pos)
    if (end < 0) throw corrupt(this.pos, `truncated: ${what} has no terminating newline`)
    const out = this.bytes.subarray(this.pos, end)
    this.pos = end + 1
    return out
  }

  /** A newline-terminated ASCII line as a string. */
  textLine(what: string): string {
    return latin1(this.line(what))
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) {
      throw corrupt(this.pos, `truncated: ${what} needs ${n} bytes, only ${this.remaining} left`)
    }
  }
}

/** Bytes as a string of the same code points (Python's latin-1 decode); never fails. */
export function latin1(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192))
  }
  return out
}
