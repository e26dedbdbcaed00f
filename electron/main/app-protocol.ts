import { protocol } from 'electron'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CSP, RENDERER_TYPES as TYPES } from '../../shared/csp.js'

/** The scheme the window's page is served from, instead of file:// (which grants a page far more). */
export const APP_SCHEME = 'xpersist-app'
/** The one host of that scheme: our renderer. */
export const APP_HOST = 'app'
/** The page the window loads. */
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`
/** The built renderer (dist/renderer): the only folder the scheme serves. */
export const RENDERER_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'renderer',
)

/** True when `url` is our renderer page: the only page allowed to load or to call the engine. */
export function isAppPageUrl(url: string | undefined): boolean {
  if (!url) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.pathname === '/index.html'
  )
}

/**
 * Declares the scheme privileged: standard (a real origin, so 'self' in the CSP and relative
 * URLs work) and secure. Electron accepts this only before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the scheme from `root` (call once the app is ready). */
export function serveAppScheme(root = RENDERER_ROOT): void {
  protocol.handle(APP_SCHEME, (request) => appFileResponse(root, request.url))
}

/**
 * The response for one request of the scheme: a file of `root` with the CSP header, or a 404
 * for anything else, including paths that would leave `root` once percent-decoded.
 */
export async function appFileResponse(root: string, requestUrl: string): Promise<Response> {
  const file = appFilePath(root, requestUrl)
  const data = file ? await fs.readFile(file).catch(() => undefined) : undefined
  if (!file || !data) {
    return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })
  }
  return new Response(new Uint8Array(data), {
    status: 200,
    headers: {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

/** The file under `root` a scheme URL names, or null when it names none (or one outside). */
function appFilePath(root: string, requestUrl: string): string | null {
  let rel: string
  try {
    const url = new URL(requestUrl)
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
    rel = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  // A backslash is a separator on Windows, and a NUL ends a path: neither belongs in a URL path.
  if (rel.includes('\\') || rel.includes('\0')) return null
  if (rel === '/' || rel === '') rel = '/index.html'
  const base = path.resolve(root)
  const file = path.resolve(base, `.${rel}`)
  return file.startsWith(base + path.sep) ? file : null
}
