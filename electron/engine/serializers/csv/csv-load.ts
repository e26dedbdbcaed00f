/**
 * The whole-file CSV reader (load, and the check `put` makes): two passes over the bytes in
 * pieces of a few MB, never the file as text. The first validates UTF-8, splits records
 * (csv-bytes-split.ts) and judges each column's type from bytes (csv-profile.ts), holding a
 * few flags per column; the second splits again and writes every value once into Arrow
 * buffers sized from the first pass's counts (csv-build.ts). `put`'s check is the first pass
 * alone, so it holds one piece and the longest record, whatever the file's size. Results and
 * errors are the text reader's (read-csv.ts), which still reads what the byte splitter
 * cannot promise to split as papaparse does.
 */
import type { Table } from 'apache-arrow'
import { CorruptPayloadError } from '../../errors.js'
import type { Kwargs, Target } from '../serializer.js'
import { ColumnBuilder } from './csv-build.js'
import {
  CsvByteSplitter,
  FallbackToTextReader,
  fieldBytes,
  type FieldSpans,
} from './csv-bytes-split.js'
import { NaMatcher } from './csv-cell-bytes.js'
import { ColumnProfile } from './csv-profile.js'
import { MAX_RECORD_BYTES } from './csv-scan.js'
import { assembleTable, planTable } from './csv-table-plan.js'
import { Utf8Validator } from './csv-utf8.js'
import { readPandasCsvText } from './read-csv.js'
import { readOptions, type ReadOptions } from './read-options.js'

/** Bytes read per piece. */
export const LOAD_PIECE_BYTES = 4 * 1024 * 1024

/** How often a file was read by the text reader instead (tests check the byte reader ran). */
export const loadStats = { fallbacks: 0 }

/** Reads pieces of a payload: sync over bytes in memory, async through a backend. */
interface PieceSource {
  size: number
  read(offset: number, length: number): Uint8Array | Promise<Uint8Array | undefined>
}

/** What a check saw: data rows, and the most bytes it held at once (one piece plus a record). */
export interface CsvCheck {
  rows: number
  peakHeldBytes: number
}

/** Reads whole CSV bytes into a table (`pieceBytes`: tests make pieces small to cut records). */
export function loadCsvBytes(
  bytes: Uint8Array,
  kwargs: Kwargs = {},
  pieceBytes = LOAD_PIECE_BYTES,
): Table {
  const options = readOptions(kwargs)
  try {
    const source = memorySource(bytes)
    const first = new ProfilePass(options, 'This CSV', pieceBytes)
    runSync(source, first)
    const second = new BuildPass(options, first, pieceBytes)
    runSync(source, second)
    return second.table()
  } catch (err) {
    if (!(err instanceof FallbackToTextReader)) throw err
    loadStats.fallbacks++
    return readPandasCsvText(bytes, kwargs)
  }
}

/** Reads a CSV payload into a table through the backend's byte ranges. */
export async function loadCsvTarget(target: Target, kwargs: Kwargs, size: number): Promise<Table> {
  const options = readOptions(kwargs)
  const source: PieceSource = {
    size,
    read: (offset, length) => target.backend.get(target.path, { offset, length }),
  }
  try {
    const first = new ProfilePass(options, target.path, LOAD_PIECE_BYTES)
    await runAsync(source, first)
    const second = new BuildPass(options, first, LOAD_PIECE_BYTES)
    await runAsync(source, second)
    return second.table()
  } catch (err) {
    if (!(err instanceof FallbackToTextReader)) throw err
    loadStats.fallbacks++
    const bytes = await target.backend.get(target.path)
    if (!bytes)
      throw new CorruptPayloadError(`The CSV payload ${target.path} disappeared while it was read.`)
    return readPandasCsvText(bytes, kwargs)
  }
}

/**
 * Checks that CSV bytes load as `load` would read them with no kwargs, without building the
 * table: same errors, memory bounded by a piece and the longest record.
 */
export function checkCsvBytes(bytes: Uint8Array, pieceBytes = LOAD_PIECE_BYTES): CsvCheck {
  const options = readOptions({})
  try {
    const pass = new ProfilePass(options, 'This CSV', pieceBytes)
    runSync(memorySource(bytes), pass)
    pass.finish()
    return { rows: pass.rows, peakHeldBytes: pass.peakHeldBytes }
  } catch (err) {
    if (!(err instanceof FallbackToTextReader)) throw err
    loadStats.fallbacks++
    const table = readPandasCsvText(bytes, {})
    return { rows: table.numRows, peakHeldBytes: bytes.length }
  }
}

function memorySource(bytes: Uint8Array): PieceSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) }
}

interface Pass {
  push(piece: Uint8Array): void
  end(): void
  /** Bytes to read next (more when a long record is held back). */
  readonly wanted: number
  readonly stopped: boolean
}

function runSync(source: PieceSource, pass: Pass): void {
  for (let at = 0; at < source.size && !pass.stopped;) {
    const piece = source.read(at, Math.min(pass.wanted, source.size - at)) as Uint8Array
    if (piece.length === 0) break
    at += piece.length
    pass.push(piece)
  }
  pass.end()
}

async function runAsync(source: PieceSource, pass: Pass): Promise<void> {
  for (let at = 0; at < source.size && !pass.stopped;) {
    const piece = await source.read(at, Math.min(pass.wanted, source.size - at))
    if (!piece || piece.length === 0) break
    at += piece.length
    pass.push(piece)
  }
  pass.end()
}

/** The first pass: UTF-8, records, widths and column profiles. */
class ProfilePass implements Pass {
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
}

/** The second pass: every used column's values into its builder. */
class BuildPass implements Pass {
  private readonly splitter: CsvByteSplitter
  private readonly builders: (ColumnBuilder | null)[]
  private readonly plan: ReturnType<typeof planTable>
  private readonly quote: number
  private headerSkipped: boolean
  private row = 0
  private readonly rows: number

  constructor(
    options: ReadOptions,
    first: ProfilePass,
    private readonly pieceBytes: number,
  ) {
    first.finish()
    this.rows = first.rows
    this.quote = options.quoteChar.charCodeAt(0)
    this.headerSkipped = options.header === null
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

  table(): Table {
    return assembleTable(this.plan, this.rows, (c) => this.builders[c.fileIndex]!.finish())
  }

  private record(s: FieldSpans): boolean {
    if (!this.headerSkipped) {
      this.headerSkipped = true
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
