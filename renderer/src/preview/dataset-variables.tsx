import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState } from 'react'
import { formatCell } from '../ui/format'
import { inlineValues, type DatasetVariable } from './dataset-model'
import { isNumericDtype } from './ndarray'
import { VisibleText, visibleText } from '../ui/VisibleText'

/** Above this many variables a section lists them virtualized (only visible rows in the DOM). */
export const VIRTUALIZE_ABOVE = 60
const ROW = 26
/** Height of one attribute line, and the padding around an open attribute list (see CSS). */
const ATTR_LINE = 18
const ATTR_PAD = 10

// jsdom measures 0x0: render a screenful anyway (a real browser always has a size).
const observeRect: typeof observeElementRect = (instance, cb) =>
  observeElementRect(instance, (r) =>
    cb(r.width === 0 && r.height === 0 ? { width: 400, height: 360 } : r),
  )

/** A variable's (or the dataset's) attributes, one line each. */
export function Attrs({ attrs }: { attrs: Record<string, unknown> }) {
  const entries = Object.entries(attrs)
  if (entries.length === 0) {
    return (
      <div className="dict-view ds-attrs">
        <div className="dict-entry muted">No attributes.</div>
      </div>
    )
  }
  return (
    <dl className="dict-view ds-attrs">
      {entries.map(([k, v]) => (
        <div key={k} className="dict-entry">
          <dt>
            <VisibleText text={k} /> :
          </dt>
          <dd>
            <VisibleText text={formatCell(v)} />
          </dd>
        </div>
      ))}
    </dl>
  )
}

function VariableRow({
  v,
  open,
  onToggle,
  plotting,
  onPlot,
}: {
  v: DatasetVariable
  open: boolean
  onToggle: () => void
  plotting: boolean
  onPlot: (() => void) | null
}) {
  const attrCount = Object.keys(v.attrs).length
  return (
    <div className="ds-var" role="listitem" aria-label={visibleText(v.name)}>
      <div className="ds-var-line">
        <span className={v.isIndex ? 'ds-name index' : 'ds-name'}>
          {v.isIndex ? '* ' : ''}
          <VisibleText text={v.name} />
        </span>
        <span
          className="ds-dims"
          title={visibleText(
            `(${v.dims.join(', ')}) shape (${v.shape.join(', ')})` +
              (v.values === undefined ? '' : `: ${inlineValues(v.values, 40)}`),
          )}
        >
          (<VisibleText text={v.dims.join(', ')} />)
        </span>
        <span className="ds-dtype">{v.dtype}</span>
        <span className="ds-shape muted">({v.shape.join(', ')})</span>
        <span className="ds-values muted" title={inlineValues(v.values, 40)}>
          {inlineValues(v.values)}
        </span>
        <button
          type="button"
          className="ds-action"
          aria-expanded={open}
          aria-label={visibleText(`Attributes of ${v.name} (${attrCount})`)}
          title={`${attrCount} attribute${attrCount === 1 ? '' : 's'}`}
          onClick={onToggle}
        >
          attrs{attrCount > 0 ? ` ${attrCount}` : ''}
        </button>
        {onPlot && (
          <button
            type="button"
            className="ds-action"
            aria-pressed={plotting}
            aria-label={visibleText(`Plot ${v.name}`)}
            onClick={onPlot}
          >
            plot
          </button>
        )}
      </div>
      {open && <Attrs attrs={v.attrs} />}
    </div>
  )
}

/** Coordinates or data variables: plain below VIRTUALIZE_ABOVE, virtualized above it. */
export function VariableList({
  vars,
  label,
  plotted,
  remote = false,
  onPlot,
}: {
  vars: DatasetVariable[]
  label: string
  plotted: string | null
  /** True when slices can be read from the engine: every numeric variable can be plotted. */
  remote?: boolean
  onPlot: (name: string) => void
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtual = vars.length > VIRTUALIZE_ABOVE
  const virtualizer = useVirtualizer({
    count: virtual ? vars.length : 0,
    getScrollElement: () => scrollRef.current,
    // Sizes are computed, not measured: rows are one line, attributes one line each.
    estimateSize: (i) => {
      const v = vars[i] as DatasetVariable
      if (!open.has(v.name)) return ROW
      return ROW + ATTR_PAD + Math.max(1, Object.keys(v.attrs).length) * ATTR_LINE
    },
    overscan: 8,
    observeElementRect: observeRect,
  })
  const toggle = (name: string) => {
    const next = new Set(open)
    if (next.has(name)) next.delete(name)
    else next.add(name)
    setOpen(next)
  }
  useEffect(() => virtualizer.measure(), [open, vars, virtualizer])
  const row = (v: DatasetVariable) => (
    <VariableRow
      v={v}
      open={open.has(v.name)}
      onToggle={() => toggle(v.name)}
      plotting={plotted === v.name}
      onPlot={
        (remote || Array.isArray(v.values)) && isNumericDtype(v.dtype) && v.dims.length >= 1
          ? () => onPlot(v.name)
          : null
      }
    />
  )
  if (!virtual) {
    return (
      <div role="list" aria-label={label}>
        {vars.map((v) => (
          <div key={v.name}>{row(v)}</div>
        ))}
      </div>
    )
  }
  return (
    <div ref={scrollRef} className="ds-scroll" role="list" aria-label={label}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const v = vars[item.index] as DatasetVariable
          return (
            <div
              key={v.name}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                transform: `translateY(${item.start}px)`,
              }}
            >
              {row(v)}
            </div>
          )
        })}
      </div>
    </div>
  )
}
