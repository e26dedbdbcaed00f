import { InvalidArgumentError } from '../errors.js'

// Day arithmetic for the CF calendars, as cftime counts them. Every calendar maps a civil date
// (year, month, day) to a whole day number and back; only differences between day numbers
// matter (a time is "reference date + offset"), so each calendar may pick its own origin,
// except the Gregorian-family ones, which share the Unix epoch so they convert to
// datetime64[ns] directly.

/** A calendar's canonical name: aliases (gregorian, 365_day, 366_day) folded. */
export type CalendarName =
  'standard' | 'proleptic_gregorian' | 'julian' | 'noleap' | 'all_leap' | '360_day'

const ALIASES: Record<string, CalendarName> = {
  standard: 'standard',
  gregorian: 'standard',
  proleptic_gregorian: 'proleptic_gregorian',
  julian: 'julian',
  noleap: 'noleap',
  '365_day': 'noleap',
  all_leap: 'all_leap',
  '366_day': 'all_leap',
  '360_day': '360_day',
}

/** Folds a CF calendar attribute to its canonical name; unknown calendars are an error. */
export function canonicalCalendar(calendar: string | undefined | null): CalendarName {
  const c = ALIASES[(calendar ?? 'standard').trim().toLowerCase()]
  if (!c) {
    throw new InvalidArgumentError(
      `Unknown CF calendar '${calendar}': expected one of ${Object.keys(ALIASES).join(', ')}.`,
    )
  }
  return c
}

/** True for the calendars xarray decodes to datetime64[ns] when the dates fit. */
export function isStandardCalendar(calendar: string | undefined | null): boolean {
  const c = (calendar ?? 'standard').trim().toLowerCase()
  return c === 'standard' || c === 'gregorian' || c === 'proleptic_gregorian'
}

/** A civil date in some calendar. */
export interface CivilDate {
  year: number
  month: number
  day: number
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b)

// March-based years put the leap day last, which makes the Gregorian and Julian formulas short
// (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
function gregorianDays(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0
  const era = floorDiv(y, 400)
  const yoe = y - era * 400
  const doy = floorDiv(153 * (m > 2 ? m - 3 : m + 9) + 2, 5) + d - 1
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy
  return era * 146097 + doe - 719468
}

function gregorianCivil(z: number): CivilDate {
  z += 719468
  const era = floorDiv(z, 146097)
  const doe = z - era * 146097
  const yoe = floorDiv(
    doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096),
    365,
  )
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100))
  const mp = floorDiv(5 * doy + 2, 153)
  const day = doy - floorDiv(153 * mp + 2, 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

function julianRaw(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0
  const era = floorDiv(y, 4)
  const yoe = y - era * 4
  const doy = floorDiv(153 * (m > 2 ? m - 3 : m + 9) + 2, 5) + d - 1
  return era * 1461 + yoe * 365 + doy
}

// Julian 1582-10-05 is Gregorian 1582-10-15: that fixes the Julian origin on the Unix epoch.
const JULIAN_SHIFT = julianRaw(1582, 10, 5) - gregorianDays(1582, 10, 15)
const GREGORIAN_START = gregorianDays(1582, 10, 15)

function julianDays(y: number, m: number, d: number): number {
  return julianRaw(y, m, d) - JULIAN_SHIFT
}

function julianCivil(z: number): CivilDate {
  z += JULIAN_SHIFT
  const era = floorDiv(z, 1461)
  const doe = z - era * 1461
  const yoe = Math.min(floorDiv(doe, 365), 3)
  const doy = doe - 365 * yoe
  const mp = floorDiv(5 * doy + 2, 153)
  const day = doy - floorDiv(153 * mp + 2, 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 4 + (month <= 2 ? 1 : 0), month, day }
}

const CUM_NOLEAP = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]
const CUM_ALLLEAP = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366]

function fixedYearDays(y: number, m: number, d: number, cum: number[]): number {
  return y * cum[12]! + cum[m - 1]! + d - 1
}

function fixedYearCivil(z: number, cum: number[]): CivilDate {
  const year = floorDiv(z, cum[12]!)
  const doy = z - year * cum[12]!
  let month = 1
  while (month < 12 && cum[month]! <= doy) month++
  return { year, month, day: doy - cum[month - 1]! + 1 }
}

/** Day number of a civil date in `calendar` (Unix epoch origin for the Gregorian family). */
export function daysFromCivil(calendar: CalendarName, y: number, m: number, d: number): number {
  switch (calendar) {
    case 'proleptic_gregorian':
      return gregorianDays(y, m, d)
    case 'standard': {
      const g = gregorianDays(y, m, d)
      return g >= GREGORIAN_START ? g : julianDays(y, m, d)
    }
    case 'julian':
      return julianDays(y, m, d)
    case 'noleap':
      return fixedYearDays(y, m, d, CUM_NOLEAP)
    case 'all_leap':
      return fixedYearDays(y, m, d, CUM_ALLLEAP)
    case '360_day':
      return y * 360 + (m - 1) * 30 + d - 1
  }
}

/** The civil date of a day number in `calendar` (the inverse of daysFromCivil). */
export function civilFromDays(calendar: CalendarName, z: number): CivilDate {
  switch (calendar) {
    case 'proleptic_gregorian':
      return gregorianCivil(z)
    case 'standard':
      return z >= GREGORIAN_START ? gregorianCivil(z) : julianCivil(z)
    case 'julian':
      return julianCivil(z)
    case 'noleap':
      return fixedYearCivil(z, CUM_NOLEAP)
    case 'all_leap':
      return fixedYearCivil(z, CUM_ALLLEAP)
    case '360_day': {
      const year = floorDiv(z, 360)
      const doy = z - year * 360
      return { year, month: floorDiv(doy, 30) + 1, day: (doy % 30) + 1 }
    }
  }
}

/** Days in a month of `calendar` (to validate parsed dates). */
export function daysInMonth(calendar: CalendarName, y: number, m: number): number {
  if (calendar === '360_day') return 30
  if (calendar === 'noleap') return CUM_NOLEAP[m]! - CUM_NOLEAP[m - 1]!
  if (calendar === 'all_leap') return CUM_ALLLEAP[m]! - CUM_ALLLEAP[m - 1]!
  const next =
    m === 12 ? daysFromCivil(calendar, y + 1, 1, 1) : daysFromCivil(calendar, y, m + 1, 1)
  return next - daysFromCivil(calendar, y, m, 1)
}
