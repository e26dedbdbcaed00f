/**
 * A piece's records as one table of field spans (row-major, `width` slots a row), so the
 * whole-file reader's passes walk one column at a time with a loop of one kind (csv-build.ts,
 * csv-profile.ts) instead of calling every column's code once per record. Includes the
 * splitter for the common piece, one with no quote and no '\r' in a file whose line end is
 * '\n': a single loop over the bytes, every field a plain span.
 */
import { CorruptPayloadError, LimitExceededError } from '../../errors.js'

/** One piece's records: field f of row r is slot r * width + f; a start of -1 is no field. */
export interface RecordBatch {
  buf: Uint8Array
  width: number
  rows: number
  starts: Int32Array
  ends: Int32Array
  /** QUOTED / ESCAPED per slot (csv-bytes-split.ts). */
  flags: Uint8Array
}

/** An empty batch of `width` slots a row. */
export function newBatch(width: number): RecordBatch {
  const n = Math.max(1, width) * 1024
  return {
    buf: new Uint8Array(0),
    width,
    rows: 0,
    starts: new Int32Array(n),
    ends: new Int32Array(n),
    flags: new Uint8Array(n),
  }
}

/** Makes room for one more row. */
export function growBatch(b: RecordBatch): void {
  const need = (b.rows + 1) * b.width
  if (need <= b.starts.length) return
  const n = Math.max(need, b.starts.length * 2)
  const starts = new Int32Array(n)
  starts.set(b.starts)
  const ends = new Int32Array(n)
  ends.set(b.ends)
  const flags = new Uint8Array(n)
  flags.set(b.flags)
  b.starts = starts
  b.ends = ends
  b.flags = flags
}

/** The error for a record with more fields than the header (the text reader's words). */
export function tooWide(width: number, number: number, count: number): CorruptPayloadError {
  return new CorruptPayloadError(
    `This CSV is malformed: expected ${width} fields in record ${number}, saw ${count}.`,
  )
}

/** Where a plain split stopped: past the last whole record, and the lines it passed. */
export interface PlainSplit {
  pos: number
  lines: number
}

const LF = 0x0a

/**
 * Splits the whole records of `buf` from `pos` into `b` (appending rows), for bytes holding no
 * quote and no '\r' in a '\n' file: what the record splitter would find, blank lines skipped.
 * `number` is the record number before `pos` (for errors); `tooLong` builds that error.
 */
export function splitPlain(
  buf: Uint8Array,
  pos: number,
  sep: number,
  b: RecordBatch,
  number: number,
  maxRecordBytes: number,
  tooLong: () => LimitExceededError,
): PlainSplit {
  const W = b.width
  const n = buf.length
  let starts = b.starts
  let ends = b.ends
  b.flags.fill(0, b.rows * W)
  let row = b.rows
  let base = row * W
  let f = 0
  let fs = pos
  let recStart = pos
  let lines = 0
  // Most bytes are above both the separator and '\n': one comparison passes them.
  const top = Math.max(sep, LF)
  for (let i = pos; i < n; i++) {
    const c = buf[i]!
    if (c > top) continue
    if (c === sep) {
      if (f < W) {
        starts[base + f] = fs
        ends[base + f] = i
      }
      f++
      fs = i + 1
    } else if (c === LF) {
      lines++
      if (i + 1 - recStart > maxRecordBytes) throw tooLong()
      if (f > 0 || fs < i) {
        if (f >= W) throw tooWide(W, number + lines, f + 1)
        starts[base + f] = fs
        ends[base + f] = i
        for (let g = f + 1; g < W; g++) starts[base + g] = -1
        row++
        base += W
        if (base + W > starts.length) {
          b.rows = row
          growBatch(b)
          b.flags.fill(0, base)
          starts = b.starts
          ends = b.ends
        }
      }
      f = 0
      fs = i + 1
      recStart = i + 1
    }
  }
  b.rows = row
  return { pos: recStart, lines }
}

/** Slot i's bytes with `""` pairs made one quote (for a slot flagged ESCAPED). */
export function unescapedSlot(b: RecordBatch, i: number, quote: number): Uint8Array {
  const buf = b.buf
  const out = new Uint8Array(b.ends[i]! - b.starts[i]!)
  let o = 0
  for (let k = b.starts[i]!; k < b.ends[i]!; k++) {
    out[o++] = buf[k]!
    if (buf[k] === quote) k++
  }
  return out.subarray(0, o)
}
