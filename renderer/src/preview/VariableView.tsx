import { useMemo } from 'react'
import { ErrorNote } from '../ui/Spinner'
import type { DatasetVariable } from './dataset-model'
import type { DatasetSource } from './dataset-source'
import { LinePlot } from './LinePlot'
import { flatValues, isNumericDtype, sizeOf } from './ndarray'
import { toNumbers } from './plot-math'
import { SERIES_MAX_ELEMENTS } from './PointSeries'
import { SliceHeatmap } from './SliceHeatmap'
import { everyNth } from './slice-plan'
import { StatsPanel } from './StatsPanel'
import { useSlice } from './use-slice'
import { useElementWidth } from './use-width'

/** A 1-D variable as a line: inline values when present, else read with 'dataset.slice'. */
function SeriesView({
  v,
  source,
  coords,
}: {
  v: DatasetVariable
  source: DatasetSource
  coords: ReadonlyMap<string, DatasetVariable>
}) {
  const n = v.shape[0] ?? 0
  const step = Math.max(1, Math.ceil(n / SERIES_MAX_ELEMENTS))
  const inline = Array.isArray(v.values)
  const { slice, error } = useSlice(
    source,
    inline
      ? null
      : {
          variable: v.name,
          selection: [step > 1 ? { start: 0, stop: n, step } : null],
          maxElements: SERIES_MAX_ELEMENTS,
        },
  )
  const [boxRef, width] = useElementWidth<HTMLDivElement>(520)
  const dim = v.dims[0] as string
  const coord = coords.get(dim)
  const y = useMemo(
    () => toNumbers(inline ? flatValues(v.values, 1) : (slice?.values ?? [])),
    [inline, v.values, slice],
  )
  const x = inline
    ? coord && Array.isArray(coord.values) && coord.name !== v.name
      ? (coord.values as unknown[])
      : undefined
    : slice?.coords[dim]
  const units = typeof v.attrs.units === 'string' ? ` [${v.attrs.units}]` : ''
  return (
    <div ref={boxRef}>
      {error && <ErrorNote title={`Could not read ${v.name}:`}>{error}</ErrorNote>}
      {(inline || slice) && (
        <LinePlot
          y={y}
          x={x}
          xLabel={dim + (!inline && step > 1 ? ` (${everyNth(step)})` : '')}
          yLabel={v.name + units}
          width={Math.max(300, Math.min(width, 820))}
        />
      )}
    </div>
  )
}

/** The chosen variable: statistics on request, and a heatmap (2-D and up) or a line (1-D). */
export function VariableView({
  v,
  source,
  coords,
}: {
  v: DatasetVariable
  source: DatasetSource
  coords: ReadonlyMap<string, DatasetVariable>
}) {
  const plottable = isNumericDtype(v.dtype) && v.dims.length >= 1 && sizeOf(v.shape) > 0
  return (
    <section className="ds-plot" aria-label={`Plot of ${v.name}`}>
      <h4>
        {v.name}{' '}
        <span className="muted small">
          ({v.dims.join(', ')}) {v.dtype} ({v.shape.join(', ')})
        </span>
      </h4>
      <StatsPanel variable={v.name} source={source} />
      {!plottable && (
        <p className="muted">
          Nothing to plot: {v.dtype} values, shape ({v.shape.join(', ')}).
        </p>
      )}
      {plottable && v.dims.length === 1 && <SeriesView v={v} source={source} coords={coords} />}
      {plottable && v.dims.length >= 2 && <SliceHeatmap v={v} source={source} coords={coords} />}
    </section>
  )
}
