// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderExplorer } from './render-explorer'

const MINE = '{"experiment": "mine"}'

async function selectRow(key: string) {
  fireEvent.click(document.querySelector(`tr[data-key="${key}"]`) as HTMLElement)
  await screen.findByRole('heading', { name: key })
}

function openEditor() {
  fireEvent.click(screen.getByRole('button', { name: 'Edit metadata' }))
  const editor = screen.getByTestId('metadata-editor')
  const textarea = within(editor).getByLabelText('additional_metadata (JSON)')
  return { editor, textarea: textarea as HTMLTextAreaElement }
}

function marked(key: string): boolean {
  const row = document.querySelector(`tr[data-key="${key}"]`) as HTMLElement
  return within(row).queryByTitle('unsaved metadata edit') !== null
}

describe('unsaved metadata drafts in the panes', () => {
  it('another row keeps the draft and marks its row; reopening restores it; Revert discards it', async () => {
    await renderExplorer()
    await selectRow('stations.csv')
    const first = openEditor()
    const original = first.textarea.value
    fireEvent.change(first.textarea, { target: { value: MINE } })
    await selectRow('arrays/grid-i4')
    expect(screen.queryByTestId('metadata-editor')).toBeNull()
    expect(marked('stations.csv')).toBe(true)
    expect(marked('arrays/grid-i4')).toBe(false)

    await selectRow('stations.csv')
    expect(screen.queryByTestId('metadata-editor')).toBeNull() // closed until asked for
    expect(
      within(screen.getByTestId('detail-pane')).getByText(/Unsaved metadata edit/),
    ).toBeTruthy()
    const { editor, textarea } = openEditor()
    expect(textarea.value).toBe(MINE)
    expect(within(editor).getByTestId('draft-restored').textContent).toMatch(
      /^Unsaved draft restored\./,
    )
    fireEvent.click(within(editor).getByRole('button', { name: 'Revert' }))
    expect(textarea.value).toBe(original)
    expect(within(editor).queryByTestId('draft-restored')).toBeNull()
    expect(marked('stations.csv')).toBe(false)
  })

  it('a restored draft gone stale is refused with both versions; keeping mine saves it', async () => {
    const { cache } = await renderExplorer()
    await selectRow('stations.csv')
    fireEvent.change(openEditor().textarea, { target: { value: MINE } })
    await selectRow('arrays/grid-i4')
    cache.editOnDisk('stations.csv', '{"experiment": "elsewhere"}')
    await selectRow('stations.csv')
    const { editor, textarea } = openEditor()
    expect(textarea.value).toBe(MINE)
    expect(within(editor).getByTestId('draft-restored').textContent).toContain(
      'changed on disk since',
    )
    fireEvent.click(within(editor).getByRole('button', { name: 'Save metadata' }))
    const conflict = await within(editor).findByRole('alert', { name: 'Conflicting versions' })
    expect(within(conflict).getByTestId('conflict-disk').textContent).toBe(
      '{"experiment": "elsewhere"}',
    )
    expect(cache.rows.get('stations.csv')?.metadata).toMatchObject({ experiment: 'ctrl' })
    expect(marked('stations.csv')).toBe(true)
    fireEvent.click(within(conflict).getByRole('button', { name: 'Keep mine (overwrite disk)' }))
    await within(editor).findByText('Saved.')
    expect(
      cache.transport.requests('artifact.updateMetadata').map((r) => r.expectedVersion),
    ).toEqual(['v1', 'v2'])
    expect(cache.rows.get('stations.csv')?.metadata).toEqual({ experiment: 'mine' })
    expect(marked('stations.csv')).toBe(false)
  })
})

describe('a draft in a read-only cache', () => {
  it('can still be opened and reverted, not saved', async () => {
    const { explorer } = await renderExplorer()
    await selectRow('stations.csv')
    const first = openEditor()
    const original = first.textarea.value
    fireEvent.change(first.textarea, { target: { value: MINE } })
    await selectRow('arrays/grid-i4')
    await act(() => explorer.app.getState().setReadonly(true))
    const edit = screen.getByRole('button', { name: 'Edit metadata' }) as HTMLButtonElement
    expect(edit.disabled).toBe(true) // no draft here
    await selectRow('stations.csv')
    const { editor, textarea } = openEditor()
    expect(textarea.value).toBe(MINE)
    const save = within(editor).getByRole('button', { name: 'Save metadata' }) as HTMLButtonElement
    expect(save.disabled).toBe(true)
    fireEvent.click(within(editor).getByRole('button', { name: 'Revert' }))
    expect(textarea.value).toBe(original)
    expect(marked('stations.csv')).toBe(false)
  })
})
