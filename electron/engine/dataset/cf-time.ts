import { InvalidArgumentError } from '../errors.js'
import {
  type CalendarName,
  canonicalCalendar,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  isStandardCalendar,
} from './calendars.js'
import type { NdArray, NumericArray } from './model.js'

// CF times, "<unit> since <reference date>", decoded and encoded as xarray 2023.1 does
// (xarray/coding/times.py): standard calendars go through pandas (exact int64 nanoseconds) and
// fall back to cftime (microseconds, calendar-aware) when a date leaves datetime64[ns]'s range;
// the other calendars always give cftime-like values, shown here as cftime's ISO text.
// All arithmetic is BigInt, so no nanosecond is lost.

/** numpy's NaT: the smallest int64. */
export const NAT = -(2n ** 63n)
const NS_MAX = 2n ** 63n - 1n
const NS_PER_DAY = 86_400_000_000_000n

/** CF time unit names (plural), with their length in nanoseconds. */
export const NS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['days', NS_PER_DAY],
  ['hours', 3_600_000_000_000n],
  ['minutes', 60_000_000_000n],
  ['seconds', 1_000_000_000n],
  ['milliseconds', 1_000_000n],
  ['microseconds', 1_000n],
  ['nanoseconds', 1n],
])

// Spellings cftime and udunits accept beside the plural names xarray writes.
const UNIT_ALIASES: Record<string, string> = {
  day: 'days', d: 'days', hour: 'hours', hr: 'hours', hrs: 'hours', h: 'hours',
  minute: 'minutes', min: 'minutes', mins: 'minutes', second: 'seconds', sec: 'seconds',
  secs: 'seconds', s: 'seconds', millisecond: 'milliseconds', msec: 'milliseconds',
  msecs: 'milliseconds', ms: 'milliseconds', microsecond: 'microseconds', usec: 'microseconds',
  usecs: 'microseconds', us: 'microseconds', nanosecond: 'nanoseconds', ns: 'nanoseconds',
} // prettier-ignore

/** A reference date as written in the units; the zone offset is applied when it is used. */
export interface RefDate {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** Nanoseconds past the second. */
  fraction: bigint
  /** Zone offset east of UTC, in minutes (0 when none was written). */
  offsetMinutes: number
  /** True when the units named a zone (Z, UTC or an offset). */
  zoned: boolean
}

/** Parsed "<unit> since <date>". */
export interface TimeUnits {
  unit: string
  nsPerUnit: bigint
  ref: RefDate
}

const REF_RE =
  /^(-?\d+)-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/i

/** True when `units` looks like CF time units ("... since ..."), as xarray tests it. */
export function isTimeUnits(units: unknown): units is string {
  return typeof units === 'string' && units.includes('since')
}

/** Parses CF time units; an unknown unit or an unreadable date is an InvalidArgumentError. */
export function parseTimeUnits(units: string): TimeUnits {
  const m = /^\s*(.+?)\s+since\s+(.+?)\s*$/.exec(units)
  if (!m) throw new InvalidArgumentError(`Invalid CF time units '${units}'.`)
  const word = m[1]!.toLowerCase()
  const unit = NS_PER_UNIT.has(word) ? word : UNIT_ALIASES[word]
  if (!unit) throw new InvalidArgumentError(`Unknown time unit '${m[1]}' in units '${units}'.`)
  const r = REF_RE.exec(m[2]!)
  if (!r) throw new InvalidArgumentError(`Unreadable reference date '${m[2]}' in units '${units}'.`)
  const frac = (r[7] ?? '').slice(0, 9).padEnd(9, '0')
  let offsetMinutes = 0
  const zone = r[8]?.toUpperCase()
  if (zone && zone !== 'Z' && zone !== 'UTC' && zone !== 'GMT') {
    const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone)!
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0))
  }
  const ref: RefDate = {
    year: Number(r[1]),
    month: Number(r[2]),
    day: Number(r[3]),
    hour: Number(r[4] ?? 0),
    minute: Number(r[5] ?? 0),
    second: Number(r[6] ?? 0),
    fraction: BigInt(frac),
    offsetMinutes,
    zoned: zone !== undefined,
  }
  if (
    ref.month < 1 ||
    ref.month > 12 ||
    ref.day < 1 ||
    ref.hour > 23 ||
    ref.minute > 59 ||
    ref.second > 60
  ) {
    throw new InvalidArgumentError(`Reference date '${m[2]}' in units '${units}' is not a date.`)
  }
  return { unit, nsPerUnit: NS_PER_UNIT.get(unit)!, ref }
}

/** The reference date as nanoseconds on `calendar`'s day count (UTC, zone offset applied). */
export function refNs(ref: RefDate, calendar: CalendarName): bigint {
  if (ref.day > daysInMonth(calendar, ref.year, ref.month)) {
    throw new InvalidArgumentError(
      `Reference date ${ref.year}-${ref.month}-${ref.day} does not exist in the ${calendar} calendar.`,
    )
  }
  const days = BigInt(daysFromCivil(calendar, ref.year, ref.month, ref.day))
  const secs = BigInt(ref.hour * 3600 + ref.minute * 60 + ref.second - ref.offsetMinutes * 60)
  return days * NS_PER_DAY + secs * 1_000_000_000n + ref.fraction
}

const pad = (n: number | bigint, w = 2): string => {
  const s = String(n < 0 ? -n : n).padStart(w, '0')
  return n < 0 ? `-${s}` : s
}

