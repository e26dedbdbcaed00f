import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState } from 'react'
import type { ColumnSummary, TablePage, ViewQuery } from '../state/table-view-store'
import { VisibleText } from '../ui/VisibleText'
import { cellText, isNumericType, type ColumnFormat } from './cell-text'
import { COPY_COLUMN_MAX } from './table-copy'

const ROW_HEIGHT = 26
// jsdom lays nothing out: a 0x0 container still renders a screenful.
const FALLBACK_RECT = { width: 1200, height: 700 }
const observeRect: typeof observeElementRect = (instance, cb) =>
  observeElementRect(instance, (rect) =>
    cb(rect.width === 0 && rect.height === 0 ? FALLBACK_RECT : rect),
  )

/** What the grid asks its owner to do. */
export interface GridActions {
  sortBy(column: string, add: boolean): void
  copyCell(row: number, col: number): void
  copyRow(row: number): void
  copyColumn(col: number): void
}

function Summary({ summary, format }: { summary: ColumnSummary; format: ColumnFormat }) {
  const show = (v: ColumnSummary['min']) => (v === null ? '–' : cellText(v, format).text)
  const label = summary.source === 'file' ? 'whole file' : 'this page'
  return (
    <span className="col-summary" data-testid="col-summary">
      <span className={`summary-source ${summary.source}`}>{label}</span>
      <span>
        nulls {summary.nullCount === null ? '?' : summary.nullCount.toLocaleString('en-US')}
      </span>
      <span title="min">min {show(summary.min)}</span>
      <span title="max">max {show(summary.max)}</span>
    </span>
  )
}

