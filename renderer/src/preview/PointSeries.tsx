import { useMemo } from 'react'
import { ErrorNote } from '../ui/Spinner'
import type { DatasetVariable } from './dataset-model'
import type { DatasetSource } from './dataset-source'
import { LinePlot } from './LinePlot'
import { toNumbers } from './plot-math'
import { everyNth, seriesDim, seriesSelection, type HeatmapChoice } from './slice-plan'
import { useSlice } from './use-slice'
import { useElementWidth } from './use-width'

/** A clicked heatmap cell: its indices in the variable, and its coordinate labels. */
export interface PointPick {
  y: number
  x: number
  yLabel: string
  xLabel: string
}

/** The most points a series asks for; a longer dim is strided under it. */
export const SERIES_MAX_ELEMENTS = 100_000

/**
 * The clicked point through time (or along the first dim not on the map): one 'dataset.slice'
 * with the cell's indices fixed and the series dim whole, drawn with its coordinates (dates).
 */
export function PointSeries(props: {
  v: DatasetVariable
  source: DatasetSource
  choice: HeatmapChoice
  pick: PointPick
  isTime: (dim: string) => boolean
  units: string | undefined
  onClose: () => void
}) {
  const { v, choice, pick } = props
  const along = seriesDim(v.dims, choice, props.isTime)
  const [boxRef, width] = useElementWidth<HTMLDivElement>(520)
  const n = along ? (v.shape[v.dims.indexOf(along)] ?? 0) : 0
  const step = Math.max(1, Math.ceil(n / SERIES_MAX_ELEMENTS))
  const ask = along
    ? {
        variable: v.name,
        selection: seriesSelection(v.dims, choice, pick, along).map((s) =>
          s === null && step > 1 ? { start: 0, stop: n, step } : s,
        ),
        maxElements: SERIES_MAX_ELEMENTS,
      }
    : null
  const { slice, loading, error } = useSlice(props.source, ask)
  const y = useMemo(() => (slice ? toNumbers(slice.values) : null), [slice])
  const title = `${v.name} at ${choice.yDim} = ${pick.yLabel}, ${choice.xDim} = ${pick.xLabel}`
  return (
    <section className="point-series" aria-label="Point series" ref={boxRef}>
      <h5>
        {title}
        {along ? ` along ${along}` : ''}{' '}
        <button type="button" className="link-button" onClick={props.onClose}>
          close
        </button>
      </h5>
      {!along && <p className="muted small">No other dimension to plot this point along.</p>}
      {loading && !slice && <p className="muted small">reading…</p>}
      {error && <ErrorNote title="Could not read the series:">{error}</ErrorNote>}
      {slice && y && along && slice.dims[0] === along && (
        <LinePlot
          y={y}
          x={slice.coords[along]}
          xLabel={along + (step > 1 ? ` (${everyNth(step)})` : '')}
          yLabel={props.units ? `${v.name} [${props.units}]` : v.name}
          width={Math.max(300, Math.min(width, 820))}
        />
      )}
    </section>
  )
}
