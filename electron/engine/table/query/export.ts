/**
 * Exports what a query shows (every matching row, in its order) to CSV, as pandas'
 * to_csv(index=True) writes it, or to Parquet through the one Parquet encoder, into a new
 * temp folder outside any cache. CSV is written a window of rows at a time (memory bounded
 * by the window); Parquet's encoder takes one table, so its rows are gathered first.
 */
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TableQuery } from '../../preview-types.js'
import { writePandasCsv } from '../../serializers/csv/write-csv.js'
import { encodeParquet } from '../../serializers/parquet/parquet-write.js'
import type { RunOptions } from './executor.js'
import { rowsAt } from './result-rows.js'
import type { TableSource } from './source.js'

/** The formats an export writes. */
export type ExportFormat = 'csv' | 'parquet'

/** A written export: the temp file, its suggested name, size and rows. */
export interface ExportOutcome {
  path: string
  name: string
  bytes: number
  rows: number
}

/** Rows gathered and written per step of a CSV export. */
export const EXPORT_WINDOW = 65_536

/** '<key basename>.<filtered|sorted>.<ext>' (just '<basename>.<ext>' for the whole table). */
export function exportName(key: string, query: TableQuery, format: ExportFormat): string {
  const last = key.split('/').pop() ?? key
  const base = last.replace(/\.(csv|parquet|pq|parq)$/i, '') || 'table'
  const what =
    query.filters.length > 0 || query.search !== ''
      ? '.filtered'
      : query.sort.length > 0
        ? '.sorted'
        : ''
  return `${base}${what}.${format}`
}

/**
 * Writes the rows at `positions` (in that order) to a new temp file; the caller owns it (and
 * its folder, path.dirname) and removes it. Cancelled between windows through the signal.
 */
export async function exportQuery(
  source: TableSource,
  positions: Uint32Array,
  name: string,
  format: ExportFormat,
  { signal, onProgress }: RunOptions = {},
): Promise<ExportOutcome> {
  const dir = await mkdtemp(path.join(tmpdir(), 'xpersist-export-'))
  const file = path.join(dir, name)
  try {
    const total = positions.length
    let bytes = 0
    if (format === 'parquet') {
      const table = await rowsAt(source, positions)
      signal?.throwIfAborted()
      const data = await encodeParquet(table, { index: true })
      const handle = await open(file, 'wx')
      await handle.write(data).finally(() => handle.close())
      bytes = data.length
      onProgress?.({ done: total, total })
    } else {
      const handle = await open(file, 'wx')
      try {
        for (let at = 0; at === 0 || at < total; at += EXPORT_WINDOW) {
          signal?.throwIfAborted()
          const window = positions.subarray(at, Math.min(total, at + EXPORT_WINDOW))
          const table = await rowsAt(source, window)
          const data = writePandasCsv(table, { header: at === 0 })
          await handle.write(data)
          bytes += data.length
          onProgress?.({ done: Math.min(total, at + EXPORT_WINDOW), total })
        }
      } finally {
        await handle.close()
      }
    }
    return { path: file, name, bytes, rows: total }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

/** Removes an export's file and its temp folder. */
export async function removeExport(file: string): Promise<void> {
  const dir = path.dirname(file)
  // Only ever a folder exportQuery made.
  if (!path.basename(dir).startsWith('xpersist-export-')) return
  await rm(dir, { recursive: true, force: true })
}
