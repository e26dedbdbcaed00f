// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { NOW, makeRow, sampleRows } from './fake-cache'
import { renderExplorer, tableKeys } from './render-explorer'

const DAY = 86_400_000
const withAncient = () => [
  ...sampleRows(),
  makeRow('ancient/a', { bytes: 10, createdMs: NOW - 400 * DAY }),
  makeRow('ancient/b', { bytes: 20, createdMs: NOW - 800 * DAY }),
]
const search = () => screen.getByRole('searchbox', { name: 'Search keys and metadata' })
const chips = () => screen.getByRole('list', { name: 'Active filters' })

describe('filters: the search language, the date picker, sizes and chips', () => {
  it('older than a year, then "Delete all N matching", plans exactly those rows', async () => {
    const { cache } = await renderExplorer({ rows: withAncient() })
    fireEvent.click(screen.getByRole('button', { name: 'age: older than 1 year (2)' }))
    await waitFor(() => expect(tableKeys()).toEqual(['ancient/a', 'ancient/b']))
    expect(within(chips()).getByText('older than 1 year')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Delete all 2 matching…' }))
    const dialog = await screen.findByTestId('delete-dialog')
    await within(dialog).findByRole('table', { name: 'Delete plan' })
    expect(cache.transport.requests('delete.plan').at(-1)?.keys).toEqual(['ancient/a', 'ancient/b'])
  })

  it('filters by the clauses of the search box; each is a chip that removes it', async () => {
    await renderExplorer({ rows: withAncient() })
    fireEvent.change(search(), { target: { value: 'runs age>30d size<75B' } })
    await waitFor(() => expect(tableKeys()).toEqual(['runs/old/notes']))
    expect(within(chips()).getByText('age>30d')).toBeTruthy()
    expect(within(chips()).getByText('search: “runs”')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter size<75B' }))
    expect((search() as HTMLInputElement).value).toBe('runs age>30d')
    await waitFor(() => expect(tableKeys()).toEqual(['runs/old/notes', 'runs/old/scratch']))
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter search: “runs”' }))
    expect((search() as HTMLInputElement).value).toBe('age>30d')
    await waitFor(() => expect(tableKeys().length).toBe(4))
  })

  it('names a syntax error under the box and shows no row (so no "Delete all")', async () => {
    await renderExplorer()
    fireEvent.change(search(), { target: { value: 'size>100' } })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain(
      "'size>100' is not a valid filter: add a unit, e.g. '100MB'",
    )
    expect(search().getAttribute('aria-invalid')).toBe('true')
    await waitFor(() => expect(tableKeys()).toEqual([]))
    expect(screen.queryByRole('button', { name: /^Delete all/ })).toBeNull()
    fireEvent.change(search(), { target: { value: 'size>1KB' } })
    await waitFor(() => expect(tableKeys()).toEqual(['arrays/grid-i4', 'obs/hourly-2021.csv']))
    expect(screen.queryByRole('alert')).toBeNull()
    expect(screen.getByRole('button', { name: 'Delete all 2 matching…' })).toBeTruthy()
  })

  it('the date picker filters by UTC day, combines with facets, and clears', async () => {
    await renderExplorer({ rows: withAncient() })
    const after = screen.getByLabelText('Created after (UTC day)') as HTMLInputElement
    const before = screen.getByLabelText('Created before (UTC day)') as HTMLInputElement
    fireEvent.change(after, { target: { value: '2023-01-01' } })
    fireEvent.change(before, { target: { value: '2024-05-01' } })
    await waitFor(() =>
      expect(tableKeys()).toEqual(['ancient/a', 'runs/old/notes', 'runs/old/scratch']),
    )
    fireEvent.click(screen.getByRole('button', { name: 'experiment: old (2)' }))
    await waitFor(() => expect(tableKeys()).toEqual(['runs/old/notes', 'runs/old/scratch']))
    expect(within(chips()).getByText('created on or after 2023-01-01 (UTC)')).toBeTruthy()
    fireEvent.click(
      screen.getByRole('button', { name: 'Remove filter created before 2024-05-01 (UTC)' }),
    )
    expect(before.value).toBe('')
    fireEvent.click(screen.getByRole('button', { name: 'Clear created after' }))
    expect(after.value).toBe('')
    await waitFor(() => expect(tableKeys()).toEqual(['runs/old/notes', 'runs/old/scratch']))
    // the browser's own clear sets the field to ''
    fireEvent.change(after, { target: { value: '2024-04-01' } })
    await waitFor(() => expect(tableKeys()).toEqual(['runs/old/scratch']))
    fireEvent.change(after, { target: { value: '' } })
    await waitFor(() => expect(tableKeys().length).toBe(2))
  })

  it('size fields apply a valid size and explain an invalid one', async () => {
    await renderExplorer()
    const min = screen.getByLabelText('Size at least') as HTMLInputElement
    fireEvent.change(min, { target: { value: '1K' } })
    expect(screen.getByRole('alert').textContent).toContain("write the whole unit, e.g. '1KB'")
    expect(min.value).toBe('1K')
    expect(tableKeys().length).toBe(8)
    fireEvent.change(min, { target: { value: '1KB' } })
    await waitFor(() => expect(tableKeys()).toEqual(['arrays/grid-i4', 'obs/hourly-2021.csv']))
    fireEvent.change(screen.getByLabelText('Size at most'), { target: { value: '1.5 kB' } })
    await waitFor(() => expect(tableKeys()).toEqual(['arrays/grid-i4']))
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter size ≥ 1KB' }))
    expect(min.value).toBe('')
    await waitFor(() =>
      expect(tableKeys()).toEqual([
        'arrays/grid-i4',
        'arrays/sine-f8',
        'broken/thing',
        'runs/2022/config',
        'runs/old/notes',
        'runs/old/scratch',
        'stations.csv',
      ]),
    )
  })
})
