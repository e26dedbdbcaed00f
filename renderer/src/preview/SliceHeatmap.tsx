import { useEffect, useMemo, useRef, useState } from 'react'
import { formatBytes } from '../ui/format'
import { ErrorNote } from '../ui/Spinner'
import { COLORMAPS, colourLimits, colormapNamed } from './colormaps'
import { loadCoastlines } from './coastlines'
import { coordLabel, isTimeDtype, type DatasetVariable } from './dataset-model'
import type { DatasetSource } from './dataset-source'
import { DimSlider } from './DimSlider'
import { coastlineIndexLines, isLatitude, isLongitude, type LonLatLines } from './geo'
import { Heatmap } from './Heatmap'
import { PointSeries, type PointPick } from './PointSeries'
import { toNumbers } from './plot-math'
import {
  HEATMAP_MAX_ELEMENTS,
  defaultChoice,
  everyNth,
  heatmapSelection,
  orientGrid,
  type HeatmapChoice,
} from './slice-plan'
import { useSlice } from './use-slice'
import { useElementWidth } from './use-width'

/** Props: the variable (>= 2 dims), where to read it, and the dataset's coordinates by name. */
export interface SliceHeatmapProps {
  v: DatasetVariable
  source: DatasetSource
  coords: ReadonlyMap<string, DatasetVariable>
}

function numbersOrNull(values: readonly unknown[] | undefined): number[] | null {
  if (!values || !values.every((x) => typeof x === 'number')) return null
  return values as number[]
}

/** Coastlines once loaded (lazily, on the first lat/lon map), else null. */
function useCoastlines(wanted: boolean): { lines: LonLatLines | null; error: string | null } {
  const [state, setState] = useState<{ lines: LonLatLines | null; error: string | null }>({
    lines: null,
    error: null,
  })
  useEffect(() => {
    if (!wanted || state.lines) return
    let live = true
    loadCoastlines().then(
      (lines) => live && setState({ lines, error: null }),
      (err: unknown) => live && setState({ lines: null, error: String(err) }),
    )
    return () => {
      live = false
    }
  }, [wanted, state.lines])
  return state
}

/**
 * A heatmap of any 2-D slice of a variable, read with 'dataset.slice': choose the two dims,
 * slide through the others (labelled with their coordinates), pick colours and limits, see
 * coastlines on lat/lon grids, and click a cell to plot that point through time.
 */
