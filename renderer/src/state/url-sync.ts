import type { Explorer } from './explorer'
import { hasFilters } from './filters'
import { decodeViewQuery, encodeViewQuery } from './view-url'

/** How long the address bar waits for typing or arrow keys to settle before it is rewritten. */
const WRITE_DELAY_MS = 300

/**
 * Browser mode: keeps the filters and the selected key in the address bar, so a view can be
 * bookmarked and shared. The view in the URL at load is restored once the cache is listed
 * (opening a cache clears filters, so it waits for the rows); from then on every change is
 * written with history.replaceState (one history entry, however much is typed). The URL is
 * rebuilt from path, view and hash only, so nothing else (an access token) is written back.
 * Returns the unsubscriber.
 */
export function bindViewToUrl(
  explorer: Explorer,
  win: Pick<Window, 'location' | 'history'>,
  delayMs = WRITE_DELAY_MS,
): () => void {
  const { listing, view, selection } = explorer
  const wanted = decodeViewQuery(win.location.search)
  let filtersApplied = !hasFilters(wanted.filters)
  let restored = false
  let timer: ReturnType<typeof setTimeout> | null = null

  const write = () => {
    timer = null
    const query = encodeViewQuery({
      filters: view.getState().filters,
      key: selection.getState().current,
    })
    const url = win.location.pathname + (query ? `?${query}` : '') + win.location.hash
    const now = win.location.pathname + win.location.search + win.location.hash
    if (url !== now) win.history.replaceState(win.history.state, '', url)
  }
  const schedule = () => {
    if (!restored) return
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(write, delayMs)
  }

  const restore = () => {
    const s = listing.getState()
    if (restored || s.cacheId === null) return
    // The first rows mean the open (and its clearFilters) is done: the filters can go in.
    if (!filtersApplied && (s.rows.length > 0 || !s.loading)) {
      filtersApplied = true
      view.getState().setFilters(wanted.filters)
    }
    if (s.loading) return
    restored = true
    const key = wanted.key
    if (key !== null && s.error === null && s.rows.some((r) => r.key === key))
      selection.getState().selectOnly(key)
    schedule()
  }

  const unsubscribers = [
    listing.subscribe(restore),
    view.subscribe((s, prev) => {
      if (s.filters !== prev.filters) schedule()
    }),
    selection.subscribe((s, prev) => {
      if (s.current !== prev.current) schedule()
    }),
  ]
  restore()
  return () => {
    if (timer !== null) clearTimeout(timer)
    for (const off of unsubscribers) off()
  }
}
