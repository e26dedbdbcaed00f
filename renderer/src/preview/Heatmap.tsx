import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { colourAt, colourLimits, colourOf, colormapNamed, type Colormap } from './colormaps'
import { coordLabel } from './dataset-model'
import { fractionalIndex } from './geo'
import { MISSING_RGB, cssRgb, formatTick, linearScale, niceTicks } from './plot-math'

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
  /** The colour map (viridis by default). */
  colormap?: Colormap
  /** Colour limits; the full finite range when absent. */
  limits?: [number, number] | null
  /** The values' units, written under the colorbar. */
  units?: string | undefined
  /** Lines in fractional [column, row] cell indices drawn over the cells (coastlines). */
  overlay?: readonly (readonly [number, number])[][] | undefined
  /** A click on a cell: its row and column in the values given. */
  onCellClick?: ((row: number, col: number) => void) | undefined
}

const M = { right: 10, top: 10, bottom: 40 }
const BAR = { gap: 14, width: 14, labels: 60 }

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

/** True when every value is a number and they strictly increase or strictly decrease. */
function monotonicNumbers(coords: readonly unknown[]): coords is readonly number[] {
  if (coords.length < 2 || !coords.every((v) => typeof v === 'number' && Number.isFinite(v)))
    return false
  const nums = coords as readonly number[]
  const up = (nums[1] as number) > (nums[0] as number)
  for (let i = 1; i < nums.length; i++) {
    const d = (nums[i] as number) - (nums[i - 1] as number)
    if (up ? !(d > 0) : !(d < 0)) return false
  }
  return true
}

/**
 * Axis ticks as fractional cell positions with labels: round coordinate values (0, 50, 100)
 * placed where they fall when the coordinate is numeric and monotonic, else every few cells
 * labelled with their coordinate (dates) or index.
 */
export function axisTicks(
  n: number,
  coords: readonly unknown[] | undefined,
  count = 5,
): { pos: number; label: string }[] {
  if (coords && coords.length === n && monotonicNumbers(coords)) {
    const a = coords[0] as number
    const b = coords[n - 1] as number
    return niceTicks(Math.min(a, b), Math.max(a, b), count)
      .map((t) => ({ pos: fractionalIndex(coords, t), label: formatTick(t) }))
      .filter((t) => t.pos >= -0.5 && t.pos <= n - 0.5)
  }
  return niceTicks(0, n - 1, count)
    .filter(Number.isInteger)
    .map((i) => ({ pos: i, label: coords ? coordLabel(coords[i]) : String(i) }))
}

/** The RGBA pixels of the cells, one per cell, rows flipped when the first row is drawn at the bottom. */
export function cellPixels(p: {
  values: ArrayLike<number>
  rows: number
  cols: number
  min: number
  max: number
  flipY: boolean
  colormap: Colormap
}): Uint8ClampedArray {
  const data = new Uint8ClampedArray(p.rows * p.cols * 4)
  for (let r = 0; r < p.rows; r++) {
    const srcRow = p.flipY ? p.rows - 1 - r : r
    for (let c = 0; c < p.cols; c++) {
      const [R, G, B] = colourOf(p.colormap, p.values[srcRow * p.cols + c] as number, p.min, p.max)
      const o = (r * p.cols + c) * 4
      data[o] = R
      data[o + 1] = G
      data[o + 2] = B
      data[o + 3] = 255
    }
  }
  return data
}

function paint(canvas: HTMLCanvasElement, pixels: Uint8ClampedArray, rows: number, cols: number) {
  const ctx = canvas.getContext('2d')
  if (!ctx || rows === 0 || cols === 0) return // no canvas (jsdom): axes and colorbar still render
  const off = document.createElement('canvas')
  off.width = cols
  off.height = rows
  const offCtx = off.getContext('2d')
  if (!offCtx) return
  offCtx.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, cols, rows), 0, 0)
  ctx.clearRect(0, 0, canvas.width, canvas.height)
  ctx.imageSmoothingEnabled = false
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height)
}

/**
 * A heatmap of a 2-D slice: canvas cells in a chosen colour map between given limits, axes
 * labelled with coordinate values, a colorbar with ticks, units and the NaN colour, a hover
 * readout, clickable cells, and an optional line overlay (coastlines).
 */
