import { useStore } from 'zustand'
import { hasFilters } from '../state/filters'
import { useDerivedView, useExplorer, useReadonly } from '../state/hooks'
import { ActionButton } from './ActionButton'
import { formatBytes, plural } from './format'

/** The footer: count and bytes shown, listing progress, and the actions for the selection. */
export function TableFooter() {
  const explorer = useExplorer()
  const { selection, listing, view } = explorer
  const { rows, bytes, total } = useDerivedView()
  const selected = useStore(selection, (s) => s.selected)
  const allMatching = useStore(selection, (s) => s.allMatching)
  const loading = useStore(listing, (s) => s.loading)
  const refreshing = useStore(listing, (s) => s.refreshing)
  const loaded = useStore(listing, (s) => s.loaded)
  const serverTotal = useStore(listing, (s) => s.total)
  const filtered = useStore(view, (s) => hasFilters(s.filters))
  const { reason } = useReadonly()
  const selectedCount = allMatching ? rows.length : selected.size

  return (
    <footer className="table-footer" aria-label="Listing summary">
      <span
        className="footer-summary"
        data-testid="footer-summary"
        title="Payload bytes only. A delete also frees the sidecars; Usage shows both and the size on disk."
      >
        {plural(rows.length, 'artifact')}, {formatBytes(bytes)} payload shown
        {filtered && <span className="muted"> (of {total.toLocaleString('en-US')})</span>}
      </span>
      {loading && (
        <span className="listing-progress" role="status" aria-label="Listing progress">
          <progress max={Math.max(serverTotal, 1)} value={loaded} />
          {refreshing ? 'Refreshing' : 'Listing'} {loaded.toLocaleString('en-US')} of{' '}
          {serverTotal.toLocaleString('en-US')}…
        </span>
      )}
      <span className="footer-actions">
        {selectedCount > 0 && (
          <span className="muted">
            {allMatching
              ? `All ${rows.length.toLocaleString('en-US')} matching selected`
              : `${selectedCount.toLocaleString('en-US')} selected`}
          </span>
        )}
        {selectedCount > 0 && (
          <button
            type="button"
            className="link-button"
            onClick={() => selection.getState().clear()}
          >
            Clear selection
          </button>
        )}
        {!allMatching && rows.length > 1 && selectedCount > 0 && (
          <button
            type="button"
            className="link-button"
            onClick={() => selection.getState().selectAllMatching()}
          >
            Select all {rows.length.toLocaleString('en-US')} matching
          </button>
        )}
        {selectedCount > 0 && (
          <ActionButton
            onClick={explorer.copySelection}
            title="Copy the selected artifacts to another cache (C)"
          >
            Copy {selectedCount.toLocaleString('en-US')} to…
          </ActionButton>
        )}
        {selectedCount > 0 && !allMatching && (
          <ActionButton
            className="danger"
            disabledReason={reason}
            onClick={explorer.deleteSelection}
          >
            Delete {selectedCount.toLocaleString('en-US')} selected…
          </ActionButton>
        )}
        {(filtered || allMatching) && rows.length > 0 && (
          <ActionButton
            className="danger"
            disabledReason={reason}
            onClick={explorer.deleteAllMatching}
          >
            Delete all {rows.length.toLocaleString('en-US')} matching…
          </ActionButton>
        )}
      </span>
    </footer>
  )
}
