import { promises as fs } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { startServer, type RunningServer } from '../../electron/server/http-server.js'
import { fixtureCopy, tempDir } from '../helpers/temp.js'

let server: RunningServer
let cache: string
let session: ExplorerSession
let rendererDir: string

beforeAll(async () => {
  // <temp>/renderer is served; <temp>/secret.txt and <temp>/renderer-evil/secret.txt are
  // beside it, where a path that escapes the folder (or only its name prefix) would land.
  const outside = await tempDir()
  const renderer = path.join(outside, 'renderer')
  rendererDir = renderer
  await fs.mkdir(renderer)
  await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>x</title>')
  await fs.writeFile(path.join(outside, 'secret.txt'), 'outside')
  await fs.mkdir(path.join(outside, 'renderer-evil'))
  await fs.writeFile(path.join(outside, 'renderer-evil', 'secret.txt'), 'outside')
  cache = await fixtureCopy()
  session = new ExplorerSession({ mode: 'browser', initial: null })
  server = await startServer(session, { rendererDir: renderer, port: 0 })
})
afterAll(() => server.close())

/** A raw request, so Host and Origin can be set to anything. */
function request(
  urlPath: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: urlPath,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  request(`/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Xpersist-Token': server.token, ...headers },
    body: JSON.stringify(body),
  })

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token).toMatch(/^[0-9a-f]{48}$/)
    expect((server.server.address() as { address: string }).address).toBe('127.0.0.1')
  })

  it('serves the renderer with a CSP, and nothing outside its folder', async () => {
    const index = await request('/')
    expect(index.status).toBe(200)
    expect(index.headers['content-security-policy']).toContain("script-src 'self'")
    expect((await request('/../secret.txt')).status).toBe(404)
    expect((await request('/%2e%2e/secret.txt')).status).toBe(404)
  })

  // The URL parser already folds '/../' and '/%2e%2e/' away, so those never reach the file
  // guard; an encoded slash or backslash does, and only the guard in static.ts stops it.
  it.each([
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/..%5csecret.txt',
    '/..%2frenderer-evil%2fsecret.txt',
    '/%2e%2e%2frenderer-evil/secret.txt',
  ])('serves nothing outside its folder for %s', async (attempt) => {
    const r = await request(attempt)
    expect(r.status).toBe(404)
    expect(r.body).not.toMatch(/outside|root:/)
  })

  it('serves the renderer from a relative folder too', async () => {
    const relative = path.relative(process.cwd(), rendererDir)
    const other = await startServer(session, { rendererDir: relative, port: 0 })
    try {
      const r = await new Promise<number>((resolve) =>
        http.get({ host: '127.0.0.1', port: other.port, path: '/' }, (res) =>
          resolve(res.statusCode ?? 0),
        ),
      )
      expect(r).toBe(200)
    } finally {
      await other.close()
    }
  })

  it('answers API calls with the token', async () => {
    const r = await api('cache.open', { location: cache, readonly: true })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, data: { readonly: true } })
  })

  it('refuses API calls without the token or with a wrong one', async () => {
    const none = await request('/api/invoke/app.info', { method: 'POST', body: '{}' })
    expect(none.status).toBe(403)
    expect(JSON.parse(none.body).error.code).toBe('PERMISSION_DENIED')
    const wrong = await api('app.info', {}, { 'X-Xpersist-Token': 'f'.repeat(48) })
    expect(wrong.status).toBe(403)
  })

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    expect((await api('app.info', {}, { Host: `evil.example:${server.port}` })).status).toBe(403)
    expect((await api('app.info', {}, { Origin: 'http://evil.example' })).status).toBe(403)
    expect((await request('/', { headers: { Host: 'evil.example' } })).status).toBe(403)
    expect((await api('app.info', {}, { Origin: `http://localhost:${server.port}` })).status).toBe(
      200,
    )
  })

  it('streams job events over SSE with the token in the query', async () => {
    // The event is sent once the stream has said it is connected, not after a sleep that a
    // loaded machine may outlast (the event would then be lost and the test hang).
    let connected!: () => void
    const ready = new Promise<void>((resolve) => (connected = resolve))
    const got = new Promise<string>((resolve) => {
      http.get(
        { host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` },
        (res) => {
          let buf = ''
          res.on('data', (c) => {
            buf += c
            connected()
            if (buf.includes('data: ')) {
              resolve(buf)
              res.destroy()
            }
          })
        },
      )
    })
    await ready
    session.emit({
      type: 'job',
      status: {
        jobId: 'j',
        done: 1,
        total: 2,
        current: 'k',
        finished: false,
        result: null,
        error: null,
      },
    })
    expect(await got).toContain('"jobId":"j"')
    const refused = await request('/api/events')
    expect(refused.status).toBe(403)
  })

  it('refuses a body that is not JSON', async () => {
    const r = await request('/api/invoke/app.info', {
      method: 'POST',
      headers: { 'X-Xpersist-Token': server.token },
      body: '{nope',
    })
    expect(r.status).toBe(400)
  })
})
