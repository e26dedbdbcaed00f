import { useStore } from 'zustand'
import { useDerivedView, useExplorer } from '../state/hooks'
import { KeyTable } from './KeyTable'
import { ListingProgress } from './ListingProgress'
import { ErrorNote } from './Spinner'
import { TableFooter } from './TableFooter'
import { TableToolbar } from './TableToolbar'

/** The centre: toolbar, the key table (or what to do when there is nothing to show), footer. */
export function CenterPane({ onOpenDetail }: { onOpenDetail: () => void }) {
  const { app, listing, view, put } = useExplorer()
  const cache = useStore(app, (s) => s.cache)
  const loading = useStore(listing, (s) => s.loading)
  const error = useStore(listing, (s) => s.error)
  const total = useStore(listing, (s) => s.rows.length)
  const { rows } = useDerivedView()

  if (!cache) {
    return (
      <main className="center-pane empty-state">
        <h2>No cache open</h2>
        <p>Type a cache folder or an s3:// or gs:// URL above and press Open.</p>
      </main>
    )
  }
  let body: React.ReactNode = <KeyTable onOpenDetail={onOpenDetail} />
  if (total === 0 && loading)
    body = (
      <div className="empty-state">
        <ListingProgress />
      </div>
    )
  else if (total === 0 && !error) {
    body = (
      <div className="empty-state">
        <h2>This cache is empty</h2>
        <p>
          Nothing in <code>{cache.location}</code> yet.{' '}
          {!cache.readonly && (
            <button type="button" className="link-button" onClick={() => put.getState().show()}>
              Put a file
            </button>
          )}
        </p>
      </div>
    )
  } else if (rows.length === 0 && total > 0) {
    body = (
      <div className="empty-state">
        <h2>No artifact matches these filters</h2>
        <button type="button" onClick={() => view.getState().clearFilters()}>
          Clear filters
        </button>
      </div>
    )
  }
  return (
    <main className="center-pane" aria-label="Artifacts">
      <TableToolbar />
      {error && <ErrorNote title="Listing stopped:">{error}</ErrorNote>}
      {body}
      <TableFooter />
    </main>
  )
}
