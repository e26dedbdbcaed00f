// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import {
  CENTER_MIN,
  PANE_SIZES_KEY,
  SPLITTER_PX,
  defaultSizes,
  fitSizes,
  parseSizes,
} from '../../renderer/src/state/pane-sizes'
import { summarizeListing } from '../../renderer/src/ui/CacheSummary'
import { NOW, makeRow } from './fake-cache'
import { renderExplorer } from './render-explorer'

const pane = (el: Element | null) => el?.closest<HTMLElement>('[data-pane]')?.dataset.pane

describe('keyboard: panes, facets and the top bar', () => {
  it('F6 cycles sidebar, table and detail; Shift+F6 goes back', async () => {
    await renderExplorer()
    const f6 = (shiftKey = false) =>
      fireEvent.keyDown(document.activeElement ?? document.body, { key: 'F6', shiftKey })
    screen.getByRole('searchbox', { name: 'Search keys and metadata' }).focus()
    f6()
    expect(pane(document.activeElement)).toBe('sidebar')
    f6()
    expect(pane(document.activeElement)).toBe('table')
    // The table's entry is its rows' one tab stop.
    expect(document.activeElement?.matches('tr.key-row[tabindex="0"]')).toBe(true)
    f6()
    expect(document.activeElement).toBe(screen.getByTestId('detail-pane'))
    f6()
    expect(pane(document.activeElement)).toBe('sidebar')
    f6(true)
    expect(document.activeElement).toBe(screen.getByTestId('detail-pane'))
    f6(true)
    expect(pane(document.activeElement)).toBe('table')
  })

  it('the sidebar is one tab stop: arrows step through it, PageDown/PageUp jump facets', async () => {
    await renderExplorer()
    const sidebar = screen.getByRole('navigation', { name: 'Folders and facets' })
    const controls = [...sidebar.querySelectorAll<HTMLElement>('button, summary')]
    expect(controls.length).toBeGreaterThan(15)
    expect(controls.filter((c) => c.tabIndex === 0)).toEqual([controls[0]])
    const serializer = within(screen.getByRole('region', { name: 'Serializer facet' }))
    const age = within(screen.getByRole('region', { name: 'Age facet' }))
    const first = controls[0] as HTMLElement
    first.focus()
    const press = (key: string) => fireEvent.keyDown(document.activeElement as Element, { key })
    press('ArrowDown')
    expect(document.activeElement).toBe(controls[1])
    // The sidebar remembers where it was left: Tab comes back there.
    await waitFor(() => expect((controls[1] as HTMLElement).tabIndex).toBe(0))
    expect(first.tabIndex).toBe(-1)
    press('PageDown')
    expect(document.activeElement).toBe(serializer.getAllByRole('button')[0])
    press('ArrowDown')
    press('PageDown')
    expect(document.activeElement).toBe(age.getAllByRole('button')[0])
    press('PageUp')
    expect(document.activeElement).toBe(serializer.getAllByRole('button')[0])
    // The last control shown: the closed "fields with one value" disclosure's summary.
    press('End')
    expect(document.activeElement).toBe(sidebar.querySelector('details.more-fields > summary'))
    press('Home')
    expect(document.activeElement).toBe(first)
    press('ArrowUp')
    expect(document.activeElement).toBe(first)
  })

  it('splitters resize with the arrows, collapse with Enter, and the sizes are remembered', async () => {
    window.localStorage.removeItem(PANE_SIZES_KEY)
    await renderExplorer()
    const splitter = screen.getByRole('separator', { name: 'Sidebar width' })
    const before = Number(splitter.getAttribute('aria-valuenow'))
    fireEvent.keyDown(splitter, { key: 'ArrowRight' })
    fireEvent.keyDown(splitter, { key: 'ArrowRight', shiftKey: true })
    expect(Number(splitter.getAttribute('aria-valuenow'))).toBe(before + 16 + 64)
    const detail = screen.getByRole('separator', { name: 'Detail pane width' })
    const detailBefore = Number(detail.getAttribute('aria-valuenow'))
    // The detail pane is right of its splitter: ArrowLeft widens it.
    fireEvent.keyDown(detail, { key: 'ArrowLeft' })
    expect(Number(detail.getAttribute('aria-valuenow'))).toBe(detailBefore + 16)
    fireEvent.keyDown(detail, { key: 'Enter' })
    expect(detail.getAttribute('aria-valuenow')).toBe('0')
    expect((document.querySelector('[data-pane="detail"]') as HTMLElement).hidden).toBe(true)
    await waitFor(() =>
      expect(JSON.parse(window.localStorage.getItem(PANE_SIZES_KEY) ?? '{}')).toMatchObject({
        sidebar: before + 80,
        detail: detailBefore + 16,
        detailCollapsed: true,
      }),
    )
    // The sidebar's button toggles too (for the mouse); F6 skips a hidden pane.
    fireEvent.click(screen.getByRole('button', { name: 'Hide Sidebar' }))
    expect((document.querySelector('[data-pane="sidebar"]') as HTMLElement).hidden).toBe(true)
    screen.getByRole('searchbox', { name: 'Search keys and metadata' }).focus()
    fireEvent.keyDown(document.activeElement as Element, { key: 'F6' })
    expect(pane(document.activeElement)).toBe('table')
    window.localStorage.removeItem(PANE_SIZES_KEY)
  })

  it('the top bar says how many artifacts and bytes the cache holds, and their dates', async () => {
    await renderExplorer()
    const summary = screen.getByTestId('cache-summary')
    expect(summary.textContent).toMatch(/^8 artifacts.*B/)
    expect(summary.textContent).toMatch(/created .* ago – .* ago/)
  })
})

describe('pane sizes and the listing summary', () => {
  it('fits open side panes into narrow windows so the table keeps its width', () => {
    const wide = { sidebar: 500, detail: 900, sidebarCollapsed: false, detailCollapsed: false }
    const fit = fitSizes(wide, 1024)
    expect(fit.sidebar + fit.detail + 2 * SPLITTER_PX + CENTER_MIN).toBeLessThanOrEqual(1024)
    expect(fitSizes({ ...wide, detailCollapsed: true }, 1024).detail).toBe(0)
    expect(fitSizes(defaultSizes(1600), 1600)).toEqual({ sidebar: 240, detail: 440 })
  })

  it('reads stored sizes defensively', () => {
    const fallback = defaultSizes(1024)
    expect(parseSizes(null, fallback)).toEqual(fallback)
    expect(parseSizes('not json', fallback)).toEqual(fallback)
    expect(parseSizes('{"sidebar": "wide", "__proto__": {"x": 1}}', fallback)).toEqual(fallback)
    expect(parseSizes('{"sidebar": 99999, "detailCollapsed": true}', fallback)).toEqual({
      ...fallback,
      sidebar: 520,
      detailCollapsed: true,
    })
  })

  it('summarizes every row, undated ones counted but not dated', () => {
    const rows = [
      makeRow('a', { bytes: 10, createdMs: NOW - 5000 }),
      makeRow('b', { bytes: 32, createdMs: NOW - 1000 }),
      makeRow('c', { bytes: 1, createdMs: null }),
    ]
    expect(summarizeListing(rows)).toEqual({
      artifacts: 3,
      bytes: 43,
      oldestMs: NOW - 5000,
      newestMs: NOW - 1000,
    })
    expect(summarizeListing([])).toEqual({ artifacts: 0, bytes: 0, oldestMs: null, newestMs: null })
  })
})
