import { existsSync, promises as fs } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineHost } from '../../electron/ipc/engine-protocol.js'
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
  options: {
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
    port?: number
  } = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: options.port ?? server.port,
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

describe('response headers and token rules', () => {
  it('sends X-Content-Type-Options: nosniff on every response', async () => {
    const answers = [
      await request('/'),
      await request('/missing.js'),
      await api('app.info', {}),
      await request('/api/invoke/app.info', { method: 'POST', body: '{}' }),
      await api('no.such.channel', {}),
      await request('/api/nope', { headers: { 'X-Xpersist-Token': server.token } }),
    ]
    for (const r of answers) expect(r.headers['x-content-type-options']).toBe('nosniff')
  })

  it('accepts the token in the query only for the event stream', async () => {
    const q = `?token=${server.token}`
    const invoke = await request(`/api/invoke/app.info${q}`, { method: 'POST', body: '{}' })
    expect(invoke.status).toBe(403)
    expect(JSON.parse(invoke.body).error.code).toBe('PERMISSION_DENIED')
    const upload = await request(`/api/upload${q}`, { method: 'POST', body: 'a,b\n' })
    expect(upload.status).toBe(403)
    const events = await new Promise<http.IncomingMessage>((resolve) =>
      http.get({ host: '127.0.0.1', port: server.port, path: `/api/events${q}` }, resolve),
    )
    expect(events.statusCode).toBe(200)
    expect(events.headers['x-content-type-options']).toBe('nosniff')
    events.destroy()
  })
})

describe('streamed uploads', () => {
  it('streams a multi-MB file to a temp file; the put takes its handle and removes it', async () => {
    const opened = JSON.parse((await api('cache.open', { location: cache })).body)
    const lines = ['a,b']
    for (let i = 0; lines.length < 250_000; i++) lines.push(`${i},${'x'.repeat(8)}`)
    const csv = Buffer.from(lines.join('\n') + '\n')
    expect(csv.length).toBeGreaterThan(3 * 2 ** 20)
    const up = await request('/api/upload', {
      method: 'POST',
      headers: { 'X-Xpersist-Token': server.token, 'Content-Type': 'application/octet-stream' },
      body: csv,
    })
    expect(up.status).toBe(200)
    expect(up.headers['x-content-type-options']).toBe('nosniff')
    const { handle, bytes } = JSON.parse(up.body).data as { handle: string; bytes: number }
    expect(bytes).toBe(csv.length)
    const temp = session.filePath(handle)
    expect((await fs.stat(temp)).size).toBe(csv.length)
    const put = await api('artifact.put', {
      cacheId: opened.data.cacheId,
      key: 'uploads/big.csv',
      file: { name: 'big.csv', handle },
    })
    expect(JSON.parse(put.body)).toMatchObject({ ok: true, data: { serializer: 'pandas.csv' } })
    expect((await fs.readFile(path.join(cache, 'uploads/big.csv'))).equals(csv)).toBe(true)
    expect(existsSync(temp)).toBe(false)
  })

  it('refuses a file over the cap without keeping any of it, and removes its folder on close', async () => {
    const own = new ExplorerSession({ mode: 'browser', initial: null })
    const capped = await startServer(own, { rendererDir, maxUploadBytes: 1024 })
    const upload = (body: string | Buffer, headers: Record<string, string> = {}) =>
      request('/api/upload', {
        method: 'POST',
        headers: { 'X-Xpersist-Token': capped.token, ...headers },
        body,
        port: capped.port,
      })
    let dir = ''
    try {
      const ok = await upload('a\n1\n')
      expect(ok.status).toBe(200)
      const file = own.filePath(JSON.parse(ok.body).data.handle)
      dir = path.dirname(file)
      const big = await upload(Buffer.alloc(64 * 1024, 97))
      expect(big.status).toBe(413)
      expect(JSON.parse(big.body).error).toMatchObject({
        code: 'LIMIT_EXCEEDED',
        message: expect.stringMatching(/xpersist put/),
      })
      // Without a declared length, the cap stops the stream and the partial file goes.
      const streamed = await upload(Buffer.alloc(64 * 1024, 97), { 'Transfer-Encoding': 'chunked' })
      expect(streamed.status).toBe(413)
      expect(await fs.readdir(dir)).toEqual([path.basename(file)])
    } finally {
      await capped.close()
    }
    expect(existsSync(dir)).toBe(false)
  })
})

describe('aborts', () => {
  it('tells the engine when a client goes away before its answer', async () => {
    let seen: AbortSignal | undefined
    const engine: EngineHost = {
      invoke: (_channel, _request, signal) => {
        seen = signal
        return new Promise((resolve) =>
          signal?.addEventListener('abort', () =>
            resolve({ ok: false, error: { code: 'BACKEND', message: 'stopped' } }),
          ),
        )
      },
      onEvent: () => () => {},
      adoptFile: async () => 'h',
      close: async () => {},
    }
    const own = await startServer(engine, { rendererDir })
    try {
      const req = http.request({
        host: '127.0.0.1',
        port: own.port,
        path: '/api/invoke/artifact.preview',
        method: 'POST',
        headers: { 'X-Xpersist-Token': own.token },
      })
      req.on('error', () => {})
      req.end('{}')
      while (!seen) await new Promise((r) => setTimeout(r, 10))
      expect(seen.aborted).toBe(false)
      req.destroy()
      await new Promise<void>((resolve) => seen?.addEventListener('abort', () => resolve()))
      expect(seen.aborted).toBe(true)
    } finally {
      await own.close()
    }
  })
})
