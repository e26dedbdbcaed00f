import { createContext, useContext, useDeferredValue, useMemo } from 'react'
import { useStore } from 'zustand'
import type { DerivedView } from './derive'
import type { Explorer } from './explorer'

/** The explorer the components render; provided once at the root. */
export const ExplorerContext = createContext<Explorer | null>(null)

/** The explorer from context (throws outside the provider: a wiring bug, not a user error). */
export function useExplorer(): Explorer {
  const explorer = useContext(ExplorerContext)
  if (!explorer) throw new Error('useExplorer outside <ExplorerContext.Provider>')
  return explorer
}

/**
 * The filtered, sorted rows and facet counts. Filters are deferred, so the search box stays
 * responsive while 100,000 rows are filtered behind it; the deriver memoises by identity.
 */
export function useDerivedView(): DerivedView {
  const explorer = useExplorer()
  const rows = useStore(explorer.listing, (s) => s.rows)
  const sort = useStore(explorer.view, (s) => s.sort)
  const filters = useDeferredValue(useStore(explorer.view, (s) => s.filters))
  const now = useStore(explorer.view, (s) => s.now)
  return explorer.deriveFrom(rows, sort, filters, now)
}

/**
 * The keys with an unsaved metadata draft. Only a key gaining or losing its draft changes
 * the answer, so typing in the editor does not re-render the table.
 */
export function useDraftKeys(): ReadonlySet<string> {
  const { editor } = useExplorer()
  const joined = useStore(editor, (s) => [...s.drafts.keys()].sort().join('\u0000'))
  return useMemo(() => new Set(joined === '' ? [] : joined.split('\u0000')), [joined])
}

/** True when the open cache is read-only, with the reason to show on disabled controls. */
export function useReadonly(): { readonly: boolean; reason: string | null } {
  const explorer = useExplorer()
  const cache = useStore(explorer.app, (s) => s.cache)
  if (!cache) return { readonly: true, reason: 'Open a cache first.' }
  if (!cache.readonly) return { readonly: false, reason: null }
  return {
    readonly: true,
    reason: `The cache is read-only (${cache.readonlyReason ?? 'opened read-only'}), so nothing can be changed.`,
  }
}
