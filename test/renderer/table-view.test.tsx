// @vitest-environment jsdom
// The full table view: opened from the table preview (button or T), Escape/Back returns with
// the selection kept; exact cells as pandas prints them; sort, filter, search, group-count
// run over the whole table as jobs (progress, Cancel, errors); copy; export saves the handle.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { serveFakeTables, type FakeTable } from '../../renderer/src/ipc/fake-tables'
import { IpcError } from '../../renderer/src/ipc/transport'
import { makeRow, sampleRows } from './fake-cache'
import { renderExplorer } from './render-explorer'

const KEY = 'obs/big.parquet'
const ROWS = 250

function bigTable(countLater = false): FakeTable {
  return {
    countLater,
    summaries: {
      id: { source: 'file', nullCount: 0, min: 0, max: 249 },
      temp: { source: 'page', nullCount: 1, min: 10, max: 34.75 },
    },
    columns: [
      { name: 'id', type: 'int64' },
      { name: 'big', type: 'int64' },
      { name: 'price', type: 'decimal128(10, 2)' },
      { name: 'day', type: 'datetime' },
      { name: 'on', type: 'date' },
      { name: 'n', type: 'int64' },
      { name: 'name', type: 'string' },
      { name: 'temp', type: 'float64' },
      { name: 'ok', type: 'bool' },
    ],
    rows: Array.from({ length: ROWS }, (_, i) => [
      i,
      i === 0 ? '9007199254740993' : i,
      `${i}.05`,
      i === 1 ? null : `2021-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00`,
      i === 2 ? null : '2021-03-04',
      i === 3 ? null : i * 2,
      i === 4 ? null : `site-${i % 3}`,
      i === 5 ? null : i === 6 ? 21 : 10 + i / 4,
      i === 7 ? null : i % 2 === 0,
    ]),
  }
}

let writeText: ReturnType<typeof vi.fn>
beforeEach(() => {
  writeText = vi.fn(() => Promise.resolve())
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
})
afterEach(() => {
  Reflect.deleteProperty(navigator, 'clipboard')
})

async function setup(options: { countLater?: boolean; noQuery?: boolean } = {}) {
  const rows = [...sampleRows(), makeRow(KEY, { serializer: 'pandas.parquet', bytes: 9_000 })]
  const r = await renderExplorer({ rows })
  const tables = serveFakeTables(r.cache.transport, new Map([[KEY, bigTable(options.countLater)]]))
  if (options.noQuery) {
    r.cache.transport.handle('table.query', () => {
      throw new IpcError(
        'NOT_SUPPORTED',
        'Sorting, filtering and exporting whole tables is not available yet.',
      )
    })
  }
  fireEvent.click(document.querySelector(`tr[data-key="${KEY}"]`) as HTMLElement)
  await screen.findByTestId('preview-table')
  return { ...r, tables }
}

async function openView() {
  fireEvent.click(screen.getByRole('button', { name: /Open table/ }))
  return screen.findByTestId('table-view')
}

const status = () => screen.getByTestId('table-view-status').textContent
const header = (name: string) =>
  screen.getByRole('button', { name: new RegExp(`^${name}`) }).closest('th')!.textContent
const firstRowCells = () =>
  [
    ...document.querySelectorAll('[data-testid="table-view-grid"] tbody tr[data-row]'),
  ][0]!.querySelectorAll('td')

