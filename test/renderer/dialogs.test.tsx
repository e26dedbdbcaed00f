// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderExplorer, tableKeys } from './render-explorer'

async function openDeleteOfOldRuns() {
  const rendered = await renderExplorer({ manualJobs: true })
  fireEvent.click(screen.getByRole('button', { name: 'experiment: old (2)' }))
  fireEvent.click(await screen.findByRole('button', { name: 'Delete all 2 matching…' }))
  const dialog = await screen.findByTestId('delete-dialog')
  await within(dialog).findByRole('table', { name: 'Delete plan' })
  // These pin the permanent delete; trash.test.tsx the default move to the trash.
  fireEvent.click(within(dialog).getByRole('checkbox', { name: /Delete permanently/ }))
  return { ...rendered, dialog }
}

describe('delete dialog', () => {
  it('shows every path with its role and bytes, and the total freed', async () => {
    const { dialog } = await openDeleteOfOldRuns()
    const plan = within(dialog).getByRole('table', { name: 'Delete plan' })
    const rows = within(plan)
      .getAllByRole('row')
      .map((r) => r.textContent)
    expect(rows).toEqual([
      'pathrolebytes',
      'runs/old/notes270 B',
      'xpersist_metadata_store/runs/old/notes.artifact.jsonsidecar200',
      'runs/old/notespayload70',
      'runs/old/scratch280 B',
      'xpersist_metadata_store/runs/old/scratch.artifact.jsonsidecar200',
      'runs/old/scratchpayload80',
    ])
    expect(dialog.textContent).toContain(
      'removes 4 paths under /data/cache for good and frees 550 B',
    )
  })

  it('enables Delete only when the typed number equals the entry count', async () => {
    const { dialog, cache } = await openDeleteOfOldRuns()
    const input = within(dialog).getByLabelText('Type 2 to delete 2 artifacts permanently')
    const button = () =>
      within(dialog).getByRole('button', {
        name: 'Delete 2 artifacts permanently',
      }) as HTMLButtonElement
    expect(button().disabled).toBe(true)
    expect(button().title).toBe('Type 2 above to confirm.')
    fireEvent.change(input, { target: { value: '3' } })
    expect(button().disabled).toBe(true)
    expect(
      within(dialog).getByText('Type exactly 2: the number of artifacts in this plan.'),
    ).toBeTruthy()
    fireEvent.submit(input)
    expect(cache.transport.requests('delete.start')).toEqual([])
    fireEvent.change(input, { target: { value: '2' } })
    expect(button().disabled).toBe(false)
  })

  it('shows progress from events, can be cancelled, then a summary; the listing refreshes', async () => {
    const { dialog, cache, explorer } = await openDeleteOfOldRuns()
    fireEvent.change(within(dialog).getByLabelText('Type 2 to delete 2 artifacts permanently'), {
      target: { value: '2' },
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete 2 artifacts permanently' }))
    const running = await screen.findByRole('heading', { name: 'Deleting…' })
    expect(running).toBeTruthy()
    await waitFor(() => expect(explorer.deletion.getState().flow.phase).toBe('running'))
    const flow = explorer.deletion.getState().flow
    if (flow.phase !== 'running') throw new Error(`expected a running job, not ${flow.phase}`)
    const jobId = flow.jobId
    act(() => cache.advanceJob(jobId))
    const d = screen.getByTestId('delete-dialog')
    await waitFor(() => expect(within(d).getByText(/1 of 2 artifacts deleted/)).toBeTruthy())
    expect(
      (within(d).getByRole('progressbar', { name: 'Delete progress' }) as HTMLProgressElement)
        .value,
    ).toBe(1)
    expect(within(d).queryByRole('button', { name: 'Close' })).toBeNull() // no closing mid-run
    fireEvent.keyDown(d, { key: 'Escape' })
    expect(screen.getByTestId('delete-dialog')).toBeTruthy()
    fireEvent.click(within(d).getByRole('button', { name: 'Cancel' }))
    await screen.findByRole('heading', { name: 'Delete cancelled' })
    const summary = screen.getByTestId('delete-dialog')
    expect(summary.textContent).toContain(
      'Cancelled after 1 artifact of 2: 2 paths removed, 270 B freed.',
    )
    expect(summary.textContent).toContain('Nothing was left half-deleted')
    await waitFor(() => expect(explorer.listing.getState().refreshing).toBe(false))
    fireEvent.click(within(summary).getAllByRole('button', { name: 'Close' })[0] as HTMLElement)
    expect(screen.queryByTestId('delete-dialog')).toBeNull()
    expect(tableKeys()).toEqual(['runs/old/scratch'])
  })

  it('a finished run summarises what was deleted and freed', async () => {
    const rendered = await renderExplorer()
    fireEvent.click(document.querySelector('tr[data-key="stations.csv"]') as HTMLElement)
    fireEvent.keyDown(screen.getByTestId('key-table'), { key: 'Delete' })
    const dialog = await screen.findByTestId('delete-dialog')
    fireEvent.click(await within(dialog).findByRole('checkbox', { name: /Delete permanently/ }))
    fireEvent.change(within(dialog).getByLabelText('Type 1 to delete 1 artifact permanently'), {
      target: { value: '1' },
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete 1 artifact permanently' }))
    await screen.findByRole('heading', { name: 'Deleted' })
    expect(screen.getByTestId('delete-dialog').textContent).toContain(
      'Deleted 1 artifact of 1: 2 paths removed, 495 B freed.',
    )
    await waitFor(() => expect(tableKeys()).not.toContain('stations.csv'))
    expect(screen.getByTestId('detail-pane').textContent).toContain('Select an artifact')
    expect(rendered.cache.rows.has('stations.csv')).toBe(false)
  })
})

describe('doctor', () => {
  it('lists what is wrong and "Clean…" plans everything deletable it lists: orphans, broken, payload-less', async () => {
    const { cache } = await renderExplorer()
    fireEvent.click(screen.getByRole('button', { name: 'Doctor' }))
    const dialog = await screen.findByTestId('doctor-dialog')
    await within(dialog).findByText(/Problems found in/)
    expect(
      within(dialog).getByRole('region', { name: 'Orphan files (no sidecar claims them)' })
        .textContent,
    ).toContain('tmp/.xpersist-tmp-1')
    expect(within(dialog).getByRole('region', { name: 'Broken sidecars' }).textContent).toContain(
      'broken/thing: The sidecar of broken/thing is not valid JSON (line 1).',
    )
    expect(
      within(dialog).getByRole('region', { name: 'Missing payloads (sidecar without its data)' })
        .textContent,
    ).toContain('runs/gone')
    expect(
      within(dialog).getByRole('region', { name: 'Unknown serializers' }).textContent,
    ).toContain('weird: my.format')
    expect(
      within(dialog).getByRole('region', {
        name: 'Interrupted writes (their process died halfway)',
      }).textContent,
    ).toContain('runs/half (put): finish the put')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Clean…' }))
    const del = await screen.findByTestId('delete-dialog')
    await within(del).findByRole('table', { name: 'Delete plan' })
    expect(cache.transport.requests('delete.plan').at(-1)).toEqual({
      cacheId: 'c:/data/cache',
      keys: ['broken/thing', 'runs/gone'],
      orphans: ['tmp/.xpersist-tmp-1'],
      trash: true,
    })
    expect(within(del).getByText('orphan')).toBeTruthy()
  })

  it('says plainly what Clean… leaves and why, and repairs interrupted writes with a button', async () => {
    const { cache } = await renderExplorer()
    const report = cache.transport.handler('doctor.run')!
    let runs = 0
    cache.transport.handle('doctor.run', async (req) => {
      runs++
      const r = await report(req)
      return { ...r, beingWritten: [{ path: 'runs/new/0.0', bytes: 10 }] }
    })
    fireEvent.click(screen.getByRole('button', { name: 'Doctor' }))
    const dialog = await screen.findByTestId('doctor-dialog')
    const kept = await within(dialog).findByRole('region', { name: 'What Clean… leaves' })
    const lines = within(kept)
      .getAllByRole('listitem')
      .map((li) => li.textContent)
    expect(lines).toEqual([
      expect.stringMatching(/^1 file being written: .*would break its put/),
      expect.stringMatching(/^1 interrupted write: .*finished or undone, not deleted; use Repair/),
      expect.stringMatching(/^1 artifact with an unknown serializer: their files are intact/),
    ])
    expect(dialog.textContent).not.toMatch(/--repair|xpersist doctor/)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Repair 1 interrupted write' }))
    await waitFor(() => expect(cache.transport.requests('doctor.repair')).toHaveLength(1))
    await waitFor(() => expect(runs).toBe(2))
  })

  it('cleaning the one orphan plans "1 path", in the singular', async () => {
    await renderExplorer()
    fireEvent.click(screen.getByRole('button', { name: 'Doctor' }))
    const dialog = await screen.findByTestId('doctor-dialog')
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Clean 1 orphan…' }))
    const del = await screen.findByTestId('delete-dialog')
    await within(del).findByRole('table', { name: 'Delete plan' })
    expect(del.textContent).toContain('removes 1 path under')
    // Orphans are never trashed: their plan neither offers the trash nor says they move there.
    expect(del.textContent).not.toMatch(/to the trash/)
    expect(within(del).queryByLabelText(/Delete permanently/)).toBeNull()
  })

  it('says a folder is not an xpersist cache and offers nothing to clean', async () => {
    const { cache } = await renderExplorer()
    cache.transport.handle('doctor.run', () => ({
      root: 'file:///home/me/thesis',
      missingPayload: [],
      orphans: [],
      brokenSidecars: [],
      unknownSerializers: [],
      keyMismatches: [],
      beingWritten: [],
      notACache: 'no xpersist_metadata_store folder',
      interrupted: [],
      ok: true,
    }))
    fireEvent.click(screen.getByRole('button', { name: 'Doctor' }))
    const dialog = await screen.findByTestId('doctor-dialog')
    expect((await within(dialog).findByText(/is not an xpersist cache/)).textContent).toMatch(
      /file:\/\/\/home\/me\/thesis is not an xpersist cache \(no xpersist_metadata_store folder\); nothing to check/,
    )
    expect(within(dialog).queryByRole('button', { name: /Clean/ })).toBeNull()
  })
})

describe('put dialog', () => {
  it('reads the file as base64, defaults the key to its name, shows what auto picks, and stores it', async () => {
    const { cache, explorer } = await renderExplorer()
    fireEvent.click(screen.getByRole('button', { name: '+ Put' }))
    const dialog = screen.getByRole('dialog', { name: 'Put a file into the cache' })
    const file = new File(['a,b\n1,2\n'], 'new.csv', { type: 'text/csv' })
    fireEvent.change(within(dialog).getByLabelText('File'), { target: { files: [file] } })
    await waitFor(() =>
      expect((within(dialog).getByLabelText('Key') as HTMLInputElement).value).toBe('new.csv'),
    )
    expect(within(dialog).getByRole('option', { name: 'auto (pandas.csv)' })).toBeTruthy()
    fireEvent.change(within(dialog).getByLabelText('Metadata (JSON)'), {
      target: { value: '{"experiment": ' },
    })
    expect(
      (within(dialog).getByRole('button', { name: 'Put' }) as HTMLButtonElement).disabled,
    ).toBe(true)
    fireEvent.change(within(dialog).getByLabelText('Metadata (JSON)'), {
      target: { value: '{"experiment": "new"}' },
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Put' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(cache.transport.requests('artifact.put')[0]).toMatchObject({
      key: 'new.csv',
      serializer: 'auto',
      file: { name: 'new.csv', handle: 'upload:0' },
    })
    expect(await cache.transport.uploads[0]?.text()).toBe('a,b\n1,2\n')
    await waitFor(() => expect(tableKeys()).toContain('new.csv'))
    expect(explorer.selection.getState().current).toBe('new.csv')
  })

  it('shows the engine error inline when the key exists', async () => {
    await renderExplorer()
    fireEvent.click(screen.getByRole('button', { name: '+ Put' }))
    const dialog = screen.getByRole('dialog', { name: 'Put a file into the cache' })
    fireEvent.change(within(dialog).getByLabelText('File'), {
      target: { files: [new File(['x'], 'stations.csv')] },
    })
    await waitFor(() =>
      expect((within(dialog).getByLabelText('Key') as HTMLInputElement).value).toBe('stations.csv'),
    )
    fireEvent.click(within(dialog).getByRole('button', { name: 'Put' }))
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      "Not stored: An artifact 'stations.csv' already exists; choose overwrite or skip.",
    )
  })
})
