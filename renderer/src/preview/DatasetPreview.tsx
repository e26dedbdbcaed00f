import { useMemo, useState } from 'react'
import { formatBytes } from '../ui/format'
import { ArrayPlot } from './ArrayPlot'
import { coordValues, datasetVariables, type DatasetPreviewData } from './dataset-model'
import { Attrs, VariableList } from './dataset-variables'
import { flatValues } from './ndarray'

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
