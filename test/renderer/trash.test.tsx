// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { makeRow, NOW } from './fake-cache'
import { renderExplorer, tableKeys } from './render-explorer'

const DAY = 86_400_000

async function openDeleteOf(key: string, options: Parameters<typeof renderExplorer>[0] = {}) {
  const rendered = await renderExplorer(options)
  fireEvent.click(document.querySelector(`tr[data-key="${key}"]`) as HTMLElement)
  fireEvent.keyDown(screen.getByTestId('key-table'), { key: 'Delete' })
  const dialog = await screen.findByTestId('delete-dialog')
  await within(dialog).findByRole('table', { name: 'Delete plan' })
  return { ...rendered, dialog }
}

function confirm(dialog: HTMLElement, label: string, typed: string, button: string) {
  fireEvent.change(within(dialog).getByLabelText(label), { target: { value: typed } })
  fireEvent.click(within(dialog).getByRole('button', { name: button }))
}

describe('delete into the trash, and Undo', () => {
  it('moves to the trash by default, and Undo restores that entry', async () => {
    const { dialog, cache, explorer } = await openDeleteOf('stations.csv')
    expect(dialog.textContent).toContain(
      'The artifacts move to the trash, /data/cache/.xpersist-trash/',
    )
    confirm(dialog, 'Type 1 to move 1 artifact to the trash', '1', 'Move 1 artifact to the trash')
    await screen.findByRole('heading', { name: 'Moved to the trash' })
    expect(cache.transport.requests('delete.start')[0]).toMatchObject({ trash: true })
    const id = [...cache.trash.keys()][0] as string
    expect(cache.trash.get(id)?.rows.map((r) => r.key)).toEqual(['stations.csv'])
    await waitFor(() => expect(tableKeys()).not.toContain('stations.csv'))
    const summary = screen.getByTestId('delete-dialog')
    expect(summary.textContent).toContain('Moved 1 artifact of 1 to the trash')
    expect(summary.textContent).toContain(id)

    fireEvent.click(within(summary).getByRole('button', { name: 'Undo' }))
    await within(summary).findByText('Restored 1 artifact of 1 from the trash.')
    expect(cache.transport.requests('trash.restore')).toEqual([
      { cacheId: 'c:/data/cache', id, dryRun: false },
    ])
    await waitFor(() => expect(tableKeys()).toContain('stations.csv'))
    expect(cache.trash.size).toBe(0)
    const undo = within(summary).getByRole('button', { name: 'Undo' }) as HTMLButtonElement
    expect(undo.disabled).toBe(true)
    expect(explorer.deletion.getState().flow.phase).toBe('summary')
  })

  it('Undo shows, per key, a key written since that it did not overwrite', async () => {
    const { dialog, cache } = await openDeleteOf('stations.csv')
    confirm(dialog, 'Type 1 to move 1 artifact to the trash', '1', 'Move 1 artifact to the trash')
    await screen.findByRole('heading', { name: 'Moved to the trash' })
    // Someone writes stations.csv again before the Undo.
    cache.rows.set('stations.csv', makeRow('stations.csv', { serializer: 'joblib' }))
    const summary = screen.getByTestId('delete-dialog')
    fireEvent.click(within(summary).getByRole('button', { name: 'Undo' }))
    await within(summary).findByText('Restored 0 artifacts of 1 from the trash.')
    const refused = within(summary).getByRole('list', { name: 'Not restored' })
    expect(refused.textContent).toBe(
      "stations.csv: 'stations.csv' exists in the cache now (written since it was deleted); it stays in the trash.",
    )
    expect(cache.rows.get('stations.csv')?.serializer).toBe('joblib')
    expect(cache.trash.size).toBe(1)
  })

  it('"Delete permanently" deletes without the trash and offers no Undo', async () => {
    const { dialog, cache } = await openDeleteOf('stations.csv')
    const box = within(dialog).getByRole('checkbox', { name: /Delete permanently/ })
    expect((box as HTMLInputElement).checked).toBe(false)
    fireEvent.click(box)
    expect(dialog.textContent).toContain('for good and frees')
    confirm(dialog, 'Type 1 to delete 1 artifact permanently', '1', 'Delete 1 artifact permanently')
    await screen.findByRole('heading', { name: 'Deleted' })
    expect(cache.transport.requests('delete.start')[0]).toMatchObject({ trash: false })
    expect(cache.trash.size).toBe(0)
    expect(
      within(screen.getByTestId('delete-dialog')).queryByRole('button', { name: 'Undo' }),
    ).toBeNull()
  })

  it('says what moving to the trash copies on an object store', async () => {
    const { dialog } = await openDeleteOf('stations.csv', { trashMethod: 'copy' })
    expect(dialog.textContent).toContain(
      'On this object store a move is a copy then a delete: 2 objects (495 B) are copied into the trash first',
    )
  })
})