describe('the full table view', () => {
  it('opens full width from the preview and by T, and Escape or Back returns with the selection', async () => {
    const { explorer } = await setup()
    await openView()
    expect(document.querySelector('.panes')?.hasAttribute('hidden')).toBe(true)
    fireEvent.keyDown(window, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByTestId('table-view')).toBeNull())
    expect(document.querySelector('.panes')?.hasAttribute('hidden')).toBe(false)
    expect(explorer.selection.getState().current).toBe(KEY)
    fireEvent.keyDown(document.body, { key: 't' })
    await screen.findByTestId('table-view')
    fireEvent.click(screen.getByRole('button', { name: /Back/ }))
    await waitFor(() => expect(screen.queryByTestId('table-view')).toBeNull())
    expect(screen.getByRole('heading', { name: KEY })).toBeTruthy()
  })

  it('shows exact cells as pandas prints them, and column summaries labelled by source', async () => {
    await setup()
    const view = await openView()
    const cells = (row: number) =>
      [...view.querySelectorAll(`tbody tr[data-row="${row}"] td`)].map((td) => td.textContent)
    expect(cells(0).slice(0, 3)).toEqual(['0', '9007199254740993', '0.05'])
    // a column of midnights reads as dates; date32 without a time
    expect(cells(0)[3]).toBe('2021-01-01')
    expect(cells(0)[4]).toBe('2021-03-04')
    expect(cells(1)[3]).toBe('NaT')
    expect(cells(2)[4]).toBe('None')
    expect(cells(3)[5]).toBe('<NA>')
    expect(cells(4)[6]).toBe('None')
    expect(cells(5)[7]).toBe('NaN')
    expect(cells(6)[7]).toBe('21.0')
    expect(cells(7)[8]).toBe('<NA>')
    expect(view.querySelector('tbody tr[data-row="0"] td')?.className).toContain('num')
    expect(status()).toBe('Rows 1–100 of 250')
    expect(header('id')).toMatch(/whole file.*nulls 0.*min 0.*max 249/)
    expect(header('temp')).toMatch(/this page.*nulls 1.*min 10\.0.*max 34\.75/)
  })

  it('keeps whole-file summaries on a sorted page, not page ones; a CSV total stays known', async () => {
    const { tables } = await setup({ countLater: true })
    await openView()
    await waitFor(() => expect(status()).toBe('Rows 1–100 of 250'))
    fireEvent.click(screen.getByRole('button', { name: /^temp/ }))
    act(() => tables.finishAll())
    await waitFor(() => expect(screen.getByTestId('table-view-matched')).toBeTruthy())
    await waitFor(() => expect(firstRowCells()[7]!.textContent).toBe('10.0'))
    expect(header('id')).toMatch(/whole file/)
    expect(header('temp')).not.toMatch(/this page/)
    fireEvent.click(screen.getByRole('button', { name: 'Clear sort, filters and search' }))
    await waitFor(() => expect(screen.queryByTestId('table-view-matched')).toBeNull())
    await waitFor(() => expect(status()).toBe('Rows 1–100 of 250'))
  })

  it('pages to the last page and to a typed row; a CSV count resolves', async () => {
    await setup({ countLater: true })
    await openView()
    await waitFor(() => expect(status()).toBe('Rows 1–100 of 250'))
    fireEvent.click(screen.getByRole('button', { name: 'Last »' }))
    await waitFor(() => expect(status()).toBe('Rows 201–250 of 250'))
    fireEvent.change(screen.getByLabelText('Go to row'), { target: { value: '120' } })
    fireEvent.submit(screen.getByLabelText('Go to row').closest('form')!)
    await waitFor(() => expect(status()).toBe('Rows 120–219 of 250'))
    expect(firstRowCells()[0]!.textContent).toBe('119')
  })

  it('a header click sorts the whole table as a job with progress; shift-click adds a column', async () => {
    const { cache, tables } = await setup()
    await openView()
    fireEvent.click(screen.getByRole('button', { name: /^temp/ }))
    await waitFor(() => expect(cache.transport.requests('table.query')).toHaveLength(1))
    expect(cache.transport.requests('table.query')[0]!.query).toEqual({
      sort: [{ column: 'temp', descending: false }],
      filters: [],
      search: '',
      groupBy: null,
    })
    await screen.findByTestId('table-view-job')
    act(() => tables.advance())
    await waitFor(() =>
      expect(screen.getByTestId('table-view-job').textContent).toContain('63 of 250 rows'),
    )
    act(() => tables.finishAll())
    await waitFor(() => expect(screen.queryByTestId('table-view-job')).toBeNull())
    await waitFor(() => expect(firstRowCells()[7]!.textContent).toBe('10.0'))
    // 21 sorts among the others; the missing one last
    fireEvent.click(screen.getByRole('button', { name: /^id/ }), { shiftKey: true })
    await waitFor(() => expect(cache.transport.requests('table.query')).toHaveLength(2))
    expect(cache.transport.requests('table.query')[1]!.query.sort).toEqual([
      { column: 'temp', descending: false },
      { column: 'id', descending: false },
    ])
  })

  it('filters by a typed condition and searches; Clear returns to the plain table', async () => {
    const { cache, tables } = await setup()
    await openView()
    fireEvent.change(screen.getByLabelText('Filter column'), { target: { value: 'id' } })
    fireEvent.change(screen.getByLabelText('Condition'), { target: { value: 'gt' } })
    fireEvent.change(screen.getByLabelText('Filter value'), { target: { value: 'x' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add filter' }))
    expect(screen.getByRole('alert').textContent).toContain('int64')
    fireEvent.change(screen.getByLabelText('Filter value'), { target: { value: '240' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add filter' }))
    await waitFor(() => expect(cache.transport.requests('table.query')).toHaveLength(1))
    expect(cache.transport.requests('table.query')[0]!.query.filters).toEqual([
      { column: 'id', op: 'gt', value: 240 },
    ])
    act(() => tables.finishAll())
    await waitFor(() => expect(status()).toBe('Rows 1–9 of 9'))
    expect(screen.getByTestId('table-view-matched').textContent).toBe('9 of 250 rows match')
    fireEvent.change(screen.getByLabelText('Search all columns'), { target: { value: 'SITE-1' } })
    fireEvent.click(screen.getByRole('button', { name: 'Search' }))
    await waitFor(() => expect(cache.transport.requests('table.query')).toHaveLength(2))
    expect(cache.transport.requests('table.query')[1]!.query.search).toBe('SITE-1')
    act(() => tables.finishAll())
    // ids 241..249 whose id % 3 === 1: 241, 244, 247
    await waitFor(() => expect(status()).toBe('Rows 1–3 of 3'))
    fireEvent.click(screen.getByRole('button', { name: 'Clear sort, filters and search' }))
    await waitFor(() => expect(status()).toBe('Rows 1–100 of 250'))
    expect(screen.queryByTestId('table-view-matched')).toBeNull()
  })

  it('counts rows by a column', async () => {
    const { cache, tables } = await setup()
    await openView()
    fireEvent.change(screen.getByLabelText('Count rows by'), { target: { value: 'name' } })
    await waitFor(() => expect(cache.transport.requests('table.query')).toHaveLength(1))
    act(() => tables.finishAll())
    const groups = await screen.findByTestId('table-view-groups')
    const rows = [...groups.querySelectorAll('tbody tr')].map((tr) => tr.textContent)
    // 250 ids: 84 with id % 3 === 0, 83 with 1 (one of them, id 4, missing), 83 with 2
    expect(rows).toEqual(['site-084', 'site-283', 'site-182', 'None1'])
  })

  it('Cancel stops a running query and keeps the rows shown; an unsupported query says so', async () => {
    const { cache } = await setup()
    await openView()
    fireEvent.click(screen.getByRole('button', { name: /^id/ }))
    await screen.findByTestId('table-view-job')
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByTestId('table-view-job')).toBeNull())
    expect(cache.transport.requests('job.cancel')).toHaveLength(1)
    expect(screen.getByTestId('table-view-notice').textContent).toContain('Cancelled')
    expect(status()).toBe('Rows 1–100 of 250')
    expect(screen.queryByLabelText(/sorted/)).toBeNull()
  })

  it('a channel that refuses reads as an error in the user terms', async () => {
    await setup({ noQuery: true })
    await openView()
    fireEvent.click(screen.getByRole('button', { name: /^id/ }))
    expect((await screen.findByText(/Could not sort or filter/)).textContent).toContain(
      `${KEY}: Sorting, filtering and exporting whole tables is not available yet.`,
    )
    expect(status()).toBe('Rows 1–100 of 250')
  })

  it('copies a cell by Ctrl+C (arrows move), a row and a column by the context menu', async () => {
    await setup()
    const view = await openView()
    const grid = within(view).getByTestId('table-view-grid')
    grid.focus()
    fireEvent.keyDown(grid, { key: 'ArrowRight' })
    fireEvent.keyDown(grid, { key: 'c', ctrlKey: true })
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith('9007199254740993'))
    fireEvent.keyDown(grid, { key: 'ArrowDown' })
    fireEvent.keyDown(grid, { key: 'ArrowRight' })
    fireEvent.keyDown(grid, { key: 'ArrowRight' })
    fireEvent.keyDown(grid, { key: 'c', ctrlKey: true })
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith('NaT'))
    const cell = view.querySelector('tbody tr[data-row="4"] td') as HTMLElement
    fireEvent.contextMenu(cell)
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy row' }))
    await waitFor(() =>
      expect(writeText).toHaveBeenLastCalledWith(
        ['4', '4', '4.05', '2021-01-05', '2021-03-04', '8', 'None', '11.0', 'True'].join('\t'),
      ),
    )
    fireEvent.contextMenu(cell)
    fireEvent.click(screen.getByRole('menuitem', { name: /Copy column \(first 10,000 values\)/ }))
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(4))
    const column = (writeText.mock.calls.at(-1) as [string])[0].split('\n')
    expect(column).toHaveLength(ROWS)
    expect(column.slice(0, 3)).toEqual(['0', '1', '2'])
    expect(screen.getByTestId('table-view-notice').textContent).toBe('Copied 250 values of id.')
    // the keyboard reaches the menu too: Shift+F10, arrows, Enter
    grid.focus()
    fireEvent.keyDown(grid, { key: 'F10', shiftKey: true })
    const menu = await screen.findByRole('menu')
    expect(document.activeElement?.textContent).toBe('Copy cell')
    fireEvent.keyDown(menu, { key: 'ArrowDown' })
    expect(document.activeElement?.textContent).toBe('Copy row')
    fireEvent.click(document.activeElement!)
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(5))
    expect((writeText.mock.calls.at(-1) as [string])[0]).toMatch(/^4\t4\t4\.05\t/)
  })

  it('exports what the view shows and saves it through the transport', async () => {
    const { cache, tables } = await setup()
    await openView()
    fireEvent.click(screen.getByRole('button', { name: /^id/ }))
    act(() => tables.finishAll())
    await waitFor(() => expect(screen.queryByTestId('table-view-job')).toBeNull())
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await waitFor(() => expect(cache.transport.requests('table.export')).toHaveLength(1))
    expect(cache.transport.requests('table.export')[0]).toMatchObject({
      key: KEY,
      format: 'csv',
      query: { sort: [{ column: 'id', descending: false }] },
    })
    act(() => tables.finishAll())
    await waitFor(() => expect(cache.transport.savedExports).toHaveLength(1))
    expect(cache.transport.savedExports[0]!.name).toBe('big.view.csv')
    await waitFor(() =>
      expect(screen.getByTestId('table-view-notice').textContent).toBe(
        'Exported 250 rows to /saved/big.view.csv.',
      ),
    )
  })
})
