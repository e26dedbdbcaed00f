import type { ErrorCode, ErrorShape } from '../../shared/errors.js'

/** Base class of every error the engine throws on purpose; `code` is from a closed set. */
export class XpersistError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** The key has no sidecar in this store. */
export class KeyNotFoundError extends XpersistError {
  constructor(message: string) {
    super('KEY_NOT_FOUND', message)
  }
}

/** on_duplicate_key='raise_error' and the key (or its payload) already exists. */
export class DuplicateKeyError extends XpersistError {
  constructor(message: string) {
    super('DUPLICATE_KEY', message)
  }
}

/** The key is not a safe relative path inside the cache root. */
export class InvalidKeyError extends XpersistError {
  constructor(message: string) {
    super('INVALID_KEY', message)
  }
}

/** A write (put, delete, metadata update) on a read-only store. */
export class ReadOnlyError extends XpersistError {
  constructor(message: string) {
    super('READ_ONLY', message)
  }
}

/** A sidecar that is not valid JSON or does not match the Artifact model. */
export class CorruptSidecarError extends XpersistError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CORRUPT_SIDECAR', message, options)
  }
}

/** A payload the serializer could not decode. */
export class CorruptPayloadError extends XpersistError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CORRUPT_PAYLOAD', message, options)
  }
}

/** A serializer or registry name nobody registered. */
export class UnknownSerializerError extends XpersistError {
  constructor(message: string) {
    super('UNKNOWN_SERIALIZER', message)
  }
}

/** Bad arguments: unknown kwargs, a value the serializer cannot write, a bad option. */
export class InvalidArgumentError extends XpersistError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message)
  }
}

/** A conditional write lost: the object changed since it was read. */
export class ConflictError extends XpersistError {
  readonly current: unknown
  constructor(message: string, current?: unknown) {
    super('CONFLICT', message)
    this.current = current
  }
}

/** A backend create-only write found the object already there. */
export class AlreadyExistsError extends XpersistError {
  constructor(message: string) {
    super('ALREADY_EXISTS', message)
  }
}

/** The backend or serializer cannot do this (yet), e.g. a compression codec not built in. */
export class NotSupportedError extends XpersistError {
  constructor(message: string) {
    super('NOT_SUPPORTED', message)
  }
}

/** The operating system or the object store refused access. */
export class PermissionDeniedError extends XpersistError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PERMISSION_DENIED', message, options)
  }
}

/**
 * The cache folder itself was moved, removed or replaced (by another folder or a link) since
 * the store was opened: refused, so a long session never reads or writes somewhere else.
 */
export class CacheFolderChangedError extends PermissionDeniedError {
  constructor(root: string) {
    super(
      `The cache folder ${root} changed since it was opened; reopen it. It was moved, removed ` +
        `or replaced (by another folder or a symbolic link), so xpersist no longer reads or ` +
        `writes there.`,
    )
  }
}

/** A size limit protecting memory was hit (e.g. a hostile pickle). */
export class LimitExceededError extends XpersistError {
  constructor(message: string) {
    super('LIMIT_EXCEEDED', message)
  }
}

/** Any other failure of the storage backend, with the underlying cause attached. */
export class BackendError extends XpersistError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND', message, options)
  }
}

/** Maps any thrown value to the serialisable `{ code, message }` shape, once, at a boundary. */
export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof XpersistError) return { code: err.code, message: err.message }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'BACKEND', message: `Unexpected error: ${message}` }
}
