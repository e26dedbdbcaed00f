/**
 * s3fs-style storage_options (what a Python xpersist user passes to s3fs) checked and turned
 * into the S3 client's settings. Pure: no SDK import, so bad options fail before any network.
 * Values never reach a message: errors name the option, not what it holds.
 */
import { InvalidArgumentError } from '../../errors.js'
import { fsspecEnvDefaults, parseWithEnv, withEnvDefaults, type Env } from '../fsspec-env.js'

/** What the S3 backend needs from storage_options. */
export interface S3Settings {
  /** Explicit keys; undefined means the AWS environment and profile chain (or anon). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  /** Unsigned requests (a public bucket), as s3fs `anon=True`. */
  anon: boolean
  /** A non-AWS server (moto, SeaweedFS, MinIO...): path-style requests go there. */
  endpoint?: string
  region?: string
  profile?: string
  /** Adds `x-amz-request-payer: requester` to every request, as s3fs `requester_pays=True`. */
  requesterPays: boolean
}

const KNOWN = [
  'key',
  'secret',
  'token',
  'anon',
  'endpoint_url',
  'client_kwargs',
  'profile',
  'requester_pays',
  'username', // s3fs's alias of key
  'password', // s3fs's alias of secret
]
// fsspec/s3fs tuning of Python-side caches: meaningless here, accepted so a Python user's
// options work as they are.
const IGNORED = [
  'skip_instance_cache',
  'use_listings_cache',
  'listings_expiry_time',
  'max_paths',
  'default_block_size',
  'default_fill_cache',
  'default_cache_type',
  'cache_regions',
  'max_concurrency',
]
const CLIENT_KWARGS = [
  'region_name',
  'endpoint_url',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
]

const HELP =
  'S3 storage options (as s3fs takes them): key, secret, token, anon, endpoint_url, ' +
  'client_kwargs.region_name, client_kwargs.endpoint_url, profile, requester_pays.'

function own(o: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, name) ? o[name] : undefined
}

function str(o: Record<string, unknown>, name: string, label = name): string | undefined {
  const v = own(o, name)
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || v === '') {
    throw new InvalidArgumentError(`The S3 storage option ${label} must be a non-empty string.`)
  }
  return v
}

function bool(o: Record<string, unknown>, name: string): boolean {
  const v = own(o, name)
  if (v === undefined || v === null) return false
  if (typeof v !== 'boolean') {
    throw new InvalidArgumentError(`The S3 storage option ${name} must be true or false.`)
  }
  return v
}

function unknownNames(o: Record<string, unknown>, known: string[], where: string): void {
  const bad = Object.keys(o).filter((k) => !known.includes(k))
  if (bad.length === 0) return
  const names = bad.map((k) => `'${k.slice(0, 60)}'`).join(', ')
  throw new InvalidArgumentError(`Unknown S3 storage option${where}: ${names}. ${HELP}`)
}

function endpointUrl(value: string | undefined, label: string): string | undefined {
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidArgumentError(`The S3 storage option ${label} is not a URL.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`The S3 storage option ${label} must be an http(s):// URL.`)
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in a URL end up in messages and logs; they belong in key and secret.
    throw new InvalidArgumentError(
      `The S3 storage option ${label} contains a user name or password: give them as key ` +
        `and secret instead.`,
    )
  }
  return url.href.replace(/\/$/, '')
}

