import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { stringifyJson } from '../engine/pyvalue-json.js'
import { invoke } from '../ipc/router.js'
import type { ExplorerSession } from '../ipc/session.js'
import { serveStatic } from './static.js'

/** Options for the browser-mode server. */
export interface ServeOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string
  /** Fixed token (tests); random by default. */
  token?: string
  /** Largest request body accepted (uploads arrive base64 in the body). */
  maxBodyBytes?: number
}

/** A running browser-mode server. */
export interface RunningServer {
  server: Server
  port: number
  token: string
  /** The URL to open, token included, as Jupyter prints it. */
  url: string
  close(): Promise<void>
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' })
  res.end(body)
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new Error(`request body larger than ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Serves the renderer and the IPC handler table over HTTP on 127.0.0.1 only. API requests
 * need the token (header X-Xpersist-Token, or ?token= for the event stream), and requests
 * whose Host or Origin is not this server are refused (DNS rebinding, other sites' pages).
 */
export async function startServer(
  session: ExplorerSession,
  options: ServeOptions,
): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('hex')
  const limit = options.maxBodyBytes ?? 512 * 1024 * 1024
  let port = 0
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(
          res,
          500,
          JSON.stringify({ ok: false, error: { code: 'BACKEND', message: String(err) } }),
        )
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (!allowedHosts().has(req.headers.host ?? ''))
      return send(res, 403, '{"error":"foreign Host header"}')
    const origin = req.headers.origin
    if (origin && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
      return send(res, 403, '{"error":"foreign Origin header"}')
    }
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '{"error":"method"}')
      return serveStatic(options.rendererDir, url.pathname, res)
    }
    const given = req.headers['x-xpersist-token']
    if (!sameToken(typeof given === 'string' ? given : url.searchParams.get('token'), token)) {
      return send(
        res,
        403,
        '{"ok":false,"error":{"code":"PERMISSION_DENIED","message":"Missing or wrong token: open the URL xpersist serve printed."}}',
      )
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      })
      res.write(': connected\n\n')
      const off = session.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`))
      req.on('close', off)
      return
    }
    const m = /^\/api\/invoke\/([\w.]+)$/.exec(url.pathname)
    if (!m || req.method !== 'POST') return send(res, 404, '{"error":"not found"}')
    let body: unknown
    try {
      const text = await readBody(req, limit)
      body = text ? JSON.parse(text) : {}
    } catch (err) {
      return send(
        res,
        400,
        JSON.stringify({
          ok: false,
          error: {
            code: 'INVALID_ARGUMENT',
            message: `Bad request body: ${(err as Error).message}`,
          },
        }),
      )
    }
    send(res, 200, stringifyJson(await invoke(session, m[1] as string, body)))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
