/**
 * Datetimes as text, both ways, following pandas 1.5: to_csv writes a naive column whose
 * values are all midnight as dates only ('2001-04-01'), otherwise 'YYYY-MM-DD HH:MM:SS' plus
 * as many fraction digits (3, 6 or 9) as the column needs; a tz-aware value is written as
 * str(Timestamp), with its own fraction and its UTC offset. Values are epoch nanoseconds.
 */
import { InvalidArgumentError, NotSupportedError } from '../errors.js'

const NS_PER_SECOND = 1_000_000_000n
const NS_PER_DAY = 86_400n * NS_PER_SECOND

const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/

/** A parsed datetime text: epoch nanoseconds (UTC when it had an offset) and whether it did. */
export interface ParsedDatetime {
  ns: bigint
  hasOffset: boolean
}

/** Parses the forms pandas writes ('2001-04-01', '2021-01-01 06:30:00.5', '...+00:00', '...+0000'). */
export function parseDatetime(text: string): ParsedDatetime | null {
  const m = DATETIME_RE.exec(text)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  if (hour > 23 || minute > 59 || second > 59) return null
  const fraction = BigInt((m[7] ?? '').padEnd(9, '0'))
  let ns =
    BigInt(daysFromCivil(year, month, day)) * NS_PER_DAY +
    BigInt(hour * 3600 + minute * 60 + second) * NS_PER_SECOND +
    fraction
  const zone = m[8]
  if (zone && zone !== 'Z') {
    // '+03:00' (isoformat) or '+0300' (strftime's %z, what date_format='...%z' writes).
    const minutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2))
    ns -= BigInt((zone[0] === '-' ? -1 : 1) * minutes * 60) * NS_PER_SECOND
  }
  return { ns, hasOffset: zone !== undefined }
}

/** The cells of a datetime column (epoch ns, null for NaT) as DataFrame.to_csv writes them. */
export function formatDatetimes(
  values: readonly (bigint | null)[],
  timezone: string | null,
  naRep: string,
  dateFormat?: string,
): string[] {
  const present = values.filter((v): v is bigint => v !== null)
  const offsetOf = timezone === null ? () => 0 : offsetResolver(timezone)
  if (dateFormat !== undefined) {
    checkDateFormat(dateFormat)
    return values.map((v) => {
      if (v === null) return naRep
      const offset = offsetOf(v)
      const zone = timezone === null ? '' : formatOffset(offset).replace(':', '')
      return strftime(v + BigInt(offset) * 60n * NS_PER_SECOND, dateFormat, zone)
    })
  }
  if (timezone !== null) {
    // str(Timestamp): the fraction is decided value by value, and the offset is appended.
    return values.map((v) => {
      if (v === null) return naRep
      const offset = offsetOf(v)
      const local = v + BigInt(offset) * 60n * NS_PER_SECOND
      const sub = mod(local, NS_PER_SECOND)
      const digits = sub === 0n ? 0 : sub % 1000n !== 0n ? 9 : 6
      return basic(local, digits) + formatOffset(offset)
    })
  }
  if (present.every((v) => mod(v, NS_PER_DAY) === 0n)) {
    return values.map((v) => (v === null ? naRep : dateOnly(v)))
  }
  const digits = present.some((v) => v % 1000n !== 0n)
    ? 9
    : present.some((v) => v % 1_000_000n !== 0n)
      ? 6
      : present.some((v) => v % NS_PER_SECOND !== 0n)
        ? 3
        : 0
  return values.map((v) => (v === null ? naRep : basic(v, digits)))
}

/** 'YYYY-MM-DD' of an epoch-day count (Arrow Date32), as str(datetime.date) writes it. */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days)
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`
}

/** ISO 8601 without zone ('2001-04-01T00:00:00', fraction when non-zero), for JSON output. */
export function isoDatetime(ns: bigint): string {
  const sub = mod(ns, NS_PER_SECOND)
  const digits = sub === 0n ? 0 : sub % 1000n !== 0n ? 9 : 6
  return basic(ns, digits).replace(' ', 'T')
}

function basic(ns: bigint, fractionDigits: number): string {
  const days = Number((ns - mod(ns, NS_PER_DAY)) / NS_PER_DAY)
  const inDay = mod(ns, NS_PER_DAY)
  const seconds = Number(inDay / NS_PER_SECOND)
  const time = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`
  const fraction = mod(ns, NS_PER_SECOND).toString().padStart(9, '0').slice(0, fractionDigits)
  return `${formatDate(days)} ${time}${fractionDigits ? '.' + fraction : ''}`
}

function dateOnly(ns: bigint): string {
  return formatDate(Number((ns - mod(ns, NS_PER_DAY)) / NS_PER_DAY))
}

/** The strftime directives date_format may use. */
const DIRECTIVES = new Set(['Y', 'm', 'd', 'H', 'M', 'S', 'f', 'z', '%'])

/**
 * Refuses a date_format with a directive this strftime does not write (Python's would pass
 * some through or spell them by locale): a file pandas reads differently is worse than an error.
 */
export function checkDateFormat(format: string): void {
  for (const m of format.matchAll(/%(.?)/gs)) {
    if (!DIRECTIVES.has(m[1]!)) {
      throw new InvalidArgumentError(
        `pandas.csv date_format supports %Y %m %d %H %M %S %f %z %% only, not ` +
          `'%${m[1]}' in ${JSON.stringify(format)}. Format the column as text before dumping ` +
          `for other forms.`,
      )
    }
  }
}

// A small strftime: the directives people use for CSV dates (checked by checkDateFormat).
// `zone` is what %z writes: '+0100', or '' for a naive datetime, as Python's does.
function strftime(ns: bigint, format: string, zone: string): string {
  const full = basic(ns, 9)
  const parts: Record<string, string> = {
    Y: full.slice(0, 4),
    m: full.slice(5, 7),
    d: full.slice(8, 10),
    H: full.slice(11, 13),
    M: full.slice(14, 16),
    S: full.slice(17, 19),
    f: full.slice(20, 26),
    z: zone,
    '%': '%',
  }
  return format.replace(/%(.)/gs, (_, code: string) => parts[code]!)
}

function offsetResolver(timezone: string): (ns: bigint) => number {
  if (/^(UTC|Etc\/UTC|Z|GMT|Etc\/GMT|utc)$/.test(timezone)) return () => 0
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(timezone)
  if (fixed) {
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3])
    return () => (fixed[1] === '-' ? -minutes : minutes)
  }
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
  } catch {
    throw new NotSupportedError(
      `pandas.csv cannot write datetimes in unknown time zone '${timezone}'`,
    )
  }
  return (ns) => {
    const ms = Number((ns - mod(ns, 1_000_000n)) / 1_000_000n)
    const name = format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT'
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name)
    if (!m) return 0
    const minutes = Number(m[2]) * 60 + Number(m[3])
    return m[1] === '-' ? -minutes : minutes
  }
}

function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
}

function mod(a: bigint, b: bigint): bigint {
  const r = a % b
  return r < 0n ? r + b : r
}

function pad(n: number, width: number): string {
  return n < 0 ? '-' + String(-n).padStart(width, '0') : String(n).padStart(width, '0')
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

// Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, no Date object, so
// no local-time surprises and no millisecond limit.
/** Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** Days since 1970-01-01 to [year, month, day] in the proleptic Gregorian calendar (Hinnant). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d]
}
