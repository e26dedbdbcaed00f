import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { type ResponseOf, type XpersistEvent } from '../../shared/ipc.js'
import { invoke } from '../../electron/ipc/router.js'
import { call } from '../helpers/ipc-call.js'
import { ExplorerSession, SESSION_LIMITS } from '../../electron/ipc/session.js'
import { FIXTURE_EXPECTED, fixtureCopy, tempDir, writeOldFile } from '../helpers/temp.js'

const expected = JSON.parse(await fs.readFile(FIXTURE_EXPECTED, 'utf8'))

function newSession() {
  return new ExplorerSession({ mode: 'browser', initial: null })
}

async function openFixture(readonly = false) {
  const session = newSession()
  const location = await fixtureCopy()
  const info = await call(session, 'cache.open', { location, readonly })
  return { session, location, cacheId: info.cacheId, info }
}

describe('router', () => {
  it('refuses unknown channels and invalid requests with INVALID_ARGUMENT', async () => {
    const session = newSession()
    expect(await invoke(session, 'fs.readFile', {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    const bad = await invoke(session, 'cache.open', { readonly: 'yes' })
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/cache\.open request at location/),
      },
    })
    const env = await invoke(session, 'artifact.detail', { cacheId: 'nope', key: 'pi' })
    expect(env).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/open it again/) },
    })
  })

  it('maps engine errors to { code, message } only', async () => {
    const { session, cacheId } = await openFixture()
    const env = await invoke(session, 'artifact.detail', { cacheId, key: '../etc/passwd' })
    expect(env).toEqual({ ok: false, error: { code: 'INVALID_KEY', message: expect.any(String) } })
  })
})

describe('cache.list', () => {
  it('pages through every key with a cursor, with progress', async () => {
    const { session, cacheId } = await openFixture()
    const keys: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: ResponseOf<'cache.list'> = await call(session, 'cache.list', {
        cacheId,
        cursor,
        limit: 5,
      })
      keys.push(...page.rows.map((r) => r.key))
      expect(page.total).toBe(Object.keys(expected.artifacts).length)
      expect(page.loaded).toBe(keys.length)
      cursor = page.cursor
      pages++
    } while (cursor)
    expect(pages).toBe(Math.ceil(Object.keys(expected.artifacts).length / 5))
    expect(keys).toEqual(Object.keys(expected.artifacts).sort())
  })

  it('marks a broken sidecar as a broken row instead of failing', async () => {
    const { session, cacheId, location } = await openFixture()
    await fs.writeFile(path.join(location, 'xpersist_metadata_store/pi.artifact.json'), '{"key":')
    const page = await call(session, 'cache.list', { cacheId })
    const pi = page.rows.find((r) => r.key === 'pi')
    expect(pi).toMatchObject({ serializer: null, error: { code: 'CORRUPT_SIDECAR' } })
    expect(page.rows.find((r) => r.key === 'stations.csv')).toMatchObject({
      serializer: 'pandas.csv',
      bytes: 295,
      metadata: { experiment: 'ctrl', member: 3, tags: ['a', 'b'] },
      createdMs: Date.parse('2026-11-26T14:43:29.476Z'),
    })
  })

  it('lists a created_at of null as unknown (createdMs null), not as now', async () => {
    const { session, cacheId, location } = await openFixture()
    const file = path.join(location, 'xpersist_metadata_store/pi.artifact.json')
    const sidecar = JSON.parse(await fs.readFile(file, 'utf8'))
    await fs.writeFile(file, JSON.stringify({ ...sidecar, created_at: null }))
    const page = await call(session, 'cache.list', { cacheId })
    expect(page.rows.find((r) => r.key === 'pi')).toMatchObject({
      createdAt: null,
      createdMs: null,
      error: null,
    })
  })
})

