import { createStore } from 'zustand/vanilla'
import type { JobStatus, TableQueryResult } from '../../../shared/ipc'
import { IpcError, errorMessage, isAbort, type Transport } from '../ipc/transport'
import { followJob, type FollowedJob } from './job-wait'
import {
  PLAIN_QUERY,
  TABLE_VIEW_PAGE_ROWS,
  isPlain,
  jobErrorText,
  type ColumnSummary,
  type TableFilterInput,
  type TablePage,
  type ViewJob,
  type ViewQuery,
} from './table-view-model'
import { plural } from '../ui/format'

export * from './table-view-model'

/** The full table view: what is open, the query, its result and the page shown. */
export interface TableViewState {
  open: boolean
  cacheId: string | null
  key: string | null
  serializer: string | null
  /** What the user asked for (the sort, filters, search box and group column). */
  query: ViewQuery
  /** The query whose answer is on screen (a cancelled one goes back to it). */
  applied: ViewQuery
  /** The finished query whose rows are shown; null for the plain table. */
  result: TableQueryResult | null
  page: TablePage | null
  offset: number
  loading: boolean
  job: ViewJob | null
  error: string | null
  /** A short note after an action: "Copied 3 cells", "Saved sales.csv". */
  notice: string | null
  open_(cacheId: string, key: string, serializer: string | null, first?: TablePage | null): void
  close(): void
  goTo(offset: number): Promise<void>
  /** A header click: sort by it (flip when it is the only sort), or add it with `add`. */
  sortBy(column: string, add: boolean): Promise<void>
  addFilter(filter: TableFilterInput): Promise<void>
  removeFilter(index: number): Promise<void>
  setSearch(text: string): Promise<void>
  setGroupBy(column: string | null): Promise<void>
  /** Back to the plain table (no sort, filter, search or grouping). */
  clearQuery(): Promise<void>
  cancel(): Promise<void>
  exportAs(format: 'csv' | 'parquet'): Promise<void>
  setNotice(notice: string | null): void
}

/** Transport.saveExport (t8-query): the saved path, or null (browser download, or cancelled). */
type SaveExport = (handle: string, name: string) => Promise<string | null>

