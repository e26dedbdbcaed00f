import { useId } from 'react'
import { useStore } from 'zustand'
import { openProblem } from '../state/app-store'
import { useExplorer } from '../state/hooks'
import { isRemote, protocolProblem } from '../state/location'
import { ActionButton } from './ActionButton'
import { visibleText } from './VisibleText'

/** The cache location field: a path or s3:// / gs:// URL, Open, the folder picker, recent caches. */
export function CacheOpener() {
  const { app } = useExplorer()
  const location = useStore(app, (s) => s.location)
  const storageOptionsText = useStore(app, (s) => s.storageOptionsText)
  const info = useStore(app, (s) => s.info)
  const opening = useStore(app, (s) => s.opening)
  const openError = useStore(app, (s) => s.openError)
  const listId = useId()
  const problem = openProblem({ info, location, storageOptionsText })
  const protocolIssue = info && location.trim() ? protocolProblem(location, info.protocols) : null
  const remote = isRemote(location)

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
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
      {remote && !protocolIssue && (
        <input
          className="storage-options-input"
          type="text"
          aria-label="Storage options (JSON)"
          title='Passed to the backend, fsspec-style: {"anon": true}, {"endpoint_url": "…"}'
          placeholder='{"anon": true}'
          value={storageOptionsText}
          spellCheck={false}
          onChange={(e) => app.getState().setStorageOptionsText(e.target.value)}
        />
      )}
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
            if (recent) void app.getState().open(recent.location, recent.readonly)
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
          {protocolIssue ?? openError}
        </div>
      )}
    </form>
  )
}