/** Checks s3fs-style storage_options; throws InvalidArgumentError naming a bad option. */
export function parseS3Options(options: Record<string, unknown>): S3Settings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`S3 storage options must be an object. ${HELP}`)
  }
  unknownNames(options, [...KNOWN, ...IGNORED], '')
  const ck = own(options, 'client_kwargs') ?? {}
  if (typeof ck !== 'object' || ck === null || Array.isArray(ck)) {
    throw new InvalidArgumentError(`The S3 storage option client_kwargs must be an object.`)
  }
  const kwargs = ck as Record<string, unknown>
  unknownNames(kwargs, CLIENT_KWARGS, ' in client_kwargs')

  const pick = (a: string, b: string, c: string) => {
    const found = [
      [a, str(options, a)],
      [b, str(options, b)],
      [`client_kwargs.${c}`, str(kwargs, c, `client_kwargs.${c}`)],
    ].filter(([, v]) => v !== undefined)
    if (found.length > 1) {
      throw new InvalidArgumentError(
        `The S3 storage options ${found.map(([n]) => n).join(' and ')} say the same thing: give one.`,
      )
    }
    return found[0]?.[1]
  }
  const key = pick('key', 'username', 'aws_access_key_id')
  const secret = pick('secret', 'password', 'aws_secret_access_key')
  const token =
    str(options, 'token') ?? str(kwargs, 'aws_session_token', 'client_kwargs.aws_session_token')
  const anon = bool(options, 'anon')
  const profile = str(options, 'profile')
  if ((key === undefined) !== (secret === undefined)) {
    throw new InvalidArgumentError(
      `The S3 storage options key and secret go together: give both, or neither (the AWS ` +
        `environment and profile chain then supplies them).`,
    )
  }
  if (token !== undefined && key === undefined) {
    throw new InvalidArgumentError(`The S3 storage option token needs key and secret as well.`)
  }
  if (anon && (key !== undefined || profile !== undefined)) {
    throw new InvalidArgumentError(
      `The S3 storage option anon (unsigned requests) cannot go with ${key ? 'key' : 'profile'}: give one.`,
    )
  }
  if (profile !== undefined && key !== undefined) {
    throw new InvalidArgumentError(
      `The S3 storage options profile and key cannot go together: give one.`,
    )
  }
  const top = endpointUrl(str(options, 'endpoint_url'), 'endpoint_url')
  const inner = endpointUrl(
    str(kwargs, 'endpoint_url', 'client_kwargs.endpoint_url'),
    'client_kwargs.endpoint_url',
  )
  if (top !== undefined && inner !== undefined && top !== inner) {
    throw new InvalidArgumentError(
      `The S3 storage options endpoint_url and client_kwargs.endpoint_url differ: give one.`,
    )
  }
  const settings: S3Settings = {
    anon,
    requesterPays: bool(options, 'requester_pays'),
  }
  if (key !== undefined && secret !== undefined) {
    settings.credentials = { accessKeyId: key, secretAccessKey: secret }
    if (token !== undefined) settings.credentials.sessionToken = token
  }
  const endpoint = top ?? inner
  if (endpoint !== undefined) settings.endpoint = endpoint
  const region = str(kwargs, 'region_name', 'client_kwargs.region_name')
  if (region !== undefined) settings.region = region
  if (profile !== undefined) settings.profile = profile
  return settings
}

// s3fs's S3FileSystem serves these, in this order: fsspec applies their defaults in turn.
const S3FS_PROTOCOLS = ['s3', 's3a']
const BOOLEANS = ['anon', 'requester_pays']

/**
 * Explicit storage_options over fsspec's environment defaults (FSSPEC_S3='{...}',
 * FSSPEC_S3_ENDPOINT_URL=...), checked as parseS3Options checks them; explicit names win.
 */
export function parseS3OptionsWithEnv(options: Record<string, unknown>, env: Env): S3Settings {
  const defaults = fsspecEnvDefaults(S3FS_PROTOCOLS, env, BOOLEANS)
  return parseWithEnv(withEnvDefaults(options, defaults), parseS3Options)
}

/** `s3://bucket/prefix` split; the prefix has no leading or trailing '/'. */
export function parseS3Url(location: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/?#]*)\/?([^?#]*)$/i.exec(location)
  const bucket = m?.[1] ?? ''
  if (!m || bucket === '') {
    throw new InvalidArgumentError(
      `'${location.slice(0, 200)}' is not an S3 cache URL: write s3://bucket or s3://bucket/prefix.`,
    )
  }
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '')
  if (prefix.split('/').some((s) => s === '.' || s === '..' || (s === '' && prefix !== ''))) {
    throw new InvalidArgumentError(
      `The S3 cache URL ${location.slice(0, 200)} has an empty, '.' or '..' part in its prefix.`,
    )
  }
  return { bucket, prefix }
}
