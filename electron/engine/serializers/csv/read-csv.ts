/**
 * pd.read_csv for the files DataFrame.to_csv writes, producing an Arrow table whose pandas
 * index is recorded as pyarrow records it (see table/pandas-meta.ts).
 *
 * Which column is the index, with no index_col kwarg: pandas' implicit index (data records one
 * field longer than the header: to_csv(index_label=False) writes that), else a first column
 * whose header cell is empty (to_csv's unnamed index). A first column with a name, like
 * daily-obs' 'time', stays a data column: from the file alone it cannot be told apart from
 * data written with index=False, and pd.read_csv keeps it as data too. Pass index_col=0 (the
 * serializer derives it from the sidecar's dump_kwargs, see csvLoadKwargs) to make it the
 * index. Without an index the table gets pandas' default RangeIndex.
 */
import type { Table } from 'apache-arrow'
import { CorruptPayloadError, LimitExceededError } from '../../errors.js'
import type { Kwargs } from '../serializer.js'
import { loadCsvBytes } from './csv-load.js'
import { CsvRecordSplitter, type CsvRecord } from './csv-rows.js'
import { assembleTable, planTable } from './csv-table-plan.js'
import { inferColumn } from './infer-column.js'
import { readOptions, type ReadOptions } from './read-options.js'

/**
 * Reads a whole CSV payload (bytes, or its bytes in pieces) into an Arrow table. Whole bytes
 * go through the byte reader (csv-load.ts); pieces through the text reader below.
 */
export function readPandasCsv(
  input: Uint8Array | Iterable<Uint8Array>,
  kwargs: Kwargs = {},
): Table {
  if (input instanceof Uint8Array) return loadCsvBytes(input, kwargs)
  return readPandasCsvText(input, kwargs)
}

/** The text reader over the whole input: the reference the byte reader falls back to. */
export function readPandasCsvText(
  input: Uint8Array | Iterable<Uint8Array>,
  kwargs: Kwargs = {},
): Table {
  const reader = new PandasCsvReader(kwargs)
  for (const piece of input instanceof Uint8Array ? [input] : input) {
    reader.push(piece)
    if (reader.full) break
  }
  reader.end()
  return reader.toTable()
}

/** Bytes in, table out, incrementally; keeps at most `keepRows` rows but counts them all. */
export class PandasCsvReader {
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

  /** The table of the kept rows. */
  toTable(): Table {
    if (this.header === null) throw new CorruptPayloadError('No columns to parse from this CSV.')
    if (this.implicitIndex === null) this.columns = this.header.map(() => [])
    const plan = planTable(this.options, this.header, this.implicitIndex === true)
    return assembleTable(plan, this.rowsKept, (c) =>
      inferColumn(c.name, this.columns[c.fileIndex]!, c.rules),
    )
  }
}
