import { useStore } from 'zustand'
import { useExplorer, useReadonly } from '../state/hooks'
import { ActionButton } from './ActionButton'
import { CacheOpener } from './CacheOpener'
import { CacheSummary } from './CacheSummary'

/** The top bar: cache location and what it holds, read-only toggle and badge, search, Put, Doctor. */
export function TopBar({ searchRef }: { searchRef: React.RefObject<HTMLInputElement | null> }) {
  const explorer = useExplorer()
  const { app, view, put, doctor } = explorer
  const cache = useStore(app, (s) => s.cache)
  const readonlyWanted = useStore(app, (s) => s.readonlyWanted)
  const ceiling = useStore(app, (s) => s.info?.readonlyCeiling ?? false)
  const text = useStore(view, (s) => s.filters.text)
  const { reason } = useReadonly()

  return (
    <header className="top-bar">
      <CacheOpener />
      <CacheSummary />
      <label
        className="readonly-toggle"
        title={
          ceiling
            ? 'Started with --readonly: every cache opens read-only. Restart without --readonly to make changes.'
            : 'Open caches without allowing any change'
        }
      >
        <input
          type="checkbox"
          checked={readonlyWanted || ceiling}
          disabled={ceiling}
          onChange={(e) => void app.getState().setReadonly(e.target.checked)}
        />
        Read-only
      </label>
      {cache?.readonly && (
        <span className="readonly-badge" data-testid="readonly-badge" title={reason ?? ''}>
          READ-ONLY
          <span className="readonly-reason">{cache.readonlyReason ?? 'opened read-only'}</span>
        </span>
      )}
      <input
        ref={searchRef}
        className="search-input"
        type="search"
        aria-label="Search keys and metadata"
        placeholder="Search keys and metadata…   ( / )"
        value={text}
        disabled={!cache}
        onChange={(e) => view.getState().setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            if (text) view.getState().setText('')
            else e.currentTarget.blur()
          }
        }}
      />
      <ActionButton
        className="primary"
        disabledReason={cache ? reason : 'Open a cache first.'}
        onClick={() => put.getState().show()}
      >
        + Put
      </ActionButton>
      <ActionButton
        disabledReason={cache ? null : 'Open a cache first.'}
        onClick={() => cache && void doctor.getState().show(cache.cacheId)}
      >
        Doctor
      </ActionButton>
    </header>
  )
}
