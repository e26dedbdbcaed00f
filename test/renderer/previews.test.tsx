// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Preview } from '../../shared/ipc'
import { DatasetPreview } from '../../renderer/src/preview/DatasetPreview'
import type { DatasetPreviewData } from '../../renderer/src/preview/dataset-model'
import { createExplorer } from '../../renderer/src/state/explorer'
import { FakeTransport } from '../../renderer/src/ipc/fake-transport'
import { IpcError } from '../../renderer/src/ipc/transport'
import { renderExplorer, renderWith } from './render-explorer'

const TOTAL_ROWS = 250

function tablePage(offset: number, rows: number): Preview {
  const n = Math.max(0, Math.min(rows, TOTAL_ROWS - offset))
  return {
    kind: 'table',
    rowCount: offset + rows >= TOTAL_ROWS ? TOTAL_ROWS : null,
    offset,
    columns: [
      { name: 'time', type: 'datetime' },
      { name: 'tmax', type: 'float64' },
    ],
    index: { name: null, values: Array.from({ length: n }, (_, i) => offset + i) },
    rows: Array.from({ length: n }, (_, i) => [
      `2021-01-01T${String((offset + i) % 24).padStart(2, '0')}:00:00`,
      i % 13 === 0 ? null : 10 + i,
    ]),
    bytesRead: 65_500 + offset * 10,
    totalBytes: 70_900,
  }
}

async function select(key: string) {
  fireEvent.click(document.querySelector(`tr[data-key="${key}"]`) as HTMLElement)
  await screen.findByRole('heading', { name: key })
}

describe('table preview', () => {
  it('shows columns with types, the index, bytes read, "counting…", and pages', async () => {
    const { cache } = await renderExplorer({ previews: { 'obs/hourly-2021.csv': tablePage } })
    await select('obs/hourly-2021.csv')
    const grid = await screen.findByTestId('preview-table')
    const headers = within(grid)
      .getAllByRole('columnheader')
      .map((h) => h.textContent)
    expect(headers).toEqual(['index', 'timedatetime', 'tmaxfloat64'])
    expect(within(grid).getByText('Rows 1–100 of', { exact: false }).textContent).toBe(
      'Rows 1–100 of counting…',
    )
    expect(within(grid).getByText(/^read /).textContent).toBe('read 65.5 KB of 70.9 KB')
    expect(within(grid).getAllByText('NaN').length).toBeGreaterThan(0)
    fireEvent.click(within(grid).getByRole('button', { name: 'Next ›' }))
    await waitFor(() =>
      expect(within(screen.getByTestId('preview-table')).getByText(/^Rows/).textContent).toBe(
        'Rows 101–200 of counting…',
      ),
    )
    fireEvent.click(
      within(screen.getByTestId('preview-table')).getByRole('button', { name: 'Next ›' }),
    )
    await waitFor(() =>
      expect(within(screen.getByTestId('preview-table')).getByText(/^Rows/).textContent).toBe(
        'Rows 201–250 of 250',
      ),
    )
    expect(
      (
        within(screen.getByTestId('preview-table')).getByRole('button', {
          name: 'Next ›',
        }) as HTMLButtonElement
      ).disabled,
    ).toBe(true)
    expect(cache.transport.requests('artifact.preview').map((r) => r.offset)).toEqual([0, 100, 200])
  })

  it('shows the engine error inline, and ignores a late answer for a row no longer selected', async () => {
    const { cache } = await renderExplorer()
    let releaseSlow: () => void = () => {}
    cache.transport.handle('artifact.preview', async (req) => {
      if (req.key === 'stations.csv') {
        await new Promise<void>((r) => (releaseSlow = r))
        return tablePage(0, 100)
      }
      throw new IpcError(
        'CORRUPT_PAYLOAD',
        `The payload of ${req.key} is not a pickle joblib can read.`,
      )
    })
    await select('stations.csv')
    expect(screen.getByText('Reading a preview…')).toBeTruthy()
    await select('arrays/grid-i4')
    const alert = await screen.findByText(
      'The payload of arrays/grid-i4 is not a pickle joblib can read.',
    )
    expect(alert).toBeTruthy()
    releaseSlow()
    await new Promise((r) => setTimeout(r, 20))
    expect(screen.queryByTestId('preview-table')).toBeNull()
  })
})

