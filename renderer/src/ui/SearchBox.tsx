import { useStore } from 'zustand'
import { compileSearch } from '../state/filters'
import { useExplorer } from '../state/hooks'

/** What the search box understands, as its tooltip says it. */
const SEARCH_HELP =
  'Words match keys and metadata values. Filters: created<2025-12-01, created>=2025-06, ' +
  'age>365d, size>100MB, serializer:joblib, prefix:runs/, experiment=ctrl (all must hold).'

/**
 * The search box: words and the filter language of `xpersist prune`. A token that is no valid
 * filter is named under the box, and the table then shows no row until it is fixed.
 */
export function SearchBox({ searchRef }: { searchRef: React.RefObject<HTMLInputElement | null> }) {
  const { app, view } = useExplorer()
  const cache = useStore(app, (s) => s.cache)
  const text = useStore(view, (s) => s.filters.text)
  const error = compileSearch(text).error
  return (
    <div className="search-box">
      <input
        ref={searchRef}
        className="search-input"
        type="search"
        aria-label="Search keys and metadata"
        aria-invalid={error !== null}
        aria-describedby={error !== null ? 'search-error' : undefined}
        placeholder="Search, or filter: age>365d size>100MB …   ( / )"
        title={SEARCH_HELP}
        value={text}
        disabled={!cache}
        spellCheck={false}
        onChange={(e) => view.getState().setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            if (text) view.getState().setText('')
            else e.currentTarget.blur()
          }
        }}
      />
      {error !== null && (
        <p className="search-error" id="search-error" role="alert">
          {/[.!?]$/.test(error) ? error : `${error}.`} No artifact is shown until it is fixed.
        </p>
      )}
    </div>
  )
}
