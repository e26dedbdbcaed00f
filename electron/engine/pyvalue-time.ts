/**
 * Python dates and times that a pickle holds as inert placeholders (datetime.date,
 * datetime.datetime, pandas Timestamp and NaT are classes off the whitelist; their pickled
 * arguments are plain bytes and integers), read as ISO 8601 text for display. Nothing is
 * constructed; a layout we do not know gives undefined and the placeholder stays.
 */
import { datetimeIso } from './ndarray-json.js'
import { PythonObject } from './pyvalue.js'

/** numpy's datetime unit codes (NPY_DATETIMEUNIT) that pandas passes as a Timestamp's `reso`. */
const RESO_UNITS: Record<number, string> = { 7: 's', 8: 'ms', 9: 'us', 10: 'ns' }

function argsOf(v: unknown): unknown[] {
  const state = v instanceof PythonObject ? (v.state as { args?: unknown } | undefined) : undefined
  return Array.isArray(state?.args) ? state.args : []
}

/**
 * A date or time placeholder as ISO text: 'YYYY-MM-DD' for a date, local wall time for a
 * datetime (with its zone: 'Z', '+05:30' or ' Europe/Paris'), a pandas Timestamp as numpy
 * prints it (tz-aware: its UTC instant with 'Z' and the zone). null is NaT; undefined: not one.
 */
export function pyTimeText(v: PythonObject): string | null | undefined {
  const cls = v.pythonClass
  const args = argsOf(v)
  if (
    cls === 'pandas._libs.tslibs.nattype.__nat_unpickle' ||
    cls === 'pandas._libs.tslibs.nattype._nat_unpickle'
  ) {
    return null
  }
  if (cls === 'pandas._libs.tslibs.timestamps._unpickle_timestamp') {
    const [value, , tz, reso] = args
    const unit = reso === undefined || reso === null ? 'ns' : RESO_UNITS[Number(reso)]
    if (unit === undefined || (typeof value !== 'number' && typeof value !== 'bigint'))
      return undefined
    if (typeof value === 'number' && !Number.isSafeInteger(value)) return undefined
    const iso = datetimeIso(BigInt(value), 1, unit)
    if (iso === null || tz === null || tz === undefined) return iso
    return `${iso}Z ${timezoneName(tz)}`
  }
  const bytes = args[0]
  if (!(bytes instanceof Uint8Array)) return undefined
  if (cls === 'datetime.date' && bytes.length === 4) return ymd(bytes)
  if (cls === 'datetime.datetime' && bytes.length === 10) {
    const p = (n: number) => String(n).padStart(2, '0')
    const us = (bytes[7]! << 16) | (bytes[8]! << 8) | bytes[9]!
    const time = `${p(bytes[4]!)}:${p(bytes[5]!)}:${p(bytes[6]!)}${us ? `.${String(us).padStart(6, '0')}` : ''}`
    const tz = args[1]
    const zone = tz === undefined || tz === null ? '' : zoneSuffix(timezoneName(tz))
    return `${ymd(bytes)}T${time}${zone}`
  }
  return undefined
}

// The fold bit rides on the month byte of a pickled datetime (PEP 495).
function ymd(b: Uint8Array): string {
  const year = String(b[0]! * 256 + b[1]!).padStart(4, '0')
  const month = String(b[2]! & 0x7f).padStart(2, '0')
  return `${year}-${month}-${String(b[3]!).padStart(2, '0')}`
}

function zoneSuffix(name: string): string {
  if (name === 'UTC') return 'Z'
  return /^[+-]\d\d:\d\d$/.test(name) ? name : ` ${name}`
}

/**
 * The zone name of a pickled tzinfo: pytz (`_UTC()`, `_p('Europe/Paris', ...)`), zoneinfo
 * (`ZoneInfo._unpickle('Europe/Paris', 1)`, which reaches us as a getattr call), or
 * datetime.timezone(timedelta). Only the name is read. The values are UTC instants whatever
 * the zone, so a zone we cannot name is shown as UTC rather than losing the column.
 */
export function timezoneName(tz: unknown): string {
  if (!(tz instanceof PythonObject)) return 'UTC'
  const [first] = argsOf(tz)
  if (tz.pythonClass === 'datetime.timezone') {
    const [days, seconds] = argsOf(first).map(Number)
    const offset = (days ?? 0) * 86400 + (seconds ?? 0)
    if (!offset) return 'UTC'
    const abs = Math.abs(offset)
    const hh = String(Math.floor(abs / 3600)).padStart(2, '0')
    const mm = String(Math.floor(abs / 60) % 60).padStart(2, '0')
    return `${offset < 0 ? '-' : '+'}${hh}:${mm}`
  }
  if (typeof first === 'string' && /^[A-Za-z0-9_+\-/]{1,64}$/.test(first)) return first
  return 'UTC'
}
