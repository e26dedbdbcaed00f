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
import type { Table, Vector } from 'apache-arrow'
import { CorruptPayloadError, InvalidArgumentError, LimitExceededError } from '../../errors.js'
import { tableFromColumns } from '../../table/arrow-columns.js'
import { UNNAMED_INDEX_FIELD, withRangeIndex, withTableIndex } from '../../table/pandas-meta.js'
import type { Kwargs } from '../serializer.js'
import { CsvRecordSplitter, type CsvRecord } from './csv-rows.js'
import { inferColumn, type ColumnRules } from './infer-column.js'
import { readOptions, type ReadOptions } from './read-options.js'

/** Reads a whole CSV payload (bytes, or its bytes in pieces) into an Arrow table. */
export function readPandasCsv(
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

interface FileColumn {
  name: string
  headerText: string
  position: number
  texts: (string | null)[]
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
    const texts = this.implicitIndex ? this.columns.slice(1) : this.columns
    const names = mangle(this.header)
    const all: FileColumn[] = names.map((name, i) => ({
      name,
      headerText: this.header![i]!,
      position: i,
      texts: texts[i]!,
    }))
    const used = this.selectColumns(all)
    const index = this.indexColumn(used)
    const rows = this.rowsKept
    const dataCols = used.filter((c) => c !== index)
    const vectors: Vector[] = dataCols.map((c) => inferColumn(c.name, c.texts, this.rules(c)))
    const fieldNames = dataCols.map((c) => c.name)
    if (!index) return withRangeIndex(tableFromColumns(fieldNames, vectors, rows))
    const indexName = index.headerText === '' ? null : index.name
    const field =
      indexName === null || fieldNames.includes(indexName) ? UNNAMED_INDEX_FIELD : indexName
    vectors.push(inferColumn(index.name, index.texts, this.rules(index)))
    // pyarrow puts index columns after the data columns.
    const table = tableFromColumns([...fieldNames, field], vectors, rows)
    return withTableIndex(table, field, indexName)
  }

  private selectColumns(all: FileColumn[]): FileColumn[] {
    const usecols = this.options.usecols
    if (usecols === null) return all
    for (const u of usecols) {
      if (!all.some((c) => (typeof u === 'number' ? c.position === u : c.name === u))) {
        throw new InvalidArgumentError(
          `pandas.csv usecols: no column ${JSON.stringify(u)}; columns are ${all.map((c) => `'${c.name}'`).join(', ')}`,
        )
      }
    }
    return all.filter((c) => usecols.includes(c.name) || usecols.includes(c.position))
  }

  private indexColumn(used: FileColumn[]): FileColumn | null {
    const { indexCol, header } = this.options
    if (this.implicitIndex) {
      return { name: '', headerText: '', position: -1, texts: this.columns[0]! }
    }
    if (indexCol === false) return null
    if (indexCol === null) {
      const first = used[0]
      return header === 0 && first?.position === 0 && first.headerText === '' ? first : null
    }
    const found =
      typeof indexCol === 'number' ? used[indexCol] : used.find((c) => c.name === indexCol)
    if (!found) {
      throw new InvalidArgumentError(
        `pandas.csv index_col ${JSON.stringify(indexCol)} is not one of the ${used.length} columns read`,
      )
    }
    return found
  }

  private rules(col: FileColumn): ColumnRules {
    const { parseDates, dtype, naValues } = this.options
    const dates = Array.isArray(parseDates)
      ? parseDates.includes(col.name) || parseDates.includes(col.position)
      : parseDates
    const forced =
      dtype === null
        ? undefined
        : typeof dtype === 'string'
          ? dtype
          : Object.hasOwn(dtype, col.name)
            ? dtype[col.name]
            : undefined
    return { naValues, parseDates: dates, dtype: forced }
  }
}

// pandas' column names: an empty header cell is 'Unnamed: i'; a repeated name gets '.1', '.2'.
function mangle(header: readonly string[]): string[] {
  const seen = new Set<string>()
  return header.map((text, i) => {
    const base = text === '' ? `Unnamed: ${i}` : text
    let name = base
    for (let k = 1; seen.has(name); k++) name = `${base}.${k}`
    seen.add(name)
    return name
  })
}
