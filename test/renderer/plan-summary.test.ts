import { describe, expect, it } from 'vitest'
import type { ArtifactRow, DeletePlanData } from '../../shared/ipc'
import {
  csvCell,
  planExportName,
  planToCsv,
  planToJson,
  summarizePlan,
  topFolder,
} from '../../renderer/src/state/plan-summary'
import { makeRow, NOW } from './fake-cache'

const DAY = 86_400_000

function planOf(entries: { key: string; bytes: number; orphan?: boolean }[]): DeletePlanData {
  return {
    root: '/data/cache',
    dryRun: true,
    entries: entries.map(({ key, bytes, orphan }) => ({
      key,
      bytes,
      files: orphan
        ? [{ path: key, bytes, role: 'orphan' as const }]
        : [
            {
              path: `xpersist_metadata_store/${key}.artifact.json`,
              bytes: 0,
              role: 'sidecar' as const,
            },
            { path: key, bytes, role: 'payload' as const },
          ],
    })),
    bytes: entries.reduce((n, e) => n + e.bytes, 0),
    deleted: [],
    cancelled: false,
  }
}

function byKey(rows: ArtifactRow[]): Map<string, ArtifactRow> {
  return new Map(rows.map((r) => [r.key, r]))
}

describe('summarizePlan', () => {
  it('gives the date range, serializers and top-level folders with counts, and bytes', () => {
    const rows = byKey([
      makeRow('runs/old/a', { serializer: 'joblib', createdMs: NOW - 40 * DAY }),
      makeRow('runs/b', { serializer: 'pandas.csv', createdMs: NOW - 2 * DAY }),
      makeRow('runs/c', { serializer: 'joblib', createdMs: NOW - 10 * DAY }),
      makeRow('top.nc', { serializer: 'xarray.netcdf', createdMs: NOW - 5 * DAY }),
      makeRow('broken/x', { serializer: null, createdMs: null }),
    ])
    const plan = planOf([
      { key: 'runs/old/a', bytes: 10 },
      { key: 'runs/b', bytes: 20 },
      { key: 'runs/c', bytes: 30 },
      { key: 'top.nc', bytes: 40 },
      { key: 'broken/x', bytes: 5 },
      { key: 'tmp/.xpersist-tmp-1', bytes: 7, orphan: true },
    ])
    const s = summarizePlan(plan, rows)
    expect(s).toMatchObject({ artifacts: 5, orphans: 1, paths: 11, bytes: 112 })
    expect(s.oldestMs).toBe(NOW - 40 * DAY)
    expect(s.newestMs).toBe(NOW - 2 * DAY)
    expect(s.serializers).toEqual([
      { name: 'joblib', count: 2, bytes: 40 },
      { name: '(unreadable)', count: 1, bytes: 5 },
      { name: 'pandas.csv', count: 1, bytes: 20 },
      { name: 'xarray.netcdf', count: 1, bytes: 40 },
    ])
    expect(s.folders).toEqual([
      { name: 'runs/', count: 3, bytes: 60 },
      { name: '(top level)', count: 1, bytes: 40 },
      { name: 'broken/', count: 1, bytes: 5 },
    ])
  })

  it('has no dates when no artifact has one', () => {
    const s = summarizePlan(planOf([{ key: 'gone', bytes: 1 }]), new Map())
    expect([s.oldestMs, s.newestMs]).toEqual([null, null])
    expect(s.serializers).toEqual([{ name: '(unreadable)', count: 1, bytes: 1 }])
    expect(topFolder('a/b/c')).toBe('a/')
  })
})

describe('plan export', () => {
  it('quotes cells with commas, quotes, line breaks and edge spaces (RFC 4180)', () => {
    expect(csvCell('plain/key')).toBe('plain/key')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"')
    expect(csvCell(' padded')).toBe('" padded"')
    expect(csvCell(12)).toBe('12')
    expect(csvCell(null)).toBe('')
  })

  it('keeps a spreadsheet from running a key as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\tx')).toBe("'\tx")
    // Numbers are numbers, not text: a negative one stays as it is.
    expect(csvCell(-3)).toBe('-3')
  })

  it('writes one line per path with serializer and created_at, and parses back', () => {
    const key = 'odd, "key"\nwith=stuff'
    const rows = byKey([makeRow(key, { serializer: 'joblib', createdMs: NOW })])
    const csv = planToCsv(planOf([{ key, bytes: 9 }]), rows)
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('key,role,path,bytes,serializer,created_at')
    expect(lines[1]).toBe(
      `"odd, ""key""\nwith=stuff",sidecar,"xpersist_metadata_store/odd, ""key""\nwith=stuff.artifact.json",0,joblib,2024-06-01T12:00:00.000Z`,
    )
    expect(lines[2]).toBe(
      `"odd, ""key""\nwith=stuff",payload,"odd, ""key""\nwith=stuff",9,joblib,2024-06-01T12:00:00.000Z`,
    )
    expect(lines.at(-1)).toBe('')
  })

  it('JSON holds the plan unchanged and the summary with ISO dates', () => {
    const rows = byKey([makeRow('a', { createdMs: NOW })])
    const plan = planOf([{ key: 'a', bytes: 3 }])
    const parsed = JSON.parse(planToJson(plan, summarizePlan(plan, rows)))
    expect(parsed.plan).toEqual(plan)
    expect(parsed.summary.created).toEqual({
      oldest: '2024-06-01T12:00:00.000Z',
      newest: '2024-06-01T12:00:00.000Z',
    })
    expect(parsed.summary.serializers).toEqual([{ name: 'joblib', count: 1, bytes: 3 }])
    expect(planExportName('csv', NOW)).toBe('delete-plan-2024-06-01T12-00-00.csv')
  })
})
