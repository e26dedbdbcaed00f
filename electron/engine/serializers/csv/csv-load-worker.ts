/**
 * A worker thread of the one-pass CSV load (csv-load-parallel.ts): it reads the second part of
 * the file, from just after a line end, as the main thread's one pass would with the types that
 * pass guessed, and hands back each column's buffers. The main thread sends the pieces (it
 * owns the backend) and checks that its own part ended at that same line end; anything this
 * worker cannot read (an error, a contradicted guess) it reports, and the main thread then
 * reads the part itself, so results and errors stay the single thread's.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ColumnBuilder, type ColumnParts } from './csv-build.js'
import { CsvByteSplitter } from './csv-bytes-split.js'
import { NaMatcher } from './csv-cell-bytes.js'
import { buildBatch, type WorkerSetup } from './csv-load-spec.js'
import { MAX_RECORD_BYTES } from './csv-scan.js'
import { Utf8Validator } from './csv-utf8.js'

/** Messages from the main thread. */
export type ToWorker = { piece: Uint8Array } | { end: true }
/** Messages to the main thread. */
export type FromWorker =
  { ack: true } | { done: true; rows: number; parts: (ColumnParts | null)[] } | { failed: string }

function run(setup: WorkerSetup & { bytes: number }): void {
  const port = parentPort!
  const na = new NaMatcher(new Set(setup.naValues))
  const rows = Math.ceil((setup.bytes / setup.bytesPerRow) * 1.03) + 1024
  const builders: (ColumnBuilder | null)[] = Array.from({ length: setup.width }, () => null)
  for (const c of setup.columns) {
    const text = Math.ceil(c.textPerRow * rows * 1.02) + 1024
    builders[c.fileIndex] = new ColumnBuilder(c.kind, rows, text, na, c.name, c.rules, true)
  }
  let count = 0
  const utf8 = new Utf8Validator()
  const splitter = new CsvByteSplitter(setup.sep, setup.quote, 'This CSV', MAX_RECORD_BYTES, () => {
    throw new Error('A worker reads batches only.')
  })
  splitter.startMidFile(setup.lineEnd)
  splitter.batchRecords(setup.width, (b) => {
    buildBatch(builders, b, setup.quote)
    count += b.rows
    return true
  })
  let failed = false
  port.on('message', (m: ToWorker) => {
    if (failed) return
    try {
      if ('piece' in m) {
        utf8.push(m.piece)
        splitter.push(m.piece)
        port.postMessage({ ack: true } satisfies FromWorker)
        return
      }
      utf8.end()
      splitter.end()
      const parts = builders.map((c) => c?.parts() ?? null)
      const transfer = parts.flatMap((p) =>
        p ? [p.valid.buffer, p.values.buffer, ...(p.text ? [p.text.buffer] : [])] : [],
      ) as ArrayBuffer[]
      port.postMessage({ done: true, rows: count, parts } satisfies FromWorker, transfer)
    } catch (err) {
      failed = true
      port.postMessage({ failed: String(err) } satisfies FromWorker)
    }
  })
}

run(workerData as WorkerSetup & { bytes: number })
