import { InvalidArgumentError } from '../errors.js'
import {
  type CalendarName,
  canonicalCalendar,
  daysFromCivil,
  isStandardCalendar,
} from './calendars.js'
import { formatCftime, NAT, NS_PER_UNIT, parseTimeUnits, refNs } from './cf-time.js'
import type { NdArray } from './model.js'

// The inverse of cf-time.ts, as xarray 2023.1's encode_cf_datetime: times to numbers in the
// given (or inferred) units and calendar; int64 when every value divides exactly, else float64.

const NS_PER_DAY = 86_400_000_000_000n
const ISO_RE =
  /^(-?\d+)-(\d{1,2})-(\d{1,2})(?:[T\s](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?$/

/** Parses ISO date text (as cftime values print) to nanoseconds on `calendar`'s day count. */
export function parseCftimeIso(text: string, calendar: string | CalendarName): bigint {
  const m = ISO_RE.exec(text.trim())
  if (!m) throw new InvalidArgumentError(`'${text}' is not an ISO date.`)
  const cal = canonicalCalendar(calendar)
  const days = BigInt(daysFromCivil(cal, Number(m[1]), Number(m[2]), Number(m[3])))
  const secs = BigInt(Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0))
  return days * NS_PER_DAY + secs * 1_000_000_000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0')
}

// str(pd.Timestamp): a space between date and time, fraction only when non-zero.
function timestampText(ns: bigint): string {
  const iso = formatCftime((ns / 1000n) * 1000n, 'proleptic_gregorian').replace('T', ' ')
  const sub = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n
  if (sub % 1000n !== 0n) return `${iso.split('.')[0]}.${String(sub).padStart(9, '0')}`
  return iso
}

/**
 * xarray's infer_datetime_units: the first of days, hours, ... (nanoseconds only for
 * datetime64) that divides every step between consecutive times, since the first time.
 */
export function inferDatetimeUnits(
  times: readonly (bigint | null)[],
  kind: 'datetime64' | 'cftime',
  calendar: string = 'proleptic_gregorian',
): string {
  const valid = kind === 'datetime64' ? times.filter((t): t is bigint => t !== null) : times
  const first = valid[0]
  let ref: string
  if (kind === 'datetime64') ref = first == null ? '1970-01-01 00:00:00' : timestampText(first)
  else if (first == null) ref = '1970-01-01'
  else {
    const f = formatCftime(first, canonicalCalendar(calendar))
    ref = `${f.replace('T', ' ').split('.')[0]}.${(f.split('.')[1] ?? '').padEnd(6, '0')}`
  }
  const steps = new Set<bigint>()
  for (let i = 1; i < valid.length; i++) {
    const a = valid[i - 1]
    const b = valid[i]
    if (a != null && b != null) steps.add(b - a)
  }
  const names = [...NS_PER_UNIT.keys()].filter((u) => kind === 'datetime64' || u !== 'nanoseconds')
  const unit = names.find((u) => [...steps].every((s) => s % NS_PER_UNIT.get(u)! === 0n))
  return `${unit ?? 'seconds'} since ${ref}`
}

/**
 * xarray's _cleanup_netcdf_time_units: a reference date pandas can read is rewritten as
 * format_timestamp prints it ("2000-01-01", or "2000-01-01T06:00:00+01:00"); others stay.
 */
export function cleanupUnits(units: string): string {
  let u
  try {
    u = parseTimeUnits(units)
  } catch {
    return units
  }
  const ref = refNs({ ...u.ref, offsetMinutes: 0 }, 'proleptic_gregorian')
  if (ref <= NAT || ref >= 2n ** 63n) return units
  const text = timestampText(ref)
  const m = /^\s*(.+?)\s+since\s/.exec(units)!
  const off = u.ref.offsetMinutes
  const hhmm = (n: number) =>
    `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`
  const zone = u.ref.zoned ? `${off < 0 ? '-' : '+'}${hhmm(Math.abs(off))}` : ''
  const [date, time] = text.split(' ')
  const t = `${time}${zone}`
  return `${m[1]} since ${t === '00:00:00' ? date : `${date}T${t}`}`
}

/** What encodeCfTimes returns: the numbers, and the units and calendar to store beside them. */
export interface EncodedTimes {
  data: NdArray
  units: string
  calendar: string
}

/**
 * Encodes datetime64[ns] or cftime ('object' ISO text in `calendar`) values as CF numbers.
 * `units` and `calendar` default as xarray's (inferred units; proleptic_gregorian for
 * datetime64).
 */
export function encodeCfTimes(
  arr: NdArray,
  units?: string | null,
  calendar?: string | null,
): EncodedTimes {
  const isNs = arr.dtype === 'datetime64[ns]'
  if (!isNs && arr.dtype !== 'object') {
    throw new InvalidArgumentError(`Cannot encode values of dtype ${arr.dtype} as CF times.`)
  }
  const cal = calendar ?? (isNs ? 'proleptic_gregorian' : 'standard')
  const canon = canonicalCalendar(cal)
  const times: (bigint | null)[] = isNs
    ? Array.from(arr.data as BigInt64Array, (v) => (v === NAT ? null : v))
    : (arr.data as (string | null)[]).map((s) => (s == null ? null : parseCftimeIso(s, canon)))
  const u = units
    ? cleanupUnits(units)
    : inferDatetimeUnits(times, isNs ? 'datetime64' : 'cftime', cal)
  const parsed = parseTimeUnits(u)
  let deltas: (bigint | null)[]
  const step = parsed.nsPerUnit
  if (isNs && isStandardCalendar(cal)) {
    // pandas: exact ns differences from the (UTC) reference.
    const ref = refNs(parsed.ref, 'proleptic_gregorian')
    deltas = times.map((t) => (t === null ? null : t - ref))
  } else {
    // cftime: microseconds, dates re-read on the target calendar's day count.
    const ref = refNs(parsed.ref, canon)
    deltas = times.map((t) => {
      if (t === null) return null
      const us = t >= 0n || t % 1000n === 0n ? t / 1000n : t / 1000n - 1n
      const onCal = isNs ? reckon(us * 1000n, canon) : us * 1000n
      return onCal - ref
    })
  }
  const exact = deltas.every((d) => d !== null && d % step === 0n)
  const size = deltas.length
  if (exact) {
    const data = new BigInt64Array(size)
    deltas.forEach((d, i) => (data[i] = d! / step))
    return { data: { dtype: 'int64', shape: arr.shape, data }, units: u, calendar: cal }
  }
  const data = new Float64Array(size)
  deltas.forEach((d, i) => (data[i] = d === null ? NaN : Number(d) / Number(step)))
  return { data: { dtype: 'float64', shape: arr.shape, data }, units: u, calendar: cal }
}

// A datetime64 value (proleptic Gregorian) re-expressed on another calendar's day count, by
// its date fields, as cftime does when handed a Python datetime.
function reckon(ns: bigint, cal: CalendarName): bigint {
  if (cal === 'proleptic_gregorian') return ns
  const text = formatCftime(ns, 'proleptic_gregorian')
  return parseCftimeIso(text, cal)
}