/** Splits nanoseconds on a calendar's day count into date fields. */
function fields(ns: bigint, calendar: CalendarName) {
  let days = ns / NS_PER_DAY
  let tod = ns % NS_PER_DAY
  if (tod < 0n) {
    tod += NS_PER_DAY
    days -= 1n
  }
  const date = civilFromDays(calendar, Number(days))
  const secs = tod / 1_000_000_000n
  return {
    ...date,
    hour: Number(secs / 3600n),
    minute: Number((secs / 60n) % 60n),
    second: Number(secs % 60n),
    sub: tod % 1_000_000_000n,
  }
}

/** ISO text of a datetime64[ns] value as pandas' Timestamp.isoformat writes it (null for NaT). */
export function formatDatetime64(ns: bigint): string | null {
  if (ns === NAT) return null
  const f = fields(ns, 'proleptic_gregorian')
  let s = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`
  if (f.sub % 1000n !== 0n) s += `.${pad(f.sub, 9)}`
  else if (f.sub !== 0n) s += `.${pad(f.sub / 1000n, 6)}`
  return s
}

/** ISO text of a cftime date (microsecond resolution) as cftime's isoformat writes it. */
export function formatCftime(ns: bigint, calendar: CalendarName): string {
  const f = fields(ns, calendar)
  const us = f.sub / 1000n
  const s = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`
  return us === 0n ? s : `${s}.${pad(us, 6)}`
}

/** numpy's round-half-to-even, which cftime uses when it converts to microseconds. */
function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

function isIntegerArray(a: NumericArray): boolean {
  return !(a instanceof Float32Array || a instanceof Float64Array)
}

/**
 * Decodes CF time numbers: datetime64[ns] (BigInt64Array) for standard calendars when every
 * date fits, else 'object' with cftime ISO text (null for missing), as decode_cf_datetime does.
 */
export function decodeCfTimes(
  values: NumericArray,
  shape: number[],
  units: string,
  calendar?: string | null,
  useCftime: boolean | null = null,
): NdArray {
  const parsed = parseTimeUnits(units)
  const cal = canonicalCalendar(calendar)
  if (isStandardCalendar(calendar) && useCftime !== true) {
    const ns = decodeWithPandas(values, parsed)
    if (ns) return { dtype: 'datetime64[ns]', shape, data: ns }
    if (useCftime === false) {
      throw new InvalidArgumentError(
        `Times in '${units}' do not fit datetime64[ns] (years 1678 to 2262); open with use_cftime=True.`,
      )
    }
  }
  // cftime: microseconds, rounded half-even, on the calendar's own day count.
  const base = refNs(parsed.ref, cal)
  const usPerUnit = parsed.nsPerUnit / 1000n
  if (usPerUnit === 0n) {
    throw new InvalidArgumentError(`cftime cannot decode times in nanoseconds (units '${units}').`)
  }
  const ints = isIntegerArray(values)
  const out: (bigint | null)[] = Array.from(values as ArrayLike<number | bigint>, (v) => {
    if (typeof v === 'bigint' || ints) return base + BigInt(v) * usPerUnit * 1000n
    if (!Number.isFinite(v)) return null
    return base + BigInt(roundHalfEven(v * Number(usPerUnit))) * 1000n
  })
  if (isStandardCalendar(calendar) && useCftime !== true && inNumpyYears(out, cal)) {
    // xarray turns in-range cftime dates back into datetime64 (cftime_to_nptime).
    const data = new BigInt64Array(out.length)
    out.forEach((v, i) => {
      data[i] = v === null ? NAT : v
    })
    return { dtype: 'datetime64[ns]', shape, data }
  }
  return {
    dtype: 'object',
    shape,
    data: out.map((v) => (v === null ? null : formatCftime(v, cal))),
  }
}

// xarray checks only the earliest and latest dates against 1678 <= year < 2262.
function inNumpyYears(ns: (bigint | null)[], cal: CalendarName): boolean {
  let lo: bigint | null = null
  let hi: bigint | null = null
  for (const v of ns) {
    if (v === null) continue
    if (lo === null || v < lo) lo = v
    if (hi === null || v > hi) hi = v
  }
  if (lo === null || hi === null) return false
  return fields(lo, cal).year >= 1678 && fields(hi, cal).year < 2262
}

// pandas: the reference date must be a valid Timestamp, then ns = trunc(value * unit) in int64
// (float values multiply in float64 first, as numpy does); null when anything leaves the range.
function decodeWithPandas(values: NumericArray, u: TimeUnits): BigInt64Array | null {
  const ref = refNs(u.ref, 'proleptic_gregorian')
  if (ref <= NAT || ref > NS_MAX) return null
  const out = new BigInt64Array(values.length)
  const ints = isIntegerArray(values)
  const mult = Number(u.nsPerUnit)
  const f32 = values instanceof Float32Array
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    let delta: bigint
    if (typeof v === 'bigint' || ints) delta = BigInt(v) * u.nsPerUnit
    else if (Number.isNaN(v)) {
      out[i] = NAT
      continue
    } else {
      // numpy multiplies float32 arrays by a Python int in float32.
      const x = f32 ? Math.fround(v * mult) : v * mult
      if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 63) return null
      delta = BigInt(Math.trunc(x))
    }
    const t = ref + delta
    if (t <= NAT || t > NS_MAX) return null
    out[i] = t
  }
  return out
}

/**
 * The decoded dtype xarray would report, decided from the units alone (xarray reads the first
 * and last value; see resolveTimeDtype in cf-decode.ts for that refinement).
 */
export function guessTimeDtype(
  units: string,
  calendar?: string | null,
  useCftime: boolean | null = null,
): string {
  return isStandardCalendar(calendar) && useCftime !== true ? 'datetime64[ns]' : 'object'
}