/** The full table view's store: pages, whole-table queries and exports as jobs. */
export function createTableViewStore(transport: Transport, options: { pollMs?: number } = {}) {
  let seq = 0
  let follow: FollowedJob | null = null
  let pageAbort: AbortController | null = null
  // The plain table's row count once known (a CSV's comes from the streaming count), and its
  // whole-file summaries: a query's pages carry none, and sorting does not change them.
  let plainCount: number | null = null
  let fileSummaries = new Map<string, ColumnSummary>()
  const remember = (page: TablePage) => {
    if (page.rowCount !== null) plainCount = page.rowCount
    for (const c of page.columns) {
      if (c.summary?.source === 'file') fileSummaries.set(c.name, c.summary)
    }
  }
  const stopFollowing = () => {
    follow?.stop()
    follow = null
  }

  return createStore<TableViewState>()((set, get) => {
    const progress = (status: JobStatus) => {
      const job = get().job
      if (job && job.jobId === status.jobId) {
        set({ job: { ...job, done: status.done, total: status.total } })
      }
    }

    /** Starts a job and waits for it; null when superseded or cancelled. */
    const runJob = async (
      kind: 'query' | 'export',
      start: () => Promise<{ jobId: string }>,
    ): Promise<JobStatus | null> => {
      const mine = ++seq
      stopFollowing()
      set({ job: { kind, jobId: null, done: 0, total: 0, cancelling: false }, error: null })
      const { jobId } = await start()
      if (mine !== seq) return null
      set({ job: { kind, jobId, done: 0, total: 0, cancelling: false } })
      follow = followJob(transport, jobId, progress, options.pollMs)
      const status = await follow.done
      if (mine !== seq || get().job?.cancelling) return null
      if (status.error) throw new IpcError(status.error.code, status.error.message)
      return status
    }

    const loadPage = async (offset: number) => {
      const { cacheId, key, result } = get()
      if (cacheId === null || key === null) return
      pageAbort?.abort()
      const controller = (pageAbort = new AbortController())
      set({ loading: true, offset })
      try {
        const page = result
          ? await transport.invoke(
              'table.page',
              { cacheId, resultId: result.resultId, offset, rows: TABLE_VIEW_PAGE_ROWS },
              { signal: controller.signal },
            )
          : await transport.invoke(
              'artifact.preview',
              { cacheId, key, offset, rows: TABLE_VIEW_PAGE_ROWS },
              { signal: controller.signal },
            )
        if (controller.signal.aborted) return
        if (page.kind !== 'table') throw new Error(`${key} is no longer a table.`)
        if (result) {
          const columns = page.columns.map((c) =>
            c.summary || !fileSummaries.has(c.name)
              ? c
              : { ...c, summary: fileSummaries.get(c.name) },
          )
          set({ page: { ...page, columns }, loading: false, error: null })
          return
        }
        remember(page)
        set({ page: { ...page, rowCount: plainCount }, loading: false, error: null })
        if (plainCount === null) void countRows(cacheId, key)
      } catch (err) {
        if (!isAbort(err) && !controller.signal.aborted) {
          set({ loading: false, error: `Could not read rows of ${key}: ${errorMessage(err)}` })
        }
      }
    }

    // "of counting…" resolves when the streaming count (CSV) answers.
    let counting: string | null = null
    const countRows = async (cacheId: string, key: string) => {
      if (counting === key) return
      counting = key
      try {
        const { rowCount } = await transport.invoke('artifact.rowCount', { cacheId, key })
        const page = get().page
        if (get().key !== key || rowCount === null) return
        plainCount = rowCount
        if (page && !get().result) set({ page: { ...page, rowCount } })
      } catch {
        // The rows shown stay right; the total stays "counting…".
      } finally {
        if (counting === key) counting = null
      }
    }

    const run = async (query: ViewQuery) => {
      const { cacheId, key } = get()
      if (cacheId === null || key === null) return
      set({ query, notice: null })
      if (isPlain(query)) {
        seq++
        stopFollowing()
        set({ result: null, job: null, error: null, applied: PLAIN_QUERY })
        await loadPage(0)
        return
      }
      try {
        const status = await runJob('query', () =>
          transport.invoke('table.query', { cacheId, key, query }),
        )
        if (!status) return
        set({ result: status.table ?? null, job: null, applied: query })
        if (status.table && status.table.groups === null) await loadPage(0)
        else set({ page: null, offset: 0 })
      } catch (err) {
        // The view keeps showing what it showed, with the query it answers.
        set({ job: null, error: jobErrorText('query', key, err), query: get().applied })
      }
    }

    return {
      open: false,
      cacheId: null,
      key: null,
      serializer: null,
      query: PLAIN_QUERY,
      applied: PLAIN_QUERY,
      result: null,
      page: null,
      offset: 0,
      loading: false,
      job: null,
      error: null,
      notice: null,
      open_: (cacheId, key, serializer, first = null) => {
        const same = get().key === key && get().cacheId === cacheId
        if (same) {
          set({ open: true })
          return
        }
        seq++
        stopFollowing()
        plainCount = null
        fileSummaries = new Map()
        if (first) remember(first)
        set({
          open: true,
          cacheId,
          key,
          serializer,
          query: PLAIN_QUERY,
          applied: PLAIN_QUERY,
          result: null,
          page: first && first.offset === 0 ? first : null,
          offset: 0,
          job: null,
          error: null,
          notice: null,
        })
        if (!first || first.offset !== 0) void loadPage(0)
        else if (first.rowCount === null) void countRows(cacheId, key)
      },
      close: () => set({ open: false }),
      goTo: (offset) => loadPage(Math.max(0, offset)),
      sortBy: (column, add) => {
        const q = get().query
        const at = q.sort.findIndex((s) => s.column === column)
        let sort: ViewQuery['sort']
        if (add) {
          sort =
            at >= 0
              ? q.sort.map((s, i) => (i === at ? { ...s, descending: !s.descending } : s))
              : [...q.sort, { column, descending: false }]
        } else if (at >= 0 && q.sort.length === 1) {
          // ascending -> descending -> none
          sort = q.sort[0]!.descending ? [] : [{ column, descending: true }]
        } else sort = [{ column, descending: false }]
        return run({ ...q, sort })
      },
      addFilter: (filter) => run({ ...get().query, filters: [...get().query.filters, filter] }),
      removeFilter: (index) =>
        run({ ...get().query, filters: get().query.filters.filter((_, i) => i !== index) }),
      setSearch: (search) => run({ ...get().query, search }),
      setGroupBy: (groupBy) => run({ ...get().query, groupBy }),
      clearQuery: () => run(PLAIN_QUERY),
      cancel: async () => {
        const job = get().job
        if (!job) return
        set({ job: { ...job, cancelling: true } })
        seq++
        stopFollowing()
        if (job.jobId !== null) {
          await transport.invoke('job.cancel', { jobId: job.jobId }).catch(() => undefined)
        }
        // A cancelled query leaves the view as it was before it.
        set({
          job: null,
          notice:
            job.kind === 'query' ? 'Cancelled; showing the rows as before.' : 'Export cancelled.',
          ...(job.kind === 'query' ? { query: get().applied } : {}),
        })
      },
      exportAs: async (format) => {
        const { cacheId, key, query } = get()
        if (cacheId === null || key === null) return
        const save = (transport as Transport & { saveExport?: SaveExport }).saveExport
        try {
          const status = await runJob('export', () =>
            transport.invoke('table.export', { cacheId, key, query, format }),
          )
          set({ job: null })
          if (!status?.export) return
          if (!save) throw new Error('this window cannot save files.')
          const saved = await save.call(transport, status.export.handle, status.export.name)
          const rows = plural(status.export.rows, 'row')
          // A path: saved there (Electron). null: the browser's download took it, or the
          // save dialog was cancelled; either way the file is not ours to name.
          set({
            notice:
              typeof saved === 'string'
                ? `Exported ${rows} to ${saved}.`
                : `Exported ${rows} as ${status.export.name}.`,
          })
        } catch (err) {
          set({ job: null, error: jobErrorText('export', key, err) })
        }
      },
      setNotice: (notice) => set({ notice }),
    }
  })
}

/** The store type createTableViewStore returns. */
export type TableViewStore = ReturnType<typeof createTableViewStore>
