import { useRef } from 'react'

/** Pixels one arrow key moves a splitter; Shift moves four times as far. */
export const SPLITTER_STEP = 16

/**
 * A drag handle between two panes that the keyboard can work too (the WAI-ARIA window
 * splitter): a focusable separator whose value is the pane's width. Arrows resize, Home and
 * End go to the limits, Enter (or a double click, or the small button) hides or shows the pane.
 */
export function Splitter({
  label,
  controls,
  width,
  min,
  max,
  collapsed,
  grows,
  onResize,
  onToggle,
}: {
  /** What the value is, e.g. "Sidebar width". */
  label: string
  /** The id of the pane it sizes. */
  controls: string
  width: number
  min: number
  max: number
  collapsed: boolean
  /** Which way dragging makes the pane wider: a left pane grows rightwards. */
  grows: 'right' | 'left'
  onResize: (width: number) => void
  onToggle: () => void
}) {
  const drag = useRef<{ x: number; width: number } | null>(null)
  const sign = grows === 'right' ? 1 : -1
  const resize = (to: number) => onResize(Math.min(max, Math.max(min, to)))

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? SPLITTER_STEP * 4 : SPLITTER_STEP
    const by: Record<string, number> = { ArrowRight: step * sign, ArrowLeft: -step * sign }
    if (e.key in by) {
      e.preventDefault()
      // An arrow on a hidden pane shows it again at its remembered width first.
      if (collapsed) onToggle()
      else resize(width + (by[e.key] as number))
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault()
      if (collapsed) onToggle()
      resize(e.key === 'Home' ? min : max)
    } else if (e.key === 'Enter') {
      e.preventDefault()
      onToggle()
    }
  }

  return (
    <div className={`splitter grows-${grows}${collapsed ? ' collapsed' : ''}`}>
      <div
        role="separator"
        tabIndex={0}
        className="splitter-handle"
        aria-label={label}
        aria-controls={controls}
        aria-orientation="vertical"
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={collapsed ? 0 : width}
        aria-valuetext={collapsed ? 'hidden' : `${width} pixels`}
        title={`${label}: drag or use the arrow keys; Enter or double-click hides or shows the pane`}
        onKeyDown={onKeyDown}
        onDoubleClick={onToggle}
        onPointerDown={(e) => {
          if (collapsed || e.button !== 0) return
          e.currentTarget.setPointerCapture?.(e.pointerId)
          drag.current = { x: e.clientX, width }
        }}
        onPointerMove={(e) => {
          if (drag.current) resize(drag.current.width + (e.clientX - drag.current.x) * sign)
        }}
        onPointerUp={() => (drag.current = null)}
        onPointerCancel={() => (drag.current = null)}
      />
      <button
        type="button"
        className="splitter-toggle"
        // The separator's Enter does the same for the keyboard: one tab stop per splitter.
        tabIndex={-1}
        aria-label={`${collapsed ? 'Show' : 'Hide'} ${label.replace(/ width$/, '')}`}
        title={`${collapsed ? 'Show' : 'Hide'} ${label.replace(/ width$/, '').toLowerCase()}`}
        onClick={onToggle}
      >
        {(grows === 'right') !== collapsed ? '‹' : '›'}
      </button>
    </div>
  )
}
