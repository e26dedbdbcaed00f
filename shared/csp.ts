/**
 * The explorer page's Content-Security-Policy, sent as a header by both hosts of the page:
 * the Electron main process and browser mode's server. renderer/index.html carries the same
 * policy in a meta tag, without frame-ancestors (a meta CSP cannot carry it).
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

/** Content types of the renderer's files, by extension (browser mode and the Electron scheme). */
export const RENDERER_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}
