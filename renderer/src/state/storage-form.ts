/**
 * The open dialog's storage fields for s3:// and gs:// caches, and the s3fs / gcsfs
 * storage_options they stand for. Secrets typed here go to the main side once, in cache.open,
 * and are cleared from the form after a successful open (the main side keeps them for the
 * session); the recent list brings back only the non-secret settings.
 */
import { parseStorageOptions } from './location'

/** How an S3 cache authenticates. */
export type S3Auth = 'default' | 'profile' | 'keys' | 'anon'
/** How a GCS cache authenticates (gcsfs `token`). */
export type GcsAuth = 'google_default' | 'anon' | 'service_account'

/** The form's fields; only those of the location's protocol are shown and sent. */
export interface StorageForm {
  endpoint: string
  region: string
  s3Auth: S3Auth
  profile: string
  key: string
  secret: string
  token: string
  gcsAuth: GcsAuth
  serviceAccountPath: string
  project: string
  /** Keys were given for this location earlier this session and are kept by the main side. */
  secretsKept: boolean
}

/** A form with nothing filled in: the SDKs' default credential chains. */
export const EMPTY_STORAGE_FORM: StorageForm = {
  endpoint: '',
  region: '',
  s3Auth: 'default',
  profile: '',
  key: '',
  secret: '',
  token: '',
  gcsAuth: 'google_default',
  serviceAccountPath: '',
  project: '',
  secretsKept: false,
}

/** A field of the form, by name (for focus and error marks). */
export type StorageField = Exclude<keyof StorageForm, 's3Auth' | 'gcsAuth' | 'secretsKept'>

/** The form's fields in a user's words. */
export const FIELD_LABELS: Record<StorageField | 'auth' | 'extra', string> = {
  endpoint: 'Endpoint URL',
  region: 'Region',
  profile: 'Profile',
  key: 'Access key ID',
  secret: 'Secret access key',
  token: 'Session token',
  serviceAccountPath: 'Service-account JSON file',
  project: 'Project',
  auth: 'Credentials',
  extra: 'More options (JSON)',
}

/** 's3', 'gcs' or null (a local path) for a location. */
export function storageKind(location: string): 's3' | 'gcs' | null {
  const m = /^([a-z0-9+.-]+):\/\//i.exec(location.trim())
  const p = m?.[1]?.toLowerCase()
  if (p === 's3') return 's3'
  if (p === 'gs' || p === 'gcs') return 'gcs'
  return null
}

type Built = { ok: true; value: Record<string, unknown> } | { ok: false; message: string }

function s3Options(form: StorageForm): Built {
  const out: Record<string, unknown> = {}
  if (form.endpoint.trim()) out.endpoint_url = form.endpoint.trim()
  if (form.region.trim()) out.client_kwargs = { region_name: form.region.trim() }
  if (form.s3Auth === 'anon') out.anon = true
  if (form.s3Auth === 'profile') {
    if (!form.profile.trim()) return { ok: false, message: 'Type the AWS profile name to use.' }
    out.profile = form.profile.trim()
  }
  if (form.s3Auth === 'keys') {
    const key = form.key.trim()
    const secret = form.secret
    // Kept keys: the main side adds them back; the form sends only the settings.
    if (form.secretsKept && !key && !secret && !form.token) return { ok: true, value: out }
    if (!key || !secret) {
      return { ok: false, message: 'Type both the access key ID and the secret access key.' }
    }
    out.key = key
    out.secret = secret
    if (form.token) out.token = form.token
  }
  return { ok: true, value: out }
}

function gcsOptions(form: StorageForm): Built {
  const out: Record<string, unknown> = {}
  if (form.endpoint.trim()) out.endpoint_url = form.endpoint.trim()
  if (form.project.trim()) out.project = form.project.trim()
  if (form.gcsAuth === 'anon') out.token = 'anon'
  if (form.gcsAuth === 'google_default') out.token = 'google_default'
  if (form.gcsAuth === 'service_account') {
    const file = form.serviceAccountPath.trim()
    if (form.secretsKept && !file) return { ok: true, value: out }
    if (!file) return { ok: false, message: 'Type the path of the service-account JSON file.' }
    out.token = file
  }
  return { ok: true, value: out }
}

