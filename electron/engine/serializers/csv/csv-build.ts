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
  NOT_INT,
  SMALL_INT,
  boolCell,
  intKind,
  isFloatText,
  parseFloatCell,
  parseFloatChecked,
  parseSmallInt,
  plainSmallInt,
  trimmedText,
} from './csv-cell-bytes.js'
import { parseDateCell, type DateCell } from './csv-date-bytes.js'
import type { BuildKind } from './csv-profile.js'
import { unescapedSlot, type RecordBatch } from './csv-record-batch.js'
import { inferColumn, type ColumnRules } from './infer-column.js'

const TWO_32 = 2 ** 32

/**
 * Thrown by a speculative builder (csv-load-spec.ts) when a cell is not of the column's kind:
 * the cells of the batch that threw are taken back, so the caller can widen the column and
 * add them again, or read the file in two passes.
 */
export class Contradiction extends Error {
  /** Whether an int64 column would read as float64 (a missing value or a float came). */
  constructor(readonly toFloat = false) {
    super()
  }
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/**
 * Builds one column from its cells in row order. `rows` sizes it exactly (after a first pass)
 * or, when `speculative`, is a first guess that grows, and a cell of another kind throws
 * Contradiction instead of meaning the file changed.
 */
export class ColumnBuilder {
  private row = 0
  private nulls = 0
  private valid: Uint8Array
  private f64: Float64Array | null = null
  private i32: Int32Array | null = null
  private i64: BigInt64Array | null = null
  private bits: Uint8Array | null = null
  private offsets: Int32Array | null = null
  private text: Uint8Array | null = null
  private textAt = 0
  private readonly texts: (string | null)[] | null = null
  private readonly date: DateCell = { us: 0, zoned: false, plain: false }

  constructor(
    public kind: BuildKind,
    private rows: number,
    textBytes: number,
    private readonly na: NaMatcher,
    private readonly name: string,
    private readonly rules: ColumnRules,
    private readonly speculative = false,
  ) {
    this.valid = new Uint8Array(Math.ceil(rows / 8))
    if (kind === 'float64' || kind === 'all-null') this.f64 = new Float64Array(rows)
    if (kind === 'int64' || kind === 'timestamp-us') {
      this.i64 = new BigInt64Array(rows)
      this.i32 = new Int32Array(this.i64.buffer)
    }
    if (kind === 'bool') this.bits = new Uint8Array(Math.ceil(rows / 8))
    if (kind === 'utf8') {
      checkTextBytes(textBytes, name)
      this.offsets = new Int32Array(rows + 1)
      this.text = new Uint8Array(textBytes)
    }
    if (kind === 'texts') this.texts = []
    this.add = this.pick()
  }

  /** Adds the next cell: bytes [s, e) of b, quotes already removed. */
  add: (b: Uint8Array, s: number, e: number) => void

  /** What a worker needs to build this column the same way. */
  describe(): { kind: BuildKind; name: string; rules: ColumnRules; textPerRow: number } {
    const textPerRow = this.text ? this.textAt / Math.max(1, this.row) : 0
    return { kind: this.kind, name: this.name, rules: this.rules, textPerRow }
  }

