// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { focusRows, renderExplorer, tableKeys } from './render-explorer'

describe('facets, folders and search', () => {
  it('a facet value filters, shows a removable chip, and keeps its alternatives counted', async () => {
    await renderExplorer()
    fireEvent.click(screen.getByRole('button', { name: 'experiment: old (2)' }))
    await waitFor(() => expect(tableKeys()).toEqual(['runs/old/notes', 'runs/old/scratch']))
    expect(
      screen.getByRole('button', { name: 'experiment: old (2)' }).getAttribute('aria-pressed'),
    ).toBe('true')
    expect(screen.getByRole('button', { name: 'experiment: ctrl (3)' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'serializer: joblib (2)' })).toBeTruthy()
    const chips = screen.getByRole('list', { name: 'Active filters' })
    expect(within(chips).getByText('experiment = old')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Delete all 2 matching…' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter experiment = old' }))
    await waitFor(() => expect(tableKeys().length).toBe(8))
    expect(screen.queryByRole('list', { name: 'Active filters' })).toBeNull()
  })

  it('filters by age, serializer and folder', async () => {
    await renderExplorer()
    fireEvent.click(screen.getByRole('button', { name: 'age: older than 30 days (2)' }))
    await waitFor(() => expect(tableKeys()).toEqual(['runs/old/notes', 'runs/old/scratch']))
    fireEvent.click(screen.getByRole('button', { name: 'Clear all' }))
    fireEvent.click(screen.getByRole('button', { name: 'serializer: (unreadable) (1)' }))
    await waitFor(() => expect(tableKeys()).toEqual(['broken/thing']))
    fireEvent.click(screen.getByRole('button', { name: 'Clear all' }))
    const folders = screen.getByRole('tree', { name: 'Folders' })
    fireEvent.click(within(folders).getByRole('button', { name: /runs\// }))
    await waitFor(() =>
      expect(tableKeys()).toEqual(['runs/2022/config', 'runs/old/notes', 'runs/old/scratch']),
    )
    fireEvent.click(within(folders).getByRole('button', { name: /old\// }))
    await waitFor(() => expect(tableKeys()).toEqual(['runs/old/notes', 'runs/old/scratch']))
    expect(screen.getByText('folder: runs/old/')).toBeTruthy()
  })

  it('"All keys" and each folder count the rows the other filters let through', async () => {
    await renderExplorer()
    const folders = screen.getByRole('region', { name: 'Folders' })
    const count = (name: RegExp) =>
      within(folders).getByRole('button', { name }).querySelector('.count')?.textContent
    expect([count(/^All keys/), count(/runs\//), count(/arrays\//)]).toEqual(['8', '3', '2'])
    fireEvent.click(screen.getByRole('button', { name: 'experiment: ctrl (3)' }))
    await waitFor(() => expect(count(/^All keys/)).toBe('3'))
    expect([count(/runs\//), count(/arrays\//)]).toEqual(['1', '1'])
    expect(within(folders).queryByRole('button', { name: /obs\// })).toBeNull()
    fireEvent.click(within(folders).getByRole('button', { name: /runs\// }))
    await waitFor(() => expect(tableKeys()).toEqual(['runs/2022/config']))
    expect([count(/^All keys/), count(/runs\//), count(/2022\//)]).toEqual(['3', '1', '1'])
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter experiment = ctrl' }))
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search keys and metadata' }), {
      target: { value: 'series' },
    })
    await waitFor(() => expect(count(/^All keys/)).toBe('1'))
    expect(tableKeys()).toEqual([])
    // the open folder stays listed, at 0, so it can still be seen and left
    expect([count(/arrays\//), count(/runs\//)]).toEqual(['1', '0'])
  })

  it('"/" focuses the search box; typing filters keys and metadata values', async () => {
    await renderExplorer()
    fireEvent.keyDown(document.body, { key: '/' })
    const search = screen.getByRole('searchbox', { name: 'Search keys and metadata' })
    expect(document.activeElement).toBe(search)
    fireEvent.change(search, { target: { value: 'series' } })
    await waitFor(() => expect(tableKeys()).toEqual(['arrays/sine-f8']))
    fireEvent.keyDown(search, { key: 'Escape' })
    await waitFor(() => expect(tableKeys().length).toBe(8))
  })
})

describe('detail pane', () => {
  it('shows the sidecar, kwargs, metadata, files and bytes of the selected row', async () => {
    await renderExplorer()
    fireEvent.click(document.querySelector('tr[data-key="stations.csv"]') as HTMLElement)
    const pane = screen.getByTestId('detail-pane')
    await within(pane).findByRole('heading', { name: 'stations.csv' })
    const sidecar = within(pane).getByRole('region', { name: 'Sidecar' })
    expect(within(sidecar).getByText('pandas.csv')).toBeTruthy()
    expect(within(sidecar).getByText('2024-05-31T12:00:00')).toBeTruthy()
    expect(within(sidecar).getByLabelText('dump_kwargs').textContent).toBe('indexfalse')
    expect(within(sidecar).getByLabelText('additional_metadata').textContent).toBe(
      'experimentctrlmember3tags["stations"]',
    )
    expect(
      within(sidecar).getByText('xpersist_metadata_store/stations.csv.artifact.json'),
    ).toBeTruthy()
    const files = within(pane).getByRole('region', { name: 'Payload files' })
    expect(files.textContent).toContain('295 B in 1 file')
    expect(files.textContent).not.toContain('file(s)')
  })

  it('puts flow, task and run up front for Prefect results', async () => {
    await renderExplorer({
      prefect: {
        'runs/2022/config': {
          task_name: 'extract',
          flow_name: 'sst-pipeline',
          flow_run_name: 'cheerful-ibex',
          map_index: 1,
          task_run_id: '',
        },
      },
    })
    fireEvent.click(document.querySelector('tr[data-key="runs/2022/config"]') as HTMLElement)
    const prefect = await screen.findByRole('region', { name: 'Prefect result' })
    const names = [...prefect.querySelectorAll('dt')].map((d) => d.textContent)
    expect(names).toEqual(['flow_name', 'flow_run_name', 'task_name', 'map_index'])
    expect(within(prefect).getByText('Empty: task_run_id')).toBeTruthy()
    const pane = screen.getByTestId('detail-pane')
    const sections = [...pane.querySelectorAll('section')].map((s) => s.getAttribute('aria-label'))
    expect(sections.indexOf('Prefect result')).toBeLessThan(sections.indexOf('Sidecar'))
  })

  it('a broken sidecar shows the engine message and still offers Delete', async () => {
    const { cache } = await renderExplorer()
    cache.transport.handle('artifact.detail', (req) => {
      throw Object.assign(new Error(`The sidecar of ${req.key} is not valid JSON (line 1).`))
    })
    fireEvent.click(document.querySelector('tr[data-key="broken/thing"]') as HTMLElement)
    const pane = screen.getByTestId('detail-pane')
    expect((await within(pane).findByRole('alert')).textContent).toContain(
      'The sidecar of broken/thing is not valid JSON (line 1).',
    )
    expect(within(pane).getByRole('button', { name: 'Delete…' })).toBeTruthy()
  })
})

describe('metadata editor', () => {
  async function openEditor() {
    const rendered = await renderExplorer()
    fireEvent.click(document.querySelector('tr[data-key="stations.csv"]') as HTMLElement)
    await screen.findByRole('heading', { name: 'stations.csv' })
    fireEvent.click(screen.getByRole('button', { name: 'Edit metadata' }))
    const editor = screen.getByTestId('metadata-editor')
    const textarea = within(editor).getByLabelText(
      'additional_metadata (JSON)',
    ) as HTMLTextAreaElement
    return { ...rendered, editor, textarea }
  }

  it('opens with the cursor in it; another row closes it and the keyboard stays in the table', async () => {
    const { textarea } = await openEditor()
    expect(document.activeElement).toBe(textarea)
    fireEvent.keyDown(focusRows(), { key: 'ArrowUp' })
    await screen.findByRole('heading', { name: 'runs/old/scratch' })
    expect(screen.queryByTestId('metadata-editor')).toBeNull()
    expect((document.activeElement as HTMLElement).dataset.key).toBe('runs/old/scratch')
    // coming back does not reopen it either
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown' })
    await screen.findByRole('heading', { name: 'stations.csv' })
    expect(screen.queryByTestId('metadata-editor')).toBeNull()
    expect((document.activeElement as HTMLElement).dataset.key).toBe('stations.csv')
  })

  it('validates as you type, naming the line, and only then allows Save', async () => {
    const { editor, textarea } = await openEditor()
    fireEvent.change(textarea, { target: { value: '{\n  "experiment": "hist",\n  "scale": \n}' } })
    expect(textarea.getAttribute('aria-invalid')).toBe('true')
    expect(within(editor).getByRole('status').textContent).toMatch(
      /Not valid JSON: .*\(line 4, column 1\)/,
    )
    expect(
      (within(editor).getByRole('button', { name: 'Save metadata' }) as HTMLButtonElement).disabled,
    ).toBe(true)
    fireEvent.change(textarea, { target: { value: '["not", "a", "dict"]' } })
    expect(within(editor).getByRole('status').textContent).toMatch(/must be a JSON object/)
    fireEvent.change(textarea, { target: { value: '{"experiment": "hist", "scale": 1.0}' } })
    expect(textarea.getAttribute('aria-invalid')).toBe('false')
    const save = within(editor).getByRole('button', { name: 'Save metadata' }) as HTMLButtonElement
    expect(save.disabled).toBe(false)
    fireEvent.click(save)
    await within(editor).findByText('Saved.')
  })

  it('on a conflict shows mine and the disk version side by side; keep mine retries', async () => {
    const { cache, editor, textarea } = await openEditor()
    cache.editOnDisk('stations.csv', '{"experiment": "changed elsewhere"}')
    fireEvent.change(textarea, { target: { value: '{"experiment": "mine"}' } })
    fireEvent.click(within(editor).getByRole('button', { name: 'Save metadata' }))
    const conflict = await within(editor).findByRole('alert', { name: 'Conflicting versions' })
    expect(within(conflict).getByTestId('conflict-mine').textContent).toBe('{"experiment": "mine"}')
    expect(within(conflict).getByTestId('conflict-disk').textContent).toBe(
      '{"experiment": "changed elsewhere"}',
    )
    fireEvent.click(within(conflict).getByRole('button', { name: 'Keep mine (overwrite disk)' }))
    await within(editor).findByText('Saved.')
    expect(
      cache.transport.requests('artifact.updateMetadata').map((r) => r.expectedVersion),
    ).toEqual(['v1', 'v2'])
    expect(cache.rows.get('stations.csv')?.metadata).toEqual({ experiment: 'mine' })
  })

  it('on a conflict marks each field that differs: only in yours, only on disk, differs', async () => {
    const { cache, editor, textarea } = await openEditor()
    cache.editOnDisk('stations.csv', '{"experiment": "elsewhere", "scale": 1, "owner": "ana"}')
    fireEvent.change(textarea, {
      target: { value: '{"experiment": "elsewhere", "scale": 1.0, "__proto__": "Zürich"}' },
    })
    fireEvent.click(within(editor).getByRole('button', { name: 'Save metadata' }))
    const conflict = await within(editor).findByRole('alert', { name: 'Conflicting versions' })
    expect(within(conflict).getByTestId('conflict-summary').textContent).toBe('3 fields differ:')
    const rows = within(within(conflict).getByTestId('conflict-fields')).getAllByRole('row')
    expect(rows.slice(1).map((r) => [r.getAttribute('data-change'), r.textContent])).toEqual([
      ['same', 'experiment"elsewhere""elsewhere"'],
      ['changed', 'scalediffers1.01'],
      ['removed', 'owneronly on diskabsent"ana"'],
      ['added', '__proto__only in yours"Zürich"absent'],
    ])
  })

  it('Ctrl+S (Cmd+S) saves while the editor is open, and never lets the browser save the page', async () => {
    const { cache, editor, textarea } = await openEditor()
    // Nothing changed yet: the key is still taken from the browser, and nothing is sent.
    expect(fireEvent.keyDown(textarea, { key: 's', ctrlKey: true })).toBe(false)
    expect(cache.transport.requests('artifact.updateMetadata')).toEqual([])
    fireEvent.change(textarea, { target: { value: '{"experiment": "by keyboard"}' } })
    expect(fireEvent.keyDown(textarea, { key: 's', metaKey: true })).toBe(false)
    await within(editor).findByText('Saved.')
    expect(cache.rows.get('stations.csv')?.metadata).toEqual({ experiment: 'by keyboard' })
  })

  it('"take the disk version" replaces my text with it', async () => {
    const { cache, editor, textarea } = await openEditor()
    cache.editOnDisk('stations.csv', '{"experiment": "changed elsewhere"}')
    fireEvent.change(textarea, { target: { value: '{"experiment": "mine"}' } })
    fireEvent.click(within(editor).getByRole('button', { name: 'Save metadata' }))
    const conflict = await within(editor).findByRole('alert', { name: 'Conflicting versions' })
    fireEvent.click(within(conflict).getByRole('button', { name: 'Take the disk version' }))
    const fresh = (await within(screen.getByTestId('metadata-editor')).findByLabelText(
      'additional_metadata (JSON)',
    )) as HTMLTextAreaElement
    expect(fresh.value).toBe('{"experiment": "changed elsewhere"}')
  })
})

describe('read-only', () => {
  it('shows the badge with its reason and disables every write with a tooltip saying why', async () => {
    await renderExplorer({ readonly: true, readonlyReason: 'no write permission on /data/cache' })
    const badge = screen.getByTestId('readonly-badge')
    expect(badge.textContent).toContain('READ-ONLY')
    expect(badge.textContent).toContain('no write permission on /data/cache')
    const put = screen.getByRole('button', { name: '+ Put' }) as HTMLButtonElement
    expect(put.disabled).toBe(true)
    expect(put.title).toMatch(/read-only \(no write permission on \/data\/cache\)/)
    fireEvent.click(document.querySelector('tr[data-key="stations.csv"]') as HTMLElement)
    await screen.findByRole('heading', { name: 'stations.csv' })
    for (const name of ['Edit metadata', 'Delete…', 'Delete 1 selected…']) {
      const button = screen.getByRole('button', { name }) as HTMLButtonElement
      expect(button.disabled).toBe(true)
      expect(button.title).toMatch(/read-only/)
    }
    fireEvent.keyDown(screen.getByTestId('key-table'), { key: 'Delete' })
    expect(screen.queryByTestId('delete-dialog')).toBeNull()
  })
})
