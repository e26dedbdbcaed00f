/**
 * Maps what the GCS client throws to the engine's closed error set. The SDK's error objects
 * carry request options (headers with bearer tokens among them), so none is ever attached as
 * a cause: only a scrubbed, shortened copy of its message goes on.
 */
import { BackendError, PermissionDeniedError, type XpersistError } from '../../errors.js'
import { redact, type GcsAuth } from './options.js'
import { SOCKET_ERROR_CODES } from '../network-codes.js'

/** What a message about one GCS cache may name: never a secret. */
export interface GcsErrorContext {
  /** The cache URL as the user wrote it (gs://bucket/prefix). */
  url: string
  bucket: string
  /** The endpoint_url, or undefined for Google Cloud Storage itself. */
  endpoint: string | undefined
  auth: GcsAuth
  secrets: readonly string[]
}

const MESSAGE_LIMIT = 300

/** The HTTP status of an SDK error, or undefined when there was no HTTP answer. */
export function httpStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code === 'number') return code
  if (typeof code === 'string' && /^\d{3}$/.test(code)) return Number(code)
  return undefined
}

/** The storage_options.token in use, described without its contents. */
export function describeAuth(auth: GcsAuth): string {
  if (auth.kind === 'anon') return "anonymous access (token 'anon')"
  if (auth.kind === 'default')
    return "Google application default credentials (token 'google_default')"
  return `the credentials in ${auth.source}`
}

/** Turns any failure of `action` (e.g. "reading key/x") into an engine error. */
export function gcsError(err: unknown, action: string, ctx: GcsErrorContext): XpersistError {
  const where = ctx.endpoint ?? 'Google Cloud Storage'
  const raw = err instanceof Error ? err.message : String(err)
  const detail = redact(raw, ctx.secrets).replace(/\s+/g, ' ').trim().slice(0, MESSAGE_LIMIT)
  const status = httpStatus(err)
  const code = (err as { code?: unknown } | null)?.code
  if (status === 401 || status === 403) {
    return new PermissionDeniedError(
      `${action} in ${ctx.url}: ${where} refused access to bucket '${ctx.bucket}' (HTTP ` +
        `${status}: ${detail}). Check storage_options.token (now ${describeAuth(ctx.auth)}) ` +
        `and that this account may use the bucket.`,
    )
  }
  if (status === 404) {
    return new BackendError(
      `${action} in ${ctx.url}: there is no bucket '${ctx.bucket}' at ${where}. Check the ` +
        `bucket name` +
        (ctx.endpoint ? ' and storage_options.endpoint_url.' : '.'),
    )
  }
  if (status !== undefined) {
    const again = status === 429 || status >= 500 ? ' The server may be busy: try again later.' : ''
    return new BackendError(
      `${action} in ${ctx.url}: ${where} answered HTTP ${status} (${detail}).${again}`,
    )
  }
  if (typeof code === 'string' && SOCKET_ERROR_CODES.has(code)) {
    return new BackendError(
      `${action} in ${ctx.url}: cannot reach ${where} (${code}). Check the network` +
        (ctx.endpoint ? ' and storage_options.endpoint_url, and that the server is running.' : '.'),
    )
  }
  // No HTTP answer and no socket error: the auth library failed before sending anything.
  if (ctx.auth.kind !== 'anon') {
    return new PermissionDeniedError(
      `${action} in ${ctx.url}: could not sign in with ${describeAuth(ctx.auth)} (${detail}). ` +
        `Check storage_options.token, or use token 'anon' for a public bucket.`,
    )
  }
  return new BackendError(`${action} in ${ctx.url}: ${detail}`)
}
