/**
 * parseDatetime (table/datetime-text.ts) on a cell's bytes: the same forms and range checks,
 * giving epoch microseconds as an exact double when the value needs no nanoseconds, no UTC
 * offset and lies within 2^53 microseconds of 1970 (about 1685 to 2255). Anything else is
 * flagged so the column is read through parseDatetime itself.
 */

import { daysFromCivil, daysInMonth } from '../../table/datetime-text.js'

/** What one datetime cell held. */
export interface DateCell {
  /** Epoch microseconds (meaningful when `plain`). */
  us: number
  /** It had a 'Z', '+hh:mm' or '+hhmm' offset. */
  zoned: boolean
  /** Naive, whole microseconds, within 2^53 us: `us` is exact. */
  plain: boolean
}

const US_PER_DAY = 86_400_000_000

/** Fills `out` and returns true when bytes [s, e) are a datetime parseDatetime accepts. */
export function parseDateCell(b: Uint8Array, s: number, e: number, out: DateCell): boolean {
  const n = e - s
  if (n < 10) return false
  const year = digits(b, s, 4)
  const month = digits(b, s + 5, 2)
  const day = digits(b, s + 8, 2)
  if (year < 0 || month < 0 || day < 0 || b[s + 4] !== 0x2d || b[s + 7] !== 0x2d) return false
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false
  let i = s + 10
  let seconds = 0
  let fraction = 0
  let subMicro = false
  if (i < e && (b[i] === 0x20 || b[i] === 0x54)) {
    if (e - i < 9) return false
    const h = digits(b, i + 1, 2)
    const m = digits(b, i + 4, 2)
    const sec = digits(b, i + 7, 2)
    if (h < 0 || m < 0 || sec < 0 || b[i + 3] !== 0x3a || b[i + 6] !== 0x3a) return false
    if (h > 23 || m > 59 || sec > 59) return false
    seconds = h * 3600 + m * 60 + sec
    i += 9
    if (i < e && b[i] === 0x2e) {
      i++
      let k = 0
      while (i < e && k < 9 && b[i]! >= 0x30 && b[i]! <= 0x39) {
        const d = b[i++]! - 0x30
        if (k < 6) fraction += d * 10 ** (5 - k)
        else if (d !== 0) subMicro = true
        k++
      }
      if (k === 0) return false
    }
  }
  out.zoned = false
  if (i < e) {
    if (b[i] === 0x5a && i + 1 === e) out.zoned = true
    else if ((b[i] === 0x2b || b[i] === 0x2d) && e - i === 6) {
      if (digits(b, i + 1, 2) < 0 || b[i + 3] !== 0x3a || digits(b, i + 4, 2) < 0) return false
      out.zoned = true
    } else if ((b[i] === 0x2b || b[i] === 0x2d) && e - i === 5) {
      // '+0300': strftime's %z, what to_csv(date_format='...%z') writes.
      if (digits(b, i + 1, 4) < 0) return false
      out.zoned = true
    } else return false
  }
  out.us = daysFromCivil(year, month, day) * US_PER_DAY + seconds * 1_000_000 + fraction
  out.plain = !out.zoned && !subMicro && Math.abs(out.us) <= Number.MAX_SAFE_INTEGER
  return true
}

function digits(b: Uint8Array, at: number, count: number): number {
  let v = 0
  for (let i = at; i < at + count; i++) {
    const d = b[i]! - 0x30
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}
