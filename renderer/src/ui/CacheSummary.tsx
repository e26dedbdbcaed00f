import { useMemo } from 'react'
import { useStore } from 'zustand'
import type { ArtifactRow } from '../../../shared/ipc'
import { useExplorer } from '../state/hooks'
import { formatAge, formatBytes, formatLocal, plural } from './format'

/** What a whole cache holds: artifacts, bytes, and its oldest and newest created_at. */
export interface ListingSummary {
  artifacts: number
  bytes: number
  oldestMs: number | null
  newestMs: number | null
}

/** The summary of every listed row (filters aside); rows without a created_at are not dated. */
export function summarizeListing(rows: readonly ArtifactRow[]): ListingSummary {
  let bytes = 0
  let oldestMs: number | null = null
  let newestMs: number | null = null
  for (const r of rows) {
    bytes += r.bytes
    const ms = r.createdMs
    if (ms === null) continue
    if (oldestMs === null || ms < oldestMs) oldestMs = ms
    if (newestMs === null || ms > newestMs) newestMs = ms
  }
  return { artifacts: rows.length, bytes, oldestMs, newestMs }
}

/** The top bar's one line about the open cache, from the listing (growing while it lists). */
export function CacheSummary() {
  const { listing, view } = useExplorer()
  const rows = useStore(listing, (s) => s.rows)
  const loading = useStore(listing, (s) => s.loading)
  const cacheId = useStore(listing, (s) => s.cacheId)
  const now = useStore(view, (s) => s.now)
  const summary = useMemo(() => summarizeListing(rows), [rows])
  if (cacheId === null) return null
  const { artifacts, bytes, oldestMs, newestMs } = summary
  const dated = oldestMs !== null && newestMs !== null
  return (
    <p
      className="cache-summary"
      data-testid="cache-summary"
      aria-label="This cache"
      title={
        dated
          ? `${bytes.toLocaleString('en-US')} bytes; oldest created ${formatLocal(oldestMs)}, newest ${formatLocal(newestMs)} (local time)`
          : `${bytes.toLocaleString('en-US')} bytes`
      }
    >
      <span>
        {plural(artifacts, 'artifact')}
        {loading ? '…' : ''}
      </span>
      <span>{formatBytes(bytes)}</span>
      {dated && (
        <span>
          created {formatAge(oldestMs, now)} – {formatAge(newestMs, now)}
        </span>
      )}
    </p>
  )
}
