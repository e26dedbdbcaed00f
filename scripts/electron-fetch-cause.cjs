// Preloaded into Electron's installer by `npm start` (node --require). Node's fetch reports a
// failure as "fetch failed" and keeps the reason (DNS, refused, TLS) in err.cause, which the
// installer does not print; this re-throws with the reason in the message, so `npm start`
// can tell the user why the download failed.
'use strict'
const originalFetch = globalThis.fetch
globalThis.fetch = async function fetchWithCause(...args) {
  try {
    return await originalFetch.apply(this, args)
  } catch (err) {
    const cause = err && err.cause
    if (!cause || !cause.message) throw err
    throw new TypeError(`${err.message}: ${cause.message}`, { cause })
  }
}
