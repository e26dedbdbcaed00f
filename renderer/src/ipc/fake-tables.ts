/**
 * In-memory tables behind a FakeTransport: 'artifact.preview' pages, 'table.query' sort /
 * filter / search / group-count over all their rows as a job (progress advanced by the test
 * or a timer, job events, job.status, job.cancel), 'table.page' and 'table.export', as the
 * engine answers them. Component tests and the demo use it in place of t8-query's handlers.
 */
import type { JobStatus, Preview, TableQueryInput, TableQueryResult } from '../../../shared/ipc'
import type { ColumnSummary, PreviewCell } from '../state/table-view-store'
import type { FakeTransport } from './fake-transport'
import { IpcError } from './transport'

/** One table: its columns, all its rows, and whether its row count is known at once. */
export interface FakeTable {
  columns: { name: string; type: string }[]
  rows: PreviewCell[][]
  /** A CSV-like table: pages say rowCount null until artifact.rowCount answers. */
  countLater?: boolean
  /** Column summaries its plain pages carry (a query's pages carry none, as t8-query's). */
  summaries?: Record<string, ColumnSummary>
}

/** Options: chunks a job walks, and a timer that advances jobs by itself (demos). */
export interface FakeTableOptions {
  chunks?: number
  autoAdvanceMs?: number
}

type Query = Required<Omit<TableQueryInput, 'filters' | 'sort'>> & {
  sort: { column: string; descending?: boolean }[]
  filters: NonNullable<TableQueryInput['filters']>
}

// A request's query with the schema's defaults, as the real handlers get it after parsing.
function withDefaults(query: Query): Query {
  return {
    sort: query.sort ?? [],
    filters: query.filters ?? [],
    search: query.search ?? '',
    groupBy: query.groupBy ?? null,
  }
}

interface Job {
  status: JobStatus
  finish: () => Partial<JobStatus>
  cancelled: boolean
}

const GROUP_LIMIT = 1000

function order(a: PreviewCell, b: PreviewCell): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const big = /^-?\d+$/
  if (big.test(String(a)) && big.test(String(b))) {
    const x = BigInt(a as string)
    const y = BigInt(b as string)
    return x < y ? -1 : x > y ? 1 : 0
  }
  return String(a) < String(b) ? -1 : 1
}

function typed(value: unknown, type: string): PreviewCell {
  if (value === null || value === undefined) return null
  if (/^(u?int|float|double)/i.test(type)) return Number(value)
  if (type === 'bool') return value === true || value === 'true' || value === 'True'
  return String(value)
}

/** The rows of `table` a query lets through, in its order. */
export function runFakeQuery(table: FakeTable, query: Query): PreviewCell[][] {
  const at = new Map(table.columns.map((c, i) => [c.name, i]))
  const col = (name: string) => {
    const i = at.get(name)
    if (i === undefined) throw new IpcError('INVALID_ARGUMENT', `The table has no column ${name}.`)
    return i
  }
  let rows = table.rows
  for (const f of query.filters) {
    const i = col(f.column)
    const want = typed(f.value, table.columns[i]!.type)
    rows = rows.filter((r) => {
      const v = r[i] ?? null
      if (f.op === 'isNull') return v === null
      if (f.op === 'notNull') return v !== null
      if (v === null) return false
      if (f.op === 'contains')
        return String(v)
          .toLowerCase()
          .includes(String(f.value ?? '').toLowerCase())
      const c = order(v, want)
      return { eq: c === 0, ne: c !== 0, lt: c < 0, le: c <= 0, gt: c > 0, ge: c >= 0 }[f.op]
    })
  }
  const search = query.search.toLowerCase()
  if (search !== '') {
    rows = rows.filter((r) => r.some((v) => v !== null && String(v).toLowerCase().includes(search)))
  }
  const sort = query.sort.map((s) => ({ i: col(s.column), desc: s.descending ?? false }))
  if (sort.length > 0) {
    rows = [...rows].sort((a, b) => {
      for (const s of sort) {
        const c = order(a[s.i] ?? null, b[s.i] ?? null)
        // Missing values stay last whichever the direction, as pandas' na_position='last'.
        if (c !== 0) return s.desc && a[s.i] !== null && b[s.i] !== null ? -c : c
      }
      return 0
    })
  }
  return rows
}

function groups(table: FakeTable, rows: PreviewCell[][], column: string) {
  const i = table.columns.findIndex((c) => c.name === column)
  if (i < 0) throw new IpcError('INVALID_ARGUMENT', `The table has no column ${column}.`)
  const counts = new Map<PreviewCell, number>()
  for (const r of rows) counts.set(r[i] ?? null, (counts.get(r[i] ?? null) ?? 0) + 1)
  const all = [...counts].map(([value, count]) => ({ value, count }))
  all.sort((a, b) => b.count - a.count || order(a.value, b.value))
  return { groups: all.slice(0, GROUP_LIMIT), groupsTruncated: all.length > GROUP_LIMIT }
}

function pageOf(table: FakeTable, rows: PreviewCell[][], offset: number, n: number): Preview {
  return {
    kind: 'table',
    rowCount: rows.length,
    offset,
    columns: table.columns,
    index: null,
    rows: rows.slice(offset, offset + n),
    bytesRead: 0,
    totalBytes: 0,
  }
}

