/**
 * The two passes of the whole-file CSV reader (see csv-load.ts): the first validates UTF-8,
 * splits records and profiles each column's type from bytes; the second splits again and
 * writes each used column's values into its builder.
 */
import type { Table } from 'apache-arrow'
import { CorruptPayloadError } from '../../errors.js'
import { ColumnBuilder } from './csv-build.js'
import {
  CsvByteSplitter,
  FallbackToTextReader,
  fieldBytes,
  type FieldSpans,
} from './csv-bytes-split.js'
import { NaMatcher } from './csv-cell-bytes.js'
import { ColumnProfile } from './csv-profile.js'
import type { RecordBatch } from './csv-record-batch.js'
import { MAX_RECORD_BYTES } from './csv-scan.js'
import { assembleTable, planTable, type TablePlan } from './csv-table-plan.js'
import { Utf8Validator } from './csv-utf8.js'
import type { ReadOptions } from './read-options.js'

/** A pass fed the file's pieces in order. */
export interface Pass {
  push(piece: Uint8Array): void
  end(): void
  /** Bytes to read next (more when a long record is held back). */
  readonly wanted: number
  readonly stopped: boolean
}

/** The first pass: UTF-8, records, widths and column profiles. */
export class ProfilePass implements Pass {
  header: string[] | null = null
  width = 0
  implicitIndex: boolean | null = null
  rows = 0
  profiles: ColumnProfile[] = []
  peakHeldBytes = 0
  private readonly splitter: CsvByteSplitter
  private readonly utf8 = new Utf8Validator()
  private readonly na: NaMatcher
  private readonly quote: number
  // The text reader decodes before it splits, so an invalid byte anywhere wins over a
  // malformed record: a split error waits until the rest has been validated.
  private pending: Error | null = null

  constructor(
    private readonly options: ReadOptions,
    what: string,
    private readonly pieceBytes: number,
  ) {
    this.na = new NaMatcher(options.naValues)
    this.quote = options.quoteChar.charCodeAt(0)
    this.splitter = new CsvByteSplitter(
      options.sep.charCodeAt(0),
      this.quote,
      what,
      MAX_RECORD_BYTES,
      (s) => this.record(s),
    )
  }

  get wanted(): number {
    return this.pending ? this.pieceBytes : Math.max(this.pieceBytes, this.splitter.pendingBytes)
  }

  get stopped(): boolean {
    return this.splitter.done
  }

  push(piece: Uint8Array): void {
    this.utf8.push(piece)
    if (this.pending) return
    this.peakHeldBytes = Math.max(this.peakHeldBytes, piece.length + this.splitter.pendingBytes)
    this.guard(() => this.splitter.push(piece))
  }

  end(): void {
    if (!this.splitter.done) this.utf8.end()
    if (!this.pending) this.guard(() => this.splitter.end())
    if (this.pending) throw this.pending
  }

  /** Throws what `toTable` would for a file without a header. */
  finish(): void {
    if (this.header === null) throw new CorruptPayloadError('No columns to parse from this CSV.')
  }

  private guard(step: () => void): void {
    try {
      step()
    } catch (err) {
      if (err instanceof FallbackToTextReader) throw err
      this.pending = err as Error
    }
  }

  private record(s: FieldSpans): boolean {
    const { nrows, header } = this.options
    if (nrows !== null && this.rows >= nrows) return false
    if (this.header === null) {
      this.width = s.count
      this.header = Array.from({ length: s.count }, (_, f) =>
        header === 0 ? new TextDecoder().decode(fieldBytes(s, f, this.quote)) : String(f),
      )
      if (header === 0) return true
    }
    if (this.implicitIndex === null) {
      this.implicitIndex =
        header === 0 && this.options.indexCol === null && s.count === this.width + 1
      if (this.implicitIndex) this.width += 1
      this.profiles = Array.from({ length: this.width }, () => new ColumnProfile(this.na))
      this.skipUnused()
      // nrows stops mid-piece, where a batch would already have judged the records after it.
      if (this.options.nrows === null) this.splitter.batchRecords(this.width, (b) => this.batch(b))
    }
    if (s.count > this.width) {
      throw new CorruptPayloadError(
        `This CSV is malformed: expected ${this.width} fields in record ${s.number}, saw ${s.count}.`,
      )
    }
    const { starts, ends, flags, buf } = s
    for (let f = 0; f < this.width; f++) {
      const p = this.profiles[f]!
      if (f >= s.count) p.addAbsent()
      else if (flags[f]! < 2) p.add(buf, starts[f]!, ends[f]!)
      else p.addEscaped(buf, starts[f]!, ends[f]!, this.quote)
    }
    this.rows++
    return true
  }

