import { useEffect, useMemo, useRef, useState } from 'react'
import { useStore } from 'zustand'
import { useExplorer } from '../state/hooks'
import { TABLE_VIEW_PAGE_ROWS, isPlain } from '../state/table-view-store'
import { formatBytes, plural } from '../ui/format'
import { ErrorNote } from '../ui/Spinner'
import { VisibleText } from '../ui/VisibleText'
import { cellText, columnFormat } from './cell-text'
import { columnText, columnValues, rowText, writeClipboard } from './table-copy'
import { TableGrid } from './TableGrid'
import { TableQueryBar } from './TableQueryBar'

const n = (x: number) => x.toLocaleString('en-US')

function Pager({
  offset,
  shown,
  total,
  loading,
  onGoTo,
}: {
  offset: number
  shown: number
  total: number | null
  loading: boolean
  onGoTo(offset: number): void
}) {
  const [row, setRow] = useState('')
  const page = TABLE_VIEW_PAGE_ROWS
  const last = total === null ? null : Math.max(0, Math.floor((total - 1) / page) * page)
  const atEnd = total === null ? shown < page : offset + shown >= total
  return (
    <div className="pager" role="group" aria-label="Pages">
      <button type="button" disabled={offset === 0 || loading} onClick={() => onGoTo(0)}>
        « First
      </button>
      <button
        type="button"
        disabled={offset === 0 || loading}
        onClick={() => onGoTo(Math.max(0, offset - page))}
      >
        ‹ Previous
      </button>
      <span className="pager-status" aria-live="polite" data-testid="table-view-status">
        Rows {n(shown === 0 ? 0 : offset + 1)}–{n(offset + shown)} of{' '}
        {total === null ? <span className="muted">counting…</span> : n(total)}
      </span>
      <button type="button" disabled={atEnd || loading} onClick={() => onGoTo(offset + page)}>
        Next ›
      </button>
      <button
        type="button"
        disabled={last === null || offset >= last || loading}
        title={last === null ? 'The row count is still being counted' : undefined}
        onClick={() => last !== null && onGoTo(last)}
      >
        Last »
      </button>
      <form
        className="goto-row"
        onSubmit={(e) => {
          e.preventDefault()
          const want = Math.floor(Number(row))
          if (!Number.isFinite(want) || want < 1) return
          onGoTo(Math.min(want - 1, total === null ? want - 1 : Math.max(0, total - 1)))
          setRow('')
        }}
      >
        <label>
          Go to row{' '}
          <input
            aria-label="Go to row"
            inputMode="numeric"
            size={9}
            value={row}
            onChange={(e) => setRow(e.target.value.replace(/[^\d]/g, ''))}
          />
        </label>
      </form>
    </div>
  )
}

