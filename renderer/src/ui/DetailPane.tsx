import { forwardRef, useState } from 'react'
import { useStore } from 'zustand'
import { useDraftKeys, useExplorer, useReadonly } from '../state/hooks'
import { PreviewPane } from '../preview/PreviewPane'
import { ActionButton } from './ActionButton'
import { ErrorBoundary } from './ErrorBoundary'
import { MetadataEditor } from './MetadataEditor'
import { PayloadFiles, PrefectSummary, SidecarFields } from './SidecarFields'
import { ErrorNote, Spinner } from './Spinner'
import { VisibleText, visibleText } from './VisibleText'

/** The right pane: the selected artifact's sidecar, files, metadata editor and preview. */
export const DetailPane = forwardRef<HTMLElement>(function DetailPane(_props, ref) {
  const explorer = useExplorer()
  const { detail: detailStore, listing, view } = explorer
  const key = useStore(detailStore, (s) => s.key)
  const status = useStore(detailStore, (s) => s.status)
  const detail = useStore(detailStore, (s) => s.detail)
  const error = useStore(detailStore, (s) => s.error)
  const now = useStore(view, (s) => s.now)
  const row = useStore(listing, (s) =>
    key === null ? undefined : s.rows.find((r) => r.key === key),
  )
  const { reason } = useReadonly()
  // The editor belongs to one artifact: selecting another closes it (and never steals focus,
  // coming back included); its unsaved text stays as a draft in the editor store.
  const [editingKey, setEditingKey] = useState<string | null>(null)
  if (editingKey !== null && editingKey !== key) setEditingKey(null)
  const editing = key !== null && editingKey === key
  const hasDraft = useDraftKeys().has(key ?? '')

  let body: React.ReactNode
  if (key === null) {
    body = (
      <p className="empty-state muted">
        Select an artifact to see its sidecar, files and a preview.
      </p>
    )
  } else if (status === 'error') {
    body = (
      <>
        <h2 className="detail-key" title={visibleText(key)}>
          <span className="detail-key-text">
            <VisibleText text={key} />
          </span>
        </h2>
        <ErrorNote title="Could not read this artifact:">{error}</ErrorNote>
        {row?.error && row.error.message !== error && <p className="muted">{row.error.message}</p>}
        <p className="muted">
          A broken sidecar cannot be opened or edited here; delete it, or fix the file by hand.
          Doctor lists every broken sidecar.
        </p>
        <ActionButton
          className="danger"
          disabledReason={reason}
          onClick={() => explorer.deleteKey(key)}
        >
          Delete…
        </ActionButton>
      </>
    )
  } else if (!detail || detail.key !== key) {
    body = <Spinner label={visibleText(`Reading ${key}…`)} />
  } else {
    body = (
      <>
        <h2 className="detail-key" title={visibleText(detail.key)}>
          <span className="detail-key-text">
            <VisibleText text={detail.key} />
          </span>
          {status === 'loading' && <Spinner label="" />}
        </h2>
        {detail.prefect && <PrefectSummary prefect={detail.prefect} />}
        <SidecarFields detail={detail} now={now} />
        <PayloadFiles detail={detail} />
        <div className="button-row">
          <ActionButton
            aria-expanded={editing}
            // Read-only still opens a draft, to see it or revert it (saving stays disabled).
            disabledReason={editing || hasDraft ? null : reason}
            onClick={() => setEditingKey(editing ? null : key)}
          >
            {editing ? 'Close editor' : 'Edit metadata'}
          </ActionButton>
          {hasDraft && !editing && (
            <span className="draft-note" title="Edit metadata to continue, save or revert it">
              <span className="draft-mark" aria-hidden="true">
                ●
              </span>{' '}
              Unsaved metadata edit
            </span>
          )}
          <ActionButton onClick={() => explorer.copyKey(detail.key)}>Copy to…</ActionButton>
          <ActionButton
            className="danger"
            disabledReason={reason}
            onClick={() => explorer.deleteKey(detail.key)}
          >
            Delete…
          </ActionButton>
        </div>
        {editing && <MetadataEditor />}
        <ErrorBoundary area="preview" key={detail.key}>
          <PreviewPane detail={detail} />
        </ErrorBoundary>
      </>
    )
  }

  return (
    <aside
      ref={ref}
      className="detail-pane"
      id="detail-pane"
      data-testid="detail-pane"
      tabIndex={-1}
      aria-label="Detail"
    >
      {body}
    </aside>
  )
})