  private batch(b: RecordBatch): boolean {
    for (let f = 0; f < this.width; f++) this.profiles[f]!.addBatch(b, f, this.quote)
    this.rows += b.rows
    return true
  }

  // Only the columns the table holds need a type, and only parse_dates columns a date verdict
  // (when the plan fails here, every column is judged and the build pass reports the error).
  private skipUnused(): void {
    let plan: TablePlan
    try {
      plan = planTable(this.options, this.header!, this.implicitIndex === true)
    } catch {
      return
    }
    const used = [...plan.data, ...(plan.index ? [plan.index] : [])]
    this.profiles.forEach((p, f) => {
      const c = used.find((u) => u.fileIndex === f)
      if (!c) p.skip()
      else if (!c.rules.parseDates) p.skipDates()
    })
  }
}

/** The second pass: every used column's values into its builder. */
export class BuildPass implements Pass {
  private readonly splitter: CsvByteSplitter
  private readonly builders: (ColumnBuilder | null)[]
  private readonly plan: ReturnType<typeof planTable>
  private readonly quote: number
  private headerSkipped: boolean
  private row = 0
  private readonly rows: number
  private readonly nrows: number | null

  constructor(
    options: ReadOptions,
    first: ProfilePass,
    private readonly pieceBytes: number,
  ) {
    first.finish()
    this.rows = first.rows
    this.quote = options.quoteChar.charCodeAt(0)
    this.headerSkipped = options.header === null
    this.nrows = options.nrows
    this.plan = planTable(options, first.header!, first.implicitIndex === true)
    const na = new NaMatcher(options.naValues)
    this.builders = Array.from({ length: first.width }, () => null)
    for (const c of [...this.plan.data, ...(this.plan.index ? [this.plan.index] : [])]) {
      const profile = first.profiles[c.fileIndex]
      const kind = c.rules.dtype
        ? 'texts'
        : (profile?.kind(this.rows, c.rules.parseDates) ?? 'utf8')
      const bytes = profile?.textBytes ?? 0
      this.builders[c.fileIndex] = new ColumnBuilder(kind, this.rows, bytes, na, c.name, c.rules)
    }
    this.splitter = new CsvByteSplitter(
      options.sep.charCodeAt(0),
      this.quote,
      'This CSV',
      MAX_RECORD_BYTES,
      (s) => this.record(s),
    )
    if (this.headerSkipped) this.batchRecords()
  }

  get wanted(): number {
    return Math.max(this.pieceBytes, this.splitter.pendingBytes)
  }

  get stopped(): boolean {
    return this.splitter.done
  }

  push(piece: Uint8Array): void {
    this.splitter.push(piece)
  }

  end(): void {
    this.splitter.end()
  }

  // nrows stops mid-piece: records after it may be ones the first pass never split.
  private batchRecords(): void {
    if (this.nrows === null) this.splitter.batchRecords(this.builders.length, (b) => this.batch(b))
  }

  private batch(b: RecordBatch): boolean {
    const take = Math.min(b.rows, this.rows - this.row)
    const builders = this.builders
    for (let f = 0; f < builders.length; f++) builders[f]?.addBatch(b, f, take, this.quote)
    this.row += take
    return this.row < this.rows
  }

  table(): Table {
    return assembleTable(this.plan, this.rows, (c) => this.builders[c.fileIndex]!.finish())
  }

  private record(s: FieldSpans): boolean {
    if (!this.headerSkipped) {
      this.headerSkipped = true
      this.batchRecords()
      return this.rows > 0
    }
    const { starts, ends, flags, buf } = s
    const builders = this.builders
    for (let f = 0; f < builders.length; f++) {
      const b = builders[f]
      if (!b) continue
      if (f >= s.count) b.addAbsent()
      else if (flags[f]! < 2) b.add(buf, starts[f]!, ends[f]!)
      else {
        const bytes = fieldBytes(s, f, this.quote)
        b.add(bytes, 0, bytes.length)
      }
    }
    return ++this.row < this.rows
  }
}
