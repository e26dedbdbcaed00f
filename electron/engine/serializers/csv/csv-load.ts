/**
 * The whole-file CSV reader (load, and the check `put` makes). Load first tries one pass that
 * guesses each column's type from the first piece (csv-load-spec.ts); when the file
 * contradicts a guess it cannot widen, or holds an error, it reads the file in the two passes
 * below, which define the result. Both read pieces of a few MB, never the file as text. The first validates UTF-8, splits records
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
import { BuildPass, ProfilePass, type Pass } from './csv-load-passes.js'
import { FallbackToTextReader } from './csv-bytes-split.js'
import { runOnePass } from './csv-load-parallel.js'
import { OnePass, canReadInOnePass } from './csv-load-spec.js'
import { readPandasCsvText } from './read-csv.js'
import { readOptions } from './read-options.js'

/** Bytes read per piece. */
export const LOAD_PIECE_BYTES = 4 * 1024 * 1024

/** How often a file was read by the text reader instead (tests check the byte reader ran). */
export const loadStats = { fallbacks: 0, twoPass: 0 }

type ParallelRead = (offset: number, length: number) => Promise<Uint8Array | undefined>

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
    if (canReadInOnePass(options)) {
      const one = new OnePass(options, 'This CSV', pieceBytes, bytes.length)
      try {
        runSync(source, one)
        return one.table()
      } catch (err) {
        if (err instanceof FallbackToTextReader) throw err
        loadStats.twoPass++
      }
    }
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
    if (canReadInOnePass(options)) {
      const one = new OnePass(options, target.path, LOAD_PIECE_BYTES, size)
      try {
        await runOnePass(one, source.read as ParallelRead, size, LOAD_PIECE_BYTES)
        return one.table()
      } catch (err) {
        // A guess the file contradicted, or an error the two passes report in their order.
        if (err instanceof FallbackToTextReader) throw err
        loadStats.twoPass++
      }
    }
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
