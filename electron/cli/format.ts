import { createdAtDate } from '../../shared/artifact.js'
import { visibleText } from '../../shared/visible-text.js'

/** Bytes as a short human size: 295 B, 17.4 KB, 1.4 MB. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n
  let i = -1
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/** How long ago a created_at was: '3 h ago', '2 d ago'. */
export function formatAge(createdAt: string | number, now = Date.now()): string {
  const s = Math.max(0, (now - createdAtDate(createdAt).getTime()) / 1000)
  if (s < 60) return `${Math.floor(s)} s ago`
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`
  return `${Math.floor(s / 86400)} d ago`
}

/** Rows of cells as aligned text columns; numbers right-aligned. */
export function textTable(header: string[], rows: string[][], rightAlign: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAlign[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** A cell value for text output, control and bidi characters escaped. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NaN'
  if (typeof v === 'string') return visibleText(v)
  if (typeof v === 'object') return visibleText(JSON.stringify(v))
  return String(v)
}

/**
 * A table's index as text columns: one per level (a MultiIndex's `names` and its rows' arrays
 * of level values), none when there is no index.
 */
export function indexText(
  index: { name: string | null; names?: (string | null)[]; values: unknown[] } | null,
): { header: string[]; row: (i: number) => string[] } {
  if (!index) return { header: [], row: () => [] }
  const multi = index.names
  if (!multi) return { header: [index.name ?? ''], row: (i) => [cellText(index.values[i])] }
  return {
    header: multi.map((n) => n ?? ''),
    row: (i) => multi.map((_, k) => cellText((index.values[i] as unknown[] | undefined)?.[k])),
  }
}
