import { existsSync, promises as fs } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../electron/server/http-server.js'
import { TaskPool } from '../../electron/ipc/task-pool.js'
import {
  builtScript,
  startWorkerEngine,
  type WorkerEngineOptions,
} from '../../electron/ipc/worker-host.js'
import { fixtureCopy, tempDir } from '../helpers/temp.js'

// The engine of `xpersist serve` runs in a worker thread (built to dist/: npm run build).

/** An envelope as JSON, loosely typed: the tests read whichever fields they check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { ok: boolean; data?: any; error?: any }

/** Resolves once a held task has started blocking its thread (see holdTasksUntil). */
async function underway(flag: string): Promise<void> {
  while (!existsSync(`${flag}.waiting`)) await new Promise((r) => setTimeout(r, 10))
}

const running: RunningServer[] = []
afterEach(async () => {
  for (const s of running.splice(0)) await s.close()
})

async function serve(options: Partial<WorkerEngineOptions> = {}) {
  const rendererDir = await tempDir()
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html>')
  const engine = startWorkerEngine({
    mode: 'browser',
    initial: null,
    readonlyCeiling: false,
    ...options,
  })
  const server = await startServer(engine, { rendererDir, port: 0 })
  running.push(server)
  /** Calls a channel; resolves with the envelope. */
  const call = (channel: string, body: unknown) =>
    new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: `/api/invoke/${channel}`,
          method: 'POST',
          headers: { 'X-Xpersist-Token': server.token },
        },
        (res) => {
          let text = ''
          res.on('data', (c) => (text += c))
          res.on('end', () => resolve(JSON.parse(text)))
        },
      )
      req.on('error', reject)
      req.end(JSON.stringify(body))
    })
  return { server, call }
}

describe('serve: the engine off the answering thread', () => {
  it('answers other calls while a preview blocks its thread, and a newer preview stops it', async () => {
    const flag = path.join(await tempDir(), 'release')
    const { call } = await serve({ holdTasksUntil: flag })
    const cache = await fixtureCopy()
    const { data: opened } = await call('cache.open', { location: cache })
    const order: string[] = []
    const slow = call('artifact.preview', { cacheId: opened.cacheId, key: 'stations.csv' }).then(
      (r) => (order.push('first preview'), r),
    )
    await underway(flag)
    // Quick calls answer while the preview's thread is blocked (it waits for the flag).
    const info = await call('app.info', {})
    order.push('app.info')
    expect(info).toMatchObject({ ok: true, data: { mode: 'browser' } })
    const page = await call('cache.list', { cacheId: opened.cacheId, limit: 3 })
    order.push('cache.list')
    expect(page.data.rows).toHaveLength(3)
    // Navigation: a newer preview supersedes the blocked one, which answers at once.
    const next = call('artifact.preview', { cacheId: opened.cacheId, key: 'grid-i4' }).then(
      (r) => (order.push('second preview'), r),
    )
    expect(await slow).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Stopped/) },
    })
    expect(order).toEqual(['app.info', 'cache.list', 'first preview'])
    await fs.writeFile(flag, '')
    expect(await next).toMatchObject({
      ok: true,
      data: { kind: 'object', value: { dtype: 'int32' } },
    })
  })

  it('keeps --readonly a ceiling through HTTP: a request for writing still opens read-only', async () => {
    const { call } = await serve({ readonlyCeiling: true })
    const cache = await fixtureCopy()
    expect((await call('app.info', {})).data.readonlyCeiling).toBe(true)
    const opened = await call('cache.open', { location: cache, readonly: false })
    expect(opened.data).toMatchObject({
      readonly: true,
      readonlyReason: 'the server was started with --readonly',
    })
    const { data: job } = await call('delete.start', {
      cacheId: opened.data.cacheId,
      keys: ['pi'],
      confirmCount: 1,
    })
    let status
    do status = await call('job.status', { jobId: job.jobId })
    while (!status.data.finished)
    expect(status.data.error).toMatchObject({ code: 'READ_ONLY' })
    await fs.access(path.join(cache, 'pi'))
  })
})

describe('task pool', () => {
  it('terminates the worker of a stopped task, so a blocked parse does not run on', async () => {
    const flag = path.join(await tempDir(), 'release')
    const pool = new TaskPool(builtScript('task-worker.js'), { holdTasksUntil: flag })
    try {
      const cache = { location: await fixtureCopy(), readonly: true, storageOptions: {} }
      const stop = new AbortController()
      const task = pool.run({ kind: 'doctor', cache }, stop.signal)
      expect(pool.size).toBe(1)
      await underway(flag)
      stop.abort()
      await expect(task).rejects.toMatchObject({
        code: 'BACKEND',
        message: expect.stringMatching(/Stopped/),
      })
      expect(pool.size).toBe(0)
      await fs.writeFile(flag, '')
      const report = await pool.run({ kind: 'doctor', cache }, new AbortController().signal)
      expect(report).toMatchObject({ ok: true })
      expect(pool.size).toBe(1) // kept idle for the next task
    } finally {
      await pool.close()
    }
  })
})
