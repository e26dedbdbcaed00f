// The usage view's model (issue 10): groups partition the rows and their bytes, months are UTC
// and contiguous, the largest are the largest, and the treemap tiles its box by area.
import { describe, expect, it } from 'vitest'
import { squarify, type Rect } from '../../renderer/src/state/treemap'
import {
  computeUsage,
  LARGEST,
  MAX_GROUPS,
  MAX_PERIODS,
  metadataFields,
  monthIndex,
  withCreatedTerm,
} from '../../renderer/src/state/usage'
import { UNREADABLE } from '../../renderer/src/state/filters'
import { prng } from '../helpers/prng'
import { makeRow, sampleRows } from './fake-cache'

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/** A seeded uniform number in [0, 1). */
function uniform(seed: number): () => number {
  const next = prng(seed)
  return () => next(1_000_000) / 1_000_000
}

describe('computeUsage', () => {
  const rows = sampleRows()

  it('groups by the first folder level under the prefix, keys at that level apart', () => {
    const u = computeUsage(rows, { kind: 'folder', prefix: '' })
    const byId = new Map(u.groups.map((g) => [g.id, g]))
    expect([...byId.keys()].sort()).toEqual(['arrays/', 'broken/', 'obs/', 'runs/', 'stations.csv'])
    expect(byId.get('runs/')).toMatchObject({ kind: 'folder', count: 3, payload: 400 })
    expect(byId.get('stations.csv')).toMatchObject({ kind: 'key', label: 'stations.csv' })
    // The parts partition the rows: their counts and bytes add up to the totals.
    expect(sum(u.groups.map((g) => g.count))).toBe(rows.length)
    expect(sum(u.groups.map((g) => g.payload))).toBe(u.totals.payload)
    expect(u.totals.payload).toBe(sum(rows.map((r) => r.bytes)))
    expect(u.totals.sidecar).toBe(180 * rows.length)
    // Largest first
    expect(u.groups[0]?.id).toBe('obs/')
  })

  it('drills into a folder: labels are relative, rows outside it are left out', () => {
    const u = computeUsage(rows, { kind: 'folder', prefix: 'runs/' })
    expect(u.groups.map((g) => [g.label, g.kind, g.count])).toEqual([
      ['2022/', 'folder', 1],
      ['old/', 'folder', 2],
    ])
    // The totals are still of every row given (the view passes the filtered ones).
    expect(u.totals.count).toBe(rows.length)
  })

  it('groups by serializer, broken rows as (unreadable)', () => {
    const u = computeUsage(rows, { kind: 'serializer' })
    const ids = u.groups.map((g) => g.id).sort()
    expect(ids).toEqual([UNREADABLE, 'joblib', 'pandas.csv'].sort())
    expect(u.groups.find((g) => g.id === 'pandas.csv')?.payload).toBe(60_295)
  })

  it('groups by a metadata field with a Map: __proto__ and constructor are plain values', () => {
    const odd = [
      makeRow('a', { metadata: { __proto__: 'x', kind: 'constructor' } as never }),
      makeRow('b', { metadata: JSON.parse('{"__proto__": "y", "kind": "toString"}') }),
      makeRow('c', { metadata: { kind: ['t1', 't2'] } }),
      makeRow('d', { metadata: {} }),
    ]
    const u = computeUsage(odd, { kind: 'field', field: 'kind' })
    const got = new Map(u.groups.map((g) => [g.id, g]))
    expect(got.get('constructor')?.count).toBe(1)
    expect(got.get('toString')?.count).toBe(1)
    // A list is one part (no double counting), filtered by its elements.
    expect(got.get('["t1","t2"]')).toMatchObject({ kind: 'value', facets: ['t1', 't2'] })
    expect(got.get('')).toMatchObject({ kind: 'missing', label: '(no kind)', count: 1 })
    expect(metadataFields(odd)).toContain('__proto__')
    const proto = computeUsage(odd, { kind: 'field', field: '__proto__' })
    expect(proto.groups.map((g) => g.id).sort()).toEqual(['', 'y'])
  })

  it('sizes by payload, payload + sidecar, or blocks on disk', () => {
    const two = [makeRow('a', { bytes: 10 }), makeRow('b', { bytes: 5000 })]
    const by = { kind: 'serializer' } as const
    expect(computeUsage(two, by, 'payload').groups[0]?.size).toBe(5010)
    expect(computeUsage(two, by, 'stored').groups[0]?.size).toBe(5010 + 360)
    expect(computeUsage(two, by, 'disk').groups[0]?.size).toBe(8192 + 12288)
    expect(computeUsage(two, by).totals.disk).toBe(8192 + 12288)
    // One row without a disk size makes the disk total unknown, never a partial sum.
    const mixed = [...two, makeRow('c', { allocatedBytes: null })]
    expect(computeUsage(mixed, by).totals.disk).toBeNull()
    expect(computeUsage(mixed, by).groups[0]?.disk).toBeNull()
  })

  it('bins created_at by UTC month, contiguous, undated apart', () => {
    const at = (iso: string) => Date.parse(iso)
    const u = computeUsage(
      [
        makeRow('a', { createdMs: at('2024-01-31T23:30:00Z'), bytes: 1 }),
        makeRow('b', { createdMs: at('2024-04-01T00:00:00Z'), bytes: 2 }),
        makeRow('c', { createdMs: at('2024-04-30T23:59:59Z'), bytes: 4 }),
        makeRow('d', { createdMs: null, bytes: 8 }),
      ],
      { kind: 'serializer' },
    )
    expect(u.periods).toEqual([
      { token: '2024-01', count: 1, size: 1 },
      { token: '2024-02', count: 0, size: 0 },
      { token: '2024-03', count: 0, size: 0 },
      { token: '2024-04', count: 2, size: 6 },
    ])
    expect(u.undated).toEqual({ count: 1, size: 8 })
  })

  it('counts months as Date does in UTC, before 1970 and in leap years too', () => {
    const rand = uniform(3)
    const edges = [
      0,
      -1,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(1600, 0, 1),
    ]
    const times = [...edges, ...Array.from({ length: 2000 }, () => (rand() - 0.5) * 2e13)]
    const wrong = times.filter((ms) => {
      const d = new Date(ms)
      return monthIndex(ms) !== d.getUTCFullYear() * 12 + d.getUTCMonth()
    })
    expect(wrong).toEqual([])
  })

  it('shows a span of decades by year, bounded', () => {
    const u = computeUsage(
      [
        makeRow('a', { createdMs: Date.UTC(1500, 5, 1) }),
        makeRow('b', { createdMs: Date.UTC(2024, 5, 1) }),
      ],
      { kind: 'serializer' },
    )
    expect(u.periods).toHaveLength(MAX_PERIODS)
    expect(u.periods.at(-1)?.token).toBe('2024')
    expect(u.earlier.count).toBe(1)
  })

  it('keeps the largest, largest first, and caps the parts', () => {
    const rand = uniform(7)
    const many = Array.from({ length: 500 }, (_, i) =>
      makeRow(`k${i}`, { bytes: Math.floor(rand() * 1e6) }),
    )
    const u = computeUsage(many, { kind: 'folder', prefix: '' })
    const expected = [...many].sort((a, b) => b.bytes - a.bytes).slice(0, LARGEST)
    expect(u.largest.map((l) => l.row.key)).toEqual(expected.map((r) => r.key))
    expect(u.groups).toHaveLength(MAX_GROUPS)
    expect(u.groups.at(-1)?.kind).toBe('others')
    expect(sum(u.groups.map((g) => g.count))).toBe(500)
    expect(sum(u.groups.map((g) => g.payload))).toBe(u.totals.payload)
  })

  it('puts one created= term in the search text', () => {
    expect(withCreatedTerm('', '2024-05')).toBe('created=2024-05')
    expect(withCreatedTerm('sst  created=2023-01 exp=a', '2024-05')).toBe(
      'sst exp=a created=2024-05',
    )
  })
})

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

