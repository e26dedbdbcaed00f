// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createCopyStore } from '../../renderer/src/state/copy-store'
import { fakeCache } from './fake-cache'
import { withFakeCopy } from './fake-copy'
import { renderExplorer, tableKeys } from './render-explorer'

const KEYS = ['stations.csv', 'runs/old/notes']

/** The explorer with two keys selected and Copy to… opened from the footer. */
async function openCopy(
  destinationKeys: string[] = ['runs/old/notes'],
  options: Parameters<typeof renderExplorer>[0] = {},
) {
  const rendered = await renderExplorer(options)
  const copy = withFakeCopy(rendered.cache, destinationKeys)
  const order = tableKeys()
  act(() => {
    rendered.explorer.selection.getState().click(KEYS[0] as string, order)
    rendered.explorer.selection.getState().click(KEYS[1] as string, order, { toggle: true })
  })
  fireEvent.click(await screen.findByRole('button', { name: 'Copy 2 to…' }))
  const dialog = await screen.findByTestId('copy-dialog')
  return { ...rendered, copy, dialog }
}

/** Types the destination and opens it; resolves when the plan table shows. */
async function planTo(dialog: HTMLElement, location = '/data/dest') {
  fireEvent.change(within(dialog).getByLabelText('Destination cache location'), {
    target: { value: location },
  })
  fireEvent.click(within(dialog).getByRole('button', { name: 'Open and plan' }))
  return within(dialog).findByRole('table', { name: 'Copy plan' })
}

