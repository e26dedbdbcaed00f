import type { NdArray } from './pyvalue.js'
import { civilFromDays } from './table/datetime-text.js'

/**
 * How NdArray elements look in JSON: numbers (NaN and infinities as null, 64-bit integers as a
 * number when exact, else a bigint), booleans, strings, and datetime64 as ISO 8601 strings.
 */

const INT_NAMES: Record<string, string> = { i: 'int', u: 'uint' }

/** numpy's `dtype.name` for an NdArray dtype string: '<f8' -> 'float64', '<M8[ns]' -> 'datetime64[ns]'. */
export function numpyDtypeName(dtype: string): string {
  const m = /^[<>|=]?([a-zA-Z])(\d*)(\[\w+\])?$/.exec(dtype)
  if (!m) return dtype
  const [, kind = '', size = '', unit = ''] = m
  const bits = Number(size) * 8
  if (kind === 'b') return 'bool'
  if (kind === 'i' || kind === 'u') return `${INT_NAMES[kind]}${bits}`
  if (kind === 'f') return `float${bits}`
  if (kind === 'c') return `complex${bits}`
  if (kind === 'M') return `datetime64${unit}`
  if (kind === 'm') return `timedelta64${unit}`
  if (kind === 'O') return 'object'
  if (kind === 'U') return `str${bits * 4}`
  if (kind === 'S') return `bytes${bits}`
  return dtype
}

/** Turns one element into JSON data; `inner` converts elements of object arrays. */
export function elementConverter(
  dtype: string,
  inner: (v: unknown) => unknown,
): (v: unknown) => unknown {
  const datetime = /M8\[(\d*)(\w+)\]$/.exec(dtype)
  if (datetime) return (v) => datetimeIso(v as bigint, Number(datetime[1] || 1), datetime[2] ?? '')
  if (dtype.endsWith('b1')) return (v) => v === 1 || v === true
  if (dtype.endsWith('O')) return inner
  return (v) => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : null
    if (typeof v === 'bigint') {
      if (dtype.includes('m8') && v === NAT) return null
      return Number.isSafeInteger(Number(v)) ? Number(v) : v
    }
    return v
  }
}

/** The flat elements nested into lists per the shape (a 0-d array gives its one element). */
export function nestValues(array: NdArray, convert: (v: unknown) => unknown): unknown {
  const data = array.data as ArrayLike<unknown>
  let pos = 0
  const build = (dim: number): unknown => {
    if (dim === array.shape.length) return convert(data[pos++])
    const out: unknown[] = []
    for (let i = 0; i < (array.shape[dim] as number); i++) out.push(build(dim + 1))
    return out
  }
  return build(0)
}

/** numpy's NaT: the smallest int64. */
const NAT = -(2n ** 63n)

const NS_PER_UNIT: Record<string, bigint> = {
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  μs: 1_000n,
  ns: 1n,
}
const DAYS_PER_UNIT: Record<string, bigint> = { D: 1n, W: 7n }
const NS_PER_DAY = 86_400_000_000_000n

/**
 * A datetime64 value as ISO 8601: date-only for day units and coarser (as numpy prints them),
 * else with seconds and a 6- or 9-digit fraction when there is one (as pandas' isoformat).
 * NaT is null.
 */
export function datetimeIso(value: bigint, count: number, unit: string): string | null {
  if (value === NAT) return null
  const v = value * BigInt(count)
  if (unit === 'Y') return `${year(1970 + Number(v))}-01-01`
  if (unit === 'M') {
    const months = Number(v)
    const y = 1970 + Math.floor(months / 12)
    return `${year(y)}-${pad(months - (y - 1970) * 12 + 1, 2)}-01`
  }
  if (unit in DAYS_PER_UNIT) return civilDate(Number(v * (DAYS_PER_UNIT[unit] as bigint)))
  let ns: bigint
  if (unit in NS_PER_UNIT) ns = v * (NS_PER_UNIT[unit] as bigint)
  else if (unit === 'ps' || unit === 'fs' || unit === 'as') {
    const per = { ps: 1_000n, fs: 1_000_000n, as: 1_000_000_000n }[unit]
    ns = v / per - (v % per < 0n ? 1n : 0n) // floor, so times before 1970 stay in their second
  } else return String(value)
  let days = ns / NS_PER_DAY
  let rest = ns % NS_PER_DAY
  if (rest < 0n) {
    rest += NS_PER_DAY
    days -= 1n
  }
  const sod = Number(rest / 1_000_000_000n)
  const frac = Number(rest % 1_000_000_000n)
  const time = `${pad(Math.floor(sod / 3600), 2)}:${pad(Math.floor(sod / 60) % 60, 2)}:${pad(sod % 60, 2)}`
  const fraction =
    frac === 0 ? '' : frac % 1000 === 0 ? `.${pad(frac / 1000, 6)}` : `.${pad(frac, 9)}`
  return `${civilDate(Number(days))}T${time}${fraction}`
}

/** Days since 1970-01-01 to 'YYYY-MM-DD'. */
function civilDate(daysSinceEpoch: number): string {
  const [y, m, d] = civilFromDays(daysSinceEpoch)
  return `${year(y)}-${pad(m, 2)}-${pad(d, 2)}`
}

function year(y: number): string {
  return y < 0 ? `-${pad(-y, 4)}` : pad(y, 4)
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
