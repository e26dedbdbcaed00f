/**
 * CSV records found in bytes, for the whole-file reader (csv-load.ts): each record is handed
 * over as field spans (start, end, flags) into the current buffer, so numbers are parsed from
 * bytes and no JS string is made per cell. It splits as csv-rows.ts (papaparse) does: a quote
 * opens only at a field's start, `""` inside quotes is one quote, spaces may follow a closing
 * quote, blank lines are skipped but counted, the first line end decides '\n' or '\r\n'.
 * Anything papaparse would read differently that is not an error (bare '\r' line ends, mixed
 * line ends, a non-ASCII sep or quote) throws FallbackToTextReader: the caller then reads the
 * file with the text reader, which is slower but defines the result.
 */
import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import { growBatch, newBatch, splitPlain, tooWide, type RecordBatch } from './csv-record-batch.js'

/** Thrown when the byte splitter cannot promise papaparse's reading of the file. */
export class FallbackToTextReader extends Error {}

/** Field flag: the field was quoted. */
export const QUOTED = 1
/** Field flag: the quoted field holds `""` pairs to unescape. */
export const ESCAPED = 2

/** One record's fields as spans into `buf`; valid only during the callback. */
export interface FieldSpans {
  buf: Uint8Array
  starts: Int32Array
  ends: Int32Array
  flags: Uint8Array
  count: number
  /** The record's number in the file (1-based, header and blank lines counted). */
  number: number
}

const LF = 0x0a
const CR = 0x0d
const INCOMPLETE = -1

/** Splits bytes fed in pieces into records; `onRecord` returning false stops it. */
export class CsvByteSplitter {
  private tail: Uint8Array = new Uint8Array(0)
  private started = false
  /** 0 not known yet, 1 '\n', 2 '\r\n'. */
  private mode = 0
  private spans: FieldSpans
  private stopped = false
  private batch: RecordBatch | null = null
  private onBatch: ((batch: RecordBatch) => boolean) | null = null
  private again = false

  constructor(
    private readonly sep: number,
    private readonly quote: number,
    private readonly what: string,
    private readonly maxRecordBytes: number,
    private readonly onRecord: (record: FieldSpans) => boolean,
  ) {
    if (sep > 0x7f || quote > 0x7f) throw new FallbackToTextReader()
    const n = 64
    this.spans = {
      buf: this.tail,
      starts: new Int32Array(n),
      ends: new Int32Array(n),
      flags: new Uint8Array(n),
      count: 0,
      number: 0,
    }
  }

  /** Bytes held back as an incomplete record (the caller reads at least this much next). */
  get pendingBytes(): number {
    return this.tail.length
  }

  /** True once `onRecord` asked to stop. */
  get done(): boolean {
    return this.stopped
  }

  /**
   * From the next record on, hands records over a piece at a time as a batch of `width`
   * slots a row (`onBatch` returning false stops); a record wider than that is an error.
   * Called from `onRecord`, `again` hands the current record over again in the first batch.
   */
  batchRecords(width: number, onBatch: (batch: RecordBatch) => boolean, again = false): void {
    this.batch = newBatch(width)
    this.onBatch = onBatch
    this.again = again
  }

  /** The line end the file uses: 0 not known yet, 1 '\n', 2 '\r\n'. */
  get lineEnd(): number {
    return this.mode
  }

  /** Starts just after a line end of a file whose line end is known (a worker's half). */
  startMidFile(lineEnd: number): void {
    this.started = true
    this.mode = lineEnd
  }

  /** Feeds the next piece of the file. */
  push(piece: Uint8Array): void {
    if (this.stopped) return
    let buf = piece
    const tail = this.tail
    if (
      tail.length > 0 &&
      tail.buffer === piece.buffer &&
      tail.byteOffset + tail.length === piece.byteOffset
    ) {
      // Pieces of one array in memory: the held-back record and the piece are already adjacent.
      buf = new Uint8Array(piece.buffer, tail.byteOffset, tail.length + piece.length)
    } else if (tail.length > 0) {
      buf = new Uint8Array(this.tail.length + piece.length)
      buf.set(this.tail)
      buf.set(piece, this.tail.length)
    }
    this.tail = this.run(buf, false)
  }

  /** Ends the input: the last record needs no line end. */
  end(): void {
    if (!this.stopped) this.run(this.tail, true)
    this.tail = new Uint8Array(0)
  }

  private run(buf: Uint8Array, final: boolean): Uint8Array {
    let pos = 0
    if (!this.started) {
      if (buf.length < 3 && !final) return buf
      this.started = true
      // pandas drops a UTF-8 byte-order mark.
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3
    }
    this.spans.buf = buf
    while (pos < buf.length) {
      if (this.batch) {
        pos = this.runBatch(buf, pos, final)
        if (this.stopped) return new Uint8Array(0)
        break
      }
      const end = this.record(buf, pos, final)
      if (end === INCOMPLETE) break
      if (end - pos > this.maxRecordBytes) throw this.tooLong()
      this.spans.number++
      const s = this.spans
      // A line holding nothing is no record; one holding `""` is a record of one empty field.
      const blank = s.count === 1 && s.ends[0] === s.starts[0] && s.flags[0] === 0
      if (!blank && !this.onRecord(s)) {
        this.stopped = true
        return new Uint8Array(0)
      }
      if (this.again) {
        this.again = false
        this.spans.number--
        continue
      }
      pos = end
    }
    if (buf.length - pos > this.maxRecordBytes) throw this.tooLong()
    return final ? new Uint8Array(0) : buf.subarray(pos)
  }

