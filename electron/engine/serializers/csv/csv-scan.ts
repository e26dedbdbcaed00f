/**
 * Record boundaries of a CSV found in its bytes, without decoding or splitting fields: the
 * row count and the row checkpoints (csv-checkpoints.ts) come from here. It follows the same
 * quoting papaparse does (a quote opens only at a field's start, `""` inside quotes is one
 * quote) and pandas' skip_blank_lines (an empty line, or a lone '\r' before '\n', is no
 * record). Only '\n' and '\r\n' line ends and ASCII sep/quote are scanned: callers check
 * `scannable` and read from the start otherwise.
 */
import { LimitExceededError } from '../../errors.js'

/** The longest record the scanner and the page reader hold (a 200 MB line is an error). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024

const NL = 0x0a
const CR = 0x0d
const FIELD_START = 0
const UNQUOTED = 1
const QUOTED = 2
const QUOTE_IN_QUOTED = 3

/** Whether the byte scanner can find this file's records (else read from the start). */
export function scannable(sep: string, quoteChar: string, head: Uint8Array): boolean {
  if (sep.charCodeAt(0) > 0x7f || quoteChar.charCodeAt(0) > 0x7f) return false
  // A file with bare '\r' line ends has no '\n' for the scanner to find.
  const cr = head.indexOf(CR)
  return cr < 0 || cr + 1 >= head.length || head[cr + 1] === NL
}

/**
 * Scans bytes in order; calls `onRecord(endByte, fields)` after each record's line end, with
 * the number of fields the record holds (separators outside quotes, plus one).
 */
export class CsvRecordScanner {
  private state = FIELD_START
  /** Bytes of the current line (0 or a lone '\r' before '\n' means a blank line). */
  private lineBytes = 0
  private lastCr = false
  private fields = 1
  /** Line ends outside quotes so far (blank lines too): pandas' "line" is this plus one. */
  lines = 0
  /** The byte where the current (or just ended) record starts. */
  recordStart = 0

  constructor(
    private readonly sep: number,
    private readonly quote: number,
    /** Names the payload in the over-long record error. */
    private readonly what: string,
    private readonly maxRecordBytes = MAX_RECORD_BYTES,
  ) {}

  /**
   * Scans `bytes`, which start at `base` in the file. `onRecord` gets the byte offset just
   * past each record; returning false stops the scan (push then returns that offset).
   */
  push(
    bytes: Uint8Array,
    base: number,
    onRecord: (end: number, fields: number) => boolean,
  ): number | null {
    const { sep, quote } = this
    let state = this.state
    let line = this.lineBytes
    let fields = this.fields
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!
      if (state === QUOTED) {
        if (b === quote) state = QUOTE_IN_QUOTED
        line++
        continue
      }
      if (b === NL) {
        const blank = line === 0 || (line === 1 && this.lastCrAt(bytes, i))
        const count = fields
        state = FIELD_START
        line = 0
        fields = 1
        this.lines++
        if (!blank && !onRecord(base + i + 1, count)) {
          this.state = state
          this.lineBytes = line
          this.fields = fields
          return base + i + 1
        }
        continue
      }
      if (line === 0) this.recordStart = base + i
      line++
      if (state === QUOTE_IN_QUOTED) {
        state = b === quote ? QUOTED : b === sep ? FIELD_START : UNQUOTED
        if (b === sep) fields++
      } else if (b === sep) {
        state = FIELD_START
        fields++
      } else if (state === FIELD_START) state = b === quote ? QUOTED : UNQUOTED
      if (line > this.maxRecordBytes) throw this.tooLong()
    }
    if (line > this.maxRecordBytes) throw this.tooLong()
    this.lastCr = bytes.length > 0 && bytes[bytes.length - 1] === CR
    this.state = state
    this.lineBytes = line
    this.fields = fields
    return null
  }

  /** Whether the scan is inside a quoted field (at the end of a file: an unclosed quote). */
  get inQuotes(): boolean {
    return this.state === QUOTED
  }

  /** Fields of the record not yet ended. */
  get pendingFields(): number {
    return this.fields
  }

  /** Bytes of a record not yet ended: at the end of the file it is the last record. */
  get pendingBytes(): number {
    return this.lineBytes
  }

  // Whether the byte before index i (maybe in the previous piece) is '\r'.
  private lastCrAt(bytes: Uint8Array, i: number): boolean {
    return i > 0 ? bytes[i - 1] === CR : this.lastCr
  }

  private tooLong(): LimitExceededError {
    return new LimitExceededError(
      `${this.what} has a record longer than ${this.maxRecordBytes / 1024 / 1024} MB ` +
        `(a line without an end, or an unclosed quote); the preview reads at most that much per row. ` +
        `Load the artifact with Python to read it.`,
    )
  }
}
