import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual'
import { useMemo, useRef } from 'react'
import { useStore } from 'zustand'
import { useDerivedView, useDraftKeys, useExplorer } from '../state/hooks'
import { keyColumns } from './key-columns'

/** Height of one table row in pixels (rows are fixed-height so 100k rows virtualize cheaply). */
export const ROW_HEIGHT = 30

// A container that measures 0x0 (a page without layout, as in jsdom) still renders a screenful.
const FALLBACK_RECT = { width: 900, height: 600 }
const observeRect: typeof observeElementRect = (instance, cb) =>
  observeElementRect(instance, (rect) =>
    cb(rect.width === 0 && rect.height === 0 ? FALLBACK_RECT : rect),
  )

/**
 * The key table: virtualized rows (only what is on screen is in the DOM), TanStack columns,
 * sortable headers, click/shift/ctrl selection and keyboard navigation.
 */
export function KeyTable({ onOpenDetail }: { onOpenDetail: () => void }) {
  const explorer = useExplorer()
  const { view, selection } = explorer
  const { rows } = useDerivedView()
  const sort = useStore(view, (s) => s.sort)
  const metaColumns = useStore(view, (s) => s.metaColumns)
  const now = useStore(view, (s) => s.now)
  const selected = useStore(selection, (s) => s.selected)
  const current = useStore(selection, (s) => s.current)
  const allMatching = useStore(selection, (s) => s.allMatching)
  const drafts = useDraftKeys()
  const scrollRef = useRef<HTMLDivElement>(null)

  const columns = useMemo(() => keyColumns(metaColumns, now, drafts), [metaColumns, now, drafts])
  const order = useMemo(() => rows.map((r) => r.key), [rows])
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: FALLBACK_RECT,
    observeElementRect: observeRect,
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items.at(-1)?.index ?? -1
  // Stable while the window does not move: TanStack treats new data as a reason to update.
  const windowRows = useMemo(() => rows.slice(first, last + 1), [rows, first, last])
  // TanStack sees only the on-screen rows: its row model is then ~40 rows, not 100,000.
  const table = useReactTable({
    data: windowRows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => r.key,
    manualSorting: true,
    // Our rows change as the window scrolls; resets of table state would re-render forever.
    autoResetAll: false,
  })
  const tableRows = table.getRowModel().rows
  const paddingTop = items[0]?.start ?? 0
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0)
  const currentIndex = current === null ? -1 : order.indexOf(current)

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const sel = selection.getState()
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight || 600) / ROW_HEIGHT) - 1)
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity,
    }
    const delta = moves[e.key]
    if (delta !== undefined) {
      e.preventDefault()
      const clamped = Number.isFinite(delta) ? delta : delta > 0 ? order.length : -order.length
      sel.move(clamped, order, e.shiftKey)
      scrollToKey(virtualizer, order, selection.getState().current)
    } else if (e.key === 'Enter') {
      e.preventDefault()
      if (sel.current === null && order.length > 0) sel.move(1, order)
      onOpenDetail()
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault()
      explorer.deleteSelection()
    } else if (e.key === 'c' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Copy to… the selection (or the cursor row when nothing is selected).
      e.preventDefault()
      if (sel.selected.size > 0 || sel.allMatching) explorer.copySelection()
      else if (sel.current !== null) explorer.copyKey(sel.current)
    } else if (e.key === 'a' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      sel.selectAllMatching()
    }
  }

  return (
    <div
      ref={scrollRef}
      className="table-scroll"
      data-testid="key-table"
      tabIndex={0}
      aria-label="Artifacts: arrows move, Enter opens, Delete deletes"
      aria-activedescendant={currentIndex >= 0 ? `row-${currentIndex}` : undefined}
      onKeyDown={onKeyDown}
    >
      <table
        className="key-table"
        role="grid"
        aria-rowcount={rows.length + 1}
        aria-multiselectable="true"
      >
        <colgroup>
          {columns.map((c) => (
            <col key={c.id} style={c.size ? { width: c.size } : undefined} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const id = header.column.id as (typeof columns)[number]['id']
                const sorted =
                  sort.column === id ? (sort.desc ? 'descending' : 'ascending') : 'none'
                const field = id.startsWith('meta:') ? id.slice(5) : null
                return (
                  <th key={header.id} aria-sort={sorted} className={field ? 'meta-col' : undefined}>
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() => view.getState().sortBy(id)}
                    >
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span className="sort-mark" aria-hidden="true">
                        {sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''}
                      </span>
                    </button>
                    {field && (
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
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true" style={{ height: paddingTop }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {tableRows.map((row, i) => {
            const index = first + i
            const r = row.original
            const isSelected = allMatching || selected.has(r.key)
            const classes = ['key-row']
            if (isSelected) classes.push('selected')
            if (r.key === current) classes.push('cursor')
            if (r.error) classes.push('broken')
            return (
              <tr
                key={row.id}
                id={`row-${index}`}
                className={classes.join(' ')}
                aria-rowindex={index + 2}
                aria-selected={isSelected}
                data-key={r.key}
                style={{ height: ROW_HEIGHT }}
                onMouseDown={(e) => {
                  if (e.shiftKey) e.preventDefault() // no text selection on shift-click
                }}
                onClick={(e) =>
                  selection.getState().click(r.key, order, {
                    shift: e.shiftKey,
                    toggle: e.ctrlKey || e.metaKey,
                  })
                }
                onDoubleClick={onOpenDetail}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id.replace(':', '-')}`}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            )
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" style={{ height: paddingBottom }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  )
}

function scrollToKey(
  v: Virtualizer<HTMLDivElement, Element>,
  order: readonly string[],
  key: string | null,
) {
  if (key === null) return
  const index = order.indexOf(key)
  if (index >= 0) v.scrollToIndex(index, { align: 'auto' })
}
