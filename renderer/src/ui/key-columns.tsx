import type { ColumnDef } from '@tanstack/react-table'
import type { ArtifactRow } from '../../../shared/ipc'
import { metadataValue } from '../state/filters'
import type { ColumnId } from '../state/sort'
import { formatAge, formatBytes, formatCell, formatLocal, formatLocalShort, plural } from './format'
import { VisibleText, visibleText } from './VisibleText'

/** A key-table column: its sort id, header text and width. */
export type KeyColumn = ColumnDef<ArtifactRow> & { id: ColumnId; size: number }

/**
 * The built-in columns plus one per chosen metadata field; `now` dates the ages, and keys in
 * `drafts` (unsaved metadata edits) get a marker.
 */
export function keyColumns(
  metaColumns: readonly string[],
  now: number,
  drafts: ReadonlySet<string> = new Set(),
): KeyColumn[] {
  const base: KeyColumn[] = [
    {
      id: 'key',
      header: 'key',
      size: 0, // takes the width the other columns leave
      cell: ({ row }) => {
        const r = row.original
        return (
          <div
            className="key-cell"
            title={visibleText(r.error ? `${r.key}: ${r.error.message}` : r.key)}
          >
            <span className="key-text">
              <VisibleText text={r.key} />
            </span>
            {drafts.has(r.key) && (
              <span
                className="draft-mark"
                role="img"
                title="unsaved metadata edit"
                aria-label="unsaved metadata edit"
              >
                ●
              </span>
            )}
            {r.error && (
              <span className="row-error">
                <VisibleText text={r.error.message} />
              </span>
            )}
          </div>
        )
      },
    },
    {
      id: 'serializer',
      header: 'serializer',
      size: 105,
      cell: ({ row }) =>
        row.original.error ? (
          <span className="badge danger" title={row.original.error.code}>
            broken
          </span>
        ) : (
          <VisibleText text={row.original.serializer ?? '—'} />
        ),
    },
    {
      id: 'created',
      header: 'created',
      size: 200,
      cell: ({ row }) => {
        const ms = row.original.createdMs
        if (ms === null)
          return (
            <span className="muted" title="created_at unknown: the sidecar has no time">
              unknown
            </span>
          )
        return (
          <span
            title={visibleText(
              `${formatLocal(ms)} local; created_at: ${String(row.original.createdAt)}`,
            )}
          >
            <span className="age">{formatAge(ms, now)}</span>
            <span className="muted small"> {formatLocalShort(ms)}</span>
          </span>
        )
      },
    },
    {
      id: 'bytes',
      header: 'size',
      size: 90,
      cell: ({ row }) => (
        <span
          title={`${plural(row.original.bytes, 'byte')} in ${plural(row.original.files, 'file')}`}
        >
          {formatBytes(row.original.bytes)}
        </span>
      ),
    },
  ]
  const meta: KeyColumn[] = metaColumns.map((field) => ({
    id: `meta:${field}`,
    header: () => <VisibleText text={field} />,
    size: 120,
    cell: ({ row }) => {
      const text = formatCell(metadataValue(row.original.metadata, field))
      return (
        <span title={visibleText(text)}>
          <VisibleText text={text} />
        </span>
      )
    },
  }))
  return [...base, ...meta]
}
