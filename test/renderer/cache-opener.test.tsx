// @vitest-environment jsdom
// The open form for s3:// and gs:// caches (issue 9, Explorer): fields per protocol, labels,
// Enter opens, a sane Tab order, secrets sent once and then forgotten, recents that bring back
// only the non-secret settings, errors pointing at the field to fix, listing progress.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { IpcError } from '../../renderer/src/ipc/transport'
import { listingProgressText } from '../../renderer/src/ui/ListingProgress'
import { renderExplorer } from './render-explorer'

const SECRET = 'secret-typed-in-the-form'
const S3_RECENT = {
  location: 's3://team-bucket/cache',
  readonly: false,
  options: { endpoint_url: 'http://127.0.0.1:9000', client_kwargs: { region_name: 'eu-west-1' } },
  secretsNeeded: true,
}

async function opener(recent: unknown[] = []) {
  const rendered = await renderExplorer({ open: false, protocols: ['file', 's3', 'gs', 'gcs'] })
  const t = rendered.cache.transport
  const info = t.handler('app.info')
  t.handle('app.info', async (req) => ({ ...(await info!(req)), recent }) as never)
  await act(() => rendered.explorer.app.getState().init())
  const form = screen.getByRole('form', { name: 'Open a cache' })
  const type = (location: string) =>
    fireEvent.change(within(form).getByLabelText('Cache location'), {
      target: { value: location },
    })
  return { ...rendered, form, type, t }
}

const fields = () => screen.queryByRole('group', { name: 'Storage options' })

