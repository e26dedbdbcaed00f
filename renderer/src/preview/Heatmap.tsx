import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { labelOf } from './LinePlot'
import {
  MISSING_RGB,
  colourFor,
  cssRgb,
  extent,
  formatTick,
  linearScale,
  niceTicks,
  viridis,
} from './plot-math'

/** Props: a 2-D slice, row-major, NaN where missing, with optional coordinate labels. */
export interface HeatmapProps {
  values: ArrayLike<number>
  rows: number
  cols: number
  xLabel?: string
  yLabel?: string
  xCoords?: readonly unknown[] | undefined
  yCoords?: readonly unknown[] | undefined
  width?: number
  height?: number
}

const M = { left: 60, right: 10, top: 10, bottom: 40 }
const BAR = { gap: 14, width: 14, labels: 56 }

/** True when coordinate values are numbers that increase. */
export function ascendingNumbers(coords: readonly unknown[] | undefined): boolean {
  if (!coords || coords.length < 2) return false
  for (let i = 1; i < coords.length; i++) {
    const a = coords[i - 1]
    const b = coords[i]
    if (typeof a !== 'number' || typeof b !== 'number' || !(b > a)) return false
  }
  return true
}

/** Paints the cells into a canvas context: one pixel per cell, scaled up without smoothing. */
export function paintCells(
  ctx: CanvasRenderingContext2D,
  p: {
    values: ArrayLike<number>
    rows: number
    cols: number
    min: number
    max: number
    flipY: boolean
  },
  target: { x: number; y: number; w: number; h: number },
): void {
  const image = ctx.createImageData(p.cols, p.rows)
  for (let r = 0; r < p.rows; r++) {
    const srcRow = p.flipY ? p.rows - 1 - r : r
    for (let c = 0; c < p.cols; c++) {
      const [R, G, B] = colourFor(p.values[srcRow * p.cols + c] as number, p.min, p.max)
      const o = (r * p.cols + c) * 4
      image.data[o] = R
      image.data[o + 1] = G
      image.data[o + 2] = B
      image.data[o + 3] = 255
    }
  }
  const off = document.createElement('canvas')
  off.width = p.cols
  off.height = p.rows
  const offCtx = off.getContext('2d')
  if (!offCtx) return
  offCtx.putImageData(image, 0, 0)
  ctx.imageSmoothingEnabled = false
  ctx.drawImage(off, target.x, target.y, target.w, target.h)
}

