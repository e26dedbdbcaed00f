import { useVirtualizer, observeElementRect } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { formatBytes, formatCell } from '../ui/format'
import { ArrayPlot } from './ArrayPlot'
import {
  coordValues,
  datasetVariables,
  inlineValues,
  type DatasetPreviewData,
  type DatasetVariable,
} from './dataset-model'
import { flatValues, isNumericDtype } from './ndarray'

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

function Attrs({ attrs }: { attrs: Record<string, unknown> }) {
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
          <dt>{k} :</dt>
          <dd>{formatCell(v)}</dd>
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
    <div className="ds-var" role="listitem" aria-label={v.name}>
      <div className="ds-var-line">
        <span className={v.isIndex ? 'ds-name index' : 'ds-name'}>
          {v.isIndex ? '* ' : ''}
          {v.name}
        </span>
        <span className="ds-dims" title={`(${v.dims.join(', ')}) shape (${v.shape.join(', ')})`}>
          ({v.dims.join(', ')})
        </span>
        <span className="ds-dtype">{v.dtype}</span>
        <span className="ds-values muted" title={inlineValues(v.data, 40)}>
          {inlineValues(v.data)}
        </span>
        <button
          type="button"
          className="ds-action"
          aria-expanded={open}
          aria-label={`Attributes of ${v.name} (${attrCount})`}
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
            aria-label={`Plot ${v.name}`}
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

function VariableList({
  vars,
  label,
  plotted,
  onPlot,
}: {
  vars: DatasetVariable[]
  label: string
  plotted: string | null
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
        Array.isArray(v.data) && isNumericDtype(v.dtype) && v.dims.length >= 1
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

function Section({
  title,
  count,
  children,
  initiallyOpen = true,
}: {
  title: string
  count: number
  children: React.ReactNode
  initiallyOpen?: boolean
}) {
  const [open, setOpen] = useState(initiallyOpen)
  return (
    <section className="ds-section">
      <button
        type="button"
        className="ds-section-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? '▾' : '▸'} {title} <span className="muted">({count})</span>
      </button>
      {open && children}
    </section>
  )
}

/** A dataset's structure like xarray's HTML repr: dimensions, coordinates, data variables, attributes. */
export function DatasetPreview({ preview }: { preview: DatasetPreviewData }) {
  const { coords, dataVars } = useMemo(() => datasetVariables(preview), [preview])
  const coordsByDim = useMemo(() => coordValues(coords), [coords])
  const [filter, setFilter] = useState('')
  const [plotted, setPlotted] = useState<string | null>(null)
  const needle = filter.trim().toLowerCase()
  const shownVars = needle
    ? dataVars.filter((v) => v.name.toLowerCase().includes(needle))
    : dataVars
  const plotVar = plotted ? [...dataVars, ...coords].find((v) => v.name === plotted) : undefined
  const attrCount = Object.keys(preview.attrs).length

  return (
    <div className="dataset-preview" data-testid="preview-dataset">
      <div className="ds-header">
        <strong>xarray.Dataset</strong>
        <span className="muted small">
          read {formatBytes(preview.bytesRead)} of {formatBytes(preview.totalBytes)}
        </span>
      </div>
      <div className="ds-dims-line" aria-label="Dimensions">
        Dimensions:{' '}
        {Object.entries(preview.dims).map(([d, n], i) => (
          <span key={d}>
            {i > 0 && ', '}
            <span
              className={
                coordsByDim[d] || coords.some((c) => c.isIndex && c.name === d)
                  ? 'ds-dim index'
                  : 'ds-dim'
              }
            >
              {d}
            </span>
            : {n}
          </span>
        ))}
      </div>
      <Section title="Coordinates" count={coords.length}>
        <VariableList
          vars={coords}
          label="Coordinates"
          plotted={plotted}
          onPlot={(n) => setPlotted(plotted === n ? null : n)}
        />
      </Section>
      <Section title="Data variables" count={dataVars.length}>
        {dataVars.length > 20 && (
          <input
            type="search"
            className="ds-filter"
            placeholder={`Filter ${dataVars.length} variables…`}
            aria-label="Filter data variables"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
        <VariableList
          vars={shownVars}
          label="Data variables"
          plotted={plotted}
          onPlot={(n) => setPlotted(plotted === n ? null : n)}
        />
      </Section>
      <Section title="Attributes" count={attrCount} initiallyOpen={attrCount <= 20}>
        <Attrs attrs={preview.attrs} />
      </Section>
      {plotVar && (
        <section className="ds-plot" aria-label={`Plot of ${plotVar.name}`}>
          <h4>
            {plotVar.name} <span className="muted small">({plotVar.dims.join(', ')})</span>
          </h4>
          <ArrayPlot
            key={plotVar.name}
            shape={plotVar.shape}
            values={flatValues(plotVar.data, plotVar.shape.length)}
            dims={plotVar.dims}
            coords={coordsByDim}
            name={String(
              plotVar.attrs.units
                ? `${plotVar.name} [${String(plotVar.attrs.units)}]`
                : plotVar.name,
            )}
          />
        </section>
      )}
    </div>
  )
}