  // The records from `pos` as one batch; returns the offset past the last whole one.
  private runBatch(buf: Uint8Array, pos: number, final: boolean): number {
    const b = this.batch!
    const n = buf.length
    b.buf = buf
    b.rows = 0
    const bytes = Buffer.from(buf.buffer, buf.byteOffset, n)
    if (
      !final &&
      this.mode === 1 &&
      bytes.indexOf(this.quote, pos) < 0 &&
      bytes.indexOf(CR, pos) < 0
    ) {
      const split = splitPlain(buf, pos, this.sep, b, this.spans.number, this.maxRecordBytes, () =>
        this.tooLong(),
      )
      pos = split.pos
      this.spans.number += split.lines
    } else {
      const W = b.width
      while (pos < n) {
        const end = this.record(buf, pos, final)
        if (end === INCOMPLETE) break
        if (end - pos > this.maxRecordBytes) throw this.tooLong()
        pos = end
        const s = this.spans
        s.number++
        if (s.count === 1 && s.ends[0] === s.starts[0] && s.flags[0] === 0) continue
        if (s.count > W) throw tooWide(W, s.number, s.count)
        growBatch(b)
        const base = b.rows * W
        for (let f = 0; f < W; f++) {
          const has = f < s.count
          b.starts[base + f] = has ? s.starts[f]! : -1
          b.ends[base + f] = has ? s.ends[f]! : -1
          b.flags[base + f] = has ? s.flags[f]! : 0
        }
        b.rows++
      }
    }
    if (b.rows > 0 && !this.onBatch!(b)) this.stopped = true
    return pos
  }

  // Splits one record starting at `pos`; returns the offset past its line end, or INCOMPLETE.
  private record(buf: Uint8Array, pos: number, final: boolean): number {
    const { sep, quote } = this
    const n = buf.length
    let count = 0
    let i = pos
    for (;;) {
      let start: number
      let end: number
      let flag = 0
      let k: number
      if (i < n && buf[i] === quote) {
        flag = QUOTED
        let j = i + 1
        for (;;) {
          const q = buf.indexOf(quote, j)
          if (q < 0) {
            if (!final) return INCOMPLETE
            throw this.malformed('quoted field unterminated')
          }
          if (q + 1 >= n && !final) return INCOMPLETE
          if (buf[q + 1] === quote) {
            flag |= ESCAPED
            j = q + 2
            continue
          }
          start = i + 1
          end = q
          k = q + 1
          break
        }
        // papaparse lets spaces sit between a closing quote and the delimiter or line end.
        let w = k
        while (w < n && (buf[w] === 0x20 || buf[w] === 0x09)) w++
        if (w >= n && !final) return INCOMPLETE
        if (w < n && buf[w] !== sep && buf[w] !== LF && buf[w] !== CR) {
          throw this.malformed('trailing quote on quoted field is malformed')
        }
        k = w
      } else {
        let j = i
        while (j < n) {
          const b = buf[j]!
          if (b === sep || b === LF || b === CR) break
          j++
        }
        if (j >= n && !final) return INCOMPLETE
        // Before the line end is known, a stray quote could hide it from papaparse's detection.
        if (this.mode === 0 && buf.subarray(i, j).includes(quote)) throw new FallbackToTextReader()
        start = i
        end = j
        k = j
      }
      this.pushField(count++, start, end, flag)
      this.spans.count = count
      if (k >= n) return n
      const b = buf[k]
      if (b === sep) {
        i = k + 1
        continue
      }
      if (b === LF) {
        if (this.mode === 2) throw new FallbackToTextReader()
        this.mode = 1
        return k + 1
      }
      // b is CR
      if (k + 1 >= n) {
        if (!final) return INCOMPLETE
        throw new FallbackToTextReader()
      }
      if (buf[k + 1] !== LF || this.mode === 1) throw new FallbackToTextReader()
      this.mode = 2
      return k + 2
    }
  }

  private pushField(index: number, start: number, end: number, flag: number): void {
    let s = this.spans
    if (index >= s.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2)
        b.set(a)
        return b
      }
      s.starts = grow(s.starts, (n) => new Int32Array(n))
      s.ends = grow(s.ends, (n) => new Int32Array(n))
      s.flags = grow(s.flags, (n) => new Uint8Array(n))
      s = this.spans
    }
    s.starts[index] = start
    s.ends[index] = end
    s.flags[index] = flag
  }

  private malformed(message: string): CorruptPayloadError {
    return new CorruptPayloadError(
      `This CSV is malformed near record ${this.spans.number + 1}: ${message}.`,
    )
  }

  private tooLong(): LimitExceededError {
    return new LimitExceededError(
      `${this.what} has a record longer than ${this.maxRecordBytes / 1024 / 1024} MB ` +
        `(a line without an end, or an unclosed quote); the reader holds at most that much ` +
        `per row. Load the artifact with Python to read it.`,
    )
  }
}

/** The field's bytes with `""` pairs made one quote (a fresh array only when escaped). */
export function fieldBytes(s: FieldSpans, f: number, quote: number): Uint8Array {
  const raw = s.buf.subarray(s.starts[f]!, s.ends[f]!)
  if ((s.flags[f]! & ESCAPED) === 0) return raw
  const out = new Uint8Array(raw.length)
  let o = 0
  for (let i = 0; i < raw.length; i++) {
    out[o++] = raw[i]!
    if (raw[i] === quote) i++
  }
  return out.subarray(0, o)
}