/** A heatmap of a 2-D slice: canvas cells (viridis), labelled axes, a colorbar, NaN in grey. */
export function Heatmap(props: HeatmapProps) {
  const { values, rows, cols, xLabel = 'column', yLabel = 'row', xCoords, yCoords } = props
  const width = props.width ?? 460
  const height = props.height ?? 300
  const canvasRef = useRef<HTMLCanvasElement>(null)
  // Rows go top-down like a matrix, unless the y coordinate is numeric and ascending
  // (latitude, height): then it grows upwards, as xarray plots it.
  const [flipY, setFlipY] = useState(() => ascendingNumbers(yCoords))
  const [hover, setHover] = useState<{ r: number; c: number } | null>(null)
  const range = useMemo(() => extent(values), [values])
  const missing = useMemo(() => {
    let n = 0
    for (let i = 0; i < rows * cols; i++) if (!Number.isFinite(values[i] as number)) n++
    return n
  }, [values, rows, cols])
  const plotW = width - M.left - M.right - BAR.gap - BAR.width - BAR.labels
  const plotH = height - M.top - M.bottom
  const [min, max] = range ?? [0, 0]

  useEffect(() => {
    const canvas = canvasRef.current
    const ctx = canvas?.getContext('2d') ?? null
    if (!canvas || !ctx) return // no canvas support (jsdom): axes and colorbar still render
    ctx.clearRect(0, 0, canvas.width, canvas.height)
    paintCells(
      ctx,
      { values, rows, cols, min, max, flipY },
      { x: 0, y: 0, w: canvas.width, h: canvas.height },
    )
  }, [values, rows, cols, min, max, flipY])

  const sx = linearScale(0, cols, M.left, M.left + plotW)
  const sy = linearScale(0, rows, M.top, M.top + plotH)
  const rowAt = (r: number) => (flipY ? rows - 1 - r : r)
  const xTicks = niceTicks(0, cols - 1, 5).filter(Number.isInteger)
  const yTicks = niceTicks(0, rows - 1, 5).filter(Number.isInteger)
  const barX = M.left + plotW + BAR.gap
  const barScale = linearScale(min, max, M.top + plotH, M.top)
  const barTicks = range ? niceTicks(min, max, 5) : []
  const stops = Array.from({ length: 17 }, (_, i) => i / 16)
  const gradientId = `heatmap-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect()
    if (box.width === 0 || box.height === 0) return
    const c = Math.floor(((e.clientX - box.left) / box.width) * cols)
    const r = rowAt(Math.floor(((e.clientY - box.top) / box.height) * rows))
    if (c >= 0 && c < cols && r >= 0 && r < rows) setHover({ r, c })
  }
  const hoverValue = hover ? (values[hover.r * cols + hover.c] as number) : null

  return (
    <figure className="plot heatmap" data-testid="heatmap">
      <div className="plot-stack" style={{ width, height }}>
        <canvas
          ref={canvasRef}
          width={Math.max(1, Math.round(plotW))}
          height={Math.max(1, Math.round(plotH))}
          style={{ left: M.left, top: M.top, width: plotW, height: plotH }}
          aria-label={`Heatmap of ${rows} × ${cols} values`}
          role="img"
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
        />
        <svg width={width} height={height} aria-hidden="true">
          <defs>
            <linearGradient id={gradientId} x1="0" x2="0" y1="1" y2="0">
              {stops.map((t) => (
                <stop key={t} offset={t} stopColor={cssRgb(viridis(t))} />
              ))}
            </linearGradient>
          </defs>
          <rect x={M.left} y={M.top} width={plotW} height={plotH} className="plot-frame" />
          {xTicks.map((c) => (
            <g key={`x${c}`} className="tick">
              <line x1={sx(c + 0.5)} x2={sx(c + 0.5)} y1={M.top + plotH} y2={M.top + plotH + 4} />
              <text x={sx(c + 0.5)} y={M.top + plotH + 16} textAnchor="middle">
                {xCoords ? labelOf(xCoords[c]) : c}
              </text>
            </g>
          ))}
          {yTicks.map((r) => (
            <g key={`y${r}`} className="tick">
              <line x1={M.left - 4} x2={M.left} y1={sy(r + 0.5)} y2={sy(r + 0.5)} />
              <text x={M.left - 6} y={sy(r + 0.5)} textAnchor="end" dominantBaseline="middle">
                {yCoords ? labelOf(yCoords[rowAt(r)]) : rowAt(r)}
              </text>
            </g>
          ))}
          <text x={M.left + plotW / 2} y={height - 4} textAnchor="middle" className="axis-label">
            {xLabel}
          </text>
          <text
            x={12}
            y={M.top + plotH / 2}
            textAnchor="middle"
            className="axis-label"
            transform={`rotate(-90 12 ${M.top + plotH / 2})`}
          >
            {yLabel}
          </text>
          <g data-testid="colorbar">
            <rect
              x={barX}
              y={M.top}
              width={BAR.width}
              height={plotH}
              fill={`url(#${gradientId})`}
              className="plot-frame"
            />
            {barTicks.map((t) => (
              <g key={`b${t}`} className="tick">
                <line
                  x1={barX + BAR.width}
                  x2={barX + BAR.width + 4}
                  y1={barScale(t)}
                  y2={barScale(t)}
                />
                <text x={barX + BAR.width + 6} y={barScale(t)} dominantBaseline="middle">
                  {formatTick(t)}
                </text>
              </g>
            ))}
          </g>
        </svg>
      </div>
      <figcaption className="plot-caption small">
        <span>
          {range ? `min ${formatTick(min)}, max ${formatTick(max)}` : 'every value is missing'}
          {missing > 0 && (
            <>
              {' · '}
              <span className="missing-swatch" style={{ background: cssRgb(MISSING_RGB) }} />{' '}
              {missing} missing (NaN)
            </>
          )}
        </span>
        <span className="hover-readout" aria-live="polite">
          {hover &&
            `${yLabel} ${yCoords ? labelOf(yCoords[hover.r]) : hover.r}, ${xLabel} ${
              xCoords ? labelOf(xCoords[hover.c]) : hover.c
            }: ${hoverValue !== null && Number.isFinite(hoverValue) ? formatTick(hoverValue) : 'NaN'}`}
        </span>
        <label className="small">
          <input type="checkbox" checked={flipY} onChange={(e) => setFlipY(e.target.checked)} />{' '}
          first row at the bottom
        </label>
      </figcaption>
    </figure>
  )
}