/** Serves `tables` by key on the transport; other keys go to the handlers set before. */
export function serveFakeTables(
  transport: FakeTransport,
  tables: ReadonlyMap<string, FakeTable>,
  options: FakeTableOptions = {},
) {
  const chunks = options.chunks ?? 4
  const results = new Map<string, { table: FakeTable; rows: PreviewCell[][] }>()
  const jobs = new Map<string, Job>()
  let next = 0
  const find = (key: string) => {
    const t = tables.get(key)
    if (!t) throw new IpcError('KEY_NOT_FOUND', `No table ${key} in the fake cache.`)
    return t
  }
  const earlier = {
    preview: transport.handler('artifact.preview'),
    rowCount: transport.handler('artifact.rowCount'),
    status: transport.handler('job.status'),
    cancel: transport.handler('job.cancel'),
  }
  const start = (total: number, finish: () => Partial<JobStatus>) => {
    const jobId = `table-${next++}`
    const status: JobStatus = {
      jobId,
      done: 0,
      total,
      current: null,
      finished: false,
      result: null,
      error: null,
    }
    jobs.set(jobId, { status, finish, cancelled: false })
    return { jobId }
  }
  const publish = (job: Job) => transport.emit({ type: 'job', status: { ...job.status } })

  transport.handle('artifact.preview', (req) => {
    const t = tables.get(req.key)
    if (!t) {
      if (earlier.preview) return earlier.preview(req)
      throw new IpcError('KEY_NOT_FOUND', `No artifact ${req.key}.`)
    }
    const p = pageOf(t, t.rows, req.offset ?? 0, req.rows ?? 100)
    if (p.kind !== 'table') return p
    const columns = t.columns.map((c) => {
      const summary = t.summaries?.[c.name]
      return summary ? { ...c, summary } : c
    })
    return { ...p, columns, rowCount: t.countLater ? null : p.rowCount }
  })
  transport.handle('artifact.rowCount', (req) => {
    const t = tables.get(req.key)
    if (!t) {
      if (earlier.rowCount) return earlier.rowCount(req)
      return { rowCount: null }
    }
    return { rowCount: t.rows.length }
  })
  transport.handle('table.query', (req) => {
    const t = find(req.key)
    const query = req.query as Query
    return start(t.rows.length, () => {
      const rows = runFakeQuery(t, withDefaults(query))
      const resultId = `result-${next++}`
      results.set(resultId, { table: t, rows })
      const g = query.groupBy ? groups(t, rows, query.groupBy) : null
      const table: TableQueryResult = {
        resultId,
        matched: rows.length,
        totalRows: t.rows.length,
        groups: g ? g.groups : null,
        groupsTruncated: g ? g.groupsTruncated : false,
        engine: 'fake',
      }
      return { table }
    })
  })
  transport.handle('table.page', (req) => {
    const r = results.get(req.resultId)
    if (!r) throw new IpcError('INVALID_ARGUMENT', `No query result ${req.resultId}.`)
    return pageOf(r.table, r.rows, req.offset ?? 0, req.rows ?? 100)
  })
  transport.handle('table.export', (req) => {
    const t = find(req.key)
    const query = req.query as Query
    return start(t.rows.length, () => {
      const rows = runFakeQuery(t, { ...withDefaults(query), groupBy: null })
      const base = req.key.replace(/\.(csv|parquet)$/, '')
      const name = `${base.split('/').pop()}.view.${req.format}`
      return {
        export: { handle: `export:${next++}`, name, bytes: rows.length * 10, rows: rows.length },
      }
    })
  })
  transport.handle('job.status', (req) => {
    const job = jobs.get(req.jobId)
    if (job) return { ...job.status }
    if (earlier.status) return earlier.status(req)
    throw new IpcError('INVALID_ARGUMENT', `No job ${req.jobId}.`)
  })
  transport.handle('job.cancel', (req) => {
    const job = jobs.get(req.jobId)
    if (!job) {
      if (earlier.cancel) return earlier.cancel(req)
      throw new IpcError('INVALID_ARGUMENT', `No job ${req.jobId}.`)
    }
    const before = { ...job.status }
    if (!job.status.finished) {
      job.cancelled = true
      job.status = {
        ...job.status,
        finished: true,
        error: { code: 'BACKEND', message: 'Cancelled: the query was not finished.' },
      }
      queueMicrotask(() => publish(job))
    }
    return before
  })

  /** Moves every running job on by one chunk; the last one brings the result. */
  const advance = () => {
    for (const job of jobs.values()) {
      if (job.status.finished) continue
      const done = Math.min(
        job.status.total,
        job.status.done + Math.ceil(job.status.total / chunks),
      )
      const finished = done >= job.status.total
      let extra: Partial<JobStatus> = {}
      if (finished) {
        try {
          extra = job.finish()
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err)
          extra = { error: { code: 'INVALID_ARGUMENT', message } }
        }
      }
      job.status = { ...job.status, done, finished, ...extra }
      publish(job)
    }
  }
  const timer =
    options.autoAdvanceMs !== undefined ? setInterval(advance, options.autoAdvanceMs) : null

  return {
    advance,
    /** Runs jobs to their end. */
    finishAll: () => {
      for (let i = 0; i <= chunks; i++) advance()
    },
    jobs: (): ReadonlyMap<string, JobStatus> => new Map([...jobs].map(([id, j]) => [id, j.status])),
    dispose: () => {
      if (timer !== null) clearInterval(timer)
    },
  }
}
