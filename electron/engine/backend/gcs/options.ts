/**
 * gs:// URLs and gcsfs-style storage_options, turned into what the GCS client needs. Checked
 * before any SDK loads, so a typo is reported at once and by name; secrets are collected so
 * every later message can be scrubbed of them.
 */
import { readFileSync } from 'node:fs'
import { InvalidArgumentError } from '../../errors.js'
import { fsspecEnvDefaults, parseWithEnv, withEnvDefaults, type Env } from '../fsspec-env.js'

/** Where a gs:// cache lives: a bucket and a folder-like prefix ('' or ending in '/'). */
export interface GcsLocation {
  /** The protocol as written ('gs' or 'gcs'), kept so messages show the user's URL. */
  protocol: string
  bucket: string
  prefix: string
}

/** How the client authenticates: no credentials, the environment's, or explicit ones. */
export type GcsAuth =
  | { kind: 'anon' }
  | { kind: 'default' }
  | { kind: 'credentials'; source: string; credentials: Record<string, unknown> }

/** Parsed storage_options. */
export interface GcsOptions {
  auth: GcsAuth
  project: string | undefined
  /** An emulator or private endpoint (origin only, no trailing slash), or undefined for GCS. */
  endpoint: string | undefined
  /** Secret strings found in the options, never to appear in a message. */
  secrets: string[]
}

const KNOWN = new Set(['token', 'project', 'endpoint_url'])
// gcsfs's own bucket rule: 3-63 characters per dot-separated part, 222 in all.
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/
const CREDENTIAL_TYPES = new Map<string, string[]>([
  ['service_account', ['client_email', 'private_key']],
  ['authorized_user', ['client_id', 'client_secret', 'refresh_token']],
  ['external_account', ['audience', 'subject_token_type']],
])
const SECRET_FIELDS = ['private_key', 'private_key_id', 'client_secret', 'refresh_token']

/** Splits `gs://bucket/some/prefix` into bucket and prefix; refuses what is no bucket path. */
export function parseGcsUrl(url: string): GcsLocation {
  const m = /^(gs|gcs):\/\/([^/?#]*)(\/[^?#]*)?$/i.exec(url)
  const protocol = (m?.[1] ?? '').toLowerCase()
  const bucket = m?.[2] ?? ''
  if (!m || !BUCKET.test(bucket)) {
    throw new InvalidArgumentError(
      `'${url}' is no GCS cache location: write gs://BUCKET/PREFIX, with a bucket name of ` +
        `lower-case letters, digits, '-', '_' and '.'.`,
    )
  }
  const parts = (m[3] ?? '').split('/').filter((p) => p !== '')
  if (parts.some((p) => p === '.' || p === '..')) {
    throw new InvalidArgumentError(`'${url}': a cache prefix may not contain '.' or '..' parts.`)
  }
  return { protocol, bucket, prefix: parts.length ? `${parts.join('/')}/` : '' }
}

/** Checks storage_options in gcsfs's vocabulary: token, project, endpoint_url. */
export function parseGcsOptions(options: Record<string, unknown>): GcsOptions {
  const unknown = Object.keys(options).filter((k) => !KNOWN.has(k))
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `Unknown GCS storage_options: ${unknown.join(', ')}. xpersist understands gcsfs's ` +
        `token, project and endpoint_url.`,
    )
  }
  const project = optionalString(options, 'project')
  const endpoint = parseEndpoint(optionalString(options, 'endpoint_url'))
  const token = options.token
  let auth: GcsAuth
  // With an endpoint and no token, gcsfs-style emulator use: no credentials to send.
  if (token === undefined || token === null)
    auth = endpoint ? { kind: 'anon' } : { kind: 'default' }
  else if (token === 'anon') auth = { kind: 'anon' }
  else if (token === 'google_default') auth = { kind: 'default' }
  else if (typeof token === 'string') auth = credentialsFromFile(token)
  else if (typeof token === 'object' && !Array.isArray(token)) {
    auth = {
      kind: 'credentials',
      source: 'the token dict',
      credentials: checkCredentials(token as Record<string, unknown>, 'the token dict'),
    }
  } else {
    throw new InvalidArgumentError(
      `storage_options.token must be 'anon', 'google_default', the path of a service-account ` +
        `JSON file, or that file's contents as a dict.`,
    )
  }
  const secrets =
    auth.kind === 'credentials'
      ? SECRET_FIELDS.map((f) => auth.credentials[f]).filter(
          (v): v is string => typeof v === 'string' && v.length >= 4,
        )
      : []
  return { auth, project, endpoint, secrets }
}

// gcsfs's GCSFileSystem serves these, in this order (gcsfs 2023+; 2022 had gcs first): fsspec
// applies their environment defaults in turn, so FSSPEC_GCS_* wins over FSSPEC_GS_*.
const GCSFS_PROTOCOLS = ['gs', 'gcs']

/**
 * Explicit storage_options over fsspec's environment defaults (FSSPEC_GS='{...}',
 * FSSPEC_GCS_TOKEN=...), checked as parseGcsOptions checks them; explicit names win.
 */
export function parseGcsOptionsWithEnv(options: Record<string, unknown>, env: Env): GcsOptions {
  const defaults = fsspecEnvDefaults(GCSFS_PROTOCOLS, env)
  return parseWithEnv(withEnvDefaults(options, defaults), parseGcsOptions)
}

function optionalString(options: Record<string, unknown>, name: string): string | undefined {
  const v = options[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || v === '') {
    throw new InvalidArgumentError(`storage_options.${name} must be a non-empty string.`)
  }
  return v
}

function parseEndpoint(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    url = undefined
  }
  // A URL with user:password would carry a secret into every message that names the endpoint.
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password) {
    throw new InvalidArgumentError(
      `storage_options.endpoint_url must be an http:// or https:// URL without credentials ` +
        `in it, like http://127.0.0.1:4443.`,
    )
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function credentialsFromFile(file: string): GcsAuth {
  if (['browser', 'cache', 'cloud'].includes(file)) {
    throw new InvalidArgumentError(
      `storage_options.token '${file}' is a gcsfs login flow xpersist does not run; use ` +
        `'google_default' (gcloud auth application-default login), 'anon', or a ` +
        `service-account JSON file.`,
    )
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a JSON file'
    throw new InvalidArgumentError(
      `storage_options.token: cannot read credentials from ${file} (${why}). Give the path of ` +
        `a service-account JSON file, 'google_default' or 'anon'.`,
    )
  }
  const source = `the file ${file}`
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError(`storage_options.token: ${source} holds no credentials object.`)
  }
  return {
    kind: 'credentials',
    source,
    credentials: checkCredentials(parsed as Record<string, unknown>, source),
  }
}

// Names the fields that are missing, never their values.
function checkCredentials(c: Record<string, unknown>, source: string): Record<string, unknown> {
  const type = typeof c.type === 'string' ? c.type : undefined
  const needed = type === undefined ? undefined : CREDENTIAL_TYPES.get(type)
  if (!needed) {
    throw new InvalidArgumentError(
      `storage_options.token: ${source} needs a 'type' of ` +
        `${[...CREDENTIAL_TYPES.keys()].join(', ')} (as Google's JSON key files have).`,
    )
  }
  const missing = needed.filter((f) => typeof c[f] !== 'string' || c[f] === '')
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      `storage_options.token: ${source} (type ${type}) lacks ${missing.join(', ')}.`,
    )
  }
  return { ...c }
}

/** Replaces every secret (and anything shaped like a PEM key) in a message. */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message.replace(
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    '[redacted]',
  )
  for (const s of secrets) out = out.split(s).join('[redacted]')
  return out
}
