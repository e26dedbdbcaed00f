/**
 * pd.read_csv's record reading without Arrow: header, pandas' implicit index, the kept rows'
 * texts per column. read-csv.ts makes a table of them; csv-page-json.ts a page of JSON cells.
 */
import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import type { Kwargs } from '../serializer.js'
import { CsvRecordSplitter, type CsvRecord } from './csv-rows.js'
import { planTable, type PlannedColumn, type TablePlan } from './csv-plan.js'
import { readOptions, type ReadOptions } from './read-options.js'

/** The kept rows: the planned columns, how many rows, and each column's texts. */
export interface KeptRows {
  plan: TablePlan
  rows: number
  texts: (column: PlannedColumn) => readonly (string | null)[]
}

/** Bytes in, records out, incrementally; keeps at most `keepRows` rows but counts them all. */
export class CsvTextReader {
  readonly options: ReadOptions
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })
  private readonly splitter: CsvRecordSplitter
  private header: string[] | null = null
  private width = 0
  private implicitIndex: boolean | null = null
  private columns: (string | null)[][] = []
  private seen = 0

  private keptCells = 0

  constructor(
    kwargs: Kwargs,
    private readonly keepRows = Infinity,
    /** Cells (rows kept x columns) held at most; a page of a very wide file stops here. */
    private readonly maxCells = Infinity,
  ) {
    this.options = readOptions(kwargs)
    this.splitter = new CsvRecordSplitter(this.options.sep, this.options.quoteChar)
  }

  /** True once nrows rows were read: more input cannot change the result. */
  get full(): boolean {
    return this.options.nrows !== null && this.seen >= this.options.nrows
  }

  /** Data rows read so far (capped by nrows). */
  get rowsSeen(): number {
    return this.seen
  }

  /** Whether the header record (or, without one, the first record) has been read. */
  get hasHeader(): boolean {
    return this.header !== null
  }

  /** Data rows held for the table. */
  get rowsKept(): number {
    return Math.min(this.seen, this.keepRows)
  }

  /** Characters of an incomplete record held back until more text comes. */
  get pendingLength(): number {
    return this.splitter.pendingLength
  }

  /** Feeds the next bytes of the file. */
  push(bytes: Uint8Array): void {
    this.take(this.splitter.push(this.decode(bytes, true)))
  }

  /** Ends the input. */
  end(): void {
    this.take(this.splitter.push(this.decode(new Uint8Array(0), false)))
    this.take(this.splitter.end())
  }

  private decode(bytes: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(bytes, { stream })
    } catch (err) {
      throw new CorruptPayloadError('This CSV is not valid UTF-8.', { cause: err })
    }
  }

  private take(records: CsvRecord[]): void {
    for (const { fields, number } of records) {
      if (this.full) return
      if (this.header === null) {
        this.width = fields.length
        this.header = this.options.header === 0 ? fields : fields.map((_, i) => String(i))
        if (this.options.header === 0) continue
      }
      if (this.implicitIndex === null) {
        this.implicitIndex =
          this.options.header === 0 &&
          this.options.indexCol === null &&
          fields.length === this.width + 1
        if (this.implicitIndex) this.width += 1
        this.columns = Array.from({ length: this.width }, () => [])
      }
      if (fields.length > this.width) {
        throw new CorruptPayloadError(
          `This CSV is malformed: expected ${this.width} fields in record ${number}, saw ${fields.length}.`,
        )
      }
      if (this.seen < this.keepRows) {
        this.keptCells += this.width
        if (this.keptCells > this.maxCells) throw this.tooManyCells()
        this.columns.forEach((col, c) => col.push(fields[c] ?? null))
      }
      this.seen++
    }
  }

  private tooManyCells(): LimitExceededError {
    const rows = Math.floor(this.maxCells / this.width)
    return new LimitExceededError(
      `This CSV has ${this.width.toLocaleString('en-US')} columns: ${this.keepRows} rows of it ` +
        `would be more than the ${this.maxCells.toLocaleString('en-US')} cells a preview holds. ` +
        (rows > 0 ? `Ask for ${rows} rows or fewer, or load` : 'Load') +
        ' the artifact to read it all.',
    )
  }

  /** The kept rows' plan and texts (what a table or a page of JSON cells is made from). */
  kept(): KeptRows {
    if (this.header === null) throw new CorruptPayloadError('No columns to parse from this CSV.')
    if (this.implicitIndex === null) this.columns = this.header.map(() => [])
    const plan = planTable(this.options, this.header, this.implicitIndex === true)
    return { plan, rows: this.rowsKept, texts: (c) => this.columns[c.fileIndex]! }
  }
}
