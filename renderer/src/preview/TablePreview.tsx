import type { Preview } from '../../../shared/ipc'
import { formatBytes } from '../ui/format'
import { VisibleText } from '../ui/VisibleText'
import { cellText, columnFormat, isNumericType, type ColumnFormat } from './cell-text'
import type { PreviewCell } from '../state/table-view-store'

/** The table kind of Preview. */
export type TablePreviewData = Extract<Preview, { kind: 'table' }>

function Cell({ value, format }: { value: PreviewCell; format: ColumnFormat }) {
  const t = cellText(value, format)
  if (t.missing) return <span className="missing">{t.text}</span>
  return <VisibleText text={t.text} />
}

/** Props: one page of a table, and how to ask for another. */
export interface TablePreviewProps {
  preview: TablePreviewData
  pageRows: number
  loading: boolean
  onPage: (offset: number) => void
  /** Opens the table full width (the T key does the same). */
  onOpenFull?: () => void
  /** The artifact's serializer: a CSV's missing values read as NaN, as read_csv gives them. */
  serializer?: string | null
}

/** A paged grid of a table: column names and types, the index, page controls, bytes read. */
export function TablePreview({
  preview,
  pageRows,
  loading,
  onPage,
  onOpenFull,
  serializer = null,
}: TablePreviewProps) {
  const { columns, index, rows, offset, rowCount } = preview
  const formats = columns.map((c, i) =>
    columnFormat(
      c.type,
      rows.map((r) => r[i] ?? null),
      serializer,
    ),
  )
  const first = rows.length === 0 ? 0 : offset + 1
  const last = offset + rows.length
  const hasNext = rowCount === null ? rows.length >= pageRows : last < rowCount
  return (
    <div className="table-preview" data-testid="preview-table">
      <div className="pager" role="group" aria-label="Pages">
        <button
          type="button"
          disabled={offset === 0 || loading}
          onClick={() => onPage(Math.max(0, offset - pageRows))}
        >
          ‹ Previous
        </button>
        <span className="pager-status" aria-live="polite">
          Rows {first.toLocaleString('en-US')}–{last.toLocaleString('en-US')} of{' '}
          {rowCount === null ? (
            <span className="muted">counting…</span>
          ) : (
            rowCount.toLocaleString('en-US')
          )}
        </span>
        <button
          type="button"
          disabled={!hasNext || loading}
          onClick={() => onPage(offset + pageRows)}
        >
          Next ›
        </button>
        {onOpenFull && (
          <button
            type="button"
            className="open-table"
            title="Open the table full width: sort, filter and export the whole table (T)"
            onClick={onOpenFull}
          >
            Open table ⤢
          </button>
        )}
        <span className="muted small bytes-read">
          read {formatBytes(preview.bytesRead)} of {formatBytes(preview.totalBytes)}
        </span>
      </div>
      <div className="grid-scroll">
        <table className="data-grid">
          <thead>
            <tr>
              {index && (
                <th className="index-col" scope="col">
                  <VisibleText text={index.name ?? ''} />
                  <span className="col-type">index</span>
                </th>
              )}
              {columns.map((c) => (
                <th key={c.name} scope="col">
                  <VisibleText text={c.name} />
                  <span className="col-type">{c.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={offset + r}>
                {index && (
                  <th className="index-col" scope="row">
                    {String(index.values[r] ?? '')}
                  </th>
                )}
                {columns.map((c, i) => (
                  <td key={c.name} className={isNumericType(c.type) ? 'num' : undefined}>
                    <Cell value={row[i] ?? null} format={formats[i]!} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="muted">No rows on this page.</p>}
      </div>
    </div>
  )
}