describe('detail and preview', () => {
  it('shows Prefect fields of a pipeline result', async () => {
    const { session, cacheId } = await openFixture()
    const d = await call(session, 'artifact.detail', {
      cacheId,
      key: 'prefect-result-2026-11-26t14-43-29-741998-00-00',
    })
    expect(d.prefect).toMatchObject({
      flow_name: 'sst-pipeline',
      task_name: 'summarize',
      map_index: 2,
    })
    expect(d.metadataText).toContain('"task_tags": [\n    "ocean"\n  ]')
    const plain = await call(session, 'artifact.detail', { cacheId, key: 'stations.csv' })
    expect(plain.prefect).toBeNull()
  })

  it('previews a page of a table, an array, a placeholder, and says when it cannot', async () => {
    const { session, cacheId } = await openFixture()
    const t = await call(session, 'artifact.preview', {
      cacheId,
      key: 'stations.csv',
      offset: 1,
      rows: 2,
    })
    expect(t).toMatchObject({
      kind: 'table',
      offset: 1,
      rowCount: 5,
      index: { values: [1, 2] },
      totalBytes: 295,
    })
    expect(t.kind === 'table' && t.rows.map((r) => r[2])).toEqual(['Mesa Lab', 'Niwot, Ridge'])
    const a = await call(session, 'artifact.preview', { cacheId, key: 'grid-i4' })
    expect(a).toMatchObject({
      kind: 'object',
      truncated: false,
      value: { dtype: 'int32', shape: [3, 4] },
    })
    const df = await call(session, 'artifact.preview', { cacheId, key: 'stations-joblib' })
    // A pickled DataFrame previews as its table (rebuilt from the pickle's data).
    expect(df).toMatchObject({ kind: 'table', rowCount: 5, offset: 0 })
    expect(df.kind === 'table' && df.rows[2]).toEqual([
      103,
      -3.25,
      'Niwot, Ridge',
      true,
      '2010-06-15T00:00:00',
      'alpine',
    ])
    const nc = await call(session, 'artifact.preview', { cacheId, key: 'sst-monthly.nc' })
    expect(nc).toMatchObject({ kind: 'dataset', dims: { time: 6, lat: 4, lon: 5 } })
  })
})

describe('updateMetadata', () => {
  it('writes the edit to disk, Python-exact, and refuses a stale version with both sides', async () => {
    const { session, cacheId, location } = await openFixture()
    const d = await call(session, 'artifact.detail', { cacheId, key: 'pi' })
    const saved = await call(session, 'artifact.updateMetadata', {
      cacheId,
      key: 'pi',
      metadataText: '{"experiment": "old", "scale": 1.0}',
      expectedVersion: d.version,
    })
    expect(saved.artifact.additional_metadata).toEqual({ experiment: 'old', scale: { value: 1 } })
    const onDisk = await fs.readFile(
      path.join(location, 'xpersist_metadata_store/pi.artifact.json'),
      'utf8',
    )
    expect(onDisk).toContain(
      '"additional_metadata": {\n    "experiment": "old",\n    "scale": 1.0\n  }',
    )
    const stale = await invoke(session, 'artifact.updateMetadata', {
      cacheId,
      key: 'pi',
      metadataText: '{"x": 1}',
      expectedVersion: d.version,
    })
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', current: { version: saved.version } },
    })
    expect(!stale.ok && stale.error.current?.metadataText).toContain('"scale": 1.0')
    const bad = await invoke(session, 'artifact.updateMetadata', {
      cacheId,
      key: 'pi',
      metadataText: '[1]',
      expectedVersion: saved.version,
    })
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/must be a JSON object/) },
    })
  })
})

describe('put', () => {
  it('imports an uploaded CSV byte for byte, and refuses when read-only', async () => {
    const { session, cacheId, location } = await openFixture()
    const csv = 'a,b\n1,x\n'
    const dir = await tempDir()
    const upload = path.join(dir, 'upload-1')
    await fs.writeFile(upload, csv)
    const handle = session.addFileHandle(upload, true)
    const r = await call(session, 'artifact.put', {
      cacheId,
      key: 'uploads/t.csv',
      metadataText: '{"source": "upload"}',
      file: { name: 't.csv', handle },
    })
    expect(r).toEqual({ key: 'uploads/t.csv', serializer: 'pandas.csv' })
    expect(await fs.readFile(path.join(location, 'uploads/t.csv'), 'utf8')).toBe(csv)
    // The upload's temp file is used up by the put.
    expect(existsSync(upload)).toBe(false)
    const again = await invoke(session, 'artifact.put', {
      cacheId,
      key: 'uploads/u.csv',
      file: { name: 't.csv', handle },
    })
    expect(again).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/choose the file again/) },
    })
    const ro = await call(session, 'cache.open', { location, readonly: true })
    await fs.writeFile(upload, '')
    const refused = await invoke(session, 'artifact.put', {
      cacheId: ro.cacheId,
      key: 'x.csv',
      file: { name: 'x.csv', handle: session.addFileHandle(upload, true) },
    })
    expect(refused).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } })
    expect(existsSync(upload)).toBe(false)
  })

  it('no longer takes file bytes as base64 inside the JSON request', async () => {
    const { session, cacheId } = await openFixture()
    const env = await invoke(session, 'artifact.put', {
      cacheId,
      key: 'x.csv',
      file: { name: 'x.csv', dataBase64: Buffer.from('a\n1\n').toString('base64') },
    })
    expect(env).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  })
})

