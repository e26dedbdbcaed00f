import { useStore } from 'zustand'
import { useExplorer, useReadonly } from '../state/hooks'
import { ActionButton } from './ActionButton'
import { CacheOpener } from './CacheOpener'
import { CacheSummary } from './CacheSummary'
import { SearchBox } from './SearchBox'

/**
 * The top bar: cache location and what it holds, read-only toggle and badge, search, Put,
 * Clean up, Doctor, Trash and Usage.
 */
export function TopBar({ searchRef }: { searchRef: React.RefObject<HTMLInputElement | null> }) {
  const explorer = useExplorer()
  const { app, put, doctor, cleanup } = explorer
  const cache = useStore(app, (s) => s.cache)
  const readonlyWanted = useStore(app, (s) => s.readonlyWanted)
  const ceiling = useStore(app, (s) => s.info?.readonlyCeiling ?? false)
  const usageOpen = useStore(explorer.usage, (s) => s.open)
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
      <SearchBox searchRef={searchRef} />
      <ActionButton
        className="primary"
        disabledReason={cache ? reason : 'Open a cache first.'}
        onClick={() => put.getState().show()}
      >
        + Put
      </ActionButton>
      <ActionButton
        disabledReason={cache ? reason : 'Open a cache first.'}
        title="Delete by rules: age, date, metadata, size, keep the last N, keep the cache under a size"
        onClick={() => cache && cleanup.getState().show(cache.cacheId)}
      >
        Clean up…
      </ActionButton>
      <ActionButton
        disabledReason={cache ? null : 'Open a cache first.'}
        onClick={() => cache && void doctor.getState().show(cache.cacheId)}
      >
        Doctor
      </ActionButton>
      <ActionButton
        disabledReason={cache ? null : 'Open a cache first.'}
        title="Deleted artifacts: restore them, or empty the trash"
        onClick={() => cache && void explorer.trash.getState().show(cache.cacheId)}
      >
        Trash
      </ActionButton>
      <ActionButton
        disabledReason={cache ? null : 'Open a cache first.'}
        title="Where the bytes are: a treemap by folder, serializer or field, bytes per month"
        aria-pressed={usageOpen}
        onClick={() => {
          explorer.tableView.getState().close()
          explorer.usage.getState().show()
        }}
      >
        Usage
      </ActionButton>
    </header>
  )
}
