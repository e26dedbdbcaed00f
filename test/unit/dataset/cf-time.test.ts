import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  civilFromDays,
  daysFromCivil,
  type CalendarName,
} from '../../../electron/engine/dataset/calendars.js'
import {
  decodeCfTimes,
  formatDatetime64,
  parseTimeUnits,
} from '../../../electron/engine/dataset/cf-time.js'
import { encodeCfTimes } from '../../../electron/engine/dataset/cf-time-encode.js'
import type { NumericArray } from '../../../electron/engine/dataset/model.js'

// Golden values written by xarray 2023.1 (test/fixtures/datasets/cf-times.py).
const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/datasets/cf-times.json', import.meta.url), 'utf8'),
) as {
  decode: {
    units: string
    calendar: string
    dtype: string
    values: (number | null)[]
    out_dtype: string
    out: (string | null)[]
  }[]
  encode: {
    dates: (string | null)[]
    units: string | null
    calendar: string | null
    out_units: string
    out_calendar: string
    out_dtype: string
    out: (number | null)[]
  }[]
  cftime_encode: {
    calendar: string
    dates: string[]
    out_units: string
    out_calendar: string
    out_dtype: string
    out: number[]
  }[]
}

function typed(dtype: string, values: (number | null)[]): NumericArray {
  if (dtype === 'i8') return BigInt64Array.from(values, (v) => BigInt(v!))
  if (dtype === 'i4') return Int32Array.from(values, (v) => v!)
  return Float64Array.from(values, (v) => (v === null ? NaN : v))
}

describe('CF time decoding matches xarray', () => {
  for (const c of golden.decode) {
    it(`${c.units} (${c.calendar}, ${c.dtype})`, () => {
      const got = decodeCfTimes(typed(c.dtype, c.values), [c.values.length], c.units, c.calendar)
      expect(got.dtype).toBe(c.out_dtype)
      const cells =
        got.dtype === 'datetime64[ns]'
          ? Array.from(got.data as BigInt64Array, (v) => (v === -(2n ** 63n) ? null : String(v)))
          : got.data
      expect(cells).toEqual(c.out)
    })
  }
})

describe('CF time encoding matches xarray', () => {
  for (const c of golden.encode) {
    it(`${c.dates.length} dates, units ${c.units}, calendar ${c.calendar}`, () => {
      const data = BigInt64Array.from(c.dates, (d) => (d === null ? -(2n ** 63n) : BigInt(d)))
      const got = encodeCfTimes(
        { dtype: 'datetime64[ns]', shape: [data.length], data },
        c.units,
        c.calendar,
      )
      expect(got.units).toBe(c.out_units)
      expect(got.calendar).toBe(c.out_calendar)
      expect(got.data.dtype).toBe(c.out_dtype)
      expect(
        Array.from(got.data.data as ArrayLike<number | bigint>, (v) =>
          Number.isNaN(v) ? null : Number(v),
        ),
      ).toEqual(c.out)
    })
  }
  for (const c of golden.cftime_encode) {
    it(`cftime dates in ${c.calendar}`, () => {
      const got = encodeCfTimes(
        { dtype: 'object', shape: [c.dates.length], data: c.dates },
        null,
        c.calendar,
      )
      expect(got.units).toBe(c.out_units)
      expect(got.calendar).toBe(c.out_calendar)
      expect(got.data.dtype).toBe(c.out_dtype)
      expect(Array.from(got.data.data as BigInt64Array, Number)).toEqual(c.out)
    })
  }
  it('round-trips non-standard calendar text through encode and decode', () => {
    for (const cal of ['noleap', 'all_leap', '360_day', 'julian', 'standard']) {
      const dates = ['0500-02-28T00:00:00', '1999-12-30T06:30:00.250000', '2400-02-28T23:59:59']
      const enc = encodeCfTimes(
        { dtype: 'object', shape: [3], data: dates },
        'seconds since 1000-01-01',
        cal,
      )
      const dec = decodeCfTimes(enc.data.data as NumericArray, [3], enc.units, cal)
      expect(dec.dtype).toBe('object')
      expect(dec.data).toEqual(dates)
    }
  })
})

describe('calendars', () => {
  const cals: CalendarName[] = [
    'standard',
    'proleptic_gregorian',
    'julian',
    'noleap',
    'all_leap',
    '360_day',
  ]
  it('civilFromDays inverts daysFromCivil over 1,200 years in every calendar', () => {
    for (const cal of cals) {
      const start = daysFromCivil(cal, 1000, 1, 1)
      let prev = civilFromDays(cal, start - 1)
      const wrong: number[] = []
      for (let z = start; z < start + 365 * 1200; z += 7) {
        const d = civilFromDays(cal, z)
        if (daysFromCivil(cal, d.year, d.month, d.day) !== z) wrong.push(z)
        prev = d
      }
      expect(wrong).toEqual([])
      expect(prev.year).toBeGreaterThan(2100)
    }
  })
  it('puts the Gregorian switch where cftime does', () => {
    expect(daysFromCivil('standard', 1582, 10, 15) - daysFromCivil('standard', 1582, 10, 4)).toBe(1)
    expect(daysFromCivil('proleptic_gregorian', 1970, 1, 1)).toBe(0)
    expect(civilFromDays('julian', 0)).toEqual({ year: 1969, month: 12, day: 19 })
  })
})

describe('units and formatting', () => {
  it('parses units with singular names, zones and fractions', () => {
    const u = parseTimeUnits('hour since 2000-1-2 3:04:05.25 -02:30')
    expect(u.unit).toBe('hours')
    expect(u.ref).toMatchObject({
      year: 2000,
      month: 1,
      day: 2,
      hour: 3,
      minute: 4,
      second: 5,
      offsetMinutes: -150,
    })
    expect(u.ref.fraction).toBe(250_000_000n)
  })
  it('refuses units it cannot read, naming them', () => {
    expect(() => parseTimeUnits('fortnights since 2000-01-01')).toThrow(/fortnights/)
    expect(() => parseTimeUnits('days after 2000-01-01')).toThrow(/Invalid CF time units/)
    expect(() => parseTimeUnits('days since yesterday')).toThrow(/yesterday/)
    expect(() =>
      decodeCfTimes(new Int32Array([0]), [1], 'days since 2000-01-01', 'martian'),
    ).toThrow(/martian/)
  })
  it('prints datetime64 as pandas isoformat does', () => {
    expect(formatDatetime64(0n)).toBe('1970-01-01T00:00:00')
    expect(formatDatetime64(1n)).toBe('1970-01-01T00:00:00.000000001')
    expect(formatDatetime64(-1000n)).toBe('1969-12-31T23:59:59.999999')
    expect(formatDatetime64(-(2n ** 63n))).toBeNull()
  })
})
