import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineHost } from '../../electron/ipc/engine-protocol.js'
import { startWorkerEngine } from '../../electron/ipc/worker-host.js'
import type { JobStatus, XpersistEvent } from '../../shared/ipc.js'
import { FIXTURE_CACHE, fixtureCopy, listFiles, tempDir } from '../helpers/temp.js'

// The dataset channels as `xpersist serve` runs them: the engine in a worker thread, slices and
// statistics in a further task worker (built to dist/: npm run build).

const engines: EngineHost[] = []
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(engine: EngineHost, channel: string, request: unknown): Promise<any> {
  const env = await engine.invoke(channel, request)
  if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`)
  return env.data
}

async function finished(engine: EngineHost, jobId: string): Promise<JobStatus> {
  for (;;) {
    const s = (await call(engine, 'job.status', { jobId })) as JobStatus
    if (s.finished) return s
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('dataset.stats in a task worker', () => {
  it('job.cancel stops a stats job whose worker is busy, and says it was cancelled', async () => {
    const flag = path.join(await tempDir(), 'release')
    const engine = startWorkerEngine({
      mode: 'browser',
      initial: null,
      readonlyCeiling: false,
      holdTasksUntil: flag,
    })
    engines.push(engine)
    const events: XpersistEvent[] = []
    engine.onEvent((e) => events.push(e))
    const { cacheId } = await call(engine, 'cache.open', { location: await fixtureCopy() })
    const { jobId } = await call(engine, 'dataset.stats', {
      cacheId,
      key: 'sst-monthly-nc3-classic.nc',
      variable: 'sst',
    })
    // The task holds its worker's thread (as a long read would) until the flag exists.
    while (!existsSync(`${flag}.waiting`)) await new Promise((r) => setTimeout(r, 10))
    await call(engine, 'job.cancel', { jobId })
    const status = await finished(engine, jobId)
    await fs.writeFile(flag, '')
    expect(status.stats).toBeNull()
    expect(status.error?.message).toMatch(/Cancelled: the statistics of sst were not finished/)
    expect(events.at(-1)?.status).toMatchObject({ jobId, finished: true })
  })
})

describe('dialog.pickFile of a folder', () => {
  it('asks the host for a folder, counts its bytes, and refuses one holding a link', async () => {
    const zarr = path.join(await tempDir(), 'sst.zarr')
    await fs.cp(path.join(FIXTURE_CACHE, 'sst-monthly.zarr'), zarr, { recursive: true })
    const asked: (boolean | undefined)[] = []
    const engine = startWorkerEngine({
      mode: 'electron',
      initial: null,
      readonlyCeiling: false,
      dialogs: {
        pickFolder: async () => null,
        pickFile: async (folder) => {
          asked.push(folder)
          return { path: zarr, name: 'sst.zarr', bytes: 0 }
        },
      },
    })
    engines.push(engine)
    const total = (await listFiles(zarr)).length
    expect(total).toBeGreaterThan(3)
    const picked = await call(engine, 'dialog.pickFile', { folder: true })
    let bytes = 0
    for (const f of await listFiles(zarr)) bytes += (await fs.stat(path.join(zarr, f))).size
    expect(picked).toMatchObject({ name: 'sst.zarr', bytes })
    await fs.symlink('/etc/hostname', path.join(zarr, 'link'))
    const refused = await engine.invoke('dialog.pickFile', { folder: true })
    expect(refused).toMatchObject({
      ok: false,
      error: { message: /sst\.zarr\/link is a symbolic link/ },
    })
    expect(asked).toEqual([true, true])
  })
})
