import { flexRender, type HeaderGroup } from '@tanstack/react-table'
import type { ArtifactRow } from '../../../shared/ipc'
import type { ViewStore } from '../state/view-store'
import { ariaSort, metaField, type ColumnId, type SortSpec } from '../state/sort'

/**
 * The key table's header row: one sort button per column (Enter, Space or a click sorts and
 * the focus stays on the header), and a remove button on metadata columns.
 */
export function KeyTableHead({
  groups,
  sort,
  view,
}: {
  groups: HeaderGroup<ArtifactRow>[]
  sort: SortSpec
  view: ViewStore
}) {
  return (
    <thead>
      {groups.map((group) => (
        <tr key={group.id} aria-rowindex={1}>
          {group.headers.map((header) => {
            const id = header.column.id as ColumnId
            const sorted = ariaSort(sort, id)
            const field = metaField(id)
            return (
              <th key={header.id} aria-sort={sorted} className={field ? 'meta-col' : undefined}>
                <button
                  type="button"
                  className="sort-button"
                  onClick={() => view.getState().sortBy(id)}
                  onKeyDown={(e) => {
                    // Handled here, not left to the button's click: the grid's keys (Enter
                    // opens a row) must never see a key meant for the header.
                    if (e.key !== 'Enter' && e.key !== ' ') return
                    e.preventDefault()
                    e.stopPropagation()
                    if (!e.repeat) view.getState().sortBy(id)
                  }}
                >
                  {flexRender(header.column.columnDef.header, header.getContext())}
                  <span className="sort-mark" aria-hidden="true">
                    {sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''}
                  </span>
                </button>
                {field !== null && (
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Remove column ${field}`}
                    onClick={() => view.getState().removeMetaColumn(field)}
                  >
                    ×
                  </button>
                )}
              </th>
            )
          })}
        </tr>
      ))}
    </thead>
  )
}
