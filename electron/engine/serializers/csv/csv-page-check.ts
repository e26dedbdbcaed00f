/**
 * Checks a CSV page's bytes before the page reader parses them, so a corrupt file fails with
 * an error that says where (the data row, the byte, and pandas' line when the page starts at
 * the top) instead of one relative to the page: a record with more fields than the header
 * (pandas' ParserError "Expected N fields in line L, saw M"; fewer fields are NaN, as in
 * pandas), bytes that are not UTF-8, an unclosed quote at the end of the file, and a record
 * longer than the page reader holds (refused before the reader is given its bytes, so memory
 * stays bounded by that limit).
 */
import { CorruptPayloadError } from '../../errors.js'
import { CsvRecordScanner } from './csv-scan.js'

/** Where the page starts and what the header said. */
export interface PageStart {
  /** Names the payload in errors ("The CSV payload k"). */
  what: string
  sep: number
  quote: number
  /**
   * Fields a data row may hold: the header's, or one more when data row 0 has one more
   * (pandas' implicit index); null when there is no header (the reader checks widths).
   * When the page starts at row 0 this is the header's width and row 0 decides.
   */
  headerWidth: number | null
  /** Line ends before the first data row when the page starts there, else null (unknown). */
  linesBefore: number | null
  /** The data row the page starts at, and the rows it holds (later ones are not checked). */
  row: number
  rows: number
  maxRecordBytes: number
}

/** Feeds a page's bytes through the record scanner and a UTF-8 check, in order. */
export class PageCheck {
  private readonly scanner: CsvRecordScanner
  private readonly utf8 = new Utf8Check()
  private row: number
  private width: number | null
  private first = true

  constructor(private readonly start: PageStart) {
    this.scanner = new CsvRecordScanner(start.sep, start.quote, start.what, start.maxRecordBytes)
    this.row = start.row
    this.width = start.headerWidth
    // A page deeper than row 0 was given the width row 0 decided.
    this.first = start.row === 0
  }

  /** Checks `bytes`, which start at `base` in the file; throws at the first defect. */
  push(bytes: Uint8Array, base: number): void {
    const bad = this.utf8.push(bytes)
    // The records before a bad byte are scanned first, so the error names its row.
    this.scan(bad === null ? bytes : bytes.subarray(0, Math.max(0, bad)), base)
    if (bad !== null) throw this.notUtf8(base + bad)
  }

  private scan(bytes: Uint8Array, base: number): void {
    this.scanner.push(bytes, base, (_end, fields) => {
      this.record(fields, this.scanner.recordStart, this.scanner.lines)
      return true
    })
  }

  /** The end of the file: an unclosed quote or a cut UTF-8 sequence is an error there. */
  end(fileSize: number): void {
    if (this.utf8.pending) throw this.notUtf8(fileSize - this.utf8.pending)
    if (this.scanner.inQuotes) {
      throw new CorruptPayloadError(
        `${this.start.what} ends inside a quoted field opened in data row ${this.row} (from 0) ` +
          `(pandas: "EOF inside string"); the file is cut short or a quote is not closed. ` +
          `Put the complete file again.`,
      )
    }
    if (this.scanner.pendingBytes > 0)
      this.record(this.scanner.pendingFields, this.scanner.recordStart, this.scanner.lines + 1)
  }

  // `line`: line ends before this record's end, in the page (pandas' line, less linesBefore).
  private record(fields: number, byte: number, line: number): void {
    if (this.row >= this.start.row + this.start.rows) return
    // pandas' implicit index: a first data row one field wider than the header.
    if (this.first && this.width !== null && fields === this.width + 1) this.width = fields
    this.first = false
    if (this.width !== null && fields > this.width) {
      const before = this.start.linesBefore
      const pandas =
        before === null
          ? ''
          : ` (pandas: "Expected ${this.width} fields in line ${before + line}, saw ${fields}")`
      throw new CorruptPayloadError(
        `${this.start.what} is malformed: expected ${this.width} fields in data row ${this.row} (from 0)` +
          ` at byte ${byte}, saw ${fields}${pandas}. pd.read_csv refuses it too; fix that row or put the ` +
          `file again.`,
      )
    }
    this.row++
  }

  private notUtf8(byte: number): CorruptPayloadError {
    return new CorruptPayloadError(
      `${this.start.what} is not valid UTF-8: the bytes at offset ${byte} (data row ${this.row}, from 0) ` +
        `are not a UTF-8 character. Re-encode the file as UTF-8 (pandas writes UTF-8) and put ` +
        `it again.`,
    )
  }
}

/** A streaming UTF-8 validator (RFC 3629: no overlongs, surrogates or code points > U+10FFFF). */
export class Utf8Check {
  /** Bytes of a sequence still expected, and the bounds of the next byte. */
  private need = 0
  private lo = 0x80
  private hi = 0xbf
  /** Bytes of the unfinished sequence seen so far. */
  pending = 0

  /** The index in `bytes` of the first byte that cannot be UTF-8, or null. */
  push(bytes: Uint8Array): number | null {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!
      if (this.need > 0) {
        if (b < this.lo || b > this.hi) return i - this.pending
        this.lo = 0x80
        this.hi = 0xbf
        this.need--
        this.pending = this.need > 0 ? this.pending + 1 : 0
        continue
      }
      if (b < 0x80) continue
      this.pending = 1
      if (b >= 0xc2 && b <= 0xdf) this.need = 1
      else if (b >= 0xe0 && b <= 0xef) {
        this.need = 2
        if (b === 0xe0) this.lo = 0xa0
        if (b === 0xed) this.hi = 0x9f
      } else if (b >= 0xf0 && b <= 0xf4) {
        this.need = 3
        if (b === 0xf0) this.lo = 0x90
        if (b === 0xf4) this.hi = 0x8f
      } else return i
    }
    return null
  }
}