async function waitForJob(session: ExplorerSession, jobId: string) {
  for (;;) {
    const s = await call(session, 'job.status', { jobId })
    if (s.finished) return s
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('delete', () => {
  it('plans, refuses a wrong typed count, then deletes with progress events', async () => {
    const { session, cacheId, location } = await openFixture()
    const keys = ['pi', 'vec-f8', 'sst-monthly.zarr']
    const plan = await call(session, 'delete.plan', { cacheId, keys })
    expect(plan.entries.map((e) => e.key)).toEqual(keys)
    expect(plan.entries[2]?.files.length).toBe(
      1 + expected.artifacts['sst-monthly.zarr'].files.length,
    )
    expect(plan.bytes).toBe(plan.entries.reduce((s, e) => s + e.bytes, 0))
    const wrong = await invoke(session, 'delete.start', { cacheId, keys, confirmCount: 2 })
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/Type 3 to confirm/) },
    })
    await fs.access(path.join(location, 'pi'))
    const events: XpersistEvent[] = []
    session.onEvent((e) => events.push(e))
    const { jobId } = await call(session, 'delete.start', { cacheId, keys, confirmCount: 3 })
    const done = await waitForJob(session, jobId)
    expect(done).toMatchObject({ done: 3, total: 3, error: null, result: { cancelled: false } })
    expect(events.filter((e) => e.status.finished)).toHaveLength(1)
    expect(events.map((e) => e.status.done)).toEqual([1, 2, 3, 3])
    await expect(fs.access(path.join(location, 'pi'))).rejects.toThrow()
    await expect(fs.access(path.join(location, 'sst-monthly.zarr'))).rejects.toThrow()
  })

  it('is refused by the engine on a read-only cache, and nothing is deleted', async () => {
    const { session, cacheId, location } = await openFixture(true)
    const { jobId } = await call(session, 'delete.start', {
      cacheId,
      keys: ['pi'],
      confirmCount: 1,
    })
    const done = await waitForJob(session, jobId)
    expect(done.error).toMatchObject({ code: 'READ_ONLY' })
    await fs.access(path.join(location, 'pi'))
  })

  it('doctor finds an orphan and the same plan cleans it', async () => {
    const { session, cacheId, location } = await openFixture()
    await writeOldFile(path.join(location, 'stray.bin'), 'xx')
    const report = await call(session, 'doctor.run', { cacheId })
    expect(report.orphans).toEqual([{ path: 'stray.bin', bytes: 2 }])
    const { jobId } = await call(session, 'delete.start', {
      cacheId,
      orphans: ['stray.bin'],
      confirmCount: 1,
    })
    expect((await waitForJob(session, jobId)).result?.deleted).toEqual(['stray.bin'])
    expect((await call(session, 'doctor.run', { cacheId })).ok).toBe(true)
    const claimed = await invoke(session, 'delete.plan', { cacheId, orphans: ['pi'] })
    expect(claimed).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Not orphans/) },
    })
  })
})

describe('readonly ceiling (serve --readonly, electron --readonly)', () => {
  it('opens every cache read-only, whatever the request asks, and says why', async () => {
    const session = new ExplorerSession({ mode: 'browser', initial: null, readonlyCeiling: true })
    const location = await fixtureCopy()
    expect((await call(session, 'app.info', {})).readonlyCeiling).toBe(true)
    const info = await call(session, 'cache.open', { location, readonly: false })
    expect(info).toMatchObject({
      readonly: true,
      readonlyReason: 'the server was started with --readonly',
    })
    const { jobId } = await call(session, 'delete.start', {
      cacheId: info.cacheId,
      keys: ['pi'],
      confirmCount: 1,
    })
    expect((await waitForJob(session, jobId)).error).toMatchObject({ code: 'READ_ONLY' })
    await fs.access(path.join(location, 'pi'))
    expect((await call(newSession(), 'app.info', {})).readonlyCeiling).toBe(false)
  })
})

