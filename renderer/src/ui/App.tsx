import { useEffect, useRef } from 'react'
import { useStore } from 'zustand'
import { useExplorer } from '../state/hooks'
import { CenterPane } from './CenterPane'
import { CleanupDialog } from './CleanupDialog'
import { CopyDialog } from './CopyDialog'
import { DeleteDialog } from './DeleteDialog'
import { DetailPane } from './DetailPane'
import { DoctorDialog } from './DoctorDialog'
import { ErrorBoundary } from './ErrorBoundary'
import { TableView } from '../preview/TableView'
import { cyclePaneFocus } from './pane-focus'
import { PaneLayout } from './PaneLayout'
import { PutDialog } from './PutDialog'
import { TrashDialog } from './TrashDialog'
import { Sidebar } from './Sidebar'
import { ErrorNote } from './Spinner'
import { TopBar } from './TopBar'
import { UsageView } from './UsageView'

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/**
 * The explorer window: top bar, three panes, and the dialogs; `/` focuses the search, F6
 * (Shift+F6) moves between the panes.
 */
export function App() {
  const explorer = useExplorer()
  const { app, put, doctor, deletion, tableView, copy, cleanup } = explorer
  const tableOpen = useStore(tableView, (s) => s.open)
  const usageOpen = useStore(explorer.usage, (s) => s.open) && !tableOpen
  const infoError = useStore(app, (s) => s.infoError)
  const putOpen = useStore(put, (s) => s.open)
  const doctorOpen = useStore(doctor, (s) => s.open)
  const deleting = useStore(deletion, (s) => s.flow.phase !== 'idle')
  // A modal dialog makes what is behind it inert: no focus, no clicks, not read out.
  const copying = useStore(copy, (s) => s.flow.phase !== 'idle')
  const cleaning = useStore(cleanup, (s) => s.open)
  const modal = putOpen || doctorOpen || deleting || copying || cleaning
  const searchRef = useRef<HTMLInputElement>(null)
  const detailRef = useRef<HTMLElement>(null)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F6' && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (document.querySelector('[role="dialog"]')) return
        if (cyclePaneFocus(document, e.shiftKey)) e.preventDefault()
        return
      }
      if (e.key === '/' && !typingIn(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (document.querySelector('[role="dialog"]')) return
        e.preventDefault()
        searchRef.current?.focus()
        searchRef.current?.select()
      }
      // T opens the selected table full width (Escape or Back returns).
      if (e.key === 't' && !typingIn(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (document.querySelector('[role="dialog"]') || tableView.getState().open) return
        if (explorer.openTableView()) e.preventDefault()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [explorer, tableView])

  return (
    <>
      <div className="app" inert={modal}>
        <ErrorBoundary area="top bar">
          <TopBar searchRef={searchRef} />
        </ErrorBoundary>
        {infoError && (
          <ErrorNote title="The explorer could not reach the engine:">{infoError}</ErrorNote>
        )}
        {tableOpen && (
          <ErrorBoundary area="table view">
            <TableView />
          </ErrorBoundary>
        )}
        {usageOpen && (
          <ErrorBoundary area="usage view">
            <UsageView />
          </ErrorBoundary>
        )}
        {/* Hidden, not unmounted: Back returns to the same scroll, selection and detail. */}
        <PaneLayout
          hidden={tableOpen || usageOpen}
          sidebar={
            <ErrorBoundary area="sidebar">
              <Sidebar />
            </ErrorBoundary>
          }
          center={
            <ErrorBoundary area="key table">
              <CenterPane onOpenDetail={() => detailRef.current?.focus()} />
            </ErrorBoundary>
          }
          detail={
            <ErrorBoundary area="detail pane">
              <DetailPane ref={detailRef} />
            </ErrorBoundary>
          }
        />
      </div>
      <ErrorBoundary area="dialog">
        <PutDialog />
        <div inert={deleting} className="dialog-layer">
          <DoctorDialog />
        </div>
        <CleanupDialog />
        <DeleteDialog />
        <CopyDialog />
        <TrashDialog />
      </ErrorBoundary>
    </>
  )
}
