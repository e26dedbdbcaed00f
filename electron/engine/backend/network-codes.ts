/**
 * Node's socket-level error codes: the request never got an HTTP answer, so the message is
 * "cannot reach the endpoint", not a server's refusal. Shared by the object-store backends.
 */
export const SOCKET_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
])
