/**
 * CSV text, fed in pieces, split into records by papaparse's low-level Parser. The piece
 * boundaries can fall anywhere (inside a quoted field, between '\r' and '\n'): the parser is
 * told the last record may be incomplete, and the unconsumed tail is carried into the next
 * piece. Blank lines are skipped as pandas' skip_blank_lines does, but a line holding only
 * `""` is a record with one empty field (Python's csv writes that for a lone missing value).
 */
import { createRequire } from 'node:module'
import type PapaModule from 'papaparse'
import { CorruptPayloadError } from '../../errors.js'

// require, not import: Node's ESM import of a CommonJS file first lexes it for named exports,
// which costs a CLI page (show-csv-page.ts) ~50 ms of its start-up; require costs ~5 ms.
const Papa = createRequire(import.meta.url)('papaparse') as typeof PapaModule

/** One record: its fields as text, and its number in the file (1-based, header included). */
export interface CsvRecord {
  fields: string[]
  number: number
}

interface StepResult {
  data: string[][]
  errors: { message: string }[]
  meta: { cursor: number }
}

/** Incremental record splitter; see the module comment. */
export class CsvRecordSplitter {
  private pending = ''
  private newline: '\n' | '\r\n' | '\r' | undefined
  private count = 0
  private started = false

  constructor(
    private readonly sep: string,
    private readonly quoteChar = '"',
  ) {}

  /** Feeds the next piece of text; returns the records it completed. */
  push(text: string): CsvRecord[] {
    if (!this.started && text.length > 0) {
      this.started = true
      // pandas drops a UTF-8 byte-order mark.
      if (text.startsWith('\uFEFF')) text = text.slice(1)
    }
    this.pending += text
    // A record ends at a line break, so a piece without one completes none: skipping the
    // parse keeps a long line read in many pieces linear instead of re-parsing it each time.
    if (!LINE_BREAK.test(text)) return []
    return this.parse(false)
  }

  /** Characters held back as an incomplete record (the preview reads more at once when big). */
  get pendingLength(): number {
    return this.pending.length
  }

  /** Ends the input; returns the last records. */
  end(): CsvRecord[] {
    return this.parse(true)
  }

  private parse(final: boolean): CsvRecord[] {
    this.newline ??= detectNewline(this.pending, this.quoteChar, final)
    if (!this.newline) return []
    const records: CsvRecord[] = []
    const text = this.pending
    let start = 0
    const parser = new Papa.Parser({
      delimiter: this.sep,
      newline: this.newline,
      quoteChar: this.quoteChar,
      escapeChar: this.quoteChar,
      step: (result: StepResult) => {
        const fields = result.data[0] ?? ['']
        const raw = text.slice(start, result.meta.cursor)
        start = result.meta.cursor
        if (result.errors.length > 0) throw this.malformed(result.errors[0]!.message)
        this.count++
        const blank = fields.length === 1 && fields[0] === '' && !raw.startsWith(this.quoteChar)
        if (!blank) records.push({ fields, number: this.count })
      },
    })
    const result = parser.parse(text, 0, !final) as StepResult
    // Errors outside a step belong to the unfinished tail, unless this is the end.
    if (final && result.errors.length > 0) throw this.malformed(result.errors[0]!.message)
    this.pending = final ? '' : text.slice(result.meta.cursor)
    return records
  }

  private malformed(message: string): CorruptPayloadError {
    return new CorruptPayloadError(
      `This CSV is malformed near record ${this.count + 1}: ${message.toLowerCase()}.`,
    )
  }
}

const LINE_BREAK = /[\r\n]/

// The first line ending outside quotes decides the file's line terminator (pandas accepts any
// of the three; papaparse needs one). undefined: not seen yet, wait for more text.
function detectNewline(
  text: string,
  quoteChar: string,
  final: boolean,
): '\n' | '\r\n' | '\r' | undefined {
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === quoteChar) quoted = !quoted
    else if (!quoted && c === '\n') return '\n'
    else if (!quoted && c === '\r') {
      if (i + 1 < text.length) return text[i + 1] === '\n' ? '\r\n' : '\r'
      return final ? '\r' : undefined
    }
  }
  return final ? '\n' : undefined
}
