import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import {
  defaultRangeExtractor,
  observeElementRect,
  useVirtualizer,
  type Virtualizer,
} from '@tanstack/react-virtual'
import { Fragment, useLayoutEffect, useMemo, useRef } from 'react'
import { useStore } from 'zustand'
import type { ArtifactRow } from '../../../shared/ipc'
import { useDerivedView, useDraftKeys, useExplorer } from '../state/hooks'
import { keyColumns } from './key-columns'
import { KeyTableHead } from './KeyTableHead'

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
 * sortable headers, click/shift/ctrl selection and keyboard navigation. The headers come
 * first in tab order, then the rows as one tab stop: the focus roves to the cursor row.
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
  const bodyRef = useRef<HTMLTableSectionElement>(null)
  // True while the keyboard focus belongs to the rows, including when the focused row has just
  // left the DOM (filtered out): the focus then comes back to the cursor row, not to <body>.
  const rowsFocused = useRef(false)

  const columns = useMemo(() => keyColumns(metaColumns, now, drafts), [metaColumns, now, drafts])
  const order = useMemo(() => rows.map((r) => r.key), [rows])
  const currentIndex = current === null ? -1 : order.indexOf(current)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: FALLBACK_RECT,
    observeElementRect: observeRect,
    // The cursor row stays in the DOM when scrolled away, so the focus on it is never lost.
    rangeExtractor: (range) => {
      const indexes = defaultRangeExtractor(range)
      if (currentIndex < 0 || currentIndex >= rows.length || indexes.includes(currentIndex))
        return indexes
      return [...indexes, currentIndex].sort((a, b) => a - b)
    },
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const indexKey = items.map((i) => i.index).join(',')
  // Stable while the window does not move: TanStack treats new data as a reason to update.
  const windowRows = useMemo(
    () => (indexKey === '' ? [] : indexKey.split(',').map((i) => rows[Number(i)] as ArtifactRow)),
    [rows, indexKey],
  )
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
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0)
  // The one row in tab order: the cursor row, or the first one shown.
  const tabStop = currentIndex >= 0 ? currentIndex : first

  // Roving focus: while the rows have the focus, it follows the cursor row.
  useLayoutEffect(() => {
    const active = document.activeElement
    const inRows = active !== null && bodyRef.current?.contains(active)
    if (!inRows && !(rowsFocused.current && (active === null || active === document.body))) return
    const row = bodyRef.current?.querySelector<HTMLElement>(`tr[aria-rowindex="${tabStop + 2}"]`)
    if (row && row !== active) row.focus({ preventScroll: true })
  })

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    // Keys on a header button or any other control are theirs, not the grid's.
    if (e.target !== e.currentTarget && !bodyRef.current?.contains(e.target as Node)) return
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
    <div ref={scrollRef} className="table-scroll" data-testid="key-table" onKeyDown={onKeyDown}>
      <table
        className="key-table"
        role="grid"
        aria-label="Artifacts: arrows move, Enter opens, Delete deletes"
        aria-rowcount={rows.length + 1}
        aria-multiselectable="true"
      >
        <colgroup>
          {columns.map((c) => (
            <col key={c.id} style={c.size ? { width: c.size } : undefined} />
          ))}
        </colgroup>
        <KeyTableHead groups={table.getHeaderGroups()} sort={sort} view={view} />
        <tbody
          ref={bodyRef}
          onFocus={() => (rowsFocused.current = true)}
          onBlur={(e) => {
            // No next element: the focused row left the DOM (or the window lost the focus).
            if (e.relatedTarget !== null) rowsFocused.current = false
          }}
        >
          {tableRows.map((row, i) => {
            const item = items[i]
            if (!item) return null
            const index = item.index
            // Space above this row not taken by the rows before it (the window's top, or the
            // gap before a cursor row kept far from the window).
            const gap = item.start - (items[i - 1]?.end ?? 0)
            const r = row.original
            const isSelected = allMatching || selected.has(r.key)
            const classes = ['key-row']
            if (isSelected) classes.push('selected')
            if (r.key === current) classes.push('cursor')
            if (r.error) classes.push('broken')
            return (
              <Fragment key={row.id}>
                {gap > 0 && (
                  <tr aria-hidden="true" style={{ height: gap }}>
                    <td colSpan={columns.length} />
                  </tr>
                )}
                <tr
                  id={`row-${index}`}
                  tabIndex={index === tabStop ? 0 : -1}
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
              </Fragment>
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
