/** The closed set of error codes the engine raises; the IPC boundary sends only these. */
export const ERROR_CODES = [
  'KEY_NOT_FOUND',
  'DUPLICATE_KEY',
  'INVALID_KEY',
  'READ_ONLY',
  'CORRUPT_SIDECAR',
  'CORRUPT_PAYLOAD',
  'UNKNOWN_SERIALIZER',
  'INVALID_ARGUMENT',
  'CONFLICT',
  'ALREADY_EXISTS',
  'NOT_SUPPORTED',
  'PERMISSION_DENIED',
  'LIMIT_EXCEEDED',
  'BACKEND',
] as const

/** One of ERROR_CODES. */
export type ErrorCode = (typeof ERROR_CODES)[number]

/** The serialisable form of an engine error, as the renderer and `--json` output see it. */
export interface ErrorShape {
  code: ErrorCode
  message: string
}