describe('session resources', () => {
  /** A session on a clock the test moves. */
  async function clocked() {
    const clock = { now: 1_000_000 }
    const session = new ExplorerSession({ mode: 'browser', initial: null, now: () => clock.now })
    const location = await fixtureCopy()
    const { cacheId } = await call(session, 'cache.open', { location })
    return { session, clock, cacheId, location }
  }

  it('holds at most a few unfinished listings per cache, and cache.close drops them', async () => {
    const { session, cacheId, clock } = await clocked()
    const cursors: string[] = []
    for (let i = 0; i < 300; i++) {
      clock.now += 1
      const page = await call(session, 'cache.list', { cacheId, limit: 1 })
      cursors.push(page.cursor as string)
    }
    expect(session.listings.size).toBe(SESSION_LIMITS.listingsPerCache)
    // Below the cap, every listing stays usable.
    for (const cursor of cursors.slice(-SESSION_LIMITS.listingsPerCache, -1)) {
      expect((await call(session, 'cache.list', { cacheId, cursor, limit: 1 })).loaded).toBe(2)
    }
    // The newest listing still pages; the oldest was dropped with a clear message.
    const last = await call(session, 'cache.list', { cacheId, cursor: cursors[299], limit: 1 })
    expect(last.loaded).toBe(2)
    const first = await invoke(session, 'cache.list', { cacheId, cursor: cursors[0], limit: 1 })
    expect(first).toMatchObject({
      ok: false,
      error: { message: 'That listing has expired; reload the cache.' },
    })
    expect(await call(session, 'cache.close', { cacheId })).toEqual({ closed: true })
    expect(session.listings.size).toBe(0)
    expect(session.caches.size).toBe(0)
    expect(await call(session, 'cache.close', { cacheId })).toEqual({ closed: false })
    const gone = await invoke(session, 'cache.list', { cacheId })
    expect(gone).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/open it again/) },
    })
  })

  it('expires a listing left idle, with a message saying to reload', async () => {
    const { session, cacheId, clock } = await clocked()
    const page = await call(session, 'cache.list', { cacheId, limit: 2 })
    clock.now += SESSION_LIMITS.listingIdleMs - 1
    const next = await call(session, 'cache.list', { cacheId, cursor: page.cursor, limit: 2 })
    expect(next.loaded).toBe(4)
    clock.now += SESSION_LIMITS.listingIdleMs + 1
    const expired = await invoke(session, 'cache.list', { cacheId, cursor: next.cursor, limit: 2 })
    expect(expired).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'That listing has expired; reload the cache.' },
    })
    expect(session.listings.size).toBe(0)
  })

  it("refuses a cursor with another cache's id", async () => {
    const { session, cacheId, location } = await clocked()
    const other = await call(session, 'cache.open', { location })
    const page = await call(session, 'cache.list', { cacheId, limit: 1 })
    const env = await invoke(session, 'cache.list', {
      cacheId: other.cacheId,
      cursor: page.cursor,
    })
    expect(env).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/another cache/) },
    })
  })

  it('keeps a bounded number of open caches, closing the least recently used', async () => {
    const { session, cacheId, location, clock } = await clocked()
    for (let i = 0; i < SESSION_LIMITS.caches + 5; i++) {
      clock.now += 1
      await call(session, 'cache.list', { cacheId, limit: 1 }) // keeps the first one in use
      await call(session, 'cache.open', { location })
    }
    expect(session.caches.size).toBe(SESSION_LIMITS.caches)
    expect(session.caches.has(cacheId)).toBe(true)
  })

  it('forgets a finished job after its result was fetched, or after a while', async () => {
    const { session, cacheId, clock } = await clocked()
    const a = await call(session, 'delete.start', { cacheId, keys: ['pi'], confirmCount: 1 })
    const b = await call(session, 'delete.start', { cacheId, keys: ['vec-f8'], confirmCount: 1 })
    while (![...session.jobs.values()].every((j) => j.status.finished)) {
      await new Promise((r) => setTimeout(r, 10))
    }
    expect((await call(session, 'job.status', { jobId: a.jobId })).finished).toBe(true)
    clock.now += SESSION_LIMITS.fetchedJobMs + 1
    const late = await invoke(session, 'job.status', { jobId: a.jobId })
    expect(late).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/no longer tracked/) },
    })
    expect(session.jobs.has(b.jobId)).toBe(true) // never fetched: kept longer
    clock.now += SESSION_LIMITS.finishedJobMs
    await invoke(session, 'job.status', { jobId: b.jobId })
    expect(session.jobs.size).toBe(0)
  })
})
