/**
 * The first pass of the whole-file reader: what each column's cells could all be, judged from
 * bytes and kept as a few flags, so the type pandas would infer (inferColumn's rules) is known
 * before any value is stored. A column that can only be text stops being judged. The second
 * pass then writes values straight into arrays of the right type and size.
 */
import {
  BIG_INT,
  NOT_INT,
  NaMatcher,
  boolCell,
  intKind,
  isFloatText,
  trimmedText,
} from './csv-cell-bytes.js'
import { parseDateCell, type DateCell } from './csv-date-bytes.js'
import type { RecordBatch } from './csv-record-batch.js'

/** How the second pass builds a column. */
export type BuildKind =
  | 'int64'
  | 'float64'
  | 'bool'
  | 'timestamp-us'
  | 'utf8'
  | 'all-null'
  /** Through inferColumn on decoded texts: forced dtypes and the rare cases (uint64, zoned or nanosecond datetimes, non-ASCII around numbers). */
  | 'texts'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n
const NUMERIC_RE = /^\s*[+-]?(?:\d|\.\d|inf)/i

/** One column's verdicts so far. */
export class ColumnProfile {
  present = 0
  missing = 0
  /** Bytes of the present cells' text (the string column's buffer size). */
  textBytes = 0
  private maybeInt = true
  private maybeFloat = true
  private maybeBool = true
  private maybeDate = true
  private int64 = true
  private uint64 = true
  private zoned = 0
  private plainDates = true
  private needsTexts = false
  private skipped = false
  private readonly date: DateCell = { us: 0, zoned: false, plain: false }

  /** Dates are judged for every column: which columns parse_dates names is known only later. */
  constructor(private readonly na: NaMatcher) {}

  /** A column the table does not hold: nothing is judged. */
  skip(): void {
    this.skipped = true
  }

  /** A column parse_dates does not name: dates are never its type, so are not tried. */
  skipDates(): void {
    this.maybeDate = false
  }

  /** Judges field `f` of every row of a batch. */
  addBatch(batch: RecordBatch, f: number, quote: number): void {
    if (this.skipped) return
    const { buf, starts, ends, flags, width, rows } = batch
    for (let r = 0, i = f; r < rows; r++, i += width) {
      const s = starts[i]!
      if (s < 0) this.missing++
      else if (flags[i]! < 2) this.add(buf, s, ends[i]!)
      else this.addEscaped(buf, s, ends[i]!, quote)
    }
  }

  /** Judges one cell (bytes [s, e) of b, quotes already removed). */
  add(b: Uint8Array, s: number, e: number): void {
    if (this.na.has(b, s, e)) {
      this.missing++
      return
    }
    this.present++
    this.textBytes += e - s
    if (!(this.maybeInt || this.maybeFloat || this.maybeBool || this.maybeDate)) return
    if (this.maybeInt) {
      const kind = intKind(b, s, e)
      if (kind === NOT_INT) this.maybeInt = false
      else if (kind === BIG_INT) this.bigInt(trimmedText(b, s, e))
    }
    if (!this.maybeInt && this.maybeFloat && !isFloatText(b, s, e)) {
      this.maybeFloat = false
      this.checkWide(b, s, e)
    }
    if (this.maybeBool && boolCell(b, s, e) < 0) this.maybeBool = false
    if (this.maybeDate) {
      if (!parseDateCell(b, s, e, this.date)) this.maybeDate = false
      else {
        if (this.date.zoned) this.zoned++
        if (!this.date.plain) this.plainDates = false
      }
    }
  }

  /**
   * Judges a quoted cell holding `""` pairs (bytes [s, e) before unescaping) without copying
   * it when the column can only be text: its length is counted, not made.
   */
  addEscaped(b: Uint8Array, s: number, e: number, quote: number): void {
    if (
      this.maybeInt ||
      this.maybeFloat ||
      this.maybeBool ||
      this.maybeDate ||
      this.na.bytesSeen[quote]
    ) {
      const out = unescape(b, s, e, quote)
      this.add(out, 0, out.length)
      return
    }
    let quotes = 0
    for (let i = s; i < e; i++) if (b[i] === quote) quotes++
    this.present++
    this.textBytes += e - s - quotes / 2
  }

  /** A record too short to have this column: a missing value that no NA text matched. */
  addAbsent(): void {
    this.missing++
  }

  /** Every present cell so far was an integer (a 'utf8' kind then means past 64 bits). */
  get intsOnly(): boolean {
    return this.maybeInt
  }

  /** The build for this column, by inferColumn's order: int, float, bool, datetime, text. */
  kind(rows: number, parseDates: boolean): BuildKind {
    if (this.needsTexts) return 'texts'
    if (rows === 0) return 'utf8'
    if (this.present === 0) return 'all-null'
    if (this.maybeInt) {
      if (this.missing > 0) return 'float64'
      if (this.int64) return 'int64'
      return this.uint64 ? 'texts' : 'utf8'
    }
    if (this.maybeFloat) return 'float64'
    if (this.maybeBool) return 'bool'
    if (parseDates && this.maybeDate && (this.zoned === 0 || this.zoned === this.present)) {
      return this.plainDates && this.zoned === 0 ? 'timestamp-us' : 'texts'
    }
    return 'utf8'
  }

  private bigInt(text: string): void {
    const v = BigInt(text)
    if (v < INT64_MIN || v > INT64_MAX) this.int64 = false
    if (v < 0n || v > UINT64_MAX) this.uint64 = false
  }

  // `\s` in INT_RE / FLOAT_RE also trims Unicode spaces; a cell that might be a number wrapped
  // in them is left to those regexes, on its decoded text.
  private checkWide(b: Uint8Array, s: number, e: number): void {
    for (let i = s; i < e; i++) {
      if (b[i]! < 0x80) continue
      const text = new TextDecoder().decode(b.subarray(s, e))
      if (NUMERIC_RE.test(text.trimStart())) this.needsTexts = true
      return
    }
  }
}

function unescape(b: Uint8Array, s: number, e: number, quote: number): Uint8Array {
  const out = new Uint8Array(e - s)
  let o = 0
  for (let i = s; i < e; i++) {
    out[o++] = b[i]!
    if (b[i] === quote) i++
  }
  return out.subarray(0, o)
}
