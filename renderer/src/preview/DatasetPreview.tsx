import { useMemo, useState } from 'react'
import { formatBytes, plural } from '../ui/format'
import { VisibleText } from '../ui/VisibleText'
import { coordValues, datasetVariables, type DatasetPreviewData } from './dataset-model'
import { inlineSource, type DatasetSource } from './dataset-source'
import { Attrs, VariableList } from './dataset-variables'
import { VariableView } from './VariableView'

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

/**
 * A dataset's structure like xarray's HTML repr: dimensions, coordinates, data variables,
 * attributes; a chosen variable is explored below (heatmap, line, statistics) through
 * `source` (the engine for a cached artifact; the inline values when absent).
 */
export function DatasetPreview({
  preview,
  source,
}: {
  preview: DatasetPreviewData
  source?: DatasetSource | undefined
}) {
  const { coords, dataVars } = useMemo(() => datasetVariables(preview), [preview])
  const coordsByDim = useMemo(() => coordValues(coords), [coords])
  const coordsByName = useMemo(() => new Map(coords.map((c) => [c.name, c])), [coords])
  const reader = useMemo(
    () => source ?? inlineSource([...coords, ...dataVars]),
    [source, coords, dataVars],
  )
  const [filter, setFilter] = useState('')
  const [plotted, setPlotted] = useState<string | null>(null)
  const needle = filter.trim().toLowerCase()
  const shownVars = needle
    ? dataVars.filter((v) => v.name.toLowerCase().includes(needle))
    : dataVars
  const plotVar = plotted ? [...dataVars, ...coords].find((v) => v.name === plotted) : undefined
  const attrCount = Object.keys(preview.attrs).length
  const onPlot = (n: string) => setPlotted(plotted === n ? null : n)

  return (
    <div className="dataset-preview" data-testid="preview-dataset">
      <div className="ds-header">
        <strong>xarray.Dataset</strong>
        <span className="muted small">
          read {formatBytes(preview.bytesRead)}
          {/* a collection member's form has no payload size of its own (0) */}
          {preview.totalBytes > 0 ? ` of ${formatBytes(preview.totalBytes)}` : ''}
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
              <VisibleText text={d} />
            </span>
            : {n}
          </span>
        ))}
      </div>
      {preview.notes.length > 0 && (
        <ul className="ds-notes muted small" aria-label="Notes">
          {preview.notes.map((n, i) => (
            <li key={i}>
              <VisibleText text={n} />
            </li>
          ))}
        </ul>
      )}
      <Section title="Coordinates" count={coords.length}>
        <VariableList
          vars={coords}
          label="Coordinates"
          plotted={plotted}
          remote={source !== undefined}
          onPlot={onPlot}
        />
      </Section>
      <Section title="Data variables" count={dataVars.length}>
        {dataVars.length > 20 && (
          <input
            type="search"
            className="ds-filter"
            placeholder={`Filter ${plural(dataVars.length, 'variable')}…`}
            aria-label="Filter data variables"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
        <VariableList
          vars={shownVars}
          label="Data variables"
          plotted={plotted}
          remote={source !== undefined}
          onPlot={onPlot}
        />
      </Section>
      <Section title="Attributes" count={attrCount} initiallyOpen={attrCount <= 20}>
        <Attrs attrs={preview.attrs} />
      </Section>
      {plotVar && (
        <VariableView key={plotVar.name} v={plotVar} source={reader} coords={coordsByName} />
      )}
    </div>
  )
}
