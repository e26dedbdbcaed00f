import { useMemo } from 'react'
import { coordLabel, type DatasetVariable } from './dataset-model'
import type { DatasetSource } from './dataset-source'
import { flatValues } from './ndarray'
import { useSlice } from './use-slice'

/**
 * The coordinate value at `index` along `dim`, for labels: from the inline values when the
 * coordinate came with the preview, else one element read with 'dataset.slice' (debounced, so
 * a moving slider asks once it rests). Undefined while unknown or when there is no coordinate.
 */
export function useCoordinateAt(
  source: DatasetSource,
  coord: DatasetVariable | undefined,
  index: number,
): unknown {
  const inline = useMemo(
    () => (coord && Array.isArray(coord.values) ? flatValues(coord.values, 1) : null),
    [coord],
  )
  const remote = coord !== undefined && inline === null && coord.dims.length === 1
  const { slice, answered } = useSlice(
    source,
    remote ? { variable: coord.name, selection: [index], maxElements: 1 } : null,
  )
  if (inline) return inline[index]
  // Only the answer for this very index: a label must never name the previous position.
  const current = answered?.variable === coord?.name && answered?.selection[0] === index
  return remote && slice && current ? slice.values[0] : undefined
}

/** A keyboard-operable slider over one dimension, labelled with its decoded coordinate value. */
export function DimSlider(props: {
  dim: string
  size: number
  index: number
  coord: DatasetVariable | undefined
  source: DatasetSource
  onChange: (index: number) => void
}) {
  const { dim, size, index } = props
  const value = useCoordinateAt(props.source, props.coord, index)
  const label =
    value !== undefined
      ? coordLabel(value)
      : props.coord
        ? `#${index}…` // the coordinate is being read
        : String(index)
  return (
    <label className="slice-slider">
      <span>
        {dim} = <strong data-testid={`slider-label-${dim}`}>{label}</strong>{' '}
        <span className="muted small">
          ({index + 1} of {size})
        </span>
      </span>
      <input
        type="range"
        min={0}
        max={Math.max(0, size - 1)}
        step={1}
        value={index}
        aria-label={`${dim} index`}
        aria-valuetext={`${dim} = ${label}`}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
    </label>
  )
}