export function SliceHeatmap({ v, source, coords }: SliceHeatmapProps) {
  const [choice, setChoice] = useState<HeatmapChoice>(() => defaultChoice(v.dims))
  // null until the user picks one: then the data decides, as in xarray (see below).
  const [pickedCmap, setCmapName] = useState<string | null>(null)
  const [robust, setRobust] = useState(true)
  const [showCoast, setShowCoast] = useState(true)
  const [pick, setPick] = useState<PointPick | null>(null)
  const [boxRef, boxWidth] = useElementWidth<HTMLDivElement>(520)
  const plan = useMemo(() => heatmapSelection(v.dims, v.shape, choice), [v, choice])
  const { slice, loading, error } = useSlice(source, {
    variable: v.name,
    selection: plan.selection,
    maxElements: HEATMAP_MAX_ELEMENTS,
  })
  const sizeOfDim = (d: string) => v.shape[v.dims.indexOf(d)] ?? 0
  const fits =
    slice !== null &&
    slice.variable === v.name &&
    slice.shape.length === 2 &&
    slice.dims.includes(choice.yDim) &&
    slice.dims.includes(choice.xDim)
  const grid = useMemo(
    () =>
      fits && slice
        ? orientGrid(toNumbers(slice.values), slice.shape, slice.dims[0] !== choice.yDim)
        : null,
    [fits, slice, choice.yDim],
  )
  const yCoords = fits && slice ? slice.coords[choice.yDim] : undefined
  const xCoords = fits && slice ? slice.coords[choice.xDim] : undefined
  const plainLimits = useMemo(
    () => (grid ? colourLimits(grid.values, robust, false) : null),
    [grid, robust],
  )
  // xarray's default: data on both sides of 0 gets the diverging map centred at 0.
  const firstLimits = useRef<[number, number] | null>(null)
  firstLimits.current ??= plainLimits
  const spansZero =
    firstLimits.current !== null && firstLimits.current[0] < 0 && firstLimits.current[1] > 0
  const cmapName = pickedCmap ?? (spansZero ? 'RdBu_r' : 'viridis')
  const colormap = colormapNamed(cmapName)
  const limits = useMemo(
    () => (grid ? colourLimits(grid.values, robust, colormap.diverging) : null),
    [grid, robust, colormap.diverging],
  )
  const axis = (d: string) => ({ name: d, attrs: coords.get(d)?.attrs })
  const latLon = isLatitude(axis(choice.yDim)) && isLongitude(axis(choice.xDim))
  const lonLat = isLongitude(axis(choice.yDim)) && isLatitude(axis(choice.xDim))
  const coast = useCoastlines((latLon || lonLat) && showCoast)
  const overlay = useMemo(() => {
    if (!coast.lines || !showCoast || !(latLon || lonLat)) return undefined
    const ys = numbersOrNull(yCoords)
    const xs = numbersOrNull(xCoords)
    if (!ys || !xs) return undefined
    if (latLon) return coastlineIndexLines(coast.lines, xs, ys)
    return coastlineIndexLines(coast.lines, ys, xs).map((l) =>
      l.map(([c, r]) => [r, c] as [number, number]),
    )
  }, [coast.lines, showCoast, latLon, lonLat, xCoords, yCoords])

  const others = v.dims.filter((d) => d !== choice.xDim && d !== choice.yDim)
  const setDim = (which: 'yDim' | 'xDim', d: string) => {
    const other = which === 'yDim' ? 'xDim' : 'yDim'
    // Choosing the other axis's dim swaps the two, so they always differ.
    const swapped = choice[other] === d ? { [other]: choice[which] } : {}
    setChoice({ ...choice, [which]: d, ...swapped })
    setPick(null)
  }
  const units = typeof v.attrs.units === 'string' ? v.attrs.units : undefined
  // Time by dtype, CF attributes (standard_name, axis T: cftime calendars decode to text), or name.
  const isTime = (d: string) => {
    const c = coords.get(d)
    const attr = (k: string) => (c && Object.hasOwn(c.attrs, k) ? c.attrs[k] : undefined)
    return (
      (c !== undefined && isTimeDtype(c.dtype)) ||
      attr('standard_name') === 'time' ||
      attr('axis') === 'T' ||
      /^time$/i.test(d)
    )
  }
  const width = Math.max(300, Math.min(boxWidth, 820))
  const aspect = grid ? grid.rows / Math.max(1, grid.cols) : 0.5

  return (
    <div className="slice-heatmap" ref={boxRef}>
      <div className="slice-controls">
        <label>
          y{' '}
          <select
            value={choice.yDim}
            onChange={(e) => setDim('yDim', e.target.value)}
            aria-label="y dimension"
          >
            {v.dims.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          x{' '}
          <select
            value={choice.xDim}
            onChange={(e) => setDim('xDim', e.target.value)}
            aria-label="x dimension"
          >
            {v.dims.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          colours{' '}
          <select
            value={cmapName}
            onChange={(e) => setCmapName(e.target.value)}
            aria-label="Colour map"
          >
            {COLORMAPS.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
                {m.diverging ? ' (diverging, centred at 0)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={robust} onChange={(e) => setRobust(e.target.checked)} />{' '}
          robust limits (2nd–98th percentile)
        </label>
        {(latLon || lonLat) && (
          <label>
            <input
              type="checkbox"
              checked={showCoast}
              onChange={(e) => setShowCoast(e.target.checked)}
            />{' '}
            coastlines
          </label>
        )}
      </div>
      {others.map((d) => (
        <DimSlider
          key={d}
          dim={d}
          size={sizeOfDim(d)}
          index={choice.fixed.get(d) ?? 0}
          coord={coords.get(d)}
          source={source}
          onChange={(i) => setChoice({ ...choice, fixed: new Map(choice.fixed).set(d, i) })}
        />
      ))}
      <p className="muted small" data-testid="slice-status" aria-live="polite">
        {sizeOfDim(choice.yDim)} × {sizeOfDim(choice.xDim)}
        {plan.step > 1 ? `, showing ${everyNth(plan.step)}` : ''}
        {loading ? ' · reading…' : ''}
        {slice && fits && slice.bytesRead > 0 ? ` · read ${formatBytes(slice.bytesRead)}` : ''}
        {coast.error ? ` · coastlines unavailable (${coast.error})` : ''}
      </p>
      {error && <ErrorNote title={`Could not read ${v.name}:`}>{error}</ErrorNote>}
      {grid && (
        <Heatmap
          key={`${choice.yDim}/${choice.xDim}`}
          values={grid.values}
          rows={grid.rows}
          cols={grid.cols}
          yLabel={choice.yDim}
          xLabel={choice.xDim}
          yCoords={yCoords}
          xCoords={xCoords}
          colormap={colormap}
          limits={limits}
          units={units}
          overlay={overlay}
          width={width}
          height={Math.round(Math.max(180, Math.min(520, (width - 168) * aspect + 50)))}
          onCellClick={(r, c) =>
            setPick({
              y: r * plan.step,
              x: c * plan.step,
              yLabel: coordLabel(yCoords?.[r] ?? r * plan.step),
              xLabel: coordLabel(xCoords?.[c] ?? c * plan.step),
            })
          }
        />
      )}
      {pick && (
        <PointSeries
          v={v}
          source={source}
          choice={choice}
          pick={pick}
          isTime={isTime}
          units={units}
          onClose={() => setPick(null)}
        />
      )}
    </div>
  )
}