/** The full view's grid: typed headers with summaries, sortable; virtualized rows; copy. */
export function TableGrid({
  page,
  formats,
  sort,
  actions,
}: {
  page: TablePage
  formats: ColumnFormat[]
  sort: ViewQuery['sort']
  actions: GridActions
}) {
  const { columns, rows, index, offset } = page
  const scrollRef = useRef<HTMLDivElement>(null)
  const [focus, setFocus] = useState<{ row: number; col: number }>({ row: 0, col: 0 })
  const [menu, setMenu] = useState<{ x: number; y: number; row: number; col: number } | null>(null)
  const menuRef = useRef<HTMLDivElement>(null)
  // An opened menu takes the focus (its first item), so the keyboard can use it.
  useEffect(() => {
    if (menu) menuRef.current?.querySelector('button')?.focus()
  }, [menu])
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: FALLBACK_RECT,
    observeElementRect: observeRect,
  })
  // A new page starts at its top.
  useEffect(() => {
    setFocus((f) => ({ row: 0, col: Math.min(f.col, Math.max(0, columns.length - 1)) }))
    scrollRef.current?.scrollTo?.({ top: 0 })
  }, [offset, rows, columns.length])
  const items = virtualizer.getVirtualItems()
  const padTop = items[0]?.start ?? 0
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0)

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (menu && e.key === 'Escape') {
      e.stopPropagation()
      setMenu(null)
      scrollRef.current?.focus()
      return
    }
    const moves: Record<string, [number, number]> = {
      ArrowDown: [1, 0],
      ArrowUp: [-1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    }
    const m = moves[e.key]
    if (m) {
      e.preventDefault()
      const row = Math.max(0, Math.min(rows.length - 1, focus.row + m[0]))
      const col = Math.max(0, Math.min(columns.length - 1, focus.col + m[1]))
      setFocus({ row, col })
      virtualizer.scrollToIndex(row)
      return
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      e.preventDefault()
      if (e.shiftKey) actions.copyRow(focus.row)
      else actions.copyCell(focus.row, focus.col)
      return
    }
    // The menu key or Shift+F10 opens the copy menu at the focused cell, as a right-click does.
    if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      e.preventDefault()
      const td = scrollRef.current?.querySelector<HTMLElement>('td.focused')
      const box = td?.getBoundingClientRect()
      setMenu({ x: box?.left ?? 0, y: box?.bottom ?? 0, row: focus.row, col: focus.col })
    }
  }

  return (
    <div
      ref={scrollRef}
      className="grid-scroll full-grid"
      data-testid="table-view-grid"
      tabIndex={0}
      role="region"
      aria-label="Table rows: arrows move, Ctrl+C copies the cell, Ctrl+Shift+C the row, the menu key or Shift+F10 more"
      onKeyDown={onKeyDown}
    >
      <table className="data-grid" role="grid" aria-rowcount={rows.length + 1}>
        <thead>
          <tr>
            {index && (
              <th className="index-col" scope="col">
                <VisibleText text={index.name ?? ''} />
                <span className="col-type">index</span>
              </th>
            )}
            {columns.map((c, i) => {
              const at = sort.findIndex((s) => s.column === c.name)
              const s = sort[at]
              const dir = s ? (s.descending ? 'descending' : 'ascending') : 'none'
              return (
                <th
                  key={c.name}
                  scope="col"
                  aria-sort={at === 0 ? dir : undefined}
                  className={isNumericType(c.type) ? 'num' : undefined}
                >
                  <button
                    type="button"
                    className="sort-header"
                    title="Sort by this column (Shift-click adds it to the sort)"
                    onClick={(e) => actions.sortBy(c.name, e.shiftKey)}
                  >
                    <VisibleText text={c.name} />
                    {s && (
                      <span className="sort-mark" aria-label={`sorted ${dir}`}>
                        {s.descending ? '▼' : '▲'}
                        {sort.length > 1 ? at + 1 : ''}
                      </span>
                    )}
                  </button>
                  <span className="col-type">{c.type}</span>
                  {c.summary && <Summary summary={c.summary} format={formats[i]!} />}
                </th>
              )
            })}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr style={{ height: padTop }} aria-hidden="true" />}
          {items.map((item) => {
            const r = item.index
            const row = rows[r]!
            return (
              <tr key={offset + r} data-row={offset + r} style={{ height: ROW_HEIGHT }}>
                {index && (
                  <th className="index-col" scope="row">
                    {String(index.values[r] ?? '')}
                  </th>
                )}
                {columns.map((c, i) => {
                  const t = cellText(row[i] ?? null, formats[i]!)
                  const focused = focus.row === r && focus.col === i
                  const cls = [isNumericType(c.type) ? 'num' : '', t.missing ? 'missing' : '']
                  if (focused) cls.push('focused')
                  return (
                    <td
                      key={c.name}
                      className={cls.filter(Boolean).join(' ') || undefined}
                      aria-selected={focused}
                      onClick={() => setFocus({ row: r, col: i })}
                      onContextMenu={(e) => {
                        e.preventDefault()
                        setFocus({ row: r, col: i })
                        setMenu({ x: e.clientX, y: e.clientY, row: r, col: i })
                      }}
                    >
                      <VisibleText text={t.text} />
                    </td>
                  )
                })}
              </tr>
            )
          })}
          {padBottom > 0 && <tr style={{ height: padBottom }} aria-hidden="true" />}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">No rows on this page.</p>}
      {menu && (
        <div
          className="context-menu"
          role="menu"
          style={{ left: menu.x, top: menu.y }}
          onMouseLeave={() => setMenu(null)}
          ref={menuRef}
          onKeyDown={(e) => {
            const items = [...e.currentTarget.querySelectorAll('button')]
            const at = items.indexOf(document.activeElement as HTMLButtonElement)
            const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0
            if (step !== 0) {
              e.preventDefault()
              e.stopPropagation()
              items[(at + step + items.length) % items.length]?.focus()
            }
          }}
        >
          {(
            [
              ['Copy cell', () => actions.copyCell(menu.row, menu.col)],
              ['Copy row', () => actions.copyRow(menu.row)],
              [
                `Copy column (first ${COPY_COLUMN_MAX.toLocaleString('en-US')} values)`,
                () => actions.copyColumn(menu.col),
              ],
            ] as const
          ).map(([label, act]) => (
            <button
              key={label}
              type="button"
              role="menuitem"
              onClick={() => {
                setMenu(null)
                act()
              }}
            >
              {label}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
