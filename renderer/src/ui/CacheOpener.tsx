import { useId, useState } from 'react'
import { useStore } from 'zustand'
import { openProblem } from '../state/app-store'
import { useExplorer } from '../state/hooks'
import { protocolProblem } from '../state/location'
import { FIELD_LABELS, storageKind } from '../state/storage-form'
import { ActionButton } from './ActionButton'
import { StorageOptionsFields } from './StorageOptionsFields'
import { VisibleLines, visibleText } from './VisibleText'

/**
 * The cache location field: a path or s3:// / gs:// URL, its storage options (shown for a
 * bucket until it is open, then folded behind "Storage options"), Open, the folder picker,
 * recent caches. Enter in any field opens.
 */
export function CacheOpener() {
  const { app } = useExplorer()
  const location = useStore(app, (s) => s.location)
  const storageOptionsText = useStore(app, (s) => s.storageOptionsText)
  const storage = useStore(app, (s) => s.storage)
  const info = useStore(app, (s) => s.info)
  const opening = useStore(app, (s) => s.opening)
  const openError = useStore(app, (s) => s.openError)
  const errorField = useStore(app, (s) => s.errorField)
  const cache = useStore(app, (s) => s.cache)
  const [unfolded, setUnfolded] = useState(false)
  const listId = useId()
  const problem = openProblem({ info, location, storageOptionsText, storage })
  const protocolIssue = info && location.trim() ? protocolProblem(location, info.protocols) : null
  const kind = protocolIssue ? null : storageKind(location)
  // The open bucket's options fold away (they stay as they were); a new URL shows them.
  const isOpen = cache !== null && cache.location === location.trim()
  const showFields = kind !== null && (!isOpen || unfolded || errorField !== null)

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    setUnfolded(false)
    void app.getState().open()
  }

  return (
    <form className="cache-opener" onSubmit={submit} aria-label="Open a cache">
      <input
        className="location-input"
        type="text"
        aria-label="Cache location"
        placeholder="/path/to/cache, s3://bucket/cache or gs://bucket/cache"
        value={location}
        list={listId}
        spellCheck={false}
        onChange={(e) => app.getState().setLocation(e.target.value)}
      />
      <datalist id={listId}>
        {info?.recent.map((r) => (
          <option key={r.location} value={r.location} />
        ))}
      </datalist>
      {kind !== null && isOpen && (
        <button
          type="button"
          className="link-button"
          aria-expanded={showFields}
          onClick={() => setUnfolded(!unfolded)}
        >
          Storage options
        </button>
      )}
      {showFields && <StorageOptionsFields kind={kind} />}
      <ActionButton
        type="submit"
        className="primary"
        disabledReason={opening ? 'Opening…' : location.trim() ? problem : null}
        onClick={undefined}
      >
        {opening ? 'Opening…' : 'Open'}
      </ActionButton>
      {info?.mode === 'electron' && (
        <button
          type="button"
          aria-label="Choose a cache folder"
          title="Choose a cache folder"
          onClick={() => void app.getState().pickFolder()}
        >
          Browse…
        </button>
      )}
      {info && info.recent.length > 0 && (
        <select
          aria-label="Recent caches"
          value=""
          onChange={(e) => {
            const recent = info.recent.find((r) => r.location === e.target.value)
            if (recent) void app.getState().pickRecent(recent)
          }}
        >
          <option value="">Recent…</option>
          {info.recent.map((r) => (
            <option key={r.location} value={r.location}>
              {visibleText(r.location)}
              {r.readonly ? ' (read-only)' : ''}
            </option>
          ))}
        </select>
      )}
      {(protocolIssue ?? openError) && (
        <div className="opener-error" role="alert">
          <VisibleLines text={protocolIssue ?? openError ?? ''} />
          {!protocolIssue && errorField && kind !== null && (
            <div className="opener-fix">Check the {FIELD_LABELS[errorField]} field.</div>
          )}
        </div>
      )}
    </form>
  )
}
