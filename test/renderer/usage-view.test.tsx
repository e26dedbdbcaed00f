// @vitest-environment jsdom
// The usage view (issue 10): opened from the top bar, it shows the shown rows' bytes, and
// clicking a part filters the table by the filter that part stands for, then returns to it.
import { act, fireEvent, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderExplorer, tableKeys } from './render-explorer'

async function openUsage() {
  const opened = await renderExplorer()
  fireEvent.click(screen.getByRole('button', { name: 'Usage' }))
  await screen.findByTestId('usage-view')
  return opened
}

function part(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="usage-part"][data-id="${id}"]`)
  if (!el) throw new Error(`no part ${id}`)
  return el
}

describe('usage view', () => {
  it('names each part with its bytes and count, and says what the sizes count', async () => {
    await openUsage()
    // The panes are hidden, not unmounted: Back returns to the same scroll and selection.
    expect(screen.getByTestId('key-table').closest<HTMLElement>('.panes')?.hidden).toBe(true)
    expect(part('runs/').getAttribute('aria-label')).toBe(
      'runs/: 400 B payload + 540 B sidecar, 24.6 KB on disk, 3 artifacts. Show in the table.',
    )
    expect(screen.getByTestId('usage-totals').textContent).toMatch(
      /^8 artifacts: 62\.8 KB payload, 1\.4 KB sidecars, .* on disk$/,
    )
    expect(screen.getByTestId('usage-legend').textContent).toMatch(/Allocated on disk/)
    expect(within(screen.getByTestId('usage-largest')).getAllByRole('button')[0]?.textContent).toBe(
      'obs/hourly-2021.csv',
    )
  })

  it('clicking a folder part sets the folder filter and returns to the table', async () => {
    const { explorer } = await openUsage()
    fireEvent.click(part('runs/'))
    expect(explorer.view.getState().filters.prefix).toBe('runs/')
    expect(screen.queryByTestId('usage-view')).toBeNull()
    expect(tableKeys().sort()).toEqual(['runs/2022/config', 'runs/old/notes', 'runs/old/scratch'])
  })

  it('reflects the filters, and looks inside a folder with its ▸', async () => {
    const { explorer } = await renderExplorer()
    act(() => explorer.view.getState().setPrefix('runs/'))
    fireEvent.click(screen.getByRole('button', { name: 'Usage' }))
    await screen.findByTestId('usage-view')
    const ids = [...document.querySelectorAll('[data-testid="usage-part"]')].map(
      (e) => (e as HTMLElement).dataset.id,
    )
    expect(ids.sort()).toEqual(['runs/2022/', 'runs/old/'])
    fireEvent.click(screen.getByRole('button', { name: 'Look inside runs/old/' }))
    fireEvent.click(part('runs/old/scratch'))
    // A key at this level selects it (the folder filter stays as it was).
    expect(explorer.selection.getState().current).toBe('runs/old/scratch')
    expect(explorer.view.getState().filters.prefix).toBe('runs/')
  })

  it('by serializer and by field, a part sets exactly that facet', async () => {
    const { explorer } = await openUsage()
    const select = screen.getByRole('combobox', { name: /Group by/ })
    fireEvent.change(select, { target: { value: 'serializer' } })
    fireEvent.click(part('pandas.csv'))
    expect(explorer.view.getState().filters.serializers).toEqual(['pandas.csv'])
    fireEvent.click(screen.getByRole('button', { name: 'Usage' }))
    fireEvent.change(screen.getByRole('combobox', { name: /Group by/ }), {
      target: { value: 'field:experiment' },
    })
    fireEvent.click(part('obs'))
    expect(explorer.view.getState().filters.facets.get('experiment')).toEqual(['obs'])
    expect(tableKeys()).toEqual(['obs/hourly-2021.csv'])
  })

  it('a month bar adds created=YYYY-MM to the search; a largest artifact is selected', async () => {
    const { explorer } = await openUsage()
    const bar = screen.getByRole('button', { name: /^2024-05: .*5 artifacts/ })
    fireEvent.click(bar)
    expect(explorer.view.getState().filters.text).toBe('created=2024-05')
    act(() => explorer.view.getState().setText(''))
    fireEvent.click(screen.getByRole('button', { name: 'Usage' }))
    fireEvent.click(within(screen.getByTestId('usage-largest')).getByText('stations.csv'))
    expect(explorer.selection.getState().current).toBe('stations.csv')
    expect(screen.queryByTestId('usage-view')).toBeNull()
  })

  it('Escape and Back return to the table as it was', async () => {
    const { explorer } = await openUsage()
    fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.queryByTestId('usage-view')).toBeNull()
    expect(screen.getByTestId('key-table')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Usage' }))
    fireEvent.click(screen.getByRole('button', { name: /Back/ }))
    expect(explorer.usage.getState().open).toBe(false)
    expect(explorer.view.getState().filters.prefix).toBe('')
  })
})
