// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { listPage, makeRow } from './fake-cache'
import { focusRows, renderExplorer, tableKeys } from './render-explorer'

describe('key table', () => {
  it('shows the rows with serializer, age and size, broken rows marked with their error', async () => {
    await renderExplorer()
    expect(tableKeys()).toEqual([
      'arrays/grid-i4',
      'arrays/sine-f8',
      'broken/thing',
      'obs/hourly-2021.csv',
      'runs/2022/config',
      'runs/old/notes',
      'runs/old/scratch',
      'stations.csv',
    ])
    const stations = document.querySelector('tr[data-key="stations.csv"]') as HTMLElement
    expect(within(stations).getByText('pandas.csv')).toBeTruthy()
    expect(within(stations).getByText('295 B')).toBeTruthy()
    expect(within(stations).getByText('24 h ago')).toBeTruthy()
    const broken = document.querySelector('tr[data-key="broken/thing"]') as HTMLElement
    expect(broken.className).toContain('broken')
    expect(within(broken).getByText('broken')).toBeTruthy()
    expect(
      within(broken).getByText('The sidecar of broken/thing is not valid JSON (line 1).'),
    ).toBeTruthy()
    expect(screen.getByTestId('footer-summary').textContent).toBe(
      '8 artifacts, 62.8 KB payload shown',
    )
  })

  it('sorts by a header click, and flips on the second click', async () => {
    await renderExplorer()
    fireEvent.click(screen.getByRole('button', { name: /^size/ }))
    expect(tableKeys()[0]).toBe('obs/hourly-2021.csv')
    expect(screen.getByRole('columnheader', { name: /size/ }).getAttribute('aria-sort')).toBe(
      'descending',
    )
    fireEvent.click(screen.getByRole('button', { name: /^size/ }))
    expect(tableKeys()[0]).toBe('broken/thing')
    fireEvent.click(screen.getByRole('button', { name: /^created/ }))
    expect(tableKeys().slice(-3)).toEqual(['runs/old/scratch', 'runs/old/notes', 'broken/thing'])
  })

  it('selects with click, shift-click and ctrl-click, and offers the selection actions', async () => {
    await renderExplorer()
    const row = (k: string) => document.querySelector(`tr[data-key="${k}"]`) as HTMLElement
    fireEvent.click(row('arrays/grid-i4'))
    fireEvent.click(row('obs/hourly-2021.csv'), { shiftKey: true })
    fireEvent.click(row('stations.csv'), { ctrlKey: true })
    const selected = [...document.querySelectorAll('tr[aria-selected="true"]')].map(
      (r) => (r as HTMLElement).dataset.key,
    )
    expect(selected).toEqual([
      'arrays/grid-i4',
      'arrays/sine-f8',
      'broken/thing',
      'obs/hourly-2021.csv',
      'stations.csv',
    ])
    expect(screen.getByRole('button', { name: 'Delete 5 selected…' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Select all 8 matching' }))
    expect(screen.getByText('All 8 matching selected')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Delete all 8 matching…' })).toBeTruthy()
  })

  it('keyboard: arrows move the cursor and open the detail, Enter focuses it, Delete starts a delete', async () => {
    const { explorer } = await renderExplorer()
    const table = screen.getByTestId('key-table')
    fireEvent.keyDown(focusRows(), { key: 'ArrowDown' })
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown' })
    expect(explorer.selection.getState().current).toBe('arrays/sine-f8')
    // Roving focus: the cursor row has the focus and is the rows' one tab stop.
    expect(document.activeElement?.id).toBe('row-1')
    expect(table.querySelectorAll('tr[tabindex="0"]').length).toBe(1)
    await screen.findByRole('heading', { name: 'arrays/sine-f8' })
    fireEvent.keyDown(table, { key: 'Enter' })
    expect(document.activeElement).toBe(screen.getByTestId('detail-pane'))
    fireEvent.keyDown(table, { key: 'ArrowUp', shiftKey: false })
    fireEvent.keyDown(table, { key: 'ArrowDown', shiftKey: true })
    expect([...explorer.selection.getState().selected]).toEqual([
      'arrays/grid-i4',
      'arrays/sine-f8',
    ])
    fireEvent.keyDown(table, { key: 'Delete' })
    const dialog = await screen.findByTestId('delete-dialog')
    await within(dialog).findByText('Type', { exact: false })
    expect(within(dialog).getByRole('heading').textContent).toBe('Delete 2 artifacts?')
    fireEvent.keyDown(dialog, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByTestId('delete-dialog')).toBeNull())
  })

  it('Enter and Space on a column header sort and keep the focus there (regression)', async () => {
    const { explorer } = await renderExplorer()
    const header = () => screen.getByRole('columnheader', { name: /^size/ })
    const button = within(header()).getByRole('button', { name: /^size/ })
    button.focus()
    fireEvent.keyDown(button, { key: 'Enter' })
    // Before: the grid took the Enter, picked the first row and sent the focus to the detail.
    expect(header().getAttribute('aria-sort')).toBe('descending')
    expect(document.activeElement).toBe(button)
    expect(explorer.selection.getState().current).toBeNull()
    expect(tableKeys()[0]).toBe('obs/hourly-2021.csv')
    fireEvent.keyDown(button, { key: ' ' })
    expect(header().getAttribute('aria-sort')).toBe('ascending')
    expect(document.activeElement).toBe(button)
    expect(explorer.selection.getState().current).toBeNull()
  })

  it('puts the headers before the rows in tab order, and the rows are one tab stop', async () => {
    await renderExplorer()
    const table = screen.getByTestId('key-table')
    const tabbable = [...table.querySelectorAll<HTMLElement>('button, [tabindex]')].filter(
      (el) => el.tabIndex >= 0,
    )
    expect(tabbable.map((el) => el.tagName)).toEqual(['BUTTON', 'BUTTON', 'BUTTON', 'BUTTON', 'TR'])
    expect(table.hasAttribute('tabindex')).toBe(false)
  })

  it('adds a metadata field as a column and sorts by it', async () => {
    await renderExplorer()
    fireEvent.change(screen.getByRole('combobox', { name: 'Add a metadata column' }), {
      target: { value: 'experiment' },
    })
    expect(screen.getByRole('columnheader', { name: /experiment/ })).toBeTruthy()
    const header = screen.getByRole('columnheader', { name: /experiment/ })
    fireEvent.click(within(header).getByRole('button', { name: /^experiment/ }))
    expect(tableKeys().slice(0, 3)).toEqual(['arrays/grid-i4', 'runs/2022/config', 'stations.csv'])
    fireEvent.click(screen.getByRole('button', { name: 'Remove column experiment' }))
    expect(screen.queryByRole('columnheader', { name: /experiment/ })).toBeNull()
  })

  it('shows the first page of a 100,000-row cache at once, keeps filling, renders only a window', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) =>
      makeRow(`k/${String(i).padStart(6, '0')}`, { bytes: i }),
    )
    const { cache, explorer } = await renderExplorer({ rows, open: false })
    let release: () => void = () => {}
    const gate = new Promise<void>((r) => (release = r))
    const list = cache.transport
    list.handle('cache.list', async (req) => {
      if (Number(req.cursor ?? 0) > 0) await gate
      return listPage(rows, req)
    })
    await act(() => explorer.app.getState().open('/data/cache'))
    await screen.findByTestId('key-table')
    expect(tableKeys()[0]).toBe('k/000000')
    expect(screen.getByRole('status', { name: 'Listing progress' }).textContent).toMatch(
      /Listing 500 of 100,000/,
    )
    release()
    await waitFor(() => expect(explorer.listing.getState().loading).toBe(false))
    expect(screen.queryByRole('status', { name: 'Listing progress' })).toBeNull()
    const domRows = tableKeys()
    expect(domRows.length).toBeGreaterThan(5)
    expect(domRows.length).toBeLessThan(80)
    expect(screen.getByTestId('footer-summary').textContent).toMatch(/^100,000 artifacts/)
  })
})
