import { describe, expect, it } from 'vitest'
import { diagnose } from '../../electron/engine/doctor.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { startServer } from '../../electron/server/http-server.js'
import { CountingBackend, fillArtifacts, storeOver } from '../helpers/counting-backend.js'
import { call } from '../helpers/ipc-call.js'
import { tempDir } from '../helpers/temp.js'

const TOTAL = 60

/** Waits (bounded) until `test` holds. */
async function until(test: () => boolean): Promise<void> {
  for (let i = 0; i < 3000 && !test(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(test()).toBe(true)
}

describe('stopping serve while a delete runs', () => {
  it('stops the delete between artifacts, waits for it, and logs how far it got', async () => {
    // A slow object store: every request waits, so the delete is still running at close.
    const backend = new CountingBackend(undefined, { latencyMs: 5 })
    const keys = await fillArtifacts(backend, TOTAL)
    await storeOver(backend)
    const session = new ExplorerSession({ mode: 'browser', initial: null })
    const lines: string[] = []
    const running = await startServer(session, {
      rendererDir: await tempDir(),
      log: (line) => lines.push(line),
    })
    const { cacheId } = await call(session, 'cache.open', { location: backend.url })
    const { jobId } = await call(session, 'delete.start', {
      cacheId,
      keys,
      confirmCount: TOTAL,
    })
    const job = session.jobs.get(jobId)
    await until(() => (job?.status.done ?? 0) >= 2)

    // What SIGINT/SIGTERM does in `xpersist serve`.
    const stopped = await running.close()

    expect(stopped).toHaveLength(1)
    const done = stopped[0]?.done as number
    expect(stopped[0]).toEqual({ jobId, done, total: TOTAL, stopped: true })
    expect(done).toBeLessThan(TOTAL)
    expect(job?.status).toMatchObject({ finished: true, result: { cancelled: true } })
    expect(lines).toEqual([
      `Stopped a delete on shutdown: ${done} of ${TOTAL} artifact(s) done, ${TOTAL - done} ` +
        `left as they were (none half-deleted).`,
    ])
    // Nothing ran on after close: exactly the artifacts not done are still whole.
    const store = await storeOver(backend)
    expect(await store.keys()).toEqual(keys.slice(done))
    const report = await diagnose(store)
    expect(report.ok).toBe(true)
  })
})
