import { useStore } from 'zustand'
import { useExplorer } from '../state/hooks'
import { Facets } from './Facets'
import { FolderTree } from './FolderTree'

/** The left pane: key folders, then facets with counts. */
export function Sidebar() {
  const { app, listing } = useExplorer()
  const cache = useStore(app, (s) => s.cache)
  const count = useStore(listing, (s) => s.rows.length)
  return (
    <nav className="sidebar" aria-label="Folders and facets">
      {cache && count > 0 ? (
        <>
          <FolderTree />
          <Facets />
        </>
      ) : (
        <p className="muted small">Folders and facets appear once a cache is listed.</p>
      )}
    </nav>
  )
}