describe('the open form for object stores', () => {
  it('shows the fields of each protocol, and none for a local folder', async () => {
    const { type } = await opener()
    type('/data/cache')
    expect(fields()).toBeNull()

    type('s3://bucket/prefix')
    const s3 = within(fields()!)
    expect(s3.getByLabelText('Endpoint URL')).toBeTruthy()
    expect(s3.getByLabelText('Region')).toBeTruthy()
    expect(s3.queryByLabelText('Project')).toBeNull()
    const auth = s3.getByLabelText('Credentials') as HTMLSelectElement
    expect([...auth.options].map((o) => o.value)).toEqual(['default', 'profile', 'keys', 'anon'])
    fireEvent.change(auth, { target: { value: 'keys' } })
    expect((s3.getByLabelText('Secret access key') as HTMLInputElement).type).toBe('password')
    expect((s3.getByLabelText('Session token') as HTMLInputElement).type).toBe('password')
    fireEvent.change(auth, { target: { value: 'profile' } })
    expect(s3.getByLabelText('Profile')).toBeTruthy()
    expect(s3.queryByLabelText('Secret access key')).toBeNull()

    type('gs://bucket/prefix')
    const gs = within(fields()!)
    expect(gs.getByLabelText('Project')).toBeTruthy()
    expect(gs.queryByLabelText('Region')).toBeNull()
    const gauth = gs.getByLabelText('Credentials') as HTMLSelectElement
    expect([...gauth.options].map((o) => o.value)).toEqual([
      'google_default',
      'service_account',
      'anon',
    ])
    fireEvent.change(gauth, { target: { value: 'service_account' } })
    expect(gs.getByLabelText('Service-account JSON file')).toBeTruthy()
  })

  it('labels every control and tabs through them in reading order', async () => {
    const { form, type } = await opener([S3_RECENT])
    type('s3://bucket/prefix')
    fireEvent.change(screen.getByLabelText('Credentials'), { target: { value: 'keys' } })
    const focusable = [...form.querySelectorAll<HTMLElement>('input, select, button')]
    // no positive tabIndex: Tab follows the DOM, which follows the layout
    expect(focusable.filter((el) => el.tabIndex > 0)).toEqual([])
    const names = focusable.map(
      (el) =>
        el.getAttribute('aria-label') ??
        el.closest('label')?.querySelector('.storage-label')?.textContent ??
        el.textContent,
    )
    expect(names).toEqual([
      'Cache location',
      'Endpoint URL',
      'Region',
      'Credentials',
      'Access key ID',
      'Secret access key',
      'Session token',
      'More options (JSON)',
      'Open',
      'Recent caches',
    ])
  })

  it('opens on Enter with the fields as s3fs options, then forgets the secret', async () => {
    const { t, type, explorer } = await opener()
    type('s3://bucket/prefix')
    fireEvent.change(screen.getByLabelText('Endpoint URL'), {
      target: { value: 'http://127.0.0.1:9000' },
    })
    fireEvent.change(screen.getByLabelText('Region'), { target: { value: 'eu-west-1' } })
    fireEvent.change(screen.getByLabelText('Credentials'), { target: { value: 'keys' } })
    fireEvent.change(screen.getByLabelText('Access key ID'), { target: { value: 'AKIATEST' } })
    const secret = screen.getByLabelText('Secret access key')
    fireEvent.change(secret, { target: { value: SECRET } })
    // Enter in a field submits its form
    await act(async () => {
      fireEvent.submit(secret)
    })
    await waitFor(() => expect(explorer.app.getState().cache?.location).toBe('s3://bucket/prefix'))
    expect(t.requests('cache.open')).toEqual([
      {
        location: 's3://bucket/prefix',
        readonly: false,
        storageOptions: {
          endpoint_url: 'http://127.0.0.1:9000',
          client_kwargs: { region_name: 'eu-west-1' },
          key: 'AKIATEST',
          secret: SECRET,
        },
      },
    ])
    // Nothing in the renderer's state holds the secret any more; the fields say it is kept.
    expect(JSON.stringify(explorer.app.getState())).not.toContain(SECRET)
    fireEvent.click(screen.getByRole('button', { name: 'Storage options' }))
    expect((screen.getByLabelText('Secret access key') as HTMLInputElement).value).toBe('')
    expect(screen.getByText(/kept by xpersist for this session only/)).toBeTruthy()
    // A reopen (the read-only toggle) sends the settings only: the main side adds the keys.
    await act(() => explorer.app.getState().setReadonly(true))
    expect(t.requests('cache.open')[1]).toEqual({
      location: 's3://bucket/prefix',
      readonly: true,
      storageOptions: {
        endpoint_url: 'http://127.0.0.1:9000',
        client_kwargs: { region_name: 'eu-west-1' },
      },
    })
  })

  it('sends gcsfs options: token mode, service-account path, project', async () => {
    const { t, type } = await opener()
    type('gs://bucket/prefix')
    fireEvent.change(screen.getByLabelText('Project'), { target: { value: 'proj-1' } })
    await act(async () => {
      fireEvent.submit(screen.getByLabelText('Project'))
    })
    fireEvent.change(screen.getByLabelText('Cache location'), {
      target: { value: 'gs://other/prefix' },
    })
    fireEvent.change(screen.getByLabelText('Credentials'), {
      target: { value: 'service_account' },
    })
    // a missing path is said before anything is sent
    const open = screen.getByRole('button', { name: 'Open' }) as HTMLButtonElement
    expect(open.disabled).toBe(true)
    expect(open.title).toBe('Type the path of the service-account JSON file.')
    fireEvent.change(screen.getByLabelText('Service-account JSON file'), {
      target: { value: '/keys/sa.json' },
    })
    await act(async () => {
      fireEvent.submit(screen.getByLabelText('Project'))
    })
    expect(t.requests('cache.open').map((r) => r.storageOptions)).toEqual([
      { project: 'proj-1', token: 'google_default' },
      { project: 'proj-1', token: '/keys/sa.json' },
    ])
  })

  it('a recent bucket brings back its settings, and asks for the keys it never remembered', async () => {
    const { t, form, explorer } = await opener([S3_RECENT])
    fireEvent.change(within(form).getByLabelText('Recent caches'), {
      target: { value: S3_RECENT.location },
    })
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/not remembered/))
    expect(t.requests('cache.open')).toEqual([])
    expect((screen.getByLabelText('Endpoint URL') as HTMLInputElement).value).toBe(
      'http://127.0.0.1:9000',
    )
    expect((screen.getByLabelText('Region') as HTMLInputElement).value).toBe('eu-west-1')
    expect((screen.getByLabelText('Credentials') as HTMLSelectElement).value).toBe('keys')
    const key = screen.getByLabelText('Access key ID') as HTMLInputElement
    expect(key.value).toBe('')
    expect(document.activeElement).toBe(key)
    expect(explorer.app.getState().location).toBe(S3_RECENT.location)
  })

  it('a recent anonymous bucket opens at once with its remembered options', async () => {
    const recent = { location: 's3://public/data', readonly: true, options: { anon: true } }
    const { t, form } = await opener([recent])
    await act(async () => {
      fireEvent.change(within(form).getByLabelText('Recent caches'), {
        target: { value: recent.location },
      })
    })
    expect(t.requests('cache.open')).toEqual([
      { location: 's3://public/data', readonly: true, storageOptions: { anon: true } },
    ])
  })

  it('an error names the field to fix, marks it and puts the cursor there', async () => {
    const { t, type } = await opener()
    t.handle('cache.open', () => {
      throw new IpcError(
        'BACKEND',
        'Cannot reach the S3 endpoint http://127.0.0.1:1 (ECONNREFUSED) while listing in ' +
          's3://bucket/prefix. Check the network and the storage option endpoint_url, then try again.',
      )
    })
    type('s3://bucket/prefix')
    const endpoint = screen.getByLabelText('Endpoint URL')
    fireEvent.change(endpoint, { target: { value: 'http://127.0.0.1:1' } })
    await act(async () => {
      fireEvent.submit(endpoint)
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/Cannot reach the S3 endpoint/)
    expect(alert.textContent).toContain('Check the Endpoint URL field.')
    expect(endpoint.getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(endpoint)
    // typing clears the mark
    fireEvent.change(endpoint, { target: { value: 'http://127.0.0.1:2' } })
    expect(endpoint.getAttribute('aria-invalid')).toBeNull()
  })

  it('missing credentials point at the Credentials choice when no key field is shown', async () => {
    const { t, type } = await opener()
    t.handle('cache.open', () => {
      throw new IpcError(
        'PERMISSION_DENIED',
        'No AWS credentials found for s3://bucket/prefix while listing xpersist_metadata_store/. ' +
          'Set the storage options key and secret, or profile, or anon: true for a public bucket.',
      )
    })
    type('s3://bucket/prefix')
    await act(async () => {
      fireEvent.submit(screen.getByLabelText('Endpoint URL'))
    })
    expect((await screen.findByRole('alert')).textContent).toContain('Check the Credentials field.')
    const auth = screen.getByLabelText('Credentials')
    expect(auth.getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(auth)
  })

  it('refuses an option given both by a field and in the JSON', async () => {
    const { type } = await opener()
    type('s3://bucket/prefix')
    fireEvent.change(screen.getByLabelText('Endpoint URL'), { target: { value: 'http://a' } })
    fireEvent.change(screen.getByLabelText('More options (JSON)'), {
      target: { value: '{"endpoint_url": "http://b"}' },
    })
    const open = screen.getByRole('button', { name: 'Open' }) as HTMLButtonElement
    expect(open.disabled).toBe(true)
    expect(open.title).toMatch(/sets endpoint_url, which the fields above set too/)
  })
})

describe('listing progress for big buckets', () => {
  it('words the wait: indeterminate, names found, then sidecars read', () => {
    expect(listingProgressText(null)).toBe('Listing the cache…')
    expect(listingProgressText({ phase: 'listing', done: 0, total: null })).toBe(
      'Listing the cache…',
    )
    expect(listingProgressText({ phase: 'listing', done: 12345, total: null })).toBe(
      'Listing… 12,345 objects found',
    )
    expect(listingProgressText({ phase: 'sidecars', done: 500, total: 100000 })).toBe(
      'Listing… 100,000 artifacts, reading sidecars 500 of 100,000',
    ) // One is singular.
    expect(listingProgressText({ phase: 'listing', done: 1, total: null })).toBe(
      'Listing… 1 object found',
    )
    expect(listingProgressText({ phase: 'sidecars', done: 0, total: 1 })).toBe(
      'Listing… 1 artifact, reading sidecars 0 of 1',
    )
  })

  it('shows the count while the first page is pending, and drops it after', async () => {
    const { t, explorer } = await opener()
    let release: () => void = () => {}
    const list = t.handler('cache.list')!
    t.handle('cache.list', async (req) => {
      if (req.cursor == null) await new Promise<void>((r) => (release = r))
      return list(req)
    })
    t.handle('cache.listProgress', () => ({ phase: 'sidecars', done: 250, total: 1234 }))
    await act(async () => {
      await explorer.app.getState().open('/data/cache')
    })
    const wait = await screen.findByTestId('listing-wait', {}, { timeout: 10_000 })
    await waitFor(
      () =>
        expect(wait.textContent).toBe('Listing… 1,234 artifacts, reading sidecars 250 of 1,234'),
      {
        timeout: 10_000,
      },
    )
    await act(async () => release())
    await screen.findByTestId('key-table')
    expect(explorer.listing.getState().progress).toBeNull()
  })
})
