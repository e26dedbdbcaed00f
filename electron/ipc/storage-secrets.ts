/**
 * Which storage options may be remembered (the recent list, written to disk and sent to the
 * renderer) and which are secrets, kept only in this process for the session. Remembering is
 * an allow-list: an option nobody classified is not remembered, so a new secret-bearing
 * option can never leak by default.
 */

/** Options that are settings, not credentials, at the top level of storage_options. */
const REMEMBERED_TOP = new Set(['endpoint_url', 'profile', 'anon', 'requester_pays', 'project'])
/** ...and inside client_kwargs (s3fs). */
const REMEMBERED_CLIENT = new Set(['region_name', 'endpoint_url'])
/** GCS token values that name a mode rather than hold or point at a credential. */
const GCS_TOKEN_MODES = new Set(['anon', 'google_default', 'cloud', 'browser'])

const isGcs = (location: string) => /^(gs|gcs):\/\//i.test(location.trim())

// An endpoint with user:password@ in it carries a credential: never remembered.
function plainEndpoint(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return url.username === '' && url.password === ''
  } catch {
    return !value.includes('@')
  }
}

function rememberable(name: string, value: unknown): boolean {
  if (name === 'endpoint_url') return plainEndpoint(value)
  return typeof value === 'string' || typeof value === 'boolean'
}

/**
 * Splits storage options into what may be remembered and whether anything else (keys, a
 * session token, a service-account file or dict, unknown options) was given and so must be
 * asked for again.
 */
export function rememberedOptions(
  location: string,
  options: Record<string, unknown>,
): { options: Record<string, unknown>; secretsNeeded: boolean } {
  const kept: Record<string, unknown> = Object.create(null)
  let secretsNeeded = false
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue
    if (REMEMBERED_TOP.has(name) && rememberable(name, value)) kept[name] = value
    else if (name === 'token' && isGcs(location) && GCS_TOKEN_MODES.has(String(value)))
      kept[name] = value
    else if (name === 'client_kwargs' && value !== null && typeof value === 'object') {
      const client: Record<string, unknown> = Object.create(null)
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) {
        if (REMEMBERED_CLIENT.has(inner) && rememberable(inner, v)) client[inner] = v
        else secretsNeeded = true
      }
      if (Object.keys(client).length > 0) kept[name] = { ...client }
    } else secretsNeeded = true
  }
  return { options: { ...kept }, secretsNeeded }
}

/** Stable JSON (sorted keys) for comparing two option sets. */
function stable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`
}

/**
 * Secrets given once for a location, kept in this process for the session only (never
 * written, never sent back), so reopening it (the read-only toggle, the recent list) does
 * not make the renderer hold or resend them.
 */
export class SessionSecrets {
  private readonly byLocation = new Map<string, Record<string, unknown>>()

  /**
   * The options to open `location` with: the request's own when it carries secrets (or
   * nothing was kept); otherwise the kept ones, when the request's settings match theirs.
   */
  resolve(location: string, requested: Record<string, unknown>): Record<string, unknown> {
    const asked = rememberedOptions(location, requested)
    if (asked.secretsNeeded) return requested
    const kept = this.byLocation.get(location)
    if (!kept) return requested
    const keptSettings = rememberedOptions(location, kept).options
    return stable(keptSettings) === stable(asked.options) ? kept : requested
  }

  /** Keeps the options a location opened with, when they hold secrets. */
  keep(location: string, options: Record<string, unknown>): void {
    if (rememberedOptions(location, options).secretsNeeded) this.byLocation.set(location, options)
    else this.byLocation.delete(location)
  }

  /** Whether keys for `location` are held (a flag only: the keys themselves never leave). */
  has(location: string): boolean {
    return this.byLocation.has(location)
  }

  /** Forgets every secret (the session closes). */
  clear(): void {
    this.byLocation.clear()
  }
}
