/**
 * The explorer page's Content-Security-Policy, sent as a header by both hosts of the page:
 * the Electron main process and browser mode's server. renderer/index.html carries the same
 * policy in a meta tag, without frame-ancestors (a meta CSP cannot carry it).
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
