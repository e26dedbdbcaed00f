import { isPlainObject } from './pyjson.js'

// created_at as Python writes it (naive `isoformat()`), or with a zone suffix, or a space
// separator; pydantic also takes a Unix timestamp, so numbers are accepted too.
export const ISO_DATETIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/

/** One artifact's sidecar: the fields of xpersist's pydantic model, plus any unknown ones. */
export interface Artifact {
  key: string
  serializer: string
  load_kwargs: Record<string, unknown>
  dump_kwargs: Record<string, unknown>
  additional_metadata: Record<string, unknown>
  /**
   * As written: naive UTC `isoformat()` from Python, or with a zone, or Unix seconds. null
   * (or missing) means unknown, and stays so: a rewrite never invents a time.
   */
  created_at?: string | number | null
  [extra: string]: unknown
}

/** The outcome of validating sidecar JSON: the Artifact, or the field at fault and why. */
export type ParseResult =
  { success: true; data: Artifact } | { success: false; field: string; message: string }

const DICT_FIELDS = ['load_kwargs', 'dump_kwargs', 'additional_metadata'] as const

/**
 * Validates parsed sidecar JSON as xpersist's pydantic model does: key and serializer are
 * required strings, the three dicts may be missing or null (-> {}), created_at may be missing
 * or null (kept as it is, meaning unknown: pydantic's default of now would be a made-up time
 * that a metadata edit then writes back), an ISO 8601 string or a number. Unknown fields are
 * kept, so a rewrite never drops what a newer writer put there. Hand-written rather than a schema parse: it runs 100,000
 * times in a listing, and keeping zod off this path saves start-up time for every CLI call
 * (shared/artifact-schema.ts holds the zod twin for IPC, tested to agree).
 */
export function parseArtifact(json: unknown): ParseResult {
  if (!isPlainObject(json))
    return { success: false, field: '(top level)', message: 'expected a JSON object' }
  const a = json as Record<string, unknown>
  for (const field of ['key', 'serializer'] as const) {
    if (typeof a[field] !== 'string') {
      const message = a[field] === undefined ? 'required field missing' : 'expected a string'
      return { success: false, field, message }
    }
  }
  let out = a
  for (const field of DICT_FIELDS) {
    const v = a[field]
    if (v === undefined || v === null) {
      if (out === a) out = { ...a }
      out[field] = {}
    } else if (!isPlainObject(v)) {
      return { success: false, field, message: 'expected a JSON object (a Python dict)' }
    }
  }
  const created = a.created_at
  if (
    created !== undefined &&
    created !== null &&
    (typeof created === 'string' ? !ISO_DATETIME.test(created) : typeof created !== 'number')
  ) {
    return { success: false, field: 'created_at', message: 'expected an ISO 8601 date-time' }
  }
  return { success: true, data: out as Artifact }
}

/** The fields of the sidecar in the order Python writes them. */
export const ARTIFACT_FIELDS = [
  'key',
  'serializer',
  'load_kwargs',
  'dump_kwargs',
  'additional_metadata',
  'created_at',
] as const

// performance.timeOrigin + now() has sub-millisecond resolution, so created_at can carry
// microseconds the way datetime.utcnow() does.
function nowMicros(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000))
}

/** `datetime.utcnow().isoformat()`: naive UTC, microseconds, dropped when zero. */
export function utcNowIso(micros: bigint = nowMicros()): string {
  const ms = Number(micros / 1000n)
  const us = Number(micros % 1000000n)
  const base = new Date(ms).toISOString().slice(0, 19)
  return us === 0 ? base : `${base}.${String(us).padStart(6, '0')}`
}

/** created_at as a Date: naive times are UTC (Python writes utcnow()); numbers are Unix seconds. */
export function createdAtDate(createdAt: string | number): Date {
  if (typeof createdAt === 'number') return new Date(createdAt * 1000)
  let t = createdAt.replace(' ', 'T')
  if (t.length === 10) t += 'T00:00:00'
  const hasZone = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(t.slice(10))
  // Date parses at most milliseconds; trim the rest of the fraction.
  t = t.replace(/(\.\d{3})\d+/, '$1')
  return new Date(hasZone ? t : `${t}Z`)
}

// Digits of Python's naive isoformat(): `YYYY-MM-DDTHH:MM:SS` and an optional fraction.
function digits(s: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

/**
 * created_at as epoch ms (what createdAtDate(...).getTime() gives), or null when missing or no
 * real time. Python's own naive form is read without a regex or a Date: a prune or a sort over
 * 100,000 artifacts reads it 100,000 times. Anything else goes through createdAtDate.
 */
export function createdAtMs(createdAt: string | number | null | undefined): number | null {
  if (createdAt === null || createdAt === undefined) return null
  if (typeof createdAt === 'string' && createdAt.length >= 19 && createdAt.length <= 29) {
    const s = createdAt
    const sep = s[10]
    if (
      s[4] === '-' &&
      s[7] === '-' &&
      (sep === 'T' || sep === ' ') &&
      s[13] === ':' &&
      s[16] === ':'
    ) {
      const y = digits(s, 0, 4)
      const mo = digits(s, 5, 7)
      const d = digits(s, 8, 10)
      const h = digits(s, 11, 13)
      const mi = digits(s, 14, 16)
      const sec = digits(s, 17, 19)
      let ms = 0
      let ok = y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23
      ok = ok && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59
      if (ok && s.length > 19) {
        // A fraction of 1 to 9 digits, milliseconds truncated as createdAtDate does.
        const frac = s.length - 20
        ok = s[19] === '.' && frac >= 1 && frac <= 9 && digits(s, 20, s.length) >= 0
        if (ok)
          ms = Math.floor(digits(s, 20, Math.min(s.length, 23)) * 10 ** (3 - Math.min(frac, 3)))
      }
      if (ok) return Date.UTC(y, mo - 1, d, h, mi, sec, ms)
    }
  }
  const ms = createdAtDate(createdAt).getTime()
  return Number.isFinite(ms) ? ms : null
}
