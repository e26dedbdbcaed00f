/**
 * AWS Signature Version 4 for plain requests without a body (fast-path.ts: sidecar GETs, listings),
 * with node:crypto alone: the SDK's signer runs inside its middleware stack, whose CPU per
 * small request is what bounded a cold listing. The signing key is derived once per day,
 * region and service, and kept. Follows the AWS SigV4 documentation; test/unit/s3-sigv4.test.ts
 * checks it against AWS's published test vectors and botocore's signer.
 */
import { createHash, createHmac } from 'node:crypto'

/** The keys that sign a request (a session token travels as a header, signed). */
export interface SigningCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** A request to sign: `path` is the canonical URI, already encoded (see encodeKeyPath). */
export interface RequestToSign {
  method: string
  path: string
  /** Query parameters, not encoded; none for a GetObject. */
  query?: [string, string][]
  /** Header names in lower case; all of them are signed. `host` must be there. */
  headers: Record<string, string>
  /** Hex SHA-256 of the body, or 'UNSIGNED-PAYLOAD'. */
  payloadHash: string
}

/** SHA-256 of no bytes: the payload hash of a request without a body. */
export const EMPTY_PAYLOAD_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

const hex = (c: number) => `%${c.toString(16).toUpperCase().padStart(2, '0')}`

/**
 * SigV4's URI encoding: every byte of the UTF-8 form except A-Z a-z 0-9 - . _ ~ as %XY (upper
 * case), so a space is %20 and '+' is %2B; '/' is kept when `keepSlash`. encodeURIComponent
 * differs only in keeping ! ' ( ) *, which are encoded here.
 */
export function uriEncode(s: string, keepSlash = false): string {
  const out = encodeURIComponent(s).replace(/[!'()*]/g, (c) => hex(c.charCodeAt(0)))
  return keepSlash ? out.replace(/%2F/g, '/') : out
}

/** An S3 object key as a URI path (each '/'-separated part encoded, never normalised). */
export function encodeKeyPath(key: string): string {
  return uriEncode(key, true)
}

/** `20150830T123600Z` for a time. */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
const hmac = (key: string | Buffer, s: string) =>
  createHmac('sha256', key).update(s, 'utf8').digest()

/** Derived signing keys by secret, day, region and service: one derivation per day. */
const keys = new Map<string, Buffer>()
const MAX_KEPT_KEYS = 64

function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const id = `${day}\n${region}\n${service}\n${secret}`
  let key = keys.get(id)
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request')
    if (keys.size >= MAX_KEPT_KEYS) keys.clear()
    keys.set(id, key)
  }
  return key
}

/** The canonical request of SigV4 (its step 1), and the signed header names. */
export function canonicalRequest(req: RequestToSign): { text: string; signedHeaders: string } {
  const names = Object.keys(req.headers).sort()
  const headerLines = names.map(
    (n) => `${n}:${(req.headers[n] as string).trim().replace(/ +/g, ' ')}\n`,
  )
  const query = (req.query ?? [])
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const signedHeaders = names.join(';')
  const text = [req.method, req.path, query, headerLines.join(''), signedHeaders, req.payloadHash]
  return { text: text.join('\n'), signedHeaders }
}

/**
 * The Authorization header value for `req` at `date` (amzDate form; the request's x-amz-date
 * header must hold the same), in `region` for `service`.
 */
export function authorization(
  req: RequestToSign,
  creds: SigningCredentials,
  date: string,
  region: string,
  service: string,
): string {
  const day = date.slice(0, 8)
  const scope = `${day}/${region}/${service}/aws4_request`
  const { text, signedHeaders } = canonicalRequest(req)
  const toSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${sha256(text)}`
  const key = signingKey(creds.secretAccessKey, day, region, service)
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex')
  return (
    `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`
  )
}

/** A GET without a body, to sign: see getHeaders. */
export interface GetToSign {
  /** The Host header: host name, and the port when not the scheme's default. */
  host: string
  /** The canonical URI (encoded). */
  path: string
  /** Query parameters, not encoded (a ListObjectsV2's); none for a GetObject. */
  query?: [string, string][]
  /** Undefined: an anonymous request, sent unsigned. */
  creds?: SigningCredentials
  /** amzDate form. */
  date: string
  region: string
  service: string
  requesterPays: boolean
}

/**
 * The headers of a GET (GetObject, ListObjectsV2) as the S3 backend sends it: host, the payload hash and date, the
 * session token and requester-pays header when there are, all signed; only the last two when
 * anonymous (an unsigned request carries no date).
 */
export function getHeaders(get: GetToSign): Record<string, string> {
  const headers: Record<string, string> = { host: get.host }
  if (get.requesterPays) headers['x-amz-request-payer'] = 'requester'
  const { creds } = get
  if (creds === undefined) return headers
  headers['x-amz-content-sha256'] = EMPTY_PAYLOAD_HASH
  headers['x-amz-date'] = get.date
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken
  const req = {
    method: 'GET',
    path: get.path,
    query: get.query,
    headers,
    payloadHash: EMPTY_PAYLOAD_HASH,
  }
  headers.authorization = authorization(req, creds, get.date, get.region, get.service)
  return headers
}