describe('object preview', () => {
  const value = {
    name: 'ctrl',
    params: { dt: 0.5, levels: [1000, 850, 500] },
    model: { __python__: 'sklearn.linear_model.LinearRegression' },
    enabled: true,
    parent: null,
  }

  it('is a collapsible tree; python objects show as inert placeholders', async () => {
    await renderExplorer({
      previews: {
        'runs/2022/config': {
          kind: 'object',
          value,
          truncated: false,
          bytesRead: 137,
          totalBytes: 137,
        },
      },
    })
    await select('runs/2022/config')
    const tree = await screen.findByTestId('preview-tree')
    expect(within(tree).getByText('dict {5 keys}')).toBeTruthy()
    const chip = within(tree).getByText('sklearn.linear_model.LinearRegression')
    expect(chip.className).toContain('inert')
    expect(chip.getAttribute('title')).toMatch(/not loaded: no code from a pickle runs here/)
    expect(within(tree).queryByText('1000')).toBeNull()
    fireEvent.click(within(tree).getByRole('button', { name: 'Expand params' }))
    fireEvent.click(within(tree).getByRole('button', { name: 'Expand levels' }))
    expect(within(tree).getByText('1000')).toBeTruthy()
    expect(within(tree).getByText('True')).toBeTruthy()
    expect(within(tree).getByText('None')).toBeTruthy()
    fireEvent.click(within(tree).getByRole('button', { name: 'Collapse params' }))
    expect(within(tree).queryByText('1000')).toBeNull()
  })

  it('a 2-D numpy array plots as a heatmap with a colorbar; NaN counted; the grid is a tab away', async () => {
    const grid = {
      dtype: 'float64',
      shape: [3, 4],
      values: [
        [0, 1, 2, 3],
        [4, null, 6, 7],
        [8, 9, 10, 11],
      ],
    }
    await renderExplorer({
      previews: {
        'arrays/grid-i4': {
          kind: 'object',
          value: grid,
          truncated: false,
          bytesRead: 273,
          totalBytes: 273,
        },
      },
    })
    await select('arrays/grid-i4')
    const heatmap = await screen.findByTestId('heatmap')
    expect(within(heatmap).getByRole('img', { name: 'Heatmap of 3 × 4 values' })).toBeTruthy()
    const bar = within(heatmap).getByTestId('colorbar')
    expect([...bar.querySelectorAll('text')].map((t) => t.textContent)).toEqual([
      '0',
      '2',
      '4',
      '6',
      '8',
      '10',
      'NaN',
    ])
    expect(heatmap.textContent).toContain('1 missing (NaN)')
    fireEvent.click(screen.getByRole('button', { name: 'Grid' }))
    const table = screen.getByTestId('array-grid')
    expect(within(table).getAllByText('NaN').length).toBe(1)
    expect(within(table).getAllByRole('row').length).toBe(4)
  })

  it('a 1-D array plots as a line with its missing values marked', async () => {
    const series = { dtype: 'float64', shape: [6], values: [0, 0.5, null, 1, 0.5, 0] }
    await renderExplorer({
      previews: {
        'arrays/sine-f8': {
          kind: 'object',
          value: series,
          truncated: false,
          bytesRead: 900,
          totalBytes: 900,
        },
      },
    })
    await select('arrays/sine-f8')
    const plot = await screen.findByTestId('line-plot')
    const path = plot.querySelector('path.line')?.getAttribute('d') ?? ''
    expect(path.match(/M/g)?.length).toBe(2) // the line breaks at the missing value
    expect(plot.querySelectorAll('.missing-mark').length).toBe(1)
    expect(plot.textContent).toContain('1 missing value (NaN/null)')
  })
})

describe('unsupported preview', () => {
  it('says why, with the sidecar a tab away', async () => {
    await renderExplorer({
      previews: {
        'stations.csv': {
          kind: 'unsupported',
          serializer: 'xarray.zarr',
          message: 'Zarr previews are not written yet.',
        },
      },
    })
    await select('stations.csv')
    const box = await screen.findByTestId('preview-unsupported')
    expect(box.textContent).toContain(
      'No preview for xarray.zarr. Zarr previews are not written yet.',
    )
    fireEvent.click(screen.getByRole('tab', { name: 'Sidecar JSON' }))
    expect(screen.getByRole('tabpanel').textContent).toContain('"serializer": "pandas.csv"')
  })
})

