/**
 * The second pass of the whole-file reader: one column's cells written straight into Arrow
 * buffers of the type the first pass chose (csv-profile.ts), sized exactly from its counts.
 * Numbers never become strings; text cells are copied as UTF-8 bytes into the column's buffer.
 * 64-bit values are written as two 32-bit halves, so no BigInt is made per cell.
 */
import {
  Bool,
  Float64,
  Int64,
  TimeUnit,
  Timestamp,
  Utf8,
  makeData,
  makeVector,
  type Vector,
} from 'apache-arrow'
import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import {
  NaMatcher,
  SMALL_INT,
  boolCell,
  intKind,
  parseFloatCell,
  parseSmallInt,
  trimmedText,
} from './csv-cell-bytes.js'
import { parseDateCell, type DateCell } from './csv-date-bytes.js'
import type { BuildKind } from './csv-profile.js'
import { inferColumn, type ColumnRules } from './infer-column.js'

const TWO_32 = 2 ** 32

/** Builds one column from its cells in row order. */
export class ColumnBuilder {
  private row = 0
  private nulls = 0
  private readonly valid: Uint8Array
  private readonly f64: Float64Array | null = null
  private readonly i32: Int32Array | null = null
  private readonly i64: BigInt64Array | null = null
  private readonly bits: Uint8Array | null = null
  private readonly offsets: Int32Array | null = null
  private readonly text: Uint8Array | null = null
  private textAt = 0
  private readonly texts: (string | null)[] | null = null
  private readonly date: DateCell = { us: 0, zoned: false, plain: false }

  constructor(
    readonly kind: BuildKind,
    private readonly rows: number,
    textBytes: number,
    private readonly na: NaMatcher,
    private readonly name: string,
    private readonly rules: ColumnRules,
  ) {
    this.valid = new Uint8Array(Math.ceil(rows / 8))
    if (kind === 'float64' || kind === 'all-null') this.f64 = new Float64Array(rows)
    if (kind === 'int64' || kind === 'timestamp-us') {
      this.i64 = new BigInt64Array(rows)
      this.i32 = new Int32Array(this.i64.buffer)
    }
    if (kind === 'bool') this.bits = new Uint8Array(Math.ceil(rows / 8))
    if (kind === 'utf8') {
      if (textBytes > 2 ** 31 - 1) {
        throw new LimitExceededError(
          `Column '${name}' holds ${textBytes} bytes of text, more than an Arrow string column holds (2 GiB).`,
        )
      }
      this.offsets = new Int32Array(rows + 1)
      this.text = new Uint8Array(textBytes)
    }
    if (kind === 'texts') this.texts = []
    this.add = this.pick()
  }

  /** Adds the next cell: bytes [s, e) of b, quotes already removed. */
  readonly add: (b: Uint8Array, s: number, e: number) => void

  // One small function per kind keeps each call site monomorphic (a switch per cell was the
  // reader's hottest line).
  private pick(): (b: Uint8Array, s: number, e: number) => void {
    switch (this.kind) {
      case 'texts':
        return (b, s, e) => {
          if (this.row >= this.rows) throw changed()
          this.texts!.push(new TextDecoder().decode(b.subarray(s, e)))
          this.row++
        }
      case 'float64':
        return (b, s, e) => {
          const r = this.present(b, s, e)
          if (r >= 0) this.f64![r] = parseFloatCell(b, s, e)
        }
      case 'int64':
        return (b, s, e) => {
          const r = this.present(b, s, e)
          if (r < 0) return
          if (intKind(b, s, e) === SMALL_INT) this.put64(r, parseSmallInt(b, s, e))
          else this.i64![r] = BigInt(trimmedText(b, s, e))
        }
      case 'timestamp-us':
        return (b, s, e) => {
          const r = this.present(b, s, e)
          if (r < 0) return
          if (!parseDateCell(b, s, e, this.date) || !this.date.plain) throw changed()
          this.put64(r, this.date.us)
        }
      case 'bool':
        return (b, s, e) => {
          const r = this.present(b, s, e)
          if (r < 0) return
          const v = boolCell(b, s, e)
          if (v < 0) throw changed()
          if (v === 1) this.bits![r >> 3]! |= 1 << (r & 7)
        }
      case 'utf8':
        return (b, s, e) => {
          const r = this.present(b, s, e)
          if (r < 0) return
          const text = this.text!
          let at = this.textAt
          if (at + (e - s) > text.length) throw changed()
          if (e - s < 16) for (let i = s; i < e; i++) text[at++] = b[i]!
          else {
            text.set(b.subarray(s, e), at)
            at += e - s
          }
          this.textAt = at
          this.offsets![r + 1] = at
        }
      default:
        return (b, s, e) => {
          if (this.present(b, s, e) >= 0) throw changed()
        }
    }
  }

  // The row a present cell goes to (marked valid), or -1 when the cell is a missing value.
  private present(b: Uint8Array, s: number, e: number): number {
    const r = this.row
    if (r >= this.rows) throw changed()
    if (this.na.has(b, s, e)) {
      this.addAbsent()
      return -1
    }
    this.valid[r >> 3]! |= 1 << (r & 7)
    this.row = r + 1
    return r
  }

  /** Adds a missing cell. */
  addAbsent(): void {
    const r = this.row
    if (r >= this.rows) throw changed()
    if (this.texts) this.texts.push(null)
    else if (this.offsets) this.offsets[r + 1] = this.textAt
    this.nulls++
    this.row++
  }

  /** The finished column. */
  finish(): Vector {
    if (this.row !== this.rows) throw changed()
    if (this.texts) return inferColumn(this.name, this.texts, this.rules)
    const length = this.rows
    const validity = { nullBitmap: this.valid, nullCount: this.nulls }
    switch (this.kind) {
      case 'float64':
      case 'all-null':
        return makeVector(makeData({ type: new Float64(), length, data: this.f64!, ...validity }))
      case 'int64':
        return makeVector(makeData({ type: new Int64(), length, data: this.i64!, ...validity }))
      case 'timestamp-us': {
        const type = new Timestamp(TimeUnit.MICROSECOND, null)
        return makeVector(makeData({ type, length, data: this.i64!, ...validity }))
      }
      case 'bool':
        return makeVector(makeData({ type: new Bool(), length, data: this.bits!, ...validity }))
      default: {
        const data = this.text!.subarray(0, this.textAt)
        const valueOffsets = this.offsets!
        return makeVector(makeData({ type: new Utf8(), length, data, valueOffsets, ...validity }))
      }
    }
  }

  // Little-endian halves of an integer a double holds exactly (every platform Node runs on).
  private put64(r: number, v: number): void {
    const hi = Math.floor(v / TWO_32)
    this.i32![2 * r] = (v - hi * TWO_32) | 0
    this.i32![2 * r + 1] = hi
  }
}

function changed(): CorruptPayloadError {
  return new CorruptPayloadError(
    'This CSV changed while it was being read (its second pass differs from the first); read it again.',
  )
}
