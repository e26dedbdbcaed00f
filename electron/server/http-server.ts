import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { stringifyJson } from '../engine/pyvalue-json.js'
import { InProcessEngineHost } from '../ipc/engine-host.js'
import { stoppedJobText, type EngineHost, type StoppedJob } from '../ipc/engine-protocol.js'
import { ExplorerSession } from '../ipc/session.js'
import { InvalidArgumentError, toErrorShape } from '../engine/errors.js'
import { forExplorerShape } from '../ipc/explorer-wording.js'
import { serveStatic } from './static.js'
import { sendExport as streamExport } from './export-download.js'
import { FolderUploads } from './folder-upload.js'
import { UploadDir } from './upload.js'

/** Options for the browser-mode server. */
export interface ServeOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string
  /** Fixed token (tests); random by default. */
  token?: string
  /** Largest JSON request body accepted (files come through /api/upload instead). */
  maxBodyBytes?: number
  /** Largest file /api/upload accepts; it is streamed to a temp file, never held in memory. */
  maxUploadBytes?: number
  /** Most files one folder upload (/api/upload-folder) may hold. */
  maxUploadFiles?: number
  /** Where closing logs what it stopped (stderr by default). */
  log?: (line: string) => void
}

/** A running browser-mode server. */
export interface RunningServer {
  server: Server
  port: number
  token: string
  /** The URL to open, token included, as Jupyter prints it. */
  url: string
  /** Stops listening, then the engine (a running delete stops between artifacts, logged). */
  close(): Promise<StoppedJob[]>
}

/** Headers every API answer carries: no caching, and no content sniffing of JSON. */
const API_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { ...API_HEADERS, 'Content-Type': `${type}; charset=utf-8` })
  res.end(body)
}

const DENIED = JSON.stringify({
  ok: false,
  error: {
    code: 'PERMISSION_DENIED',
    message: 'Missing or wrong token: open the URL xpersist serve printed.',
  },
})

const errorBody = (err: unknown) =>
  JSON.stringify({ ok: false, error: forExplorerShape(toErrorShape(err)) })

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
 * need the token in the X-Xpersist-Token header; only the event stream (which EventSource
 * cannot give headers) takes it as ?token=. Requests whose Host or Origin is not this server
 * are refused (DNS rebinding, other sites' pages). The engine (a worker, in `serve`) answers
 * calls concurrently; a call whose client went away is aborted, stopping its long task.
 * Closing the server closes the engine.
 */
export async function startServer(
  target: EngineHost | ExplorerSession,
  options: ServeOptions,
): Promise<RunningServer> {
  const engine = target instanceof ExplorerSession ? new InProcessEngineHost(target) : target
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const token = options.token ?? randomBytes(24).toString('hex')
  const limit = options.maxBodyBytes ?? 8 * 1024 * 1024
  const maxUploadBytes = options.maxUploadBytes ?? 512 * 1024 * 1024
  const uploads = new UploadDir(maxUploadBytes)
  const folders = new FolderUploads(() => uploads.freshDir(), {
    maxBytes: maxUploadBytes,
    maxFiles: options.maxUploadFiles ?? 100_000,
    maxDepth: 32,
  })
  let port = 0
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, errorBody(err))
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
    const header = req.headers['x-xpersist-token']
    const isEvents = url.pathname === '/api/events' && req.method === 'GET'
    // A token in a URL leaks (logs, Referer, history): only the event stream may carry one.
    const given =
      typeof header === 'string' ? header : isEvents ? url.searchParams.get('token') : null
    if (!sameToken(given, token)) return send(res, 403, DENIED)
    if (isEvents) {
      res.writeHead(200, {
        ...API_HEADERS,
        'Content-Type': 'text/event-stream',
        Connection: 'keep-alive',
      })
      res.write(': connected\n\n')
      const off = engine.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`))
      req.on('close', off)
      return
    }
    if (url.pathname === '/api/upload' && req.method === 'POST') {
      let file: { path: string; bytes: number }
      try {
        file = await uploads.receive(req)
      } catch (err) {
        return send(res, 413, errorBody(err))
      }
      const handle = await engine.adoptFile(file.path)
      return send(res, 200, JSON.stringify({ ok: true, data: { handle, bytes: file.bytes } }))
    }
    if (url.pathname.startsWith('/api/upload-folder') && req.method === 'POST') {
      return folderUpload(url.pathname, req, res)
    }
    const download = /^\/api\/export\/([0-9a-f]{32})$/.exec(url.pathname)
    if (download && req.method === 'GET') return sendExport(download[1]!, res)
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
    const gone = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) gone.abort()
    })
    send(res, 200, stringifyJson(await engine.invoke(m[1] as string, body, gone.signal)))
  }

  /** GET /api/export/<handle>: a finished table.export as an attachment, removed after. */
  async function sendExport(handle: string, res: ServerResponse): Promise<void> {
    const file = engine.takeExport ? await engine.takeExport(handle) : null
    if (!file) {
      return send(
        res,
        404,
        JSON.stringify({
          ok: false,
          error: {
            code: 'INVALID_ARGUMENT',
            message: 'No such export (it was downloaded already); export again.',
          },
        }),
      )
    }
    await streamExport(file, res, API_HEADERS)
  }

  /**
   * Folder uploads, in three steps: `POST /api/upload-folder` with the manifest
   * `{files: [{path, bytes}]}` (checked whole) gives an upload id; `POST
   * /api/upload-folder/<id>/<n>` streams file n; `POST .../<id>/finish` gives one handle for
   * the folder ('artifact.put' takes it once). `POST .../<id>/cancel` drops it.
   */
  async function folderUpload(
    pathname: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const fail = (err: unknown) => {
      req.resume() // drain a refused body so the connection stays usable
      const code = (err as { code?: unknown }).code
      send(res, code === 'LIMIT_EXCEEDED' ? 413 : code ? 400 : 500, errorBody(err))
    }
    const ok = (data: unknown) => send(res, 200, JSON.stringify({ ok: true, data }))
    const step = /^\/api\/upload-folder(?:\/([0-9a-f]{32})\/(\d{1,9}|finish|cancel))?$/.exec(
      pathname,
    )
    if (!step) return send(res, 404, '{"error":"not found"}')
    const [, id, what] = step
    try {
      if (!id || !what) {
        let manifest: unknown
        try {
          manifest = JSON.parse(await readBody(req, limit))
        } catch (err) {
          throw new InvalidArgumentError(`Bad folder manifest: ${(err as Error).message}`)
        }
        return ok(await folders.start(manifest))
      }
      if (what === 'cancel') return ok(await folders.cancel(id))
      if (what === 'finish') {
        const done = await folders.finish(id)
        const handle = await engine.adoptFile(done.dir)
        return ok({ handle, files: done.files, bytes: done.bytes })
      }
      return ok(await folders.receive(id, Number(what), req))
    } catch (err) {
      fail(err)
    }
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
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
      const stopped = (await engine.close()) ?? []
      for (const job of stopped) log(stoppedJobText(job))
      await folders.removeAll()
      await uploads.remove()
      return stopped
    },
  }
}