/** A dataset in the `show --json` form, with 1,500 data variables. */
function bigDataset(): DatasetPreviewData {
  const dataVars: Record<string, unknown> = {}
  for (let i = 0; i < 1500; i++) {
    dataVars[`var_${String(i).padStart(4, '0')}`] = {
      dims: ['time', 'lat', 'lon'],
      shape: [2, 3, 4],
      dtype: 'float32',
      attrs: { units: 'K', long_name: `variable ${i}` },
    }
  }
  dataVars.sst = {
    dims: ['time', 'lat'],
    dtype: 'float64',
    shape: [2, 3],
    attrs: { units: 'degC' },
    values: [
      [20.5, 21, null],
      [22, 23.5, 24],
    ],
  }
  return {
    kind: 'dataset',
    dims: { time: 2, lat: 3, lon: 4 },
    coords: {
      time: {
        dims: ['time'],
        shape: [2],
        dtype: 'datetime64[ns]',
        attrs: {},
        values: ['2021-01-01T00:00:00', '2021-02-01T00:00:00'],
      },
      lat: {
        dims: ['lat'],
        shape: [3],
        dtype: 'float64',
        attrs: { units: 'degrees_north' },
        values: [-10, 0, 10],
      },
      lon: { dims: ['lon'], shape: [4], dtype: 'float64', attrs: { units: 'degrees_east' } },
    },
    data_vars: dataVars,
    attrs: { title: 'SST monthly', Conventions: 'CF-1.8' },
    notes: [],
    bytesRead: 4096,
    totalBytes: 52_000_000,
  }
}

describe('dataset preview', () => {
  function renderDataset() {
    const explorer = createExplorer(new FakeTransport())
    renderWith(explorer, <DatasetPreview preview={bigDataset()} />)
    return explorer
  }

  it('shows dimensions, coordinates, data variables and attributes like xarray', () => {
    const ex = renderDataset()
    expect(screen.getByLabelText('Dimensions').textContent).toBe(
      'Dimensions: time: 2, lat: 3, lon: 4',
    )
    expect(screen.getByRole('button', { name: /Coordinates \(3\)/ })).toBeTruthy()
    expect(screen.getByRole('button', { name: /Data variables \(1501\)/ })).toBeTruthy()
    const coords = screen.getByRole('list', { name: 'Coordinates' })
    expect(within(coords).getByText('* lat')).toBeTruthy()
    expect(within(coords).getByText('-10 0 10')).toBeTruthy()
    expect(screen.getByText('read 4.1 KB of 52.0 MB')).toBeTruthy()
    ex.dispose()
  })

  it('stays small with 1,500 variables: only a window is in the DOM, and a filter finds any', () => {
    const ex = renderDataset()
    const vars = screen.getByRole('list', { name: 'Data variables' })
    const rendered = within(vars).getAllByRole('listitem').length
    expect(rendered).toBeGreaterThan(5)
    expect(rendered).toBeLessThan(60)
    // attributes are rendered only when opened: the dataset's own list is the one in the DOM
    expect(document.querySelectorAll('.ds-attrs').length).toBe(1)
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter data variables' }), {
      target: { value: 'var_1234' },
    })
    expect(
      within(screen.getByRole('list', { name: 'Data variables' }))
        .getAllByRole('listitem')
        .map((l) => l.getAttribute('aria-label')),
    ).toEqual(['var_1234'])
    ex.dispose()
  })

  it('sections collapse; attributes expand per variable; a variable with data plots', async () => {
    const ex = renderDataset()
    fireEvent.click(screen.getByRole('button', { name: /Coordinates \(3\)/ }))
    expect(screen.queryByRole('list', { name: 'Coordinates' })).toBeNull()
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter data variables' }), {
      target: { value: 'sst' },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Attributes of sst (1)' }))
    expect(screen.getByText('units :')).toBeTruthy()
    expect(screen.getByText('degC')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Plot sst' }))
    const heatmap = await screen.findByTestId('heatmap', {}, { timeout: 5000 })
    // axes labelled with the dimension names and coordinate values
    expect(heatmap.textContent).toContain('lat')
    expect(heatmap.textContent).toContain('2021-01-01')
    expect(heatmap.textContent).toContain('1 missing (NaN)')
    ex.dispose()
  })
})
