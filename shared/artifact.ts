import { z } from 'zod'
import { isPlainObject } from './pyjson.js'

// created_at as Python writes it (naive `isoformat()`), or with a zone suffix, or a space
// separator; pydantic also takes a Unix timestamp, so numbers are accepted too.
const ISO_DATETIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/

const dict = z
  .custom<Record<string, unknown>>((v) => v === null || v === undefined || isPlainObject(v), {
    message: 'expected a JSON object (a Python dict)',
  })
  .transform((v) => (v ?? {}) as Record<string, unknown>)

/**
 * The Artifact model, mirroring xpersist's pydantic model: key and serializer required, the
 * three dicts default to {}, created_at defaults to now (naive UTC, microseconds). Unknown
 * fields are kept so a rewrite never drops what a newer writer put there.
 */
export const ArtifactSchema = z.looseObject({
  key: z.string(),
  serializer: z.string(),
  load_kwargs: dict.default({}),
  dump_kwargs: dict.default({}),
  additional_metadata: dict.default({}),
  created_at: z
    .union([z.string().regex(ISO_DATETIME, 'expected an ISO 8601 date-time'), z.number()])
    .default(() => utcNowIso()),
})

/** One artifact's sidecar, parsed. */
export type Artifact = z.output<typeof ArtifactSchema>

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