  /** Rows added so far. */
  get length(): number {
    return this.row
  }

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
          if (r < 0) return
          if (this.speculative && !isFloatText(b, s, e)) throw new Contradiction()
          this.f64![r] = parseFloatCell(b, s, e)
        }
      case 'int64':
        return (b, s, e) => {
          const r = this.present(b, s, e)
          if (r >= 0) this.putInt(r, b, s, e)
        }
      case 'timestamp-us':
        return (b, s, e) => {
          const r = this.present(b, s, e)
          if (r < 0) return
          if (!parseDateCell(b, s, e, this.date) || !this.date.plain) throw this.wrong()
          this.put64(r, this.date.us)
        }
      case 'bool':
        return (b, s, e) => {
          const r = this.present(b, s, e)
          if (r < 0) return
          const v = boolCell(b, s, e)
          if (v < 0) throw this.wrong()
          if (v === 1) this.bits![r >> 3]! |= 1 << (r & 7)
        }
      case 'utf8':
        return (b, s, e) => {
          const r = this.present(b, s, e)
          if (r < 0) return
          if (this.textAt + (e - s) > this.text!.length) this.growText(e - s)
          this.text!.set(b.subarray(s, e), this.textAt)
          this.textAt += e - s
          this.offsets![r + 1] = this.textAt
        }
      default:
        return (b, s, e) => {
          if (this.present(b, s, e) >= 0) throw this.wrong()
        }
    }
  }

  /**
   * Adds field `f` of the first `take` rows of a batch. One loop per kind, each calling only
   * its own cell code: a shared loop calling `add` sees every kind and is not inlined. A
   * Contradiction takes back the rows this call added.
   */
  addBatch(batch: RecordBatch, f: number, take: number, quote: number): void {
    if (this.speculative) this.ensure(this.row + take)
    const row0 = this.row
    const nulls0 = this.nulls
    const textAt0 = this.textAt
    try {
      this.fill(batch, f, take, quote)
    } catch (err) {
      if (!(err instanceof Contradiction)) throw err
      for (let r = row0; r < this.row; r++) {
        this.valid[r >> 3]! &= ~(1 << (r & 7))
        if (this.bits) this.bits[r >> 3]! &= ~(1 << (r & 7))
      }
      this.row = row0
      this.nulls = nulls0
      this.textAt = textAt0
      if (this.texts) this.texts.length = row0
      throw err
    }
  }

  private fill(batch: RecordBatch, f: number, take: number, quote: number): void {
    const { buf, starts, ends, flags, width } = batch
    const end = f + take * width
    switch (this.kind) {
      case 'float64': {
        const f64 = this.f64!
        const check = this.speculative
        for (let i = f; i < end; i += width) {
          const s = starts[i]!
          if (s < 0) this.addAbsent()
          else if (flags[i]! >= 2) this.addEscaped(unescapedSlot(batch, i, quote))
          else {
            const e = ends[i]!
            const r = this.present(buf, s, e)
            if (r < 0) continue
            const v = check ? parseFloatChecked(buf, s, e) : parseFloatCell(buf, s, e)
            if (v !== v) throw new Contradiction()
            f64[r] = v
          }
        }
        return
      }
      case 'int64': {
        for (let i = f; i < end; i += width) {
          const s = starts[i]!
          if (s < 0) this.addAbsent()
          else if (flags[i]! >= 2) this.addEscaped(unescapedSlot(batch, i, quote))
          else {
            const e = ends[i]!
            const r = this.present(buf, s, e)
            if (r >= 0) this.putInt(r, buf, s, e)
          }
        }
        return
      }
      case 'utf8': {
        let text = this.text!
        const offsets = this.offsets!
        for (let i = f; i < end; i += width) {
          const s = starts[i]!
          if (s < 0) this.addAbsent()
          else if (flags[i]! >= 2) this.addEscaped(unescapedSlot(batch, i, quote))
          else {
            const e = ends[i]!
            const r = this.present(buf, s, e)
            if (r < 0) continue
            let at = this.textAt
            if (at + (e - s) > text.length) {
              this.growText(e - s)
              text = this.text!
            }
            if (e - s < 16) for (let k = s; k < e; k++) text[at++] = buf[k]!
            else {
              text.set(buf.subarray(s, e), at)
              at += e - s
            }
            this.textAt = at
            offsets[r + 1] = at
          }
        }
        return
      }
      default:
        for (let i = f; i < end; i += width) {
          const s = starts[i]!
          if (s < 0) this.addAbsent()
          else if (flags[i]! >= 2) this.addEscaped(unescapedSlot(batch, i, quote))
          else this.add(buf, s, ends[i]!)
        }
    }
  }

  private addEscaped(bytes: Uint8Array): void {
    this.add(bytes, 0, bytes.length)
  }

  private putInt(r: number, b: Uint8Array, s: number, e: number): void {
    const small = plainSmallInt(b, s, e)
    if (small === small) return this.put64(r, small)
    const kind = intKind(b, s, e)
    if (kind === SMALL_INT) return this.put64(r, parseSmallInt(b, s, e))
    if (kind === NOT_INT && this.speculative) throw new Contradiction(isFloatText(b, s, e))
    const v = BigInt(trimmedText(b, s, e))
    if (this.speculative && (v < INT64_MIN || v > INT64_MAX)) throw new Contradiction()
    this.i64![r] = v
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
    // pandas makes an integer column with a missing value float64.
    if (this.speculative && this.kind === 'int64') throw new Contradiction(true)
    if (this.texts) this.texts.push(null)
    else if (this.offsets) this.offsets[r + 1] = this.textAt
    this.nulls++
    this.row++
  }

  /** Makes an int64 column float64 (values as Number rounds them, as pandas parses them). */
  toFloat64(): void {
    const f64 = new Float64Array(this.rows)
    const i32 = this.i32!
    for (let r = 0; r < this.row; r++) {
      if ((this.valid[r >> 3]! & (1 << (r & 7))) === 0) continue
      const hi = i32[2 * r + 1]!
      f64[r] =
        hi >= -0x200000 && hi < 0x200000 ? hi * TWO_32 + (i32[2 * r]! >>> 0) : Number(this.i64![r]!)
    }
    this.f64 = f64
    this.i64 = null
    this.i32 = null
    this.kind = 'float64'
    this.add = this.pick()
  }

  /** The column's buffers as built so far (a worker hands them to the thread that owns the table). */
  parts(): ColumnParts {
    if (this.texts) throw new Error('A column of texts has no parts.')
    return {
      kind: this.kind,
      rows: this.row,
      nulls: this.nulls,
      valid: this.valid,
      values: this.f64 ?? this.i64 ?? this.bits ?? this.offsets!,
      text: this.text,
      textBytes: this.textAt,
    }
  }

  /** Appends rows another builder of the same kind made (float64 takes int64 parts too). */
  append(p: ColumnParts): void {
    const at = this.row
    this.ensure(at + p.rows)
    copyBits(p.valid, p.rows, this.valid, at)
    if (this.kind === 'float64' && p.kind === 'int64') {
      const i64 = p.values as BigInt64Array
      for (let r = 0; r < p.rows; r++) this.f64![at + r] = Number(i64[r]!)
    } else if (this.f64) this.f64.set((p.values as Float64Array).subarray(0, p.rows), at)
    else if (this.i64) this.i64.set((p.values as BigInt64Array).subarray(0, p.rows), at)
    else if (this.bits) copyBits(p.values as Uint8Array, p.rows, this.bits, at)
    else {
      const text = p.text!.subarray(0, p.textBytes)
      if (this.textAt + text.length > this.text!.length) this.growText(text.length)
      this.text!.set(text, this.textAt)
      const offsets = p.values as Int32Array
      for (let r = 1; r <= p.rows; r++) this.offsets![at + r] = this.textAt + offsets[r]!
      this.textAt += text.length
    }
    this.row += p.rows
    this.nulls += p.nulls
  }

  /** Room for `rows` rows (a speculative column's guess was short). */
  private ensure(rows: number): void {
    if (rows <= this.rows) return
    const cap = Math.max(rows, Math.ceil(this.rows * 1.25) + 1024)
    const grow = <T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(
      a: T | null,
      n: number,
      make: (n: number) => T,
    ): T | null => {
      if (!a) return null
      const b = make(n)
      b.set(a as never)
      return b
    }
    this.valid = grow(this.valid, Math.ceil(cap / 8), (n) => new Uint8Array(n))!
    this.bits = grow(this.bits, Math.ceil(cap / 8), (n) => new Uint8Array(n))
    this.f64 = grow(this.f64, cap, (n) => new Float64Array(n))
    this.i64 = grow(this.i64, cap, (n) => new BigInt64Array(n))
    this.i32 = this.i64 ? new Int32Array(this.i64.buffer) : null
    this.offsets = grow(this.offsets, cap + 1, (n) => new Int32Array(n))
    this.rows = cap
  }

  private growText(more: number): void {
    if (!this.speculative) throw changed()
    const text = this.text!
    const n = Math.max(this.textAt + more, Math.ceil(text.length * 1.25) + 65536)
    checkTextBytes(n, this.name)
    const bigger = new Uint8Array(n)
    bigger.set(text.subarray(0, this.textAt))
    this.text = bigger
  }

  private wrong(): Error {
    return this.speculative ? new Contradiction() : changed()
  }

  /** The finished column (a speculative one ends at the rows added). */
  finish(): Vector {
    if (this.speculative) this.rows = this.row
    if (this.row !== this.rows) throw changed()
    if (this.texts) return inferColumn(this.name, this.texts, this.rules)
    const length = this.rows
    const nullBitmap = this.valid.subarray(0, Math.ceil(length / 8))
    const validity = { nullBitmap, nullCount: this.nulls }
    switch (this.kind) {
      case 'float64':
      case 'all-null': {
        const data = this.f64!.subarray(0, length)
        return makeVector(makeData({ type: new Float64(), length, data, ...validity }))
      }
      case 'int64': {
        const data = this.i64!.subarray(0, length)
        return makeVector(makeData({ type: new Int64(), length, data, ...validity }))
      }
      case 'timestamp-us': {
        const type = new Timestamp(TimeUnit.MICROSECOND, null)
        const data = this.i64!.subarray(0, length)
        return makeVector(makeData({ type, length, data, ...validity }))
      }
      case 'bool': {
        const data = this.bits!.subarray(0, Math.ceil(length / 8))
        return makeVector(makeData({ type: new Bool(), length, data, ...validity }))
      }
      default: {
        const data = this.text!.subarray(0, this.textAt)
        const valueOffsets = this.offsets!.subarray(0, length + 1)
        return makeVector(makeData({ type: new Utf8(), length, data, valueOffsets, ...validity }))
      }
    }
  }

  // Little-endian halves of an integer a double holds exactly (every platform Node runs on).
  private put64(r: number, v: number): void {
    if (v >= -0x80000000 && v < 0x80000000) {
      this.i32![2 * r] = v
      this.i32![2 * r + 1] = v < 0 ? -1 : 0
      return
    }
    const hi = Math.floor(v / TWO_32)
    this.i32![2 * r] = (v - hi * TWO_32) | 0
    this.i32![2 * r + 1] = hi
  }
}

