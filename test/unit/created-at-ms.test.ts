// createdAtMs reads Python's naive isoformat() without a Date; it must agree with
// createdAtDate on every created_at a sidecar can hold, valid or not.
import { expect, test } from 'vitest'
import { createdAtDate, createdAtMs, ISO_DATETIME } from '../../shared/artifact.js'

function reference(v: string | number): number | null {
  const ms = createdAtDate(v).getTime()
  return Number.isFinite(ms) ? ms : null
}

test('fixed cases: fractions, zones, spaces, rolled-over and impossible dates, numbers', () => {
  const cases = [
    '2025-06-01T12:30:15',
    '2025-06-01T12:30:15.123456',
    '2025-06-01T12:30:15.5',
    '2025-06-01 12:30:15',
    '2025-06-01T12:30:15.123456789',
    '2025-06-01T12:30:15+02:00',
    '2025-06-01T12:30:15Z',
    '2025-06-01',
    '2025-06-01T12:30',
    '2025-02-30T00:00:00',
    '2025-13-01T00:00:00',
    '2025-01-01T24:00:00',
    '2025-01-01T23:60:00',
    '0050-01-01T00:00:00',
    '2025-00-10T00:00:00',
    '2025-01-32T00:00:00',
  ]
  for (const c of cases) expect([c, createdAtMs(c)]).toEqual([c, reference(c)])
  expect(createdAtMs(1_700_000_000.5)).toBe(1_700_000_000_500)
  expect(createdAtMs(null)).toBeNull()
  expect(createdAtMs(undefined)).toBeNull()
})

test('seeded random date-times of the sidecar shape agree with createdAtDate', () => {
  let a = 99
  const rand = (n: number) => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0
    return a % n
  }
  const two = (n: number) => String(n).padStart(2, '0')
  let checked = 0
  for (let i = 0; i < 5000; i++) {
    let s = `${String(rand(3000)).padStart(4, '0')}-${two(rand(14))}-${two(rand(33))}`
    s += `${rand(2) ? 'T' : ' '}${two(rand(26))}:${two(rand(62))}:${two(rand(62))}`
    if (rand(2)) s += `.${String(rand(10 ** 9)).slice(0, 1 + rand(9))}`
    if (rand(4) === 0) s += ['Z', '+01:00', '-0530'][rand(3)]
    if (!ISO_DATETIME.test(s)) continue
    checked++
    expect([s, createdAtMs(s)]).toEqual([s, reference(s)])
  }
  expect(checked).toBeGreaterThan(4000)
})
