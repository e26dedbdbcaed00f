import { useRef } from 'react'
import { useStore } from 'zustand'
import { useExplorer } from '../state/hooks'
import { Facets } from './Facets'
import { FolderTree } from './FolderTree'
import { useRovingFocus } from './roving-focus'

/**
 * The left pane: key folders, then facets with counts. One tab stop: the arrows move through
 * it, PageUp/PageDown jump between facets.
 */
export function Sidebar() {
  const { app, listing } = useExplorer()
  const cache = useStore(app, (s) => s.cache)
  const count = useStore(listing, (s) => s.rows.length)
  const ref = useRef<HTMLElement>(null)
  useRovingFocus(ref, 'section.facet, details')
  return (
    <nav ref={ref} className="sidebar" aria-label="Folders and facets">
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
