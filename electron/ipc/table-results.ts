/**
 * What the table channels keep per session: finished query results (their row order, read
 * back by table.page), a few of them, least recently used dropped first, and each dropped
 * when its cache closes; and finished exports' temp files, removed once saved or downloaded,
 * and when the session closes.
 */
import { randomBytes } from 'node:crypto'
import { InvalidArgumentError } from '../engine/errors.js'
import type { TableQuery } from '../engine/preview-types.js'
import { removeExport, type TableSource } from '../engine/table/query/index.js'
import type { ExplorerSession } from './session.js'

/** Results kept per session (a CSV's source holds its whole table): the oldest go first. */
export const MAX_RESULTS = 8

/** A finished query. */
export interface KeptResult {
  cacheId: string
  key: string
  query: TableQuery
  source: TableSource
  positions: Uint32Array
  usedAt: number
}

/** A finished export's temp file. */
export interface KeptExport {
  path: string
  name: string
}

/** One session's results and exports. */
export class TableResults {
  readonly results = new Map<string, KeptResult>()
  readonly exports = new Map<string, KeptExport>()
  private clock = 0

  /** Keeps a result; returns its id. Past MAX_RESULTS the least recently used is dropped. */
  add(result: Omit<KeptResult, 'usedAt'>): string {
    const id = randomBytes(12).toString('hex')
    this.results.set(id, { ...result, usedAt: ++this.clock })
    while (this.results.size > MAX_RESULTS) {
      const oldest = [...this.results].sort((a, b) => a[1].usedAt - b[1].usedAt)[0]!
      this.results.delete(oldest[0])
    }
    return id
  }

  /** A kept result; a clear error when it was dropped. */
  get(resultId: string, cacheId: string): KeptResult {
    const result = this.results.get(resultId)
    if (!result || result.cacheId !== cacheId) {
      throw new InvalidArgumentError(
        'That query result is no longer kept (its cache closed or newer queries replaced it); run the query again.',
      )
    }
    result.usedAt = ++this.clock
    return result
  }

  /** The source an earlier result of this key opened (a loaded CSV is not loaded twice). */
  sourceFor(cacheId: string, key: string): TableSource | null {
    for (const r of this.results.values())
      if (r.cacheId === cacheId && r.key === key) return r.source
    return null
  }

  /** Keeps an export's temp file; returns its handle. */
  addExport(file: KeptExport): string {
    const handle = randomBytes(16).toString('hex')
    this.exports.set(handle, file)
    return handle
  }

  /** Takes an export off the list (the caller moves or removes its file). */
  takeExport(handle: string): KeptExport {
    const file = this.exports.get(handle)
    if (!file) {
      throw new InvalidArgumentError(
        'That export is no longer available (it was saved already, or the session restarted); export again.',
      )
    }
    this.exports.delete(handle)
    return file
  }

  dropCache(cacheId: string): void {
    for (const [id, r] of this.results) if (r.cacheId === cacheId) this.results.delete(id)
  }

  async close(): Promise<void> {
    this.results.clear()
    const files = [...this.exports.values()]
    this.exports.clear()
    await Promise.all(files.map((f) => removeExport(f.path)))
  }
}

const bySession = new WeakMap<ExplorerSession, TableResults>()

/** The session's table results, made (and tied to its closing) on first use. */
export function tableResults(session: ExplorerSession): TableResults {
  let kept = bySession.get(session)
  if (!kept) {
    const made = new TableResults()
    kept = made
    bySession.set(session, made)
    session.onClosing((cacheId) => (cacheId === null ? made.close() : made.dropCache(cacheId)))
  }
  return kept
}

/** Takes an export off the session for a download (the caller removes the file); null if none. */
export function takeExportOf(
  session: ExplorerSession,
  handle: string,
): { path: string; name: string } | null {
  const kept = tableResults(session)
  if (!kept.exports.has(handle)) return null
  return kept.takeExport(handle)
}
