// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { folderFromPick } from '../../renderer/src/state/put-store'
import { renderExplorer } from './render-explorer'

/** A File as `<input webkitdirectory>` gives it: its path under the chosen folder's parent. */
function picked(rel: string, text: string): File {
  const file = new File([text], rel.split('/').pop() ?? rel)
  Object.defineProperty(file, 'webkitRelativePath', { value: rel })
  return file
}

const ZARR = () => [
  picked('sst.zarr/.zgroup', '{"zarr_format": 2}'),
  picked('sst.zarr/sst/.zarray', '{}'),
  picked('sst.zarr/sst/0.0.0', 'chunk'),
]

/** A gate the fake transport waits on after each file, opened by hand. */
function gate() {
  const waiting: (() => void)[] = []
  return {
    wait: () => new Promise<void>((resolve) => waiting.push(resolve)),
    open: () => waiting.splice(0).forEach((r) => r()),
  }
}

async function openPut() {
  const rendered = await renderExplorer()
  fireEvent.click(screen.getByRole('button', { name: '+ Put' }))
  const dialog = screen.getByRole('dialog', { name: 'Put a file into the cache' })
  return { ...rendered, dialog }
}

describe('put dialog, folder (browser mode)', () => {
  it('sends the folder with its top name dropped, shows progress, and puts its handle', async () => {
    const { cache, dialog } = await openPut()
    expect(within(dialog).getByRole('button', { name: 'Choose Zarr folder…' })).toBeTruthy()
    const input = within(dialog).getByTestId('put-folder-input') as HTMLInputElement
    expect(input.hasAttribute('webkitdirectory')).toBe(true)
    fireEvent.change(input, { target: { files: ZARR() } })
    await waitFor(() =>
      expect((within(dialog).getByLabelText('Key') as HTMLInputElement).value).toBe('sst.zarr'),
    )
    expect(within(dialog).getByText(/3 files/)).toBeTruthy()
    expect(within(dialog).getByRole('option', { name: 'auto (xarray.zarr or xcollection)' }))
    const g = gate()
    cache.transport.folderGate = g.wait
    fireEvent.click(within(dialog).getByRole('button', { name: 'Put' }))
    const progress = await within(dialog).findByTestId('put-progress')
    expect(progress.textContent).toMatch(/Sent 1 of 3 files \(18 B of 25 B\)/)
    g.open()
    await waitFor(() => expect(progress.textContent).toMatch(/Sent 2 of 3 files/))
    g.open()
    await waitFor(() => expect(progress.textContent).toMatch(/Sent 3 of 3 files/))
    g.open()
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(cache.transport.folders[0]?.map((f) => f.path)).toEqual([
      '.zgroup',
      'sst/.zarray',
      'sst/0.0.0',
    ])
    expect(await cache.transport.folders[0]?.[2]?.blob.text()).toBe('chunk')
    expect(cache.transport.requests('artifact.put')[0]).toMatchObject({
      key: 'sst.zarr',
      serializer: 'auto',
      file: { name: 'sst.zarr', handle: 'folder:0' },
    })
  })

  it('stops an upload on request: nothing is put, and the dialog says so', async () => {
    const { cache, dialog } = await openPut()
    fireEvent.change(within(dialog).getByTestId('put-folder-input'), {
      target: { files: ZARR() },
    })
    await waitFor(() =>
      expect((within(dialog).getByLabelText('Key') as HTMLInputElement).value).toBe('sst.zarr'),
    )
    const g = gate()
    cache.transport.folderGate = g.wait
    fireEvent.click(within(dialog).getByRole('button', { name: 'Put' }))
    await within(dialog).findByTestId('put-progress')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop upload' }))
    g.open()
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Not stored: Upload stopped; nothing was stored.',
    )
    expect(cache.transport.folders).toEqual([])
    expect(cache.transport.requests('artifact.put')).toEqual([])
  })

  it('offers only the serializers that can write what was picked, back to auto on a switch', async () => {
    const { dialog } = await openPut()
    const choices = () =>
      within(within(dialog).getByLabelText('Serializer'))
        .getAllByRole('option')
        .map((o) => o.textContent)
    const file = new File(['a,b\n1,2\n'], 'new.csv', { type: 'text/csv' })
    fireEvent.change(within(dialog).getByLabelText('File'), { target: { files: [file] } })
    await waitFor(() => expect(choices()[0]).toBe('auto (pandas.csv)'))
    expect(choices().slice(1)).toEqual(['joblib', 'pandas.csv', 'xarray.netcdf'])
    fireEvent.change(within(dialog).getByLabelText('Serializer'), {
      target: { value: 'pandas.csv' },
    })
    fireEvent.change(within(dialog).getByTestId('put-folder-input'), { target: { files: ZARR() } })
    await waitFor(() =>
      expect(choices()).toEqual(['auto (xarray.zarr or xcollection)', 'xarray.zarr']),
    )
    expect((within(dialog).getByLabelText('Serializer') as HTMLSelectElement).value).toBe('auto')
  })

  it('refuses an empty pick or files from two folders', () => {
    expect(folderFromPick([])).toMatch(/empty/)
    expect(folderFromPick([new File(['x'], 'x')])).toMatch(/empty/)
    expect(folderFromPick([picked('a/x', '1'), picked('b/y', '2')])).toBe(
      'b/y is not inside a; choose one folder.',
    )
  })
})
