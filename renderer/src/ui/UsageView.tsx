import { useEffect, useMemo, useRef } from 'react'
import { useStore } from 'zustand'
import { hasFilters, keyFolders } from '../state/filters'
import { useDerivedView, useExplorer } from '../state/hooks'
import { partFilters, showArtifact, showPart, showPeriod } from '../state/usage-actions'
import { computeUsage, metadataFields, type GroupBy, type Measure } from '../state/usage'
import { UsageHistogram } from './UsageHistogram'
import { UsageTreemap } from './UsageTreemap'
import { VisibleText } from './VisibleText'
import { formatBytes, plural } from './format'

const MEASURES: { id: Measure; label: string }[] = [
  { id: 'payload', label: 'Payload' },
  { id: 'stored', label: 'Payload + sidecar' },
  { id: 'disk', label: 'Allocated on disk' },
]

/**
 * Where the bytes are (issue 10): the rows the filters show as a treemap by folder,
 * serializer or metadata field, bytes per month created, and the largest artifacts. Clicking
 * a part filters the table and returns to it; Back or Escape returns as it was.
 */
export function UsageView() {
  const explorer = useExplorer()
  const { usage, view } = explorer
  const s = useStore(usage)
  const filters = useStore(view, (v) => v.filters)
  const { rows } = useDerivedView()
  const backRef = useRef<HTMLButtonElement>(null)
  const fields = useMemo(() => metadataFields(rows), [rows])
  const field = s.field !== null && fields.includes(s.field) ? s.field : (fields[0] ?? null)
  const grouping = s.grouping === 'field' && field === null ? 'folder' : s.grouping
  // The folder looked into never leaves the folder the table is filtered to.
  const base = s.drill.startsWith(filters.prefix) ? s.drill : filters.prefix
  const by: GroupBy = useMemo(
    () =>
      grouping === 'folder'
        ? { kind: 'folder', prefix: base }
        : grouping === 'serializer'
          ? { kind: 'serializer' }
          : { kind: 'field', field: field as string },
    [grouping, base, field],
  )
  // On an object store (or a mix) nothing says what is on disk: sizes fall back to payload.
  const diskKnown = useMemo(
    () => rows.length > 0 && rows.every((r) => typeof r.allocatedBytes === 'number'),
    [rows],
  )
  const measure = s.measure === 'disk' && !diskKnown ? 'payload' : s.measure
  const result = useMemo(() => computeUsage(rows, by, measure), [rows, by, measure])
  const { totals } = result

  useEffect(() => backRef.current?.focus(), [])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return
      if (document.querySelector('[role="dialog"]')) return
      e.preventDefault()
      usage.getState().close()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [usage])

  const crumbs = keyFolders(base).filter((f) => f.length > filters.prefix.length)
  return (
    <section className="usage-view" aria-label="Usage" data-testid="usage-view">
      <header className="table-view-head usage-head">
        <button type="button" ref={backRef} onClick={() => usage.getState().close()}>
          ‹ Back <span className="muted small">(Esc)</span>
        </button>
        <h2>Where the bytes are</h2>
        <span className="muted small" data-testid="usage-totals">
          {plural(totals.count, 'artifact')}
          {hasFilters(filters) && ' (filtered)'}: {formatBytes(totals.payload)} payload,{' '}
          {formatBytes(totals.sidecar)} sidecars,{' '}
          {diskKnown ? `${formatBytes(totals.disk ?? 0)} on disk` : 'disk usage not known here'}
        </span>
      </header>
      <div className="usage-controls">
        <label>
          Group by{' '}
          <select
            value={grouping === 'field' ? `field:${field}` : grouping}
            onChange={(e) => {
              const v = e.target.value
              if (v.startsWith('field:')) usage.getState().setGrouping('field', v.slice(6))
              else usage.getState().setGrouping(v as 'folder' | 'serializer')
            }}
          >
            <option value="folder">Folder</option>
            <option value="serializer">Serializer</option>
            {fields.map((f) => (
              <option key={f} value={`field:${f}`}>
                Field: {f}
              </option>
            ))}
          </select>
        </label>
        <label>
          Size{' '}
          <select
            value={measure}
            onChange={(e) => usage.getState().setMeasure(e.target.value as Measure)}
          >
            {MEASURES.map((m) => (
              <option key={m.id} value={m.id} disabled={m.id === 'disk' && !diskKnown}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        {grouping === 'folder' && (
          <nav className="usage-crumbs" aria-label="Folder looked into">
            <button
              type="button"
              className="link-button"
              onClick={() => usage.getState().setDrill('')}
            >
              {filters.prefix === '' ? 'All keys' : <VisibleText text={filters.prefix} />}
            </button>
            {crumbs.map((c) => (
              <span key={c}>
                {' › '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => usage.getState().setDrill(c)}
                >
                  <VisibleText text={c.slice(c.lastIndexOf('/', c.length - 2) + 1)} />
                </button>
              </span>
            ))}
          </nav>
        )}
      </div>
      <p className="usage-legend muted small" data-testid="usage-legend">
        <b>Payload</b>: the bytes of the artifact&apos;s files (what the table&apos;s size column
        and footer count). <b>Sidecar</b>: its metadata file in xpersist_metadata_store (a delete
        frees it too). <b>Allocated on disk</b>: the blocks payload and sidecar take on a local
        disk, which can differ from both (small files fill a block, sparse files take less); object
        stores do not say, and bill for payload + sidecar.
      </p>
      <div className="usage-body">
        <UsageTreemap
          groups={result.groups}
          canPick={partFilters}
          onPick={(g) => showPart(explorer, g, by.kind === 'field' ? by.field : null)}
          onDrill={(prefix) => usage.getState().setDrill(prefix)}
        />
        <div className="usage-side">
          <UsageHistogram
            periods={result.periods}
            earlier={result.earlier}
            undated={result.undated}
            onPick={(token) => showPeriod(explorer, token)}
          />
          <section className="usage-largest" aria-label="Largest artifacts">
            <h3>
              {result.largest.length === 0
                ? 'Largest artifacts'
                : `The ${result.largest.length} largest`}{' '}
              <span className="muted small">
                by {MEASURES.find((m) => m.id === measure)?.label.toLowerCase()}
              </span>
            </h3>
            <ol data-testid="usage-largest">
              {result.largest.map(({ row, size }) => (
                <li key={row.key}>
                  <span className="largest-row">
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => showArtifact(explorer, row.key)}
                      title={`Select ${row.key} in the table`}
                    >
                      <VisibleText text={row.key} />
                    </button>
                    <span className="muted">{formatBytes(size)}</span>
                  </span>
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>
    </section>
  )
}