describe('the plan summary and its export', () => {
  it('shows created range, serializers, folders and bytes, and exports CSV and JSON', async () => {
    const { cache } = await renderExplorer()
    fireEvent.click(screen.getByRole('button', { name: 'experiment: old (2)' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Delete all 2 matching…' }))
    const dialog = await screen.findByTestId('delete-dialog')
    const summary = await within(dialog).findByRole('region', { name: 'Plan summary' })
    expect(summary.textContent).toContain('2 artifacts · 4 paths · 550 B')
    expect(summary.textContent).toMatch(/Created\d{4}-\d\d-\d\d \d\d:\d\d – \d{4}-\d\d-\d\d/)
    expect(summary.textContent).toContain('joblib 2 · 550 B')
    expect(summary.textContent).toContain('runs/ 2 · 550 B')

    fireEvent.click(within(summary).getByRole('button', { name: 'Export plan as CSV' }))
    await within(summary).findByText('Saved to /saved/delete-plan-2024-06-01T12-00-00.csv.')
    const csv = cache.transport.savedTexts[0]
    expect(csv?.type).toBe('text/csv')
    expect(csv?.text.split('\r\n').slice(0, 2)).toEqual([
      'key,role,path,bytes,serializer,created_at',
      `runs/old/notes,sidecar,xpersist_metadata_store/runs/old/notes.artifact.json,200,joblib,${new Date(NOW - 120 * DAY).toISOString()}`,
    ])
    fireEvent.click(within(summary).getByRole('button', { name: 'Export plan as JSON' }))
    await waitFor(() => expect(cache.transport.savedTexts).toHaveLength(2))
    const json = JSON.parse(cache.transport.savedTexts[1]?.text as string)
    expect(json.summary.folders).toEqual([{ name: 'runs/', count: 2, bytes: 550 }])
    expect(json.plan.entries).toHaveLength(2)
  })
})

function addTrash(cache: Awaited<ReturnType<typeof renderExplorer>>['cache']) {
  cache.trash.set('20240401T120000000Z-aaaaaa', {
    createdAt: new Date(NOW - 61 * DAY).toISOString(),
    rows: [makeRow('old/one', { bytes: 1000 }), makeRow('old/two', { bytes: 2000 })],
  })
  cache.trash.set('20240530T120000000Z-bbbbbb', {
    createdAt: new Date(NOW - 2 * DAY).toISOString(),
    rows: [makeRow('recent/x', { bytes: 50 })],
  })
}

async function openTrash() {
  fireEvent.click(screen.getByRole('button', { name: 'Trash' }))
  const dialog = await screen.findByTestId('trash-dialog')
  await within(dialog).findByRole('table', { name: 'Trash entries' })
  return dialog
}

describe('the Trash dialog', () => {
  it('lists entries newest first, restores one, and empties the old ones after a typed count', async () => {
    const { cache } = await renderExplorer()
    addTrash(cache)
    const dialog = await openTrash()
    const rows = within(within(dialog).getByRole('table', { name: 'Trash entries' }))
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent)
    expect(rows[0]).toContain('(2 d ago)1: recent/x2250 B')
    expect(rows[1]).toContain('(2 mo ago)2: old/one, old/two43.4 KB')

    fireEvent.click(within(dialog).getByRole('button', { name: /^Restore 1 artifact deleted/ }))
    await within(dialog).findByText('Restored 1 artifact of 1 from the trash.')
    await waitFor(() => expect(tableKeys()).toContain('recent/x'))
    await waitFor(
      () => expect(within(dialog).getAllByRole('row')).toHaveLength(2), // header + the old entry
    )

    fireEvent.click(within(dialog).getByRole('radio', { name: 'Entries older than' }))
    fireEvent.change(within(dialog).getByRole('spinbutton', { name: 'Days' }), {
      target: { value: '30' },
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Plan empty…' }))
    await within(dialog).findByText(/Emptying deletes 1 trash entry for good: 2 artifacts, 4 files/)
    expect(cache.transport.requests('trash.empty')[0]).toEqual({
      cacheId: 'c:/data/cache',
      dryRun: true,
      olderThanMs: 30 * DAY,
    })
    const empty = within(dialog).getByRole('button', { name: 'Empty 1 entry for good' })
    expect((empty as HTMLButtonElement).disabled).toBe(true)
    fireEvent.change(within(dialog).getByLabelText('Type 1 to empty 1 entry'), {
      target: { value: '1' },
    })
    // Enabled, the button is another element (no disabled wrapper): find it again.
    await act(async () =>
      fireEvent.click(within(dialog).getByRole('button', { name: 'Empty 1 entry for good' })),
    )
    await within(dialog).findByText(/Emptied 1 entry/)
    expect(cache.transport.requests('trash.empty')[1]).toEqual({
      cacheId: 'c:/data/cache',
      dryRun: false,
      olderThanMs: 30 * DAY,
      ids: ['20240401T120000000Z-aaaaaa'],
    })
    expect(cache.trash.size).toBe(0)
    await within(dialog).findByText('The trash is empty.')
  })

  it('on a read-only cache lists the trash but Restore and Empty say why they are off', async () => {
    const { cache } = await renderExplorer({ readonly: true, readonlyReason: 'opened read-only' })
    addTrash(cache)
    const dialog = await openTrash()
    const restore = within(dialog).getAllByRole('button', {
      name: /^Restore/,
    })[0] as HTMLButtonElement
    expect(restore.disabled).toBe(true)
    expect(restore.title).toMatch(/read-only/)
    const plan = within(dialog).getByRole('button', { name: 'Plan empty…' }) as HTMLButtonElement
    expect(plan.disabled).toBe(true)
    expect(plan.title).toMatch(/read-only/)
    fireEvent.keyDown(dialog, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByTestId('trash-dialog')).toBeNull())
  })
})