/** A built column's buffers, as a worker transfers them. */
export interface ColumnParts {
  kind: BuildKind
  rows: number
  nulls: number
  valid: Uint8Array
  /** Float64Array, BigInt64Array (int64, timestamp-us), bits (bool) or offsets (utf8); may run past `rows`. */
  values: Float64Array | BigInt64Array | Uint8Array | Int32Array
  text: Uint8Array | null
  textBytes: number
}

// Bits [0, n) of `from` into `to` from bit `at` (bitmaps are little-endian within a byte).
function copyBits(from: Uint8Array, n: number, to: Uint8Array, at: number): void {
  if ((at & 7) === 0) {
    to.set(from.subarray(0, Math.ceil(n / 8)), at >> 3)
    return
  }
  for (let r = 0; r < n; r++) {
    if (from[r >> 3]! & (1 << (r & 7))) to[(at + r) >> 3]! |= 1 << ((at + r) & 7)
  }
}

function checkTextBytes(bytes: number, name: string): void {
  if (bytes > 2 ** 31 - 1) {
    throw new LimitExceededError(
      `Column '${name}' holds ${bytes} bytes of text, more than an Arrow string column holds (2 GiB).`,
    )
  }
}

function changed(): CorruptPayloadError {
  return new CorruptPayloadError(
    'This CSV changed while it was being read (its second pass differs from the first); read it again.',
  )
}
