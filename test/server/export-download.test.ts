// GET /api/export/<handle> over loopback HTTP: a finished table.export downloads once, as an
// attachment with its suggested name, only with the token and from this server's origin; its
// temp file is gone afterwards.
import { existsSync, promises as fs } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { tableResults } from '../../electron/ipc/table-results.js'
import { attachmentHeader } from '../../electron/server/export-download.js'
import { startServer, type RunningServer } from '../../electron/server/http-server.js'
import type { JobStatus } from '../../shared/ipc.js'
import { fixtureCopy, tempDir } from '../helpers/temp.js'

let server: RunningServer
let session: ExplorerSession
let renderer: string
const base = () => `http://127.0.0.1:${server.port}`

beforeAll(async () => {
  renderer = await tempDir()
  session = new ExplorerSession({ mode: 'browser', initial: null })
  server = await startServer(session, { rendererDir: renderer, port: 0, token: 't0ken' })
})
afterAll(async () => {
  await server.close()
  await fs.rm(renderer, { recursive: true, force: true })
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its channel's fields
async function invoke(channel: string, body: unknown): Promise<any> {
  const r = await fetch(`${base()}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Xpersist-Token': 't0ken' },
    body: JSON.stringify(body),
  })
  const env = (await r.json()) as { ok: boolean; data?: unknown; error?: { message: string } }
  if (!env.ok) throw new Error(env.error?.message)
  return env.data
}

async function exported(): Promise<{ handle: string; name: string; path: string }> {
  const location = await fixtureCopy()
  const { cacheId } = await invoke('cache.open', { location })
  const { jobId } = await invoke('table.export', {
    cacheId,
    key: 'gauges.parquet',
    query: { filters: [{ column: 'ok', op: 'eq', value: true }] },
    format: 'csv',
  })
  let status: JobStatus
  do status = await invoke('job.status', { jobId })
  while (!status.finished)
  expect(status.error).toBeNull()
  const { handle, name } = status.export!
  return { handle, name, path: tableResults(session).exports.get(handle)!.path }
}

describe('GET /api/export/<handle>', () => {
  it('refuses without the token and from another origin, keeping the export', async () => {
    const file = await exported()
    const none = await fetch(`${base()}/api/export/${file.handle}`)
    expect(none.status).toBe(403)
    const foreign = await fetch(`${base()}/api/export/${file.handle}`, {
      headers: { 'X-Xpersist-Token': 't0ken', Origin: 'http://evil.example' },
    })
    expect(foreign.status).toBe(403)
    const inUrl = await fetch(`${base()}/api/export/${file.handle}?token=t0ken`)
    expect(inUrl.status).toBe(403)
    expect(existsSync(file.path)).toBe(true)
  })

  it('sends the CSV as an attachment once, then removes the temp file', async () => {
    const file = await exported()
    expect(file.name).toBe('gauges.filtered.csv')
    const r = await fetch(`${base()}/api/export/${file.handle}`, {
      headers: { 'X-Xpersist-Token': 't0ken' },
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-disposition')).toBe(
      `attachment; filename="gauges.filtered.csv"; filename*=UTF-8''gauges.filtered.csv`,
    )
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/)
    const text = await r.text()
    expect(text.split('\n')[0]).toBe('gauge_id,river,flow_m3s,level_cm,ok')
    expect(text.trim().split('\n')).toHaveLength(5)
    for (let i = 0; i < 100 && existsSync(file.path); i++)
      await new Promise((s) => setTimeout(s, 10))
    expect(existsSync(file.path)).toBe(false)
    const again = await fetch(`${base()}/api/export/${file.handle}`, {
      headers: { 'X-Xpersist-Token': 't0ken' },
    })
    expect(again.status).toBe(404)
  })

  it('quotes any name safely in the header', () => {
    expect(attachmentHeader('a"b\\c;d%e\r\nf é.csv')).toBe(
      `attachment; filename="a_b_c_d_e__f _.csv"; filename*=UTF-8''a%22b%5Cc%3Bd%25e%0D%0Af%20%C3%A9.csv`,
    )
  })
})
