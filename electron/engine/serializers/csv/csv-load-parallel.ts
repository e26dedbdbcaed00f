/**
 * The one-pass CSV load on two threads: once the main thread's pass has guessed the column
 * types (first piece), a worker (csv-load-worker.ts) reads the file from the first line end
 * after its middle while the main thread reads up to it; the worker's columns are then
 * appended to the main thread's. Where that line end sits inside a quoted field, the main
 * thread's part ends holding an incomplete record: the worker's work is dropped and the main
 * thread reads on alone, as it does when the worker fails. pandas' parser is single-threaded;
 * the machines this runs on have two cores or more.
 */
import { existsSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { OnePass, WorkerSetup } from './csv-load-spec.js'
import type { FromWorker, ToWorker } from './csv-load-worker.js'

/**
 * Files smaller than `minBytes` are read on one thread (a worker costs tens of ms to start),
 * and so is every file while the 1-minute load average leaves less than `idleCores` cores
 * idle: a second thread then only competes for a busy core and adds its own work (measured:
 * 4.7 s of CPU instead of 3.7 s for 2 M rows). `runs` counts parts a worker read and `dropped`
 * those the main thread read again (tests).
 */
export const parallelLoad = { minBytes: 48 * 1024 * 1024, idleCores: 1, runs: 0, dropped: 0 }

type Read = (offset: number, length: number) => Promise<Uint8Array | undefined>

const WORKER_URL = new URL('./csv-load-worker.js', import.meta.url)

/** Runs the one pass over [0, size), with a worker on the second part when it pays. */
export async function runOnePass(
  one: OnePass,
  read: Read,
  size: number,
  pieceBytes: number,
): Promise<void> {
  let at = 0
  let limit = size
  let helper: Helper | null = null
  const cores = availableParallelism()
  let tried =
    size < parallelLoad.minBytes || cores < 2 || cores - loadavg()[0]! < parallelLoad.idleCores
  try {
    while (at < limit && !one.stopped) {
      const piece = await read(at, Math.min(one.wanted, limit - at))
      if (!piece || piece.length === 0) break
      at += piece.length
      one.push(piece)
      if (!tried && one.setup()) {
        tried = true
        helper = await startHelper(one.setup()!, read, at, size, pieceBytes)
        if (helper) limit = helper.start
      }
    }
    if (helper) {
      const result =
        at === limit && !one.stopped && one.pendingBytes === 0 ? await helper.result : null
      if (result) {
        one.appendRows(result.rows, result.parts)
        parallelLoad.runs++
      } else {
        parallelLoad.dropped++
        // Not a record boundary, or the worker could not read its part: read it here.
        while (at < size && !one.stopped) {
          const piece = await read(at, Math.min(one.wanted, size - at))
          if (!piece || piece.length === 0) break
          at += piece.length
          one.push(piece)
        }
      }
    }
    one.end()
  } finally {
    void helper?.worker.terminate()
  }
}

interface Helper {
  worker: Worker
  start: number
  result: Promise<Extract<FromWorker, { done: true }> | null>
}

// The worker for [first line end after the middle, size), fed pieces as it takes them.
async function startHelper(
  setup: WorkerSetup,
  read: Read,
  from: number,
  size: number,
  pieceBytes: number,
): Promise<Helper | null> {
  if (!existsSync(fileURLToPath(WORKER_URL))) return null
  const mid = Math.max(from, Math.floor(size / 2))
  const probe = await read(mid, Math.min(64 * 1024, size - mid))
  const lf = probe ? probe.indexOf(0x0a) : -1
  if (lf < 0 || mid + lf + 1 >= size) return null
  const start = mid + lf + 1
  let worker: Worker
  try {
    worker = new Worker(WORKER_URL, { workerData: { ...setup, bytes: size - start } })
  } catch {
    return null
  }
  let credit = 2
  let wake: (() => void) | null = null
  let settle: (r: Extract<FromWorker, { done: true }> | null) => void = () => {}
  const result = new Promise<Extract<FromWorker, { done: true }> | null>((r) => (settle = r))
  let over = false
  const stop = (): void => {
    over = true
    settle(null)
    wake?.()
  }
  worker.on('error', stop)
  worker.on('exit', stop)
  worker.on('message', (m: FromWorker) => {
    if ('ack' in m) {
      credit++
      wake?.()
    } else if ('done' in m) settle(m)
    else stop()
  })
  const feed = async (): Promise<void> => {
    for (let at = start; at < size && !over;) {
      while (credit === 0 && !over) await new Promise<void>((r) => (wake = r))
      if (over) return
      const piece = await read(at, Math.min(pieceBytes, size - at))
      if (!piece || piece.length === 0) return stop()
      at += piece.length
      credit--
      const copy = piece.slice()
      worker.postMessage({ piece: copy } satisfies ToWorker, [copy.buffer])
    }
    if (!over) worker.postMessage({ end: true } satisfies ToWorker)
  }
  feed().catch(stop)
  return { worker, start, result }
}
