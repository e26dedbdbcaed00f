/**
 * What a delete plan covers, in the analyst's terms (date range, serializers, folders, bytes),
 * and the plan as CSV or JSON to keep or share. Pure functions: the dialog and the tests call them.
 */
import type { ArtifactRow, DeletePlanData } from '../../../shared/ipc'
import { UNREADABLE } from './filters'

/** A name and how many artifacts (and bytes) of the plan it covers. */
export interface SummaryCount {
  name: string
  count: number
  bytes: number
}

/** The summary of a delete plan. */
export interface PlanSummary {
  artifacts: number
  /** Orphan files (no artifact): deleted, never moved to the trash. */
  orphans: number
  paths: number
  bytes: number
  /** created_at of the oldest and the newest artifact (epoch ms); null when none has a date. */
  oldestMs: number | null
  newestMs: number | null
  /** Most artifacts first; an artifact whose sidecar is broken counts as '(unreadable)'. */
  serializers: SummaryCount[]
  /** Top-level folders (`runs/`), or '(top level)' for keys without a '/', most first. */
  folders: SummaryCount[]
}

/** The name the folder summary gives keys that sit at the top of the cache. */
export const TOP_LEVEL = '(top level)'

function bump(counts: Map<string, SummaryCount>, name: string, bytes: number): void {
  const c = counts.get(name)
  if (c) {
    c.count += 1
    c.bytes += bytes
  } else counts.set(name, { name, count: 1, bytes })
}

function sorted(counts: Map<string, SummaryCount>): SummaryCount[] {
  return [...counts.values()].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1))
}

/** The top-level folder of `key`: `runs/` for `runs/2022/config`. */
export function topFolder(key: string): string {
  const slash = key.indexOf('/')
  return slash < 0 ? TOP_LEVEL : key.slice(0, slash + 1)
}

/** Summarizes `plan`, reading created_at and serializer from the listing's `rows` by key. */
export function summarizePlan(
  plan: DeletePlanData,
  rows: ReadonlyMap<string, ArtifactRow>,
): PlanSummary {
  const serializers = new Map<string, SummaryCount>()
  const folders = new Map<string, SummaryCount>()
  let oldestMs: number | null = null
  let newestMs: number | null = null
  let orphans = 0
  let paths = 0
  for (const e of plan.entries) {
    paths += e.files.length
    if (e.files.length > 0 && e.files.every((f) => f.role === 'orphan')) {
      orphans += 1
      continue
    }
    const row = rows.get(e.key)
    bump(serializers, row?.serializer ?? UNREADABLE, e.bytes)
    bump(folders, topFolder(e.key), e.bytes)
    const ms = row?.createdMs ?? null
    if (ms !== null) {
      if (oldestMs === null || ms < oldestMs) oldestMs = ms
      if (newestMs === null || ms > newestMs) newestMs = ms
    }
  }
  return {
    artifacts: plan.entries.length - orphans,
    orphans,
    paths,
    bytes: plan.bytes,
    oldestMs,
    newestMs,
    serializers: sorted(serializers),
    folders: sorted(folders),
  }
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line break or edge spaces,
 * quotes doubled. A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
 * gets a leading apostrophe, so opening the export never runs a key someone chose.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The plan as CSV: one line per path, with its artifact's serializer and created_at. */
export function planToCsv(plan: DeletePlanData, rows: ReadonlyMap<string, ArtifactRow>): string {
  const out = ['key,role,path,bytes,serializer,created_at']
  for (const e of plan.entries) {
    const row = rows.get(e.key)
    const created = row?.createdMs == null ? null : new Date(row.createdMs).toISOString()
    for (const f of e.files) {
      const cells = [e.key, f.role, f.path, f.bytes, row?.serializer ?? null, created]
      out.push(cells.map(csvCell).join(','))
    }
  }
  return out.join('\r\n') + '\r\n'
}

/** The plan as JSON: the engine's plan (as `xpersist rm --plan` prints it) and its summary. */
export function planToJson(plan: DeletePlanData, summary: PlanSummary): string {
  const dates = {
    oldest: summary.oldestMs === null ? null : new Date(summary.oldestMs).toISOString(),
    newest: summary.newestMs === null ? null : new Date(summary.newestMs).toISOString(),
  }
  const { oldestMs: _o, newestMs: _n, ...rest } = summary
  return JSON.stringify({ summary: { ...rest, created: dates }, plan }, null, 2) + '\n'
}

/** A file name for an exported plan: `delete-plan-2024-06-01T12-00-00.csv`. */
export function planExportName(format: 'csv' | 'json', now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/:/g, '-')
  return `delete-plan-${stamp}.${format}`
}
