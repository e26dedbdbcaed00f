// Quitting the app (the last window closed) while a delete runs, against the recording fake
// of `electron`: the delete stops between artifacts, as Cancel does, before the app quits.
import { afterAll, describe, expect, it, vi } from 'vitest'
import type { JobStatus } from '../../shared/ipc.js'
import { diagnose } from '../../electron/engine/doctor.js'
import { CountingBackend, fillArtifacts, storeOver } from '../helpers/counting-backend.js'
import { tempDir } from '../helpers/temp.js'
import { fake, type FakeBrowserWindow } from './fake-electron.js'

vi.mock('electron', () => import('./fake-electron.js'))

const TOTAL = 60
const argv = process.argv
afterAll(() => {
  process.argv = argv
})

describe('quitting while a delete runs', () => {
  it('stops the delete between artifacts, logs how far it got, then quits', async () => {
    fake.reset()
    fake.state.paths.set('userData', await tempDir('xp-electron-'))
    process.argv = [argv[0] ?? 'electron', 'main.js']
    await import('../../electron/main/main.js')
    await fake.emitReady()
    const win = fake.state.windows[0] as FakeBrowserWindow
    const top = { url: 'xpersist-app://app/index.html', parent: null }
    const call = async (channel: string, request: unknown) => {
      const env = (await fake.invokeMain(
        'xpersist:invoke',
        win.webContents,
        top,
        channel,
        request,
      )) as {
        ok: boolean
        data: unknown
        error?: { message: string }
      }
      if (!env.ok) throw new Error(env.error?.message)
      return env.data
    }
    // A slow object store (the engine's fake utility process runs in this process).
    const backend = new CountingBackend(undefined, { latencyMs: 5 })
    const keys = await fillArtifacts(backend, TOTAL)
    await storeOver(backend)
    const { cacheId } = (await call('cache.open', { location: backend.url })) as { cacheId: string }
    const { jobId } = (await call('delete.start', { cacheId, keys, confirmCount: TOTAL })) as {
      jobId: string
    }
    let status = (await call('job.status', { jobId })) as JobStatus
    for (let i = 0; i < 3000 && status.done < 2; i++) {
      await new Promise((r) => setTimeout(r, 10))
      status = (await call('job.status', { jobId })) as JobStatus
    }
    expect(status.done).toBeGreaterThanOrEqual(2)

    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    let quit = false
    fake.state.app.once('quit', () => (quit = true))
    win.emit('closed')
    fake.state.app.emit('window-all-closed')
    expect(quit).toBe(false) // waits for the engine
    for (let i = 0; i < 3000 && !quit; i++) await new Promise((r) => setTimeout(r, 10))
    expect(quit).toBe(true)

    const lines = log.mock.calls.map((c) => String(c[0]))
    log.mockRestore()
    const store = await storeOver(backend)
    const left = (await store.keys()).length
    const done = TOTAL - left
    expect(done).toBeLessThan(TOTAL)
    expect(await store.keys()).toEqual(keys.slice(done))
    expect(lines).toEqual([
      `Stopped a delete on shutdown: ${done} of ${TOTAL} artifact(s) done, ${left} left ` +
        `as they were (none half-deleted).`,
    ])
    expect((await diagnose(store)).ok).toBe(true)
  })
})
