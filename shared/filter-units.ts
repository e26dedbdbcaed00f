/**
 * The values filters take, as the search box and `xpersist prune` write them: durations
 * (`365d`), dates (`2025-06`), sizes (`100MB`). Each parser returns null for text it does not
 * read; the caller names the flag or token in its error (see filter-query.ts). Inputs are
 * bounded: anything longer than MAX_VALUE_CHARS is refused before a regex sees it.
 */

/** Longest value text any of these parsers reads. */
export const MAX_VALUE_CHARS = 40

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/**
 * Duration units. No months: their length varies, and `m` reads as minutes to Docker users and
 * as months to others, so it is refused with a hint instead of guessed. A year is 365 days.
 */
const DURATION_UNITS = new Map<string, number>([
  ['h', HOUR_MS],
  ['d', DAY_MS],
  ['w', 7 * DAY_MS],
  ['y', 365 * DAY_MS],
])

/** What the duration grammar says, for help and error messages. */
export const DURATION_HELP = 'a whole number and h, d, w or y (hours, days, weeks, 365-day years)'

/** `365d`, `12w`, `24h`, `2y` in milliseconds; null when not a duration. */
export function parseDuration(text: string): number | null {
  if (text.length > MAX_VALUE_CHARS) return null
  const m = /^(\d{1,7})([hdwy])$/.exec(text.trim().toLowerCase())
  if (!m) return null
  return Number(m[1]) * (DURATION_UNITS.get(m[2] as string) as number)
}

/** Why a text is no duration, when a hint helps more than the grammar (`6m`, `1.5d`). */
export function durationHint(text: string): string | null {
  const t = text.trim().toLowerCase()
  if (/^\d+(m|mo|month|months|min)$/.test(t))
    return "'m' could mean months or minutes, so it is no unit: write days or weeks, e.g. '180d' or '26w'"
  if (/^\d+\.\d+[hdwy]$/.test(t)) return "write a whole number, e.g. '36h' rather than '1.5d'"
  if (/^\d+$/.test(t)) return `add a unit, e.g. '${t}d' for ${t} days`
  return null
}

/**
 * A date as a half-open UTC range [start, end): `2025` is that year, `2025-06` that month,
 * `2025-06-01` that day, `2025-06-01T12:30` that minute, `2025-06-01T12:30:15` that second.
 * created_at written without a zone is UTC (Python's utcnow()), so dates are UTC too; a
 * trailing `Z` is accepted. Null when not such a date (or not a real one: 2025-02-30).
 */
export function parseDateRange(text: string): { start: number; end: number } | null {
  if (text.length > MAX_VALUE_CHARS) return null
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?Z?)?)?)?$/.exec(
    text.trim(),
  )
  if (!m) return null
  const parts = m.slice(1).map((p) => (p === undefined ? undefined : Number(p)))
  const [y, mo, d, h, mi, s] = parts as (number | undefined)[]
  const year = y as number
  if (mo !== undefined && (mo < 1 || mo > 12)) return null
  if (h !== undefined && h > 23) return null
  if (mi !== undefined && mi > 59) return null
  if (s !== undefined && s > 59) return null
  const start = Date.UTC(year, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0)
  // Date.UTC rolls 2025-02-30 over to March: a day that does not exist is refused.
  if (d !== undefined && (d < 1 || new Date(start).getUTCDate() !== d)) return null
  // Date.UTC maps years 0-99 to 1900-1999.
  if (new Date(start).getUTCFullYear() !== year) return null
  let end: number
  if (s !== undefined) end = start + 1000
  else if (mi !== undefined) end = start + 60_000
  else if (d !== undefined) end = start + DAY_MS
  else if (mo !== undefined) end = Date.UTC(year, mo, 1)
  else end = Date.UTC(year + 1, 0, 1)
  return { start, end }
}

/**
 * Size units: B, KB, MB, GB, TB are decimal (1 MB = 1,000,000 bytes, as `ls` and the explorer
 * print sizes); KiB, MiB, GiB, TiB are binary (1 MiB = 1,048,576 bytes). Case-insensitive.
 */
const SIZE_UNITS = new Map<string, number>([
  ['b', 1],
  ['kb', 1e3],
  ['mb', 1e6],
  ['gb', 1e9],
  ['tb', 1e12],
  ['kib', 2 ** 10],
  ['mib', 2 ** 20],
  ['gib', 2 ** 30],
  ['tib', 2 ** 40],
])

/** What the size grammar says, for help and error messages. */
export const SIZE_HELP =
  'a number and B, KB, MB, GB, TB (decimal: 1 MB = 1,000,000 bytes) or KiB, MiB, GiB, TiB (binary)'

/** `100MB`, `1.5GiB`, `0B` in bytes (rounded up to a whole byte); null when not a size. */
export function parseSize(text: string): number | null {
  if (text.length > MAX_VALUE_CHARS) return null
  const m = /^(\d{1,15}(?:\.\d{1,6})?)\s?([a-z]{1,3})$/i.exec(text.trim())
  if (!m) return null
  const unit = SIZE_UNITS.get((m[2] as string).toLowerCase())
  if (unit === undefined) return null
  // In integers, so 1.1MB is 1,100,000 bytes and not one more from binary rounding.
  const [whole, frac = ''] = (m[1] as string).split('.')
  const scale = 10n ** BigInt(frac.length)
  const exact = BigInt(whole as string) * scale * BigInt(unit) + BigInt(frac || '0') * BigInt(unit)
  const bytes = Number((exact + scale - 1n) / scale)
  return Number.isSafeInteger(bytes) ? bytes : null
}

/** Why a text is no size, when a hint helps more than the grammar (`100`, `5M`). */
export function sizeHint(text: string): string | null {
  const t = text.trim()
  if (/^\d+(\.\d+)?$/.test(t)) return `add a unit, e.g. '${t}MB'`
  if (/^\d+(\.\d+)?\s?[kmgt]$/i.test(t)) return `write the whole unit, e.g. '${t}B' or '${t}iB'`
  return null
}
