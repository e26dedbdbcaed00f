import { OP } from './pickle-opcodes.js'

/** Frames aim for this many bytes, and larger str/bytes payloads bypass frames (CPython). */
const FRAME_SIZE_TARGET = 64 * 1024
/** CPython drops the FRAME header of a frame shorter than this. */
const FRAME_SIZE_MIN = 4
const FRAME_HEADER_SIZE = 9

/**
 * A growable output buffer with protocol 4 framing exactly as CPython's C pickler does it
 * (Modules/_pickle.c): a frame header is reserved when a write starts a frame, a frame is
 * closed at an opcode boundary once it reaches 64 KiB, large payloads are written outside
 * frames, and a frame under 4 bytes loses its header. Following it byte for byte is what makes
 * our output identical to `pickle.dumps(value, protocol=4)`.
 */
export class PickleOutput {
  private buf = new Uint8Array(256)
  private len = 0
  private frameStart = -1
  framing = false

  /** Appends bytes, opening a frame first when framing and none is open. */
  write(bytes: ArrayLike<number>): void {
    if (this.framing && this.frameStart === -1) {
      this.reserve(FRAME_HEADER_SIZE)
      this.frameStart = this.len
      this.len += FRAME_HEADER_SIZE
    }
    this.reserve(bytes.length)
    this.buf.set(bytes, this.len)
    this.len += bytes.length
  }

  /** Writes an opcode header and its payload; a payload of 64 KiB or more goes unframed. */
  writeWithPayload(header: ArrayLike<number>, payload: Uint8Array): void {
    if (payload.length < FRAME_SIZE_TARGET) {
      this.write(header)
      this.write(payload)
      return
    }
    this.commitFrame()
    const framing = this.framing
    this.framing = false
    this.write(header)
    this.write(payload)
    this.framing = framing
  }

  /** Called after each saved object: closes the frame once it has reached its target size. */
  opcodeBoundary(): void {
    if (!this.framing || this.frameStart === -1) return
    if (this.len - this.frameStart - FRAME_HEADER_SIZE >= FRAME_SIZE_TARGET) this.commitFrame()
  }

  /** Closes the open frame: writes its header, or removes the header of a tiny frame. */
  commitFrame(): void {
    if (this.frameStart === -1) return
    const start = this.frameStart
    const frameLen = this.len - start - FRAME_HEADER_SIZE
    if (frameLen >= FRAME_SIZE_MIN) {
      this.buf[start] = OP.FRAME
      new DataView(this.buf.buffer).setBigUint64(start + 1, BigInt(frameLen), true)
    } else {
      this.buf.copyWithin(start, start + FRAME_HEADER_SIZE, this.len)
      this.len -= FRAME_HEADER_SIZE
    }
    this.frameStart = -1
  }

  /** The bytes written so far (after `commitFrame`, a complete stream). */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len)
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n))
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
  }
}