describe('squarify', () => {
  const EPS = 1e-6

  it('tiles the box: areas proportional, inside it, no overlap (bounded fuzz)', () => {
    const rand = uniform(42)
    for (let run = 0; run < 200; run++) {
      const n = 1 + Math.floor(rand() * 40)
      const values = Array.from({ length: n }, () =>
        rand() < 0.1 ? 0 : Math.floor(rand() ** 3 * 1e9) + 1,
      )
      const box = { x: rand() * 50, y: rand() * 50, w: 50 + rand() * 900, h: 50 + rand() * 500 }
      const rects = squarify(values, box)
      const total = sum(values)
      expect(rects).toHaveLength(n)
      const bad = rects.filter((r, i) => {
        const want = ((values[i] as number) / total) * box.w * box.h
        return !(
          Math.abs(r.w * r.h - want) < 1e-6 * box.w * box.h + EPS &&
          r.w >= 0 &&
          r.h >= 0 &&
          r.x >= box.x - EPS &&
          r.y >= box.y - EPS &&
          r.x + r.w <= box.x + box.w + EPS &&
          r.y + r.h <= box.y + box.h + EPS
        )
      })
      expect(bad).toEqual([])
      let overlaps = 0
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++)
          if (overlap(rects[i] as Rect, rects[j] as Rect) > EPS * box.w) overlaps++
      expect(overlaps).toBe(0)
      // Together they cover the whole box.
      expect(sum(rects.map((r) => r.w * r.h))).toBeCloseTo(box.w * box.h, 3)
    }
  })

  it('keeps parts near square where the values allow it', () => {
    const rects = squarify([1, 1, 1, 1], { x: 0, y: 0, w: 100, h: 100 })
    for (const r of rects) {
      expect(r.w).toBeCloseTo(50)
      expect(r.h).toBeCloseTo(50)
    }
  })

  it('gives nothing to zero, negative or non-finite values, and handles an empty box', () => {
    const rects = squarify([0, -5, NaN, 3], { x: 0, y: 0, w: 10, h: 10 })
    expect(rects.slice(0, 3).every((r) => r.w * r.h === 0)).toBe(true)
    expect(rects[3]).toEqual({ x: 0, y: 0, w: 10, h: 10 })
    expect(squarify([1, 2], { x: 0, y: 0, w: 0, h: 10 }).every((r) => r.w === 0)).toBe(true)
  })
})
