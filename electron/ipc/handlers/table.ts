import { copyFile, rename, writeFile } from 'node:fs/promises'
import type { TableQuery } from '../../engine/preview-types.js'
import { NotSupportedError, toErrorShape } from '../../engine/errors.js'
import { forExplorerShape } from '../explorer-wording.js'
import {
  exportName,
  exportQuery,
  openTableSource,
  removeExport,
  resultPage,
  runTableQuery,
  type TableSource,
} from '../../engine/table/query/index.js'
import type { ExplorerSession, Job, OpenCache } from '../session.js'
import { tableResults } from '../table-results.js'
import type { HandlerTable } from './types.js'

/**
 * table.query, table.page, table.export, export.save and export.saveText. A query and an export are jobs, as
 * dataset.stats is: progress (rows scanned, rows written) comes as job events, the result in
 * JobStatus.table / JobStatus.export, and job.cancel stops them between batches. A query's
 * row order is kept in the session (table-results.ts) for table.page.
 */
export const tableHandlers: HandlerTable<
  'table.query' | 'table.page' | 'table.export' | 'export.save' | 'export.saveText'
> = {
  async 'table.query'(request, session) {
    const cache = session.cache(request.cacheId)
    const query = request.query as TableQuery
    return runJob(session, request.key, 'table', async (job, progress) => {
      const source = await sourceOf(session, cache, request.cacheId, request.key)
      const out = await runTableQuery(source, query, {
        signal: job.controller.signal,
        onProgress: progress,
      })
      const resultId = tableResults(session).add({
        cacheId: request.cacheId,
        key: request.key,
        query,
        source,
        positions: out.positions,
      })
      job.status.table = {
        resultId,
        matched: out.matched,
        totalRows: out.totalRows,
        groups: out.groups,
        groupsTruncated: out.groupsTruncated,
        engine: out.engine,
      }
    })
  },

  async 'table.page'(request, session) {
    session.cache(request.cacheId)
    const result = tableResults(session).get(request.resultId, request.cacheId)
    return resultPage(result.source, result.positions, request.offset, request.rows)
  },

  async 'table.export'(request, session) {
    const cache = session.cache(request.cacheId)
    const query = request.query as TableQuery
    return runJob(session, request.key, 'export', async (job, progress) => {
      const kept = tableResults(session)
      const same = [...kept.results.values()].find(
        (r) =>
          r.cacheId === request.cacheId &&
          r.key === request.key &&
          JSON.stringify(r.query) === JSON.stringify(query),
      )
      const source = same?.source ?? (await sourceOf(session, cache, request.cacheId, request.key))
      const signal = job.controller.signal
      // The query's scan is the first half of the progress, the writing the second.
      const positions =
        same?.positions ??
        (
          await runTableQuery(source, query, {
            signal,
            onProgress: (p) => progress({ done: p.done, total: p.total * 2 }),
          })
        ).positions
      const name = exportName(request.key, query, request.format)
      const file = await exportQuery(source, positions, name, request.format, {
        signal,
        onProgress: (p) =>
          same ? progress(p) : progress({ done: p.total + p.done, total: p.total * 2 }),
      })
      if (signal.aborted) {
        await removeExport(file.path)
        signal.throwIfAborted()
      }
      const handle = kept.addExport({ path: file.path, name: file.name })
      job.status.export = { handle, name: file.name, bytes: file.bytes, rows: file.rows }
    })
  },

  async 'export.save'(request, session) {
    if (!session.host.saveFile) {
      throw new NotSupportedError(
        'Saving through a dialog is for the desktop app; in the browser the export downloads from /api/export/<handle>.',
      )
    }
    const kept = tableResults(session)
    const file = kept.exports.get(request.handle)
    if (!file) kept.takeExport(request.handle) // throws the clear error
    const dest = await session.host.saveFile(file!.name)
    // Cancelled: the export stays, so the user can save it after all.
    if (dest === null) return null
    kept.takeExport(request.handle)
    try {
      await rename(file!.path, dest)
    } catch (err) {
      // Another disk (EXDEV): copy, then drop the temp file.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
      await copyFile(file!.path, dest)
    }
    await removeExport(file!.path)
    return { path: dest }
  },

  async 'export.saveText'(request, session) {
    if (!session.host.saveFile) {
      throw new NotSupportedError(
        'Saving through a dialog is for the desktop app; in the browser the file downloads.',
      )
    }
    const dest = await session.host.saveFile(request.name)
    if (dest === null) return null
    await writeFile(dest, request.text, 'utf8')
    return { path: dest }
  },
}

async function sourceOf(
  session: ExplorerSession,
  cache: OpenCache,
  cacheId: string,
  key: string,
): Promise<TableSource> {
  return tableResults(session).sourceFor(cacheId, key) ?? openTableSource(cache.store, key)
}

/** Starts a job running `work`; its status carries `field` (null until done). */
async function runJob(
  session: ExplorerSession,
  key: string,
  field: 'table' | 'export',
  work: (job: Job, progress: (p: { done: number; total: number }) => void) => Promise<void>,
): Promise<{ jobId: string }> {
  const job = session.addJob(0)
  const status = job.status
  status.current = key
  status[field] = null
  const progress = ({ done, total }: { done: number; total: number }) => {
    status.done = done
    status.total = total
    session.emit({ type: 'job', status: { ...status } })
  }
  void (async () => {
    try {
      await work(job, progress)
    } catch (err) {
      status.error = job.controller.signal.aborted
        ? {
            code: 'BACKEND',
            message: `Cancelled: the ${field === 'table' ? 'query' : 'export'} of ${key} was not finished.`,
          }
        : forExplorerShape(toErrorShape(err))
    } finally {
      session.finishJob(job)
      session.emit({ type: 'job', status: { ...status } })
    }
  })()
  return { jobId: status.jobId }
}
