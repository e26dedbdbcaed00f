/**
 * The whole-file CSV reader in one pass (see csv-load.ts): the first piece's records are
 * profiled to guess each column's type (csv-profile.ts), then every piece, the first
 * included, is split once and written straight into Arrow buffers that grow (csv-build.ts),
 * each cell checked against its column's type. An integer column meeting a missing value or
 * a float becomes float64 in place, as pandas would make it. Any other contradiction, and any
 * error, throws Replan: the caller then reads the file in the two passes, which define the
 * result and the errors.
 */
import type { Table } from 'apache-arrow'
import { ColumnBuilder, Contradiction, type ColumnParts } from './csv-build.js'
import { CsvByteSplitter, fieldBytes, type FieldSpans } from './csv-bytes-split.js'
import { NaMatcher } from './csv-cell-bytes.js'
import type { Pass } from './csv-load-passes.js'
import { ColumnProfile, type BuildKind } from './csv-profile.js'
import type { RecordBatch } from './csv-record-batch.js'
import { MAX_RECORD_BYTES } from './csv-scan.js'
import { assembleTable, planTable, type TablePlan } from './csv-table-plan.js'
import { Utf8Validator } from './csv-utf8.js'
import type { ColumnRules } from './infer-column.js'
import type { ReadOptions } from './read-options.js'

/** The one pass cannot promise the two passes' result: read the file with them. */
export class Replan extends Error {}

/** Whether the one pass may read with these options (nrows stops mid-piece: two passes). */
export function canReadInOnePass(options: ReadOptions): boolean {
  return options.nrows === null
}

/** The one pass: header, then batches of records into speculative builders. */
export class OnePass implements Pass {
  private header: string[] | null = null
  private width = 0
  private rows = 0
  private plan: TablePlan | null = null
  private builders: (ColumnBuilder | null)[] | null = null
  private bytesPerRow = 1
  private readonly splitter: CsvByteSplitter
  private readonly utf8 = new Utf8Validator()
  private readonly na: NaMatcher
  private readonly quote: number

  constructor(
    private readonly options: ReadOptions,
    what: string,
    private readonly pieceBytes: number,
    private readonly fileBytes: number,
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
    return Math.max(this.pieceBytes, this.splitter.pendingBytes)
  }

  get stopped(): boolean {
    return this.splitter.done
  }

  push(piece: Uint8Array): void {
    this.utf8.push(piece)
    this.splitter.push(piece)
  }

  end(): void {
    this.utf8.end()
    this.splitter.end()
  }

  /** The table; Replan when the file held no data row (the two passes say what pandas does). */
  table(): Table {
    const { plan, builders } = this
    if (!plan || !builders) throw new Replan()
    return assembleTable(plan, this.rows, (c) => builders[c.fileIndex]!.finish())
  }

  private record(s: FieldSpans): boolean {
    const header = this.options.header
    if (this.header === null) {
      this.width = s.count
      this.header = Array.from({ length: s.count }, (_, f) =>
        header === 0 ? new TextDecoder().decode(fieldBytes(s, f, this.quote)) : String(f),
      )
      if (header === 0) return true
    }
    const implicit = header === 0 && this.options.indexCol === null && s.count === this.width + 1
    if (implicit) this.width += 1
    this.plan = planTable(this.options, this.header, implicit)
    this.splitter.batchRecords(this.width, (b) => this.batch(b), true)
    return true
  }

  private batch(b: RecordBatch): boolean {
    this.builders ??= this.guess(b)
    buildBatch(this.builders, b, this.quote)
    this.rows += b.rows
    return true
  }

  /** What a worker needs to read the rest of the file as this pass would (null: no guess yet, or texts). */
  setup(): WorkerSetup | null {
    const builders = this.builders
    if (!builders || builders.some((c) => c?.kind === 'texts')) return null
    const columns = builders.flatMap((c, f) => (c ? [{ fileIndex: f, ...c.describe() }] : []))
    return {
      sep: this.options.sep.charCodeAt(0),
      quote: this.quote,
      lineEnd: this.splitter.lineEnd,
      width: this.width,
      naValues: [...this.options.naValues],
      columns,
      bytesPerRow: this.bytesPerRow,
    }
  }

  /** Bytes held back as an incomplete record (none when a piece ended at a record's end). */
  get pendingBytes(): number {
    return this.splitter.pendingBytes
  }

  /** Appends the rows a worker read after this pass's last one. */
  appendRows(rows: number, parts: (ColumnParts | null)[]): void {
    const builders = this.builders!
    parts.forEach((p, f) => {
      const c = builders[f]
      if (!p || !c) return
      if (c.kind === 'int64' && p.kind === 'float64') c.toFloat64()
      c.append(p)
    })
    this.rows += rows
  }

  // Each used column's type judged on the first batch, sized for the file at its density.
  private guess(b: RecordBatch): (ColumnBuilder | null)[] {
    const plan = this.plan!
    this.bytesPerRow = Math.max(1, b.buf.length) / b.rows
    const rowsGuess = Math.ceil((this.fileBytes / this.bytesPerRow) * 1.03) + 1024
    const builders: (ColumnBuilder | null)[] = Array.from({ length: this.width }, () => null)
    for (const c of [...plan.data, ...(plan.index ? [plan.index] : [])]) {
      const p = new ColumnProfile(this.na)
      if (!c.rules.parseDates) p.skipDates()
      p.addBatch(b, c.fileIndex, this.quote)
      let kind: BuildKind = c.rules.dtype ? 'texts' : p.kind(b.rows, c.rules.parseDates)
      // Integers past 2^64 are text only while no other number comes: two passes judge it.
      if (kind === 'utf8' && p.intsOnly) throw new Replan()
      // A column missing so far becomes float64 if numbers come, as pandas would read it.
      if (kind === 'all-null') kind = 'float64'
      const textBytes = Math.ceil((p.textBytes / b.rows) * rowsGuess * 1.02) + 1024
      builders[c.fileIndex] = new ColumnBuilder(
        kind,
        rowsGuess,
        kind === 'utf8' ? textBytes : 0,
        this.na,
        c.name,
        c.rules,
        true,
      )
    }
    return builders
  }
}

/** How a worker reads a range of the file (csv-load-worker.ts), from the one pass's guess. */
export interface WorkerSetup {
  sep: number
  quote: number
  lineEnd: number
  width: number
  naValues: string[]
  columns: {
    fileIndex: number
    kind: BuildKind
    name: string
    rules: ColumnRules
    textPerRow: number
  }[]
  bytesPerRow: number
}

/**
 * Adds a batch to every column's speculative builder: an int64 column meeting a missing value
 * or a float widens to float64 and takes the batch again; any other contradiction is a Replan.
 */
export function buildBatch(
  builders: (ColumnBuilder | null)[],
  b: RecordBatch,
  quote: number,
): void {
  for (let f = 0; f < builders.length; f++) {
    const c = builders[f]
    if (!c) continue
    try {
      c.addBatch(b, f, b.rows, quote)
    } catch (err) {
      if (!(err instanceof Contradiction) || !err.toFloat) throw replan(err)
      c.toFloat64()
      try {
        c.addBatch(b, f, b.rows, quote)
      } catch (again) {
        throw replan(again)
      }
    }
  }
}

function replan(err: unknown): Error {
  return err instanceof Contradiction ? new Replan() : (err as Error)
}
