/**
 * Maps what the S3 SDK throws to the engine's closed error set, once, at the backend's edge.
 * Messages name the bucket, the operation and the option to fix; never a key, secret or
 * token, and the SDK error itself (which carries request headers) is not attached as a cause.
 */
import { BackendError, PermissionDeniedError, type XpersistError } from '../../errors.js'
import type { S3Settings } from './options.js'
import { SOCKET_ERROR_CODES } from '../network-codes.js'

/** Where a failing request went, for messages. */
export interface S3Place {
  /** s3://bucket/prefix */
  url: string
  bucket: string
  settings: S3Settings
}

/** The parts of an SDK (or network) error the mapping looks at. */
interface SdkErrorLike {
  name?: string
  code?: string
  Code?: string
  $metadata?: { httpStatusCode?: number }
  $fault?: string
}

// Socket-level failures, and the SDK's own timeouts: no HTTP answer came back.
const NETWORK_CODES = new Set([...SOCKET_ERROR_CODES, 'TimeoutError', 'RequestTimeout'])

/** HTTP status of an SDK error, if it got an answer at all. */
export function statusOf(err: unknown): number | undefined {
  return (err as SdkErrorLike | null)?.$metadata?.httpStatusCode
}

/** The S3 error code ('NoSuchKey', 'AccessDenied') or Node's network code. */
export function codeOf(err: unknown): string {
  const e = (err ?? {}) as SdkErrorLike
  const code = String(e.Code ?? e.code ?? e.name ?? 'Error')
  // An identifier only: whatever else a server put there stays out of messages.
  return /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : 'Error'
}

/** Where requests go, for messages (no credentials: endpoint URLs with them are refused). */
export function endpointOf(settings: S3Settings): string {
  if (settings.endpoint !== undefined) return settings.endpoint
  return settings.region !== undefined ? `AWS S3 (region ${settings.region})` : 'AWS S3'
}

function credentialHint(settings: S3Settings, code: string): string {
  if (settings.anon) {
    return (
      'The bucket does not allow anonymous (anon: true) access: give credentials instead ' +
      '(storage options key and secret, or profile).'
    )
  }
  if (settings.credentials && /InvalidAccessKeyId|SignatureDoesNotMatch|Expired/.test(code)) {
    return (
      'The key, secret or token in the storage options was refused: check them (and ' +
      'endpoint_url, for a non-AWS server).'
    )
  }
  return (
    'Give credentials that may access it: storage options key and secret (and token), ' +
    'or profile, or the AWS environment (AWS_ACCESS_KEY_ID, AWS_PROFILE); anon: true for a ' +
    'public bucket; requester_pays: true for a requester-pays bucket.'
  )
}

/** The engine error for a failed S3 request; `action` says what was being done ('reading k'). */
export function mapS3Error(err: unknown, place: S3Place, action: string): XpersistError {
  const status = statusOf(err)
  const code = codeOf(err)
  const where = endpointOf(place.settings)
  if (code === 'CredentialsProviderError' || code === 'ProviderError') {
    return new PermissionDeniedError(
      `No AWS credentials found for ${place.url} while ${action}. Set the storage options key ` +
        `and secret, or profile, or anon: true for a public bucket, or the AWS environment ` +
        `(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE).`,
    )
  }
  if (status === 401 || status === 403 || code === 'AccessDenied') {
    return new PermissionDeniedError(
      `Access denied to bucket '${place.bucket}' (${code}) while ${action} in ${place.url}. ` +
        credentialHint(place.settings, code),
    )
  }
  if (code === 'NoSuchBucket') {
    return new BackendError(
      `The bucket '${place.bucket}' does not exist on ${where}. Check the bucket name in ` +
        `${place.url}` +
        (place.settings.endpoint === undefined ? '.' : ` and the storage option endpoint_url.`),
    )
  }
  if (code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed' || status === 301) {
    return new BackendError(
      `The bucket '${place.bucket}' is in another region than the one asked (${code}) while ` +
        `${action}. Set the storage option client_kwargs.region_name to its region.`,
    )
  }
  if (status === undefined && NETWORK_CODES.has(code)) {
    return new BackendError(
      `Cannot reach the S3 endpoint ${where} (${code}) while ${action} in ${place.url}. ` +
        `Check the network and the storage option endpoint_url, then try again.`,
    )
  }
  if (status !== undefined && status >= 500) {
    return new BackendError(
      `The S3 server ${where} failed (HTTP ${status}, ${code}) while ${action} in ` +
        `${place.url}. It may be overloaded or down: try again later.`,
    )
  }
  const http = status === undefined ? '' : `HTTP ${status}, `
  return new BackendError(
    `S3 request failed (${http}${code}) while ${action} in ${place.url} on ${where}.`,
  )
}
