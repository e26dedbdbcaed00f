// The table channels over the real engine on the sample fixtures (Python-written Parquet and
// CSV): a query as a job with progress, its pages in its order, errors that name the column,
// cancellation, an export to CSV and its save, and results dropped with their cache.
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession, type HostServices } from '../../electron/ipc/session.js'
import { tableResults } from '../../electron/ipc/table-results.js'
import type { Channel, JobStatus, RequestOf, ResponseOf, XpersistEvent } from '../../shared/ipc.js'
import { fixtureCopy, tempDir } from '../helpers/temp.js'

async function call<C extends Channel>(
  session: ExplorerSession,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const env = await invoke(session, channel, request)
  if (!env.ok) throw new Error(env.error.message)
  return env.data as ResponseOf<C>
}

async function finished(session: ExplorerSession, jobId: string): Promise<JobStatus> {
  for (let i = 0; i < 10_000; i++) {
    const status = await call(session, 'job.status', { jobId })
    if (status.finished) return status
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error('job did not finish')
}

async function open(host: Partial<HostServices> = {}) {
  const session = new ExplorerSession({ mode: 'browser', initial: null, ...host })
  const location = await fixtureCopy()
  const { cacheId } = await call(session, 'cache.open', { location })
  return { session, cacheId }
}

const q = (over: Partial<RequestOf<'table.query'>['query']> = {}) => ({
  sort: [],
  filters: [],
  search: '',
  groupBy: null,
  ...over,
})

describe('table.query and table.page', () => {
  it('sorts a Parquet table descending with nulls last, reports progress, pages in order', async () => {
    const { session, cacheId } = await open()
    const events: XpersistEvent[] = []
    session.onEvent((e) => events.push(e))
    const { jobId } = await call(session, 'table.query', {
      cacheId,
      key: 'gauges.parquet',
      query: q({ sort: [{ column: 'flow_m3s', descending: true }] }),
    })
    const status = await finished(session, jobId)
    expect(status.error).toBeNull()
    expect(status.table).toMatchObject({ matched: 5, totalRows: 5, groups: null, engine: 'duckdb' })
    expect(
      events.some((e) => e.status.jobId === jobId && e.status.done === 5 && e.status.total === 5),
    ).toBe(true)
    const page = await call(session, 'table.page', {
      cacheId,
      resultId: status.table!.resultId,
      offset: 1,
      rows: 3,
    })
    expect(page).toMatchObject({ kind: 'table', rowCount: 5, offset: 1 })
    if (page.kind !== 'table') throw new Error('not a table')
    expect(page.index).toEqual({ name: 'gauge_id', values: [7, 13, 17] })
    expect(page.rows.map((r) => r[1])).toEqual([12.75, 3.5, 0.125])
    const last = await call(session, 'table.page', {
      cacheId,
      resultId: status.table!.resultId,
      offset: 4,
      rows: 10,
    })
    if (last.kind !== 'table') throw new Error('not a table')
    // The missing flow sorts last, as pandas' na_position='last'.
    expect(last.rows).toEqual([['Boulder Creek', null, 64, true]])
  })

  it('filters a CSV in its column types, searches, and counts groups largest first', async () => {
    const { session, cacheId } = await open()
    const run = async (query: ReturnType<typeof q>) => {
      const { jobId } = await call(session, 'table.query', { cacheId, key: 'stations.csv', query })
      return finished(session, jobId)
    }
    const warm = await run(q({ filters: [{ column: 'temperature', op: 'ge', value: '0.1' }] }))
    expect(warm.error).toBeNull()
    expect(warm.table!.matched).toBe(3)
    const dated = await run(
      q({ filters: [{ column: 'installed', op: 'lt', value: '2010-06-15' }], search: 'BOUL' }),
    )
    // Boulder (2001) and Mesa Lab (1999) are older; the search ignores case.
    expect(dated.table!.matched).toBe(1)
    const groups = await run(q({ groupBy: 'climate_zone' }))
    expect(groups.table!.groups).toEqual([
      { value: 'semi-arid', count: 3 },
      { value: 'alpine', count: 2 },
    ])
    expect(groups.table!.groupsTruncated).toBe(false)
  })

  it('refuses unknown columns and values of the wrong type, naming the column', async () => {
    const { session, cacheId } = await open()
    const err = async (query: ReturnType<typeof q>) => {
      const { jobId } = await call(session, 'table.query', {
        cacheId,
        key: 'gauges.parquet',
        query,
      })
      return (await finished(session, jobId)).error
    }
    expect((await err(q({ sort: [{ column: 'nope', descending: false }] })))?.message).toMatch(
      /no column 'nope'; it has river, flow_m3s/,
    )
    const bad = await err(q({ filters: [{ column: 'level_cm', op: 'gt', value: 'high' }] }))
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect(bad?.message).toMatch(/Column 'level_cm' is int64: .*"high" is not a number/)
    const page = await invoke(session, 'table.page', {
      cacheId,
      resultId: 'gone',
      offset: 0,
      rows: 10,
    })
    expect(page.ok).toBe(false)
    if (!page.ok) expect(page.error.message).toMatch(/no longer kept.*run the query again/)
  })

  it('is cancelled by job.cancel', async () => {
    const { session, cacheId } = await open()
    const { jobId } = await call(session, 'table.query', {
      cacheId,
      key: 'stations.csv',
      query: q({ sort: [{ column: 'name', descending: false }] }),
    })
    await call(session, 'job.cancel', { jobId })
    const status = await finished(session, jobId)
    expect(status.table).toBeNull()
    expect(status.error?.message).toMatch(/^Cancelled: the query of stations.csv/)
  })

  it("drops a cache's results when the cache closes", async () => {
    const { session, cacheId } = await open()
    const { jobId } = await call(session, 'table.query', {
      cacheId,
      key: 'gauges.parquet',
      query: q(),
    })
    const { resultId } = (await finished(session, jobId)).table!
    expect(tableResults(session).results.has(resultId)).toBe(true)
    await call(session, 'cache.close', { cacheId })
    expect(tableResults(session).results.has(resultId)).toBe(false)
  })
})

describe('table.export and export.save', () => {
  it('exports the sorted rows as pandas to_csv writes them and saves them where the dialog says', async () => {
    const dir = await tempDir()
    const dest = path.join(dir, 'out.csv')
    const asked: string[] = []
    const { session, cacheId } = await open({
      mode: 'electron',
      saveFile: async (name) => (asked.push(name), asked.length === 1 ? null : dest),
    })
    const { jobId } = await call(session, 'table.export', {
      cacheId,
      key: 'gauges.parquet',
      query: q({ sort: [{ column: 'level_cm', descending: false }] }),
      format: 'csv',
    })
    const status = await finished(session, jobId)
    expect(status.error).toBeNull()
    const exported = status.export!
    expect(exported).toMatchObject({ name: 'gauges.sorted.csv', rows: 5 })
    const temp = tableResults(session).exports.get(exported.handle)!.path
    expect(temp.startsWith(dir)).toBe(false)
    // Cancelled dialog: nothing moves, the export can still be saved.
    expect(await call(session, 'export.save', { handle: exported.handle })).toBeNull()
    expect(existsSync(temp)).toBe(true)
    expect(await call(session, 'export.save', { handle: exported.handle })).toEqual({ path: dest })
    expect(asked).toEqual(['gauges.sorted.csv', 'gauges.sorted.csv'])
    expect(existsSync(temp)).toBe(false)
    expect(existsSync(path.dirname(temp))).toBe(false)
    const text = await fs.readFile(dest, 'utf8')
    expect(text.split('\n').slice(0, 3)).toEqual([
      'gauge_id,river,flow_m3s,level_cm,ok',
      '17,Clear Creek,0.125,37,True',
      '11,Boulder Creek,,64,True',
    ])
    expect(exported.bytes).toBe(Buffer.byteLength(text))
    const again = await invoke(session, 'export.save', { handle: exported.handle })
    expect(again.ok).toBe(false)
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('refuses export.save in browser mode and removes unsaved exports when the session closes', async () => {
    const { session, cacheId } = await open()
    const { jobId } = await call(session, 'table.export', {
      cacheId,
      key: 'stations.csv',
      query: q({ filters: [{ column: 'active', op: 'eq', value: true }] }),
      format: 'csv',
    })
    const exported = (await finished(session, jobId)).export!
    expect(exported).toMatchObject({ name: 'stations.filtered.csv', rows: 3 })
    const refused = await invoke(session, 'export.save', { handle: exported.handle })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.message).toMatch(/\/api\/export\/<handle>/)
    const temp = tableResults(session).exports.get(exported.handle)!.path
    expect(existsSync(temp)).toBe(true)
    await session.close()
    expect(existsSync(temp)).toBe(false)
  })
})

describe('export.saveText', () => {
  it('writes the text where the save dialog says; cancelled writes nothing; refused in the browser', async () => {
    const dir = await tempDir()
    const dest = path.join(dir, 'plan.csv')
    const asked: string[] = []
    const session = new ExplorerSession({
      mode: 'electron',
      initial: null,
      saveFile: async (name) => (asked.push(name), asked.length === 1 ? null : dest),
    })
    const text = 'key,role\r\n"a,b",payload\r\n'
    expect(await call(session, 'export.saveText', { name: 'plan.csv', text })).toBeNull()
    expect(existsSync(dest)).toBe(false)
    expect(await call(session, 'export.saveText', { name: 'plan.csv', text })).toEqual({
      path: dest,
    })
    expect(asked).toEqual(['plan.csv', 'plan.csv'])
    expect(await fs.readFile(dest, 'utf8')).toBe(text)
    // A name with a folder in it is no file name: refused before any dialog.
    const bad = await invoke(session, 'export.saveText', { name: '../x.csv', text })
    expect(bad.ok).toBe(false)
    expect(asked).toHaveLength(2)
    const browser = new ExplorerSession({ mode: 'browser', initial: null })
    const refused = await invoke(browser, 'export.saveText', { name: 'plan.csv', text })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.message).toMatch(/in the browser the file downloads/)
    await session.close()
    await browser.close()
    await fs.rm(dir, { recursive: true, force: true })
  })
})