/** The full-window table: sort, filter, search and group-count over the whole table, copy, export. */
export function TableView() {
  const { tableView: store, transport } = useExplorer()
  const s = useStore(store)
  const backRef = useRef<HTMLButtonElement>(null)
  const gridColumns = s.page?.columns ?? []
  const formats = useMemo(
    () =>
      (s.page?.columns ?? []).map((c, i) =>
        columnFormat(
          c.type,
          (s.page?.rows ?? []).map((r) => r[i] ?? null),
          s.serializer,
        ),
      ),
    [s.page, s.serializer],
  )
  useEffect(() => backRef.current?.focus(), [])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return
      if (document.querySelector('[role="dialog"]')) return
      e.preventDefault()
      store.getState().close()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store])

  const copy = async (text: string, what: string) => {
    const ok = await writeClipboard(text)
    store.getState().setNotice(ok ? `Copied ${what}.` : 'The clipboard is not available here.')
  }
  const page = s.page
  const actions = {
    sortBy: (column: string, add: boolean) => void store.getState().sortBy(column, add),
    copyCell: (r: number, c: number) => {
      const v = page?.rows[r]?.[c] ?? null
      void copy(cellText(v, formats[c]!).text, 'the cell')
    },
    copyRow: (r: number) => {
      const row = page?.rows[r]
      if (row) void copy(rowText(row, formats), `row ${n((page?.offset ?? 0) + r + 1)}`)
    },
    copyColumn: async (c: number) => {
      const { values } = await columnValues(transport, store.getState(), c)
      const name = page?.columns[c]?.name ?? ''
      void copy(columnText(values, formats[c]!), `${plural(values.length, 'value')} of ${name}`)
    },
  }
  const total = s.result ? s.result.matched : (page?.rowCount ?? null)
  const job = s.job
  const groups = s.result?.groups ?? null
  const groupIndex = gridColumns.findIndex((c) => c.name === s.query.groupBy)

  return (
    <section className="table-view" aria-label={`Table ${s.key ?? ''}`} data-testid="table-view">
      <header className="table-view-head">
        <button type="button" ref={backRef} onClick={() => store.getState().close()}>
          ‹ Back <span className="muted small">(Esc)</span>
        </button>
        <h2>
          <VisibleText text={s.key ?? ''} />
        </h2>
        {s.result && (
          <span className="muted small" data-testid="table-view-matched">
            {n(s.result.matched)} of {plural(s.result.totalRows, 'row')}{' '}
            {s.result.matched === 1 ? 'matches' : 'match'}
          </span>
        )}
        {page && !s.result && (
          <span className="muted small bytes-read">
            read {formatBytes(page.bytesRead)} of {formatBytes(page.totalBytes)}
          </span>
        )}
      </header>
      <TableQueryBar
        key={s.key ?? ''}
        columns={gridColumns}
        query={s.query}
        busy={job !== null}
        onSearch={(t) => void store.getState().setSearch(t)}
        onAddFilter={(f) => void store.getState().addFilter(f)}
        onRemoveFilter={(i) => void store.getState().removeFilter(i)}
        onGroupBy={(c) => void store.getState().setGroupBy(c)}
        onClear={() => void store.getState().clearQuery()}
        onExport={(f) => void store.getState().exportAs(f)}
      />
      {job && (
        <div className="job-progress" role="status" data-testid="table-view-job">
          <span>
            {job.kind === 'query' ? 'Running over the whole table…' : 'Exporting…'}{' '}
            {job.total > 0 && `${n(job.done)} of ${plural(job.total, 'row')}`}
          </span>
          <progress max={job.total || 1} value={job.total ? job.done : undefined} />
          <button
            type="button"
            disabled={job.cancelling}
            onClick={() => void store.getState().cancel()}
          >
            Cancel
          </button>
        </div>
      )}
      {s.error && <ErrorNote title="">{s.error}</ErrorNote>}
      {s.notice && (
        <p className="muted small notice" role="status" data-testid="table-view-notice">
          {s.notice}
        </p>
      )}
      {groups !== null ? (
        <div className="grid-scroll full-grid" data-testid="table-view-groups">
          <table className="data-grid">
            <thead>
              <tr>
                <th scope="col">
                  <VisibleText text={s.query.groupBy ?? ''} />
                </th>
                <th scope="col" className="num">
                  rows
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g, i) => {
                const fmt = formats[groupIndex] ?? columnFormat('string', [], s.serializer)
                const t = cellText(g.value, fmt)
                return (
                  <tr key={i}>
                    <td className={t.missing ? 'missing' : undefined}>
                      <VisibleText text={t.text} />
                    </td>
                    <td className="num">{n(g.count)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          <p className="muted small">
            {n(groups.length)} distinct values
            {s.result?.groupsTruncated ? ' shown; the rest are left out' : ''}.
          </p>
        </div>
      ) : page ? (
        <>
          <Pager
            offset={page.offset}
            shown={page.rows.length}
            total={total}
            loading={s.loading}
            onGoTo={(o) => void store.getState().goTo(o)}
          />
          <TableGrid page={page} formats={formats} sort={s.applied.sort} actions={actions} />
        </>
      ) : (
        !s.error && <p className="muted">Reading rows…</p>
      )}
      {!isPlain(s.applied) && s.result && (
        <p className="muted small">Sorted and filtered over the whole table ({s.result.engine}).</p>
      )}
    </section>
  )
}
