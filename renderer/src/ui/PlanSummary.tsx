import { useMemo, useState } from 'react'
import { useStore } from 'zustand'
import type { DeletePlanData } from '../../../shared/ipc'
import { errorMessage } from '../ipc/transport'
import { useExplorer } from '../state/hooks'
import {
  planExportName,
  planToCsv,
  planToJson,
  summarizePlan,
  type SummaryCount,
} from '../state/plan-summary'
import { formatBytes, formatLocalShort, plural } from './format'
import { VisibleText } from './VisibleText'

/** How many serializers or folders are named before "and N more". */
const SHOWN = 6

function Counts({ items }: { items: SummaryCount[] }) {
  const more = items.length - SHOWN
  return (
    <ul className="summary-counts">
      {items.slice(0, SHOWN).map((c) => (
        <li key={c.name}>
          <code>
            <VisibleText text={c.name} />
          </code>{' '}
          <span className="muted">
            {c.count.toLocaleString('en-US')} · {formatBytes(c.bytes)}
          </span>
        </li>
      ))}
      {more > 0 && <li className="muted">and {more.toLocaleString('en-US')} more</li>}
    </ul>
  )
}

/**
 * What a delete plan covers (created range, serializers, top-level folders, bytes) and its
 * export as CSV or JSON, saved through the app (a save dialog, or a download in the browser).
 */
export function PlanSummary({ plan }: { plan: DeletePlanData }) {
  const { listing, transport, view } = useExplorer()
  const rows = useStore(listing, (s) => s.rows)
  const now = useStore(view, (s) => s.now)
  const byKey = useMemo(() => new Map(rows.map((r) => [r.key, r])), [rows])
  const summary = useMemo(() => summarizePlan(plan, byKey), [plan, byKey])
  const [saved, setSaved] = useState<{ ok: boolean; text: string } | null>(null)

  const save = async (format: 'csv' | 'json') => {
    const name = planExportName(format, now)
    const text = format === 'csv' ? planToCsv(plan, byKey) : planToJson(plan, summary)
    const type = format === 'csv' ? 'text/csv' : 'application/json'
    try {
      const where = await transport.saveText(name, text, type)
      setSaved({ ok: true, text: where ? `Saved to ${where}.` : `Downloaded as ${name}.` })
    } catch (err) {
      setSaved({ ok: false, text: `Could not save the plan: ${errorMessage(err)}` })
    }
  }

  const range =
    summary.oldestMs === null
      ? 'no dates (unreadable sidecars)'
      : summary.oldestMs === summary.newestMs
        ? formatLocalShort(summary.oldestMs)
        : `${formatLocalShort(summary.oldestMs)} – ${formatLocalShort(summary.newestMs)}`

  return (
    <section className="plan-summary" aria-label="Plan summary">
      <dl>
        <dt>Artifacts</dt>
        <dd>
          {plural(summary.artifacts, 'artifact')}
          {summary.orphans > 0 && <>, {plural(summary.orphans, 'orphan file')}</>} ·{' '}
          {plural(summary.paths, 'path')} · <strong>{formatBytes(summary.bytes)}</strong>
        </dd>
        <dt>Created</dt>
        <dd>{range}</dd>
        <dt>Serializers</dt>
        <dd>
          <Counts items={summary.serializers} />
        </dd>
        <dt>Folders</dt>
        <dd>
          <Counts items={summary.folders} />
        </dd>
      </dl>
      <div className="plan-export">
        <button type="button" onClick={() => void save('csv')}>
          Export plan as CSV
        </button>
        <button type="button" onClick={() => void save('json')}>
          Export plan as JSON
        </button>
        {saved && (
          <span role="status" className={saved.ok ? 'muted' : 'field-error'}>
            {saved.text}
          </span>
        )}
      </div>
    </section>
  )
}
