import { useMemo, useState } from 'react'
import { useStore } from 'zustand'
import type { ArtifactDetail, Preview } from '../../../shared/ipc'
import type { Transport } from '../ipc/transport'
import { useExplorer } from '../state/hooks'
import { PREVIEW_PAGE_ROWS } from '../state/preview-store'
import { formatBytes } from '../ui/format'
import { ErrorNote, Spinner } from '../ui/Spinner'
import { CollectionPreview } from './CollectionPreview'
import { remoteSource, type DatasetSource } from './dataset-source'
import { DatasetPreview } from './DatasetPreview'
import { isNdArray } from './ndarray'
import { ArrayView, ObjectTree } from './ObjectTree'
import { TablePreview } from './TablePreview'
import { UnsupportedPreview } from './UnsupportedPreview'

/** A preview tab: its label and what it draws. */
interface Tab {
  id: string
  label: string
  render: () => React.ReactNode
}

/** The views a preview offers, one per tab; every kind also shows the raw sidecar. */
function tabsFor(
  preview: Preview,
  detail: ArtifactDetail,
  table: (p: Extract<Preview, { kind: 'table' }>) => React.ReactNode,
  engine: { transport: Transport; cacheId: string | null; source: DatasetSource | undefined },
): Tab[] {
  const sidecar: Tab = {
    id: 'sidecar',
    label: 'Sidecar JSON',
    render: () => <pre className="json-block">{JSON.stringify(detail.artifact, null, 2)}</pre>,
  }
  switch (preview.kind) {
    case 'table':
      return [{ id: 'table', label: 'Table', render: () => table(preview) }, sidecar]
    case 'object': {
      const note = preview.truncated ? (
        <p className="muted small">Long lists and arrays were cut to keep the preview small.</p>
      ) : null
      const bytes = (
        <p className="muted small">
          read {formatBytes(preview.bytesRead)} of {formatBytes(preview.totalBytes)}
        </p>
      )
      const tree: Tab = {
        id: 'tree',
        label: 'Tree',
        render: () => (
          <>
            {bytes}
            {note}
            <ObjectTree value={preview.value} />
          </>
        ),
      }
      if (!isNdArray(preview.value)) return [tree, sidecar]
      const array = preview.value
      return [
        {
          id: 'array',
          label: 'Array',
          render: () => (
            <>
              {bytes}
              {note}
              <ArrayView array={array} />
            </>
          ),
        },
        tree,
        sidecar,
      ]
    }
    case 'dataset': {
      const { source } = engine
      return [
        {
          id: 'structure',
          label: 'Structure',
          render: () => <DatasetPreview key={detail.key} preview={preview} source={source} />,
        },
        sidecar,
      ]
    }
    case 'collection':
      return [
        {
          id: 'structure',
          label: 'Structure',
          render: () => (
            <CollectionPreview
              key={detail.key}
              preview={preview}
              transport={engine.transport}
              cacheId={engine.cacheId}
              artifactKey={detail.key}
            />
          ),
        },
        sidecar,
      ]
    case 'unsupported':
      return [
        { id: 'info', label: 'Preview', render: () => <UnsupportedPreview preview={preview} /> },
        sidecar,
      ]
  }
}

/** The preview of the selected artifact: never blocks, shows progress, errors inline, tabs per kind. */
export function PreviewPane({ detail }: { detail: ArtifactDetail }) {
  const explorer = useExplorer()
  const { preview: store, app, transport } = explorer
  const status = useStore(store, (s) => s.status)
  const preview = useStore(store, (s) => s.preview)
  const error = useStore(store, (s) => s.error)
  const key = useStore(store, (s) => s.key)
  const cacheId = useStore(app, (s) => s.cache?.cacheId ?? null)
  const [tabId, setTabId] = useState<string | null>(null)
  // One source per artifact: a new one would make every open plot read its slice again.
  const source = useMemo(
    () => (cacheId !== null ? remoteSource(transport, { cacheId, key: detail.key }) : undefined),
    [transport, cacheId, detail.key],
  )

  let body: React.ReactNode
  if (key !== detail.key || (status === 'loading' && !preview)) {
    body = <Spinner label="Reading a preview…" />
  } else if (status === 'error') {
    body = <ErrorNote title="No preview:">{error}</ErrorNote>
  } else if (!preview) {
    body = null
  } else {
    const tabs = tabsFor(
      preview,
      detail,
      (p) => (
        <TablePreview
          preview={p}
          pageRows={PREVIEW_PAGE_ROWS}
          loading={status === 'loading'}
          onPage={(offset) => cacheId && void store.getState().load(cacheId, detail.key, offset)}
          onOpenFull={() => explorer.openTableView()}
          serializer={String(detail.artifact.serializer ?? '')}
        />
      ),
      { transport, cacheId, source },
    )
    const active = tabs.find((t) => t.id === tabId) ?? (tabs[0] as Tab)
    body = (
      <>
        <div className="tabs" role="tablist" aria-label="Preview views">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={t.id === active.id}
              aria-controls="preview-panel"
              onClick={() => setTabId(t.id)}
            >
              {t.label}
            </button>
          ))}
          {status === 'loading' && <Spinner label="" />}
        </div>
        <div
          className="tab-panel"
          role="tabpanel"
          id="preview-panel"
          aria-labelledby={`tab-${active.id}`}
        >
          {active.render()}
        </div>
      </>
    )
  }
  return (
    <section className="detail-section preview" aria-label="Preview">
      <h3>Preview</h3>
      {body}
    </section>
  )
}
