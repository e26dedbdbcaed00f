import { useMemo } from 'react'
import { coordLabel } from './dataset-model'
import { decimate, extent, formatTick, linearScale, niceTicks } from './plot-math'
import { plural } from '../ui/format'

/** Props: the y values (NaN where missing) and optional x coordinate labels. */
export interface LinePlotProps {
  y: ArrayLike<number>
  /** Coordinate values for the x axis, one per point; the index is used without them. */
  x?: readonly unknown[] | undefined
  xLabel?: string
  yLabel?: string
  width?: number
  height?: number
}

const M = { left: 60, right: 14, top: 12, bottom: 40 }

/** A 1-D line plot in SVG: nice axis ticks, gaps at missing values, missing values marked. */
export function LinePlot({
  y,
  x,
  xLabel = 'index',
  yLabel = 'value',
  width = 460,
  height = 240,
}: LinePlotProps) {
  const n = y.length
  const plot = useMemo(() => {
    const range = extent(y)
    const w = width - M.left - M.right
    const h = height - M.top - M.bottom
    const missing: number[] = []
    for (let i = 0; i < n; i++) if (!Number.isFinite(y[i] as number)) missing.push(i)
    if (!range)
      return { range, missing, path: '', xTicks: [], yTicks: [], sx: () => 0, sy: () => 0, w, h }
    const sx = linearScale(0, Math.max(1, n - 1), M.left, M.left + w)
    const sy = linearScale(range[0], range[1], M.top + h, M.top)
    let path = ''
    let pen = false
    for (const i of decimate(y, w)) {
      const v = y[i] as number
      if (!Number.isFinite(v)) {
        pen = false
        continue
      }
      path += `${pen ? 'L' : 'M'}${sx(i).toFixed(1)},${sy(v).toFixed(1)}`
      pen = true
    }
    // Labels (dates are ~10 characters) must not overlap: a tick closer to the last kept one
    // than a label's width is dropped.
    const label = (i: number) => (x && i < x.length ? labelOf(x[i]) : String(i))
    const room = 6 * Math.max(label(0).length, label(Math.max(0, n - 1)).length) + 12
    const xTicks: number[] = []
    for (const t of niceTicks(0, Math.max(0, n - 1), 5)) {
      if (!Number.isInteger(t)) continue
      const last = xTicks[xTicks.length - 1]
      if (last === undefined || sx(t) - sx(last) >= room) xTicks.push(t)
    }
    const yTicks = niceTicks(range[0], range[1], 5)
    return { range, missing, path, xTicks, yTicks, sx, sy, w, h }
  }, [y, x, n, width, height])

  if (!plot.range) {
    return (
      <p className="muted" data-testid="line-plot">
        All {n} values are missing (NaN), so there is nothing to draw.
      </p>
    )
  }
  const xText = (i: number) => (x && i < x.length ? labelOf(x[i]) : String(i))
  const bottom = M.top + plot.h
  return (
    <figure className="plot" data-testid="line-plot">
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`Line plot of ${plural(n, 'value')}`}
      >
        <rect x={M.left} y={M.top} width={plot.w} height={plot.h} className="plot-area" />
        {plot.yTicks.map((t) => (
          <g key={`y${t}`} className="tick">
            <line
              x1={M.left - 4}
              x2={M.left + plot.w}
              y1={plot.sy(t)}
              y2={plot.sy(t)}
              className="grid-line"
            />
            <text x={M.left - 6} y={plot.sy(t)} textAnchor="end" dominantBaseline="middle">
              {formatTick(t)}
            </text>
          </g>
        ))}
        {plot.xTicks.map((t) => (
          <g key={`x${t}`} className="tick">
            <line x1={plot.sx(t)} x2={plot.sx(t)} y1={bottom} y2={bottom + 4} />
            <text
              x={plot.sx(t)}
              y={bottom + 16}
              // A long label (a date) at the right edge would be cut: it ends at its tick instead.
              textAnchor={plot.sx(t) > width - 4 * xText(t).length ? 'end' : 'middle'}
            >
              {xText(t)}
            </text>
          </g>
        ))}
        <path d={plot.path} className="line" fill="none" />
        {plot.missing.slice(0, 2000).map((i) => (
          <line
            key={`m${i}`}
            x1={plot.sx(i)}
            x2={plot.sx(i)}
            y1={bottom - 6}
            y2={bottom}
            className="missing-mark"
          />
        ))}
        <text x={M.left + plot.w / 2} y={height - 4} textAnchor="middle" className="axis-label">
          {xLabel}
        </text>
        <text
          x={12}
          y={M.top + plot.h / 2}
          textAnchor="middle"
          className="axis-label"
          transform={`rotate(-90 12 ${M.top + plot.h / 2})`}
        >
          {yLabel}
        </text>
      </svg>
      {plot.missing.length > 0 && (
        <figcaption className="muted small">
          <span className="missing-swatch line" /> {plot.missing.length} missing value
          {plot.missing.length === 1 ? '' : 's'} (NaN/null), marked on the x axis; the line breaks
          there.
        </figcaption>
      )}
    </figure>
  )
}

/** A coordinate value as an axis label. */
export function labelOf(v: unknown): string {
  if (typeof v === 'string') return coordLabel(v)
  if (typeof v === 'number') return formatTick(v)
  if (v === null || v === undefined) return 'NaN'
  return String(v)
}
