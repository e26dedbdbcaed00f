// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderExplorer } from './render-explorer'

async function openCleanup(options: Parameters<typeof renderExplorer>[0] = {}) {
  const rendered = await renderExplorer(options)
  fireEvent.click(screen.getByRole('button', { name: 'Clean up…' }))
  const dialog = await screen.findByTestId('cleanup-dialog')
  return { ...rendered, dialog }
}

const count = () => screen.getByTestId('cleanup-count').textContent ?? ''

describe('Clean up dialog', () => {
  it('counts live as rules are typed, and Review plan opens the delete plan of those keys', async () => {
    const { dialog, cache } = await openCleanup()
    expect(count()).toMatch(/Set a rule/)
    fireEvent.change(within(dialog).getByLabelText('Older than'), { target: { value: '30d' } })
    // runs/old/scratch (45 days) and runs/old/notes (120 days), payload + 200 B sidecars.
    await waitFor(() => expect(count()).toMatch(/^2 artifacts, 550 B would be deleted/))
    fireEvent.change(within(dialog).getByLabelText('Metadata field 1'), {
      target: { value: 'experiment' },
    })
    fireEvent.change(within(dialog).getByLabelText('Metadata value 1'), {
      target: { value: 'old' },
    })
    fireEvent.change(within(dialog).getByLabelText('Older than'), { target: { value: '90d' } })
    await waitFor(() => expect(count()).toMatch(/^1 artifact, 270 B would be deleted/))
    expect(dialog.textContent).toContain('Older than 90d: 1 left')
    expect(dialog.textContent).toContain('Metadata experiment=old: 1 left')
    // The last plan was asked with the rules as typed, reusing the first listing.
    const plans = cache.transport.requests('prune.plan')
    expect(plans[0]?.fresh).toBe(true)
    expect(plans.at(-1)).toMatchObject({
      fresh: false,
      rules: { olderThan: '90d', where: [{ field: 'experiment', value: 'old' }] },
    })

    fireEvent.click(within(dialog).getByRole('button', { name: 'Review plan…' }))
    const del = await screen.findByTestId('delete-dialog')
    await within(del).findByRole('table', { name: 'Delete plan' })
    expect(within(del).getByRole('heading').textContent).toBe('Delete 1 artifact?')
    expect(cache.transport.requests('prune.plan').at(-1)).toMatchObject({
      fresh: true,
      keys: 'all',
    })
    expect(cache.transport.requests('delete.plan')).toMatchObject([{ keys: ['runs/old/notes'] }])
    expect(screen.queryByTestId('cleanup-dialog')).toBeNull()
  })

  it('says what is wrong beside the field and asks for no plan until it is right', async () => {
    const { dialog, cache } = await openCleanup()
    const field = within(dialog).getByLabelText('Older than')
    fireEvent.change(field, { target: { value: '6m' } })
    expect(
      within(dialog).getByText(/Older than takes a duration such as 365d, not '6m'/),
    ).toBeTruthy()
    expect(field.getAttribute('aria-invalid')).toBe('true')
    const review = within(dialog).getByRole('button', { name: 'Review plan…' }) as HTMLButtonElement
    expect(review.disabled).toBe(true)
    expect(review.title).toBe('Fix the rules marked above first.')
    expect(count()).toBe('Fix the rule marked above to count again.')
    await new Promise((r) => setTimeout(r, 400))
    expect(cache.transport.requests('prune.plan')).toEqual([])
  })

  it('Enter in a field deletes nothing; Escape closes', async () => {
    const { dialog, cache } = await openCleanup()
    const field = within(dialog).getByLabelText('Keep the cache under')
    fireEvent.change(within(dialog).getByLabelText('Key prefix'), { target: { value: 'runs/' } })
    fireEvent.submit(field)
    fireEvent.keyDown(field, { key: 'Enter' })
    await waitFor(() => expect(count()).toMatch(/^3 artifacts/))
    expect(cache.transport.requests('delete.plan')).toEqual([])
    expect(screen.queryByTestId('delete-dialog')).toBeNull()
    fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.queryByTestId('cleanup-dialog')).toBeNull()
  })

  it('saves a named rule set for the cache and loads it back', async () => {
    const { dialog, cache, explorer } = await openCleanup()
    fireEvent.change(within(dialog).getByLabelText('Older than'), { target: { value: '365d' } })
    fireEvent.change(within(dialog).getByLabelText('Keep the last'), { target: { value: '3' } })
    fireEvent.change(within(dialog).getByLabelText('per field'), {
      target: { value: 'experiment' },
    })
    fireEvent.change(within(dialog).getByLabelText('Rule set name'), {
      target: { value: '__proto__' },
    })
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    })
    expect(cache.transport.requests('rules.save')).toMatchObject([
      {
        name: '__proto__',
        rules: { olderThan: '365d', keepLast: '3', per: 'experiment' },
      },
    ])
    act(() => explorer.cleanup.getState().setRules({ olderThan: '', keepLast: '', per: '' }))
    fireEvent.change(within(dialog).getByLabelText('Saved rules'), {
      target: { value: '__proto__' },
    })
    expect((within(dialog).getByLabelText('Keep the last') as HTMLInputElement).value).toBe('3')
    expect(within(dialog).getByRole('button', { name: 'Replace' })).toBeTruthy()
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Delete saved' }))
    })
    expect(cache.transport.requests('rules.delete')).toMatchObject([{ name: '__proto__' }])
  })

  it('is disabled with the reason on a read-only cache', async () => {
    await renderExplorer({ readonly: true })
    const button = screen.getByRole('button', { name: 'Clean up…' }) as HTMLButtonElement
    expect(button.disabled).toBe(true)
    expect(button.title).toMatch(/read-only/)
  })
})
