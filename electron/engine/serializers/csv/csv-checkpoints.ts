/**
 * Row checkpoints of CSV payloads: the byte offset where every CHECKPOINT_ROWS-th data row
 * starts, recorded while pages are sought and while the row count streams, so a later page
 * seeks to the nearest checkpoint instead of reading from the start. Kept per backend, for a
 * bounded number of payloads, keyed by path and payload version (size, mtime, etag): a
 * rewritten payload never uses another version's offsets.
 */
import type { Backend, ObjectMeta } from '../../backend/backend.js'

/** Data rows between two checkpoints. */
export const CHECKPOINT_ROWS = 10_000

/** Payloads whose checkpoints a backend keeps (least recently used go first). */
export const MAX_INDEXED_PAYLOADS = 32

/** Checkpoints cover at most this many (10^9 rows at 10,000 rows each; 80 MB would be more). */
export const MAX_CHECKPOINTS = 100_000

/** What is known of one payload version's rows. */
export class CsvRowIndex {
  /** marks[k]: the byte where data row k * CHECKPOINT_ROWS starts; marks[0] ends the header. */
  readonly marks: number[]
  /** Data rows in the file, once a scan reached its end. */
  rowCount: number | null = null

  constructor(readonly headerEnd: number) {
    this.marks = [headerEnd]
  }

  /** The checkpoint at or before data row `row`: [its row, its byte]. */
  nearest(row: number): [number, number] {
    const k = Math.min(Math.floor(row / CHECKPOINT_ROWS), this.marks.length - 1)
    return [k * CHECKPOINT_ROWS, this.marks[k]!]
  }

  /** Records that data row `row` starts at `byte`, if it extends the checkpoints in order. */
  record(row: number, byte: number): void {
    if (row % CHECKPOINT_ROWS !== 0 || this.marks.length >= MAX_CHECKPOINTS) return
    if (row / CHECKPOINT_ROWS === this.marks.length) this.marks.push(byte)
  }

  /** The last checkpoint: where a count resumes. */
  get last(): [number, number] {
    return [(this.marks.length - 1) * CHECKPOINT_ROWS, this.marks[this.marks.length - 1]!]
  }
}

const indexes = new WeakMap<Backend, Map<string, CsvRowIndex>>()

/** The version key of a payload: a new size, mtime or etag starts afresh. */
function versionKey(meta: ObjectMeta): string {
  return `${meta.path}\u0000${meta.size}\u0000${meta.lastModified.getTime()}\u0000${meta.etag}`
}

/** The index of this payload version, or undefined when none was recorded. */
export function findRowIndex(backend: Backend, meta: ObjectMeta): CsvRowIndex | undefined {
  const map = indexes.get(backend)
  const key = versionKey(meta)
  const found = map?.get(key)
  if (found && map) {
    // Re-insert: Map order is the least-recently-used order.
    map.delete(key)
    map.set(key, found)
  }
  return found
}

/** Keeps `index` for this payload version, dropping the least recently used beyond the bound. */
export function keepRowIndex(backend: Backend, meta: ObjectMeta, index: CsvRowIndex): void {
  let map = indexes.get(backend)
  if (!map) indexes.set(backend, (map = new Map()))
  map.set(versionKey(meta), index)
  while (map.size > MAX_INDEXED_PAYLOADS) map.delete(map.keys().next().value!)
}
