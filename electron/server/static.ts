import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { ServerResponse } from 'node:http'
import { CSP, RENDERER_TYPES as TYPES } from '../../shared/csp.js'

/**
 * Serves a file of the built renderer. The request path is resolved inside `root` and
 * anything that would leave it is a 404, as is anything missing.
 */
export async function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse,
): Promise<void> {
  let rel: string
  try {
    rel = decodeURIComponent(urlPath.split('?')[0] ?? '/')
  } catch {
    rel = '/'
  }
  if (rel === '/' || rel === '') rel = '/index.html'
  const base = path.resolve(root)
  const file = path.resolve(base, `.${rel}`)
  if (!file.startsWith(base + path.sep)) return notFound(res)
  const data = await fs.readFile(file).catch(() => undefined)
  if (!data) return notFound(res)
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': rel === '/index.html' ? 'no-store' : 'max-age=3600',
  })
  res.end(data)
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' })
  res.end('not found')
}