export function Heatmap(props: HeatmapProps) {
  const { values, rows, cols, xLabel = 'column', yLabel = 'row', xCoords, yCoords } = props
  const colormap = props.colormap ?? colormapNamed('viridis')
  const width = props.width ?? 460
  const height = props.height ?? 300
  const canvasRef = useRef<HTMLCanvasElement>(null)
  // Rows go top-down like a matrix, unless the y coordinate is numeric and ascending
  // (latitude, height): then it grows upwards, as xarray plots it.
  const [flipY, setFlipY] = useState(() => ascendingNumbers(yCoords))
  const [hover, setHover] = useState<{ r: number; c: number } | null>(null)
  const fullRange = useMemo(() => colourLimits(values, false, false), [values])
  const range = props.limits === undefined ? fullRange : props.limits
  const missing = useMemo(() => {
    let n = 0
    for (let i = 0; i < rows * cols; i++) if (Number.isNaN(values[i] as number)) n++
    return n
  }, [values, rows, cols])
  const xTicks = axisTicks(cols, xCoords)
  const yTicks = axisTicks(rows, yCoords)
  // Room for the longest y label (dates are long) and the rotated axis name beside it.
  const left = Math.min(120, 30 + 6 * Math.max(2, ...yTicks.map((t) => t.label.length)))
  const plotW = width - left - M.right - BAR.gap - BAR.width - BAR.labels
  const plotH = height - M.top - M.bottom
  const [min, max] = range ?? [0, 0]
  const pixels = useMemo(
    () => cellPixels({ values, rows, cols, min, max, flipY, colormap }),
    [values, rows, cols, min, max, flipY, colormap],
  )
  useEffect(() => {
    if (canvasRef.current) paint(canvasRef.current, pixels, rows, cols)
  }, [pixels, rows, cols])

  const sx = linearScale(0, cols, left, left + plotW)
  const sy = linearScale(0, rows, M.top, M.top + plotH)
  const rowAt = (r: number) => (flipY ? rows - 1 - r : r)
  const barX = left + plotW + BAR.gap
  const barScale = linearScale(min, max, M.top + plotH, M.top)
  const barTicks = range ? niceTicks(min, max, 5) : []
  const stops = Array.from({ length: 17 }, (_, i) => i / 16)
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, '')
  const overlayPath = useMemo(() => {
    if (!props.overlay) return ''
    const px = linearScale(0, cols, left, left + plotW)
    const py = linearScale(0, rows, M.top, M.top + plotH)
    const y = (r: number) => py((flipY ? rows - 1 - r : r) + 0.5)
    return props.overlay
      .map((line) =>
        line
          .map(([c, r], i) => `${i ? 'L' : 'M'}${px(c + 0.5).toFixed(1)},${y(r).toFixed(1)}`)
          .join(''),
      )
      .join('')
  }, [props.overlay, flipY, rows, cols, plotW, plotH, left])

  const cellAt = (e: React.MouseEvent<HTMLElement>) => {
    const box = e.currentTarget.getBoundingClientRect()
    if (box.width === 0 || box.height === 0) return null
    const c = Math.floor(((e.clientX - box.left) / box.width) * cols)
    const r = rowAt(Math.floor(((e.clientY - box.top) / box.height) * rows))
    return c >= 0 && c < cols && r >= 0 && r < rows ? { r, c } : null
  }
  const onKey = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    const at = hover ?? { r: rowAt(0), c: 0 }
    // Up and down move on screen: with the first row at the bottom, up is the next row.
    const down = flipY ? -1 : 1
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-down, 0],
      ArrowDown: [down, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    }
    const move = Object.hasOwn(moves, e.key) ? moves[e.key] : undefined
    if (move) {
      e.preventDefault()
      const r = Math.min(rows - 1, Math.max(0, at.r + move[0]))
      const c = Math.min(cols - 1, Math.max(0, at.c + move[1]))
      setHover({ r, c })
    } else if (e.key === 'Enter' && props.onCellClick) {
      e.preventDefault()
      props.onCellClick(at.r, at.c)
    }
  }
  const hoverValue = hover ? (values[hover.r * cols + hover.c] as number) : null
  const units = props.units ? ` ${props.units}` : ''

  return (
    <figure className="plot heatmap" data-testid="heatmap">
      <div className="plot-stack" style={{ width, height }}>
        <canvas
          ref={canvasRef}
          width={Math.max(1, Math.round(plotW))}
          height={Math.max(1, Math.round(plotH))}
          style={{ left: left, top: M.top, width: plotW, height: plotH }}
          aria-label={`Heatmap of ${rows} × ${cols} values`}
          role="img"
          className={props.onCellClick ? 'clickable' : undefined}
          tabIndex={0}
          aria-keyshortcuts="ArrowUp ArrowDown ArrowLeft ArrowRight Enter"
          aria-description={
            props.onCellClick
              ? 'Arrow keys move between cells; Enter plots the cell through time.'
              : 'Arrow keys move between cells.'
          }
          onFocus={() => setHover((h) => h ?? { r: rowAt(0), c: 0 })}
          onBlur={() => setHover(null)}
          onKeyDown={onKey}
          onMouseMove={(e) => setHover(cellAt(e))}
          onMouseLeave={() => setHover(null)}
          onClick={(e) => {
            const cell = cellAt(e)
            if (cell) props.onCellClick?.(cell.r, cell.c)
          }}
        />
        <svg width={width} height={height} aria-hidden="true">
          <defs>
            <linearGradient id={`g${uid}`} x1="0" x2="0" y1="1" y2="0">
              {stops.map((t) => (
                <stop key={t} offset={t} stopColor={cssRgb(colourAt(colormap, t))} />
              ))}
            </linearGradient>
            <clipPath id={`c${uid}`}>
              <rect x={left} y={M.top} width={plotW} height={plotH} />
            </clipPath>
          </defs>
          {overlayPath && (
            <path
              d={overlayPath}
              className="coastline"
              clipPath={`url(#c${uid})`}
              data-testid="coastlines"
            />
          )}
          <rect x={left} y={M.top} width={plotW} height={plotH} className="plot-frame" />
          {hover && (
            <rect
              x={sx(hover.c)}
              y={sy(rowAt(hover.r))}
              width={Math.max(2, plotW / cols)}
              height={Math.max(2, plotH / rows)}
              className="cell-cursor"
            />
          )}
          {xTicks.map((t) => (
            <g key={`x${t.pos}`} className="tick">
              <line
                x1={sx(t.pos + 0.5)}
                x2={sx(t.pos + 0.5)}
                y1={M.top + plotH}
                y2={M.top + plotH + 4}
              />
              <text x={sx(t.pos + 0.5)} y={M.top + plotH + 16} textAnchor="middle">
                {t.label}
              </text>
            </g>
          ))}
          {yTicks.map((t) => {
            const y = sy(rowAt(t.pos) + 0.5)
            return (
              <g key={`y${t.pos}`} className="tick">
                <line x1={left - 4} x2={left} y1={y} y2={y} />
                <text x={left - 6} y={y} textAnchor="end" dominantBaseline="middle">
                  {t.label}
                </text>
              </g>
            )
          })}
          <text x={left + plotW / 2} y={height - 4} textAnchor="middle" className="axis-label">
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
            <rect x={barX} y={M.top} width={BAR.width} height={plotH} fill={`url(#g${uid})`} />
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
            <rect
              x={barX}
              y={M.top + plotH + 8}
              width={BAR.width}
              height={10}
              fill={cssRgb(MISSING_RGB)}
              data-testid="nan-swatch"
            />
            <text x={barX + BAR.width + 6} y={M.top + plotH + 14} dominantBaseline="middle">
              NaN
            </text>
            {props.units && (
              <text x={barX} y={height - 4} className="axis-label">
                {props.units}
              </text>
            )}
          </g>
        </svg>
      </div>
      <figcaption className="plot-caption small">
        <span>
          {range
            ? `colours ${formatTick(min)} to ${formatTick(max)}${units}`
            : 'every value is missing'}
          {missing > 0 && (
            <>
              {' · '}
              <span className="missing-swatch" style={{ background: cssRgb(MISSING_RGB) }} />{' '}
              {missing} missing (NaN)
            </>
          )}
        </span>
        <span className="hover-readout" aria-live="polite" data-testid="hover-readout">
          {hover &&
            `${yLabel} ${yCoords ? coordLabel(yCoords[hover.r]) : hover.r}, ${xLabel} ${
              xCoords ? coordLabel(xCoords[hover.c]) : hover.c
            }: ${hoverValue === null || Number.isNaN(hoverValue) ? 'NaN' : Number.isFinite(hoverValue) ? formatTick(hoverValue) + units : String(hoverValue)}`}
        </span>
        <label className="small">
          <input type="checkbox" checked={flipY} onChange={(e) => setFlipY(e.target.checked)} />{' '}
          first row at the bottom
        </label>
      </figcaption>
    </figure>
  )
}
