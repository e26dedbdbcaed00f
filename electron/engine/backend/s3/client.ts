/**
 * Builds the S3 client from checked settings. The SDK is imported here, lazily: this module is
 * loaded only when an s3:// cache is opened, so a local `xpersist ls` never loads it.
 */
import http from 'node:http'
import https from 'node:https'
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3'
import { NotSupportedError } from '../../errors.js'
import type { S3Settings } from './options.js'

/** The SDK module, for its command classes. */
export type S3Sdk = typeof import('@aws-sdk/client-s3')

// Bulk calls keep up to 32 requests in flight; the pool has room for a listing beside them.
const MAX_SOCKETS = 64
// A connection that does not open in this long is a wrong endpoint or a dead network.
const CONNECT_TIMEOUT_MS = 30_000
// No byte for this long on an open request: give up (the SDK then retries).
const IDLE_TIMEOUT_MS = 120_000
// s3fs's default when nothing names a region; AWS redirects a wrong guess (followed below).
const FALLBACK_REGION = 'us-east-1'

/** Loads the SDK, saying what to install when it is missing. */
export async function loadSdk(): Promise<S3Sdk> {
  try {
    return await import('@aws-sdk/client-s3')
  } catch {
    throw new NotSupportedError(
      `s3:// caches need the package @aws-sdk/client-s3, which this installation lacks. ` +
        `Install it (npm install @aws-sdk/client-s3@3.974.0) or reinstall xpersist.`,
    )
  }
}

function config(settings: S3Settings, region: string | undefined): S3ClientConfig {
  const c: S3ClientConfig = {
    followRegionRedirects: true,
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: IDLE_TIMEOUT_MS,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    },
  }
  if (region !== undefined) c.region = region
  if (settings.endpoint !== undefined) {
    c.endpoint = settings.endpoint
    // Servers on an IP or localhost have no per-bucket host names.
    c.forcePathStyle = true
    // Other servers (SeaweedFS, MinIO, Ceph) vary in the optional CRC checksums; send them
    // only where the API requires one (DeleteObjects). AWS itself keeps the SDK default.
    c.requestChecksumCalculation = 'WHEN_REQUIRED'
    c.responseChecksumValidation = 'WHEN_REQUIRED'
  }
  if (settings.credentials) c.credentials = settings.credentials
  // Anonymous: sign with placeholders, then strip the signature (middleware below); the SDK
  // has no unsigned mode of its own in this version (its `signer` option is ignored).
  else if (settings.anon) c.credentials = { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' }
  if (settings.profile !== undefined) c.profile = settings.profile
  return c
}

type Next = (args: { request: unknown }) => Promise<unknown>
// The stack's `add` is overloaded per step; this is the build/finalize shape both uses need.
type Middleware = Parameters<S3Client['middlewareStack']['addRelativeTo']>[0]

/** A middleware that edits the outgoing request's headers. */
function editHeaders(edit: (headers: Record<string, string>) => void): Middleware {
  const m = (next: Next) => async (args: { request: unknown }) => {
    const headers = (args.request as { headers?: Record<string, string> }).headers
    if (headers) edit(headers)
    return next(args)
  }
  return m as unknown as Middleware
}

function addMiddleware(client: S3Client, settings: S3Settings): void {
  if (settings.anon) {
    const strip = editHeaders((h) => {
      delete h.authorization
      delete h['x-amz-security-token']
    })
    client.middlewareStack.addRelativeTo(strip, {
      relation: 'after',
      toMiddleware: 'httpSigningMiddleware',
      name: 'xpersistAnonymous',
    })
  }
  if (settings.requesterPays) {
    // As s3fs requester_pays=True, on every request; added before signing, so it is signed.
    const pay = editHeaders((h) => {
      h['x-amz-request-payer'] = 'requester'
    })
    client.middlewareStack.addRelativeTo(pay, {
      relation: 'before',
      toMiddleware: 'httpSigningMiddleware',
      name: 'xpersistRequesterPays',
    })
  }
}

/**
 * A client for `settings`. Without a region in the options, the AWS environment and profile
 * chain is asked, then s3fs's fallback (us-east-1) is used: region redirects are followed.
 */
export async function makeS3Client(sdk: S3Sdk, settings: S3Settings): Promise<S3Client> {
  let client = new sdk.S3Client(config(settings, settings.region))
  if (settings.region === undefined) {
    try {
      await client.config.region()
    } catch {
      client.destroy()
      client = new sdk.S3Client(config(settings, FALLBACK_REGION))
    }
  }
  addMiddleware(client, settings)
  return client
}