/**
 * The storage_options for `location` from the form plus the extra JSON; an error when a field
 * is missing or the JSON repeats an option a field sets.
 */
export function buildStorageOptions(location: string, form: StorageForm, extraText: string): Built {
  const kind = storageKind(location)
  const extra = parseStorageOptions(extraText)
  if (!extra.ok) return extra
  if (kind === null) return extra
  const fields = kind === 's3' ? s3Options(form) : gcsOptions(form)
  if (!fields.ok) return fields
  const clash = Object.keys(extra.value).filter((k) => k in fields.value)
  if (clash.length > 0) {
    return {
      ok: false,
      message: `More options (JSON) sets ${clash.join(', ')}, which the fields above set too: give it once.`,
    }
  }
  return { ok: true, value: { ...fields.value, ...extra.value } }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

/** The form as a recent entry's remembered (non-secret) options fill it; secrets stay empty. */
export function formFromRemembered(
  location: string,
  options: Record<string, unknown> | undefined,
  secretsNeeded: boolean,
): StorageForm {
  const o = options ?? {}
  const client = (o.client_kwargs ?? {}) as Record<string, unknown>
  const form: StorageForm = {
    ...EMPTY_STORAGE_FORM,
    endpoint: str(o.endpoint_url) || str(client.endpoint_url),
    region: str(client.region_name),
    profile: str(o.profile),
    project: str(o.project),
  }
  if (storageKind(location) === 's3') {
    if (o.anon === true) form.s3Auth = 'anon'
    else if (form.profile) form.s3Auth = 'profile'
    else if (secretsNeeded) form.s3Auth = 'keys'
  } else {
    if (o.token === 'anon') form.gcsAuth = 'anon'
    else if (secretsNeeded) form.gcsAuth = 'service_account'
  }
  return form
}

/** The form with every secret emptied (after an open: the main side keeps them). */
export function withoutSecrets(form: StorageForm, kept: boolean): StorageForm {
  return { ...form, key: '', secret: '', token: '', serviceAccountPath: '', secretsKept: kept }
}

/** Which field an open error is about, from the option names the backend's message gives. */
export function fieldOfError(
  message: string,
  kind: 's3' | 'gcs' | null,
  form: StorageForm = EMPTY_STORAGE_FORM,
): StorageField | 'auth' | null {
  if (kind === null) return null
  const m = message
  let field: StorageField | 'auth' | null = null
  // Refused or missing credentials first: their hints mention endpoint_url in passing.
  if (/No AWS credentials|Access denied|was refused|PERMISSION|\b40[13]\b/i.test(m)) {
    field = /key, secret or token|InvalidAccessKeyId|SignatureDoesNotMatch/i.test(m)
      ? 'key'
      : 'auth'
  } else if (/endpoint_url|Cannot reach/i.test(m)) field = 'endpoint'
  else if (/region_name|another region/i.test(m)) field = 'region'
  else if (kind === 's3' && /\b(key|secret|token)\b/i.test(m)) field = 'key'
  else if (kind === 's3' && /\bprofile\b/i.test(m)) field = 'profile'
  else if (kind === 'gcs' && /service.account|\btoken\b/i.test(m)) field = 'serviceAccountPath'
  else if (kind === 'gcs' && /\bproject\b/i.test(m)) field = 'project'
  else if (/credentials|\banon\b/i.test(m)) field = 'auth'
  // A field the chosen credentials mode does not show: point at the mode itself.
  const shown =
    field === 'key'
      ? kind === 's3' && form.s3Auth === 'keys'
      : field === 'profile'
        ? kind === 's3' && form.s3Auth === 'profile'
        : field === 'serviceAccountPath'
          ? kind === 'gcs' && form.gcsAuth === 'service_account'
          : true
  return shown ? field : 'auth'
}
