/** Display helpers shared by the panes: sizes, ages and dates read the way analysts say them. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB']

/** Bytes in decimal units as file browsers show them: 295 B, 1.4 MB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—'
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  if (unit === 0) return `${value} B`
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`
}

/** An age as a short phrase: "just now", "5 min ago", "3 h ago", "2 d ago", "4 mo ago". */
export function formatAge(ms: number | null, now: number): string {
  if (ms === null) return '—'
  const seconds = Math.round((now - ms) / 1000)
  // A minute of clock skew (or of our clock ticking once a minute) is still "just now".
  if (seconds < -60) return 'in the future'
  if (seconds < 60) return 'just now'
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ago`
  const days = Math.floor(hours / 24)
  if (days < 60) return `${days} d ago`
  const months = Math.floor(days / 30.44)
  if (months < 24) return `${months} mo ago`
  return `${Math.floor(days / 365.25)} y ago`
}

/** Epoch milliseconds as local date and time to the second: 2024-03-05 14:07:09. */
export function formatLocal(ms: number | null): string {
  if (ms === null) return '—'
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
  )
}

/** Epoch milliseconds as local date and time to the minute, for table cells: 2024-03-05 14:07. */
export function formatLocalShort(ms: number | null): string {
  return ms === null ? '—' : formatLocal(ms).slice(0, 16)
}

/** A count with thousands separators and the noun in singular or plural. */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : pluralNoun}`
}

/** A JSON-ish value as one short line for tables and chips. */
export function formatCell(value: unknown): string {
  if (value === undefined) return ''
  if (value === null) return 'null'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value)
  }
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}
