/** Renders the whole explorer on a fake cache, opened, for component tests. */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react'
import { afterEach, expect } from 'vitest'
import { createExplorer, type Explorer } from '../../renderer/src/state/explorer'
import { ExplorerContext } from '../../renderer/src/state/hooks'
import { App } from '../../renderer/src/ui/App'
import { NOW, fakeCache, type FakeCacheOptions } from './fake-cache'

// jsdom has no canvas: getContext answers null, as a browser without canvas support would,
// and the heatmap must still draw its axes and colorbar.
HTMLCanvasElement.prototype.getContext = (() =>
  null) as typeof HTMLCanvasElement.prototype.getContext

const mounted: Explorer[] = []
afterEach(() => {
  cleanup()
  for (const ex of mounted.splice(0)) ex.dispose()
})

/** Renders any element inside an explorer's context. */
export function renderWith(explorer: Explorer, ui: React.ReactElement) {
  return render(<ExplorerContext.Provider value={explorer}>{ui}</ExplorerContext.Provider>)
}

/** The explorer on a fake cache, rendered, with the cache opened and listed. */
export async function renderExplorer(options: FakeCacheOptions & { open?: boolean } = {}) {
  const cache = fakeCache(options)
  const explorer = createExplorer(cache.transport, { pollMs: 20, now: () => NOW })
  mounted.push(explorer)
  const view = renderWith(explorer, <App />)
  await act(() => explorer.start())
  if (options.open !== false) {
    await act(() => explorer.app.getState().open('/data/cache'))
    await waitFor(() => expect(explorer.listing.getState().loading).toBe(false))
    await screen.findByTestId('key-table')
  }
  return { cache, explorer, view }
}

/** The keys of the table rows in the DOM, top to bottom. */
export function tableKeys(): string[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="key-table"] tr[data-key]')].map(
    (tr) => tr.dataset.key as string,
  )
}

/** Focuses the key table's rows as Tab would (their one tab stop) and returns that row. */
export function focusRows(): HTMLElement {
  const row = document.querySelector<HTMLElement>('[data-testid="key-table"] tr[tabindex="0"]')
  if (!row) throw new Error('the key table has no row in tab order')
  row.focus()
  return row
}
