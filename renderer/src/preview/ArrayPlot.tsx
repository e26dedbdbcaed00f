import { useMemo, useState } from 'react'
import { Heatmap } from './Heatmap'
import { LinePlot, labelOf } from './LinePlot'
import { sliceOffset, sizeOf } from './ndarray'
import { toNumbers } from './plot-math'
import { useElementWidth } from './use-width'

/** Props: an n-D array's flat values with optional dimension names and coordinates. */
export interface ArrayPlotProps {
  shape: readonly number[]
  /** Elements in C order (may be shorter than the shape when the preview was cut). */
  values: readonly unknown[]
  dims?: readonly string[] | undefined
  /** Coordinate values per dimension name, for axis labels and slider labels. */
  coords?: Readonly<Record<string, readonly unknown[]>> | undefined
  name?: string
}

/**
 * A plot for any array: a line for 1-D, a heatmap for 2-D, and for more dimensions a heatmap
 * of the last two with a slider per leading dimension, labelled with its coordinate value.
 */
export function ArrayPlot({ shape, values, dims, coords, name = 'value' }: ArrayPlotProps) {
  const lead = Math.max(0, shape.length - 2)
  const [fixed, setFixed] = useState<number[]>(() => new Array<number>(lead).fill(0))
  const dimName = (d: number) => dims?.[d] ?? `dim_${d}`
  const coordOf = (d: number) => coords?.[dimName(d)]
  const numbers = useMemo(() => toNumbers(values), [values])
  const [boxRef, boxWidth] = useElementWidth<HTMLDivElement>(460)
  const width = Math.max(260, Math.min(boxWidth, 720))

  if (shape.length === 0 || sizeOf(shape) === 0) {
    return <p className="muted">Nothing to plot: the array is empty.</p>
  }
  if (shape.length === 1) {
    return (
      <div className="array-plot" ref={boxRef}>
        <LinePlot y={numbers} x={coordOf(0)} xLabel={dimName(0)} yLabel={name} width={width} />
      </div>
    )
  }
  const rows = shape[lead] as number
  const cols = shape[lead + 1] as number
  const offset = sliceOffset(shape, fixed)
  const slice = numbers.subarray(offset, offset + rows * cols)
  const padded = slice.length === rows * cols ? slice : padNaN(slice, rows * cols)
  return (
    <div className="array-plot" ref={boxRef}>
      {Array.from({ length: lead }, (_, d) => {
        const at = fixed[d] ?? 0
        const coord = coordOf(d)
        return (
          <label key={d} className="slice-slider">
            <span>
              {dimName(d)} = <strong>{coord ? labelOf(coord[at]) : at}</strong>{' '}
              <span className="muted small">
                ({at + 1} of {shape[d]})
              </span>
            </span>
            <input
              type="range"
              min={0}
              max={(shape[d] as number) - 1}
              value={at}
              aria-label={`${dimName(d)} index`}
              onChange={(e) => {
                const next = [...fixed]
                next[d] = Number(e.target.value)
                setFixed(next)
              }}
            />
          </label>
        )
      })}
      <Heatmap
        values={padded}
        rows={rows}
        cols={cols}
        yLabel={dimName(lead)}
        xLabel={dimName(lead + 1)}
        yCoords={coordOf(lead)}
        xCoords={coordOf(lead + 1)}
        width={width}
        height={Math.round(Math.max(160, Math.min(480, (width - 154) * (rows / cols) + 50)))}
      />
    </div>
  )
}

function padNaN(values: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length).fill(NaN)
  out.set(values.subarray(0, length))
  return out
}