describe('copy dialog', () => {
  it('shows the dry-run plan (action, reason, objects, bytes, what is skipped) before anything runs', async () => {
    const { dialog, cache } = await openCopy()
    const plan = await planTo(dialog)
    const runs = cache.transport.requests('copy.run')
    expect(runs.length).toBe(1)
    expect(runs[0]).toMatchObject({
      sourceCacheId: 'c:/data/cache',
      destinationCacheId: 'c:/data/dest',
      keys: KEYS,
      dryRun: true,
      onDuplicateKey: 'skip',
    })
    const rows = within(plan)
      .getAllByRole('row')
      .map((r) => r.textContent)
    expect(rows).toEqual([
      'keyactionwhyobjectsbytes',
      'stations.csvcopy1295 B',
      'runs/old/notesskipthe destination already has this key0 / 10 B',
    ])
    expect(dialog.textContent).toContain('1 artifact to copy, 1 object, 295 B to transfer')
    expect(dialog.textContent).toContain('Not copied: 1 skip')
    expect(within(dialog).getByRole('button', { name: 'Copy 1 artifact' })).toBeTruthy()
    expect(cache.transport.requests('cache.open').at(-1)).toMatchObject({ location: '/data/dest' })
  })

  it('sends the chosen duplicate policy, re-planning with it, and runs with it', async () => {
    const { dialog, cache, copy } = await openCopy()
    await planTo(dialog)
    fireEvent.change(within(dialog).getByLabelText('When a key is already there:'), {
      target: { value: 'raise_error' },
    })
    // raise_error with a key already there: the plan refuses it and the run is not offered.
    await within(dialog).findByText('refused')
    const refusedRun = within(dialog).getByRole('button', { name: 'Copy 1 artifact' })
    expect((refusedRun as HTMLButtonElement).disabled).toBe(true)
    expect(refusedRun.title).toBe('1 key already there: choose skip or overwrite above.')
    fireEvent.change(within(dialog).getByLabelText('When a key is already there:'), {
      target: { value: 'overwrite' },
    })
    await within(dialog).findByRole('button', { name: 'Copy 2 artifacts' })
    expect(cache.transport.requests('copy.run').at(-1)).toMatchObject({
      dryRun: true,
      onDuplicateKey: 'overwrite',
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy 2 artifacts' }))
    await waitFor(() =>
      expect(cache.transport.requests('copy.run').at(-1)).toMatchObject({
        dryRun: false,
        onDuplicateKey: 'overwrite',
        keys: KEYS,
      }),
    )
    const jobId = 'copy-4' // after three dry runs: skip, raise_error, overwrite
    await within(dialog).findByRole('progressbar', { name: 'Copy progress' })
    act(() => copy.advance(jobId))
    act(() => copy.advance(jobId))
    await within(dialog).findByText(/2 artifacts copied/)
    expect(dialog.textContent).toContain('0 skipped')
  })

  it('Cancel stops a running copy and the summary says what was copied', async () => {
    const { dialog, cache, copy } = await openCopy([])
    await planTo(dialog)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy 2 artifacts' }))
    await within(dialog).findByRole('progressbar', { name: 'Copy progress' })
    // Escape does not close a running copy.
    fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.queryByTestId('copy-dialog')).toBeTruthy()
    act(() => copy.advance('copy-2'))
    await within(dialog).findByText(/295 B of 365 B copied/)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await screen.findByText('Copy cancelled')
    expect(cache.transport.requests('job.cancel')).toEqual([{ jobId: 'copy-2' }])
    expect(screen.getByTestId('copy-dialog').textContent).toContain('1 artifact copied')
    expect(screen.getByTestId('copy-dialog').textContent).toContain('1 not copied')
    expect([...copy.destination]).toEqual(['stations.csv'])
  })

  it('Escape closes the dialog before a run, and nothing was copied', async () => {
    const { dialog, cache } = await openCopy()
    await planTo(dialog)
    fireEvent.keyDown(window, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByTestId('copy-dialog')).toBeNull())
    expect(cache.transport.requests('copy.run').every((r) => r.dryRun === true)).toBe(true)
    // The destination opened for the plan is released.
    expect(cache.transport.requests('cache.close')).toContainEqual({ cacheId: 'c:/data/dest' })
  })

  it('Enter in the destination field plans; Enter on the policy select never runs; the button does', async () => {
    const { dialog, cache } = await openCopy([])
    const input = within(dialog).getByLabelText('Destination cache location')
    fireEvent.change(input, { target: { value: '/data/dest' } })
    fireEvent.submit(input) // Enter in a form field submits its form
    await within(dialog).findByRole('table', { name: 'Copy plan' })
    const select = within(dialog).getByLabelText('When a key is already there:')
    fireEvent.keyDown(select, { key: 'Enter' })
    expect(select.closest('form')).toBeNull() // no form around it for Enter to submit
    expect(cache.transport.requests('copy.run').map((r) => r.dryRun)).toEqual([true])
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy 2 artifacts' }))
    await waitFor(() =>
      expect(cache.transport.requests('copy.run').map((r) => r.dryRun)).toEqual([true, false]),
    )
  })

  it('C in the key table opens Copy to… for the selection', async () => {
    const { explorer } = await renderExplorer()
    act(() => explorer.selection.getState().selectOnly('stations.csv'))
    fireEvent.keyDown(screen.getByTestId('key-table'), { key: 'c' })
    const dialog = await screen.findByTestId('copy-dialog')
    expect(within(dialog).getByRole('heading').textContent).toBe('Copy 1 artifact to…')
    expect(explorer.copy.getState().keys).toEqual(['stations.csv'])
  })

  it('refuses the source cache as the destination', async () => {
    const { dialog, cache } = await openCopy()
    fireEvent.change(within(dialog).getByLabelText('Destination cache location'), {
      target: { value: '/data/cache' },
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Open and plan' }))
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'the cache the artifacts come from',
    )
    expect(cache.transport.requests('copy.run')).toEqual([])
  })
})

// The destination form is the Open form's state (storage-form-slice): secrets leave the
// renderer after the open, and the ones the main side keeps show as kept.
describe('copy dialog destination credentials', () => {
  const CLOUD = { protocols: ['file', 's3', 'gs', 'gcs'] }
  const SA_PATH = '/keys/never-kept-in-renderer-sa.json'

  it('forgets the service-account path after the open and shows it as kept', async () => {
    const { dialog, cache, explorer } = await openCopy(['runs/old/notes'], CLOUD)
    fireEvent.change(within(dialog).getByLabelText('Destination cache location'), {
      target: { value: 'gs://dest/cache' },
    })
    fireEvent.change(within(dialog).getByLabelText('Credentials'), {
      target: { value: 'service_account' },
    })
    fireEvent.change(within(dialog).getByLabelText('Service-account JSON file'), {
      target: { value: SA_PATH },
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Open and plan' }))
    await within(dialog).findByRole('table', { name: 'Copy plan' })
    expect(cache.transport.requests('cache.open').at(-1)).toEqual({
      location: 'gs://dest/cache',
      readonly: false,
      storageOptions: { token: SA_PATH },
    })
    expect(JSON.stringify(explorer.copy.getState())).not.toContain(SA_PATH)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Another destination' }))
    const file = within(dialog).getByLabelText('Service-account JSON file') as HTMLInputElement
    expect(file.value).toBe('')
    expect(file.placeholder).toBe('(kept this session)')
    expect(within(dialog).getByText(/kept by xpersist for this session only/)).toBeTruthy()
    // Planning again sends the settings only: the main side adds what it keeps.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Open and plan' }))
    await within(dialog).findByRole('table', { name: 'Copy plan' })
    expect(cache.transport.requests('cache.open').at(-1)).toEqual({
      location: 'gs://dest/cache',
      readonly: false,
      storageOptions: {},
    })
  })

  it('shows keys the Open form gave for a location as kept, and forgets typed ones on close', async () => {
    const { dialog, explorer } = await openCopy(['runs/old/notes'], CLOUD)
    act(() => explorer.app.getState().keptSecretsFlags.add('s3://kept/cache'))
    fireEvent.change(within(dialog).getByLabelText('Destination cache location'), {
      target: { value: 's3://kept/cache' },
    })
    fireEvent.change(within(dialog).getByLabelText('Credentials'), { target: { value: 'keys' } })
    expect(
      (within(dialog).getByLabelText('Secret access key') as HTMLInputElement).placeholder,
    ).toBe('(kept this session)')
    expect(within(dialog).getByText(/kept by xpersist for this session only/)).toBeTruthy()
    fireEvent.change(within(dialog).getByLabelText('Destination cache location'), {
      target: { value: 's3://other/cache' },
    })
    expect(within(dialog).queryByText(/kept by xpersist for this session only/)).toBeNull()
    fireEvent.change(within(dialog).getByLabelText('Secret access key'), {
      target: { value: 'typed-never-sent-SECRET' },
    })
    act(() => explorer.copy.getState().close())
    expect(JSON.stringify(explorer.copy.getState())).not.toContain('typed-never-sent-SECRET')
  })
})

describe('copy store', () => {
  it('a read-only destination is refused before any plan', async () => {
    const cache = fakeCache({ readonly: true, readonlyReason: 'no write permission' })
    withFakeCopy(cache, [])
    const store = createCopyStore(cache.transport, { pollMs: 10 })
    store.getState().begin('c:/data/cache', '/data/cache', ['stations.csv'])
    store.getState().setLocation('/data/ro')
    await store.getState().openDestination()
    expect(store.getState().openError).toContain('/data/ro is read-only (no write permission)')
    expect(cache.transport.requests('copy.run')).toEqual([])
    store.getState().close()
  })
})
