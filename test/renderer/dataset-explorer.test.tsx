// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DatasetSlice, RequestOf } from '../../shared/ipc'
import { CollectionPreview } from '../../renderer/src/preview/CollectionPreview'
import { DatasetPreview } from '../../renderer/src/preview/DatasetPreview'
import type { DatasetPreviewData } from '../../renderer/src/preview/dataset-model'
import { remoteSource } from '../../renderer/src/preview/dataset-source'
import type { MemoryArray } from '../../renderer/src/preview/local-slice'
import { FakeTransport } from '../../renderer/src/ipc/fake-transport'
import { serveFakeDatasets, type FakeDataset } from '../../renderer/src/ipc/fake-datasets'
import { createExplorer } from '../../renderer/src/state/explorer'
import { renderExplorer, renderWith } from './render-explorer'

const WAIT = { timeout: 10_000 }

// React's warnings (duplicate keys, updates after unmount) are bugs here, not noise.
let consoleErrors: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  consoleErrors = vi.spyOn(console, 'error')
})
afterEach(() => {
  const calls = consoleErrors.mock.calls.map((c) => String(c[0]))
  consoleErrors.mockRestore()
  expect(calls).toEqual([])
})
const TIMES = ['2021-01-01T00:00:00', '2021-02-01T00:00:00', '2021-03-01T00:00:00']
const LATS = [-30, -10, 10, 30]
const LONS = [0, 90, 180, 270, 355]

/** sst(time, lat, lon) = time*100 + lat index*10 + lon index, NaN at (0, 0, 0), in K. */
function sstDataset(): Map<string, MemoryArray> {
  const values: (number | null)[] = []
  for (let t = 0; t < 3; t++)
    for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) values.push(t * 100 + y * 10 + x)
  values[0] = null
  return new Map<string, MemoryArray>([
    ['time', { dims: ['time'], shape: [3], dtype: 'datetime64[ns]', values: TIMES }],
    ['lat', { dims: ['lat'], shape: [4], dtype: 'float64', values: LATS }],
    ['lon', { dims: ['lon'], shape: [5], dtype: 'float64', values: LONS }],
    ['sst', { dims: ['time', 'lat', 'lon'], shape: [3, 4, 5], dtype: 'float32', values }],
  ])
}

/** The preview of that dataset, as the engine sends it: time's values not inline (pretend big). */
function sstPreview(): DatasetPreviewData {
  return {
    kind: 'dataset',
    dims: { time: 3, lat: 4, lon: 5 },
    coords: {
      time: {
        dims: ['time'],
        shape: [3],
        dtype: 'datetime64[ns]',
        attrs: { standard_name: 'time' },
      },
      lat: {
        dims: ['lat'],
        shape: [4],
        dtype: 'float64',
        attrs: { units: 'degrees_north' },
        values: LATS,
      },
      lon: {
        dims: ['lon'],
        shape: [5],
        dtype: 'float64',
        attrs: { units: 'degrees_east' },
        values: LONS,
      },
    },
    data_vars: {
      sst: {
        dims: ['time', 'lat', 'lon'],
        shape: [3, 4, 5],
        dtype: 'float32',
        attrs: { units: 'K' },
      },
    },
    attrs: {},
    notes: [],
    bytesRead: 100,
    totalBytes: 1000,
  }
}

function setup(datasets = new Map<string, FakeDataset>([['sst.nc', sstDataset()]])) {
  const transport = new FakeTransport()
  const fake = serveFakeDatasets(transport, datasets)
  const explorer = createExplorer(transport)
  const source = remoteSource(transport, { cacheId: 'c1', key: 'sst.nc' })
  return { transport, fake, explorer, source }
}

type SliceReq = RequestOf<'dataset.slice'>
const slicesOf = (t: FakeTransport, variable: string): SliceReq[] =>
  t.requests('dataset.slice').filter((r) => r.variable === variable)

async function openSst() {
  const s = setup()
  renderWith(s.explorer, <DatasetPreview preview={sstPreview()} source={s.source} />)
  fireEvent.click(screen.getByRole('button', { name: 'Plot sst' }))
  const heatmap = await screen.findByTestId('heatmap', {}, WAIT)
  return { ...s, heatmap }
}

/** Gives the canvas a size, as a browser's layout would (jsdom measures 0 x 0). */
function sizeCanvas(canvas: HTMLElement, width: number, height: number) {
  canvas.getBoundingClientRect = () =>
    ({ left: 0, top: 0, width, height, right: width, bottom: height, x: 0, y: 0 }) as DOMRect
}

describe('dataset heatmap', () => {
  it('defaults to the last two dims and labels the time slider with decoded dates, read by slice', async () => {
    const { transport, heatmap } = await openSst()
    expect(slicesOf(transport, 'sst')[0]).toMatchObject({
      cacheId: 'c1',
      key: 'sst.nc',
      selection: [0, null, null],
      maxElements: 250_000,
    })
    expect(heatmap.textContent).toContain('lat')
    await waitFor(
      () => expect(screen.getByTestId('slider-label-time').textContent).toBe('2021-01-01'),
      WAIT,
    )
    // time is not inline: its label came from a one-element slice of the coordinate
    expect(slicesOf(transport, 'time')[0]).toMatchObject({ selection: [0], maxElements: 1 })
    fireEvent.change(screen.getByRole('slider', { name: 'time index' }), { target: { value: '2' } })
    // until the coordinate at the new index is read, the label does not name the old date
    expect(screen.getByTestId('slider-label-time').textContent).toBe('#2…')
    await waitFor(
      () => expect(screen.getByTestId('slider-label-time').textContent).toBe('2021-03-01'),
      WAIT,
    )
    await waitFor(
      () => expect(slicesOf(transport, 'sst').at(-1)?.selection).toEqual([2, null, null]),
      WAIT,
    )
  })

  it('choosing the dims changes the request; the third dim gets the slider', async () => {
    const { transport } = await openSst()
    fireEvent.change(screen.getByRole('combobox', { name: 'y dimension' }), {
      target: { value: 'time' },
    })
    await waitFor(
      () => expect(slicesOf(transport, 'sst').at(-1)?.selection).toEqual([null, 0, null]),
      WAIT,
    )
    expect(screen.getByRole('slider', { name: 'lat index' })).toBeTruthy()
    await waitFor(
      () => expect(screen.getByTestId('slider-label-lat').textContent).toBe('-30'),
      WAIT,
    )
    // picking x = time swaps the axes rather than showing time twice
    fireEvent.change(screen.getByRole('combobox', { name: 'x dimension' }), {
      target: { value: 'time' },
    })
    expect((screen.getByRole('combobox', { name: 'y dimension' }) as HTMLSelectElement).value).toBe(
      'lon',
    )
    await waitFor(
      () => expect(screen.getByRole('img', { name: 'Heatmap of 5 × 3 values' })).toBeTruthy(),
      WAIT,
    )
  })

  it('robust limits by default, the full range on request; the colorbar has units and NaN', async () => {
    const { heatmap } = await openSst()
    // time 0: values 1..34 (0 is NaN): the 2nd-98th percentiles sit inside
    const caption = () => within(screen.getByTestId('heatmap')).getByText(/^colours/).textContent
    // 19 finite values: numpy's percentile(…, 2) is 1.36 and (…, 98) is 33.64
    expect(caption()).toMatch(/^colours 1\.36 to 33\.64 K/)
    fireEvent.click(screen.getByRole('checkbox', { name: /robust limits/ }))
    await waitFor(() => expect(caption()).toMatch(/^colours 1 to 34 K/))
    const bar = within(heatmap).getByTestId('colorbar')
    expect(bar.textContent).toContain('K')
    expect(bar.textContent).toContain('NaN')
    expect(within(heatmap).getByTestId('nan-swatch').getAttribute('fill')).toBe(
      'rgb(150, 150, 150)',
    )
    expect(heatmap.textContent).toContain('1 missing (NaN)')
    // a diverging map is centred at 0
    fireEvent.change(screen.getByRole('combobox', { name: 'Colour map' }), {
      target: { value: 'RdBu_r' },
    })
    await waitFor(() => expect(caption()).toMatch(/^colours -34 to 34 K/))
  })

  it('data on both sides of 0 starts on the diverging map, centred, as xarray does', async () => {
    const ds = sstDataset().set('anom', {
      dims: ['lat', 'lon'],
      shape: [4, 5],
      dtype: 'float64',
      values: Array.from({ length: 20 }, (_, i) => i - 5),
    })
    const s = setup(new Map([['sst.nc', ds]]))
    const preview = sstPreview()
    preview.data_vars = {
      anom: { dims: ['lat', 'lon'], shape: [4, 5], dtype: 'float64', attrs: {} },
    }
    renderWith(s.explorer, <DatasetPreview preview={preview} source={s.source} />)
    fireEvent.click(screen.getByRole('button', { name: 'Plot anom' }))
    const heatmap = await screen.findByTestId('heatmap', {}, WAIT)
    const cmap = screen.getByRole('combobox', { name: 'Colour map' }) as HTMLSelectElement
    expect(cmap.value).toBe('RdBu_r')
    fireEvent.click(screen.getByRole('checkbox', { name: /robust limits/ }))
    await waitFor(() =>
      expect(within(heatmap).getByText(/^colours/).textContent).toBe('colours -14 to 14'),
    )
    // the user's choice wins
    fireEvent.change(cmap, { target: { value: 'magma' } })
    await waitFor(() =>
      expect(within(heatmap).getByText(/^colours/).textContent).toBe('colours -5 to 14'),
    )
  })

  it('hover shows the coordinates and the value; a click plots that point through time', async () => {
    const { transport, heatmap } = await openSst()
    const canvas = within(heatmap).getByRole('img', { name: 'Heatmap of 4 × 5 values' })
    sizeCanvas(canvas, 500, 400)
    // latitude ascends, so the first row is drawn at the bottom: the top row is lat 30 (index 3)
    fireEvent.mouseMove(canvas, { clientX: 150, clientY: 50 })
    expect(screen.getByTestId('hover-readout').textContent).toBe('lat 30, lon 90: 31 K')
    fireEvent.mouseMove(canvas, { clientX: 10, clientY: 390 })
    expect(screen.getByTestId('hover-readout').textContent).toBe('lat -30, lon 0: NaN')
    fireEvent.click(canvas, { clientX: 150, clientY: 50 })
    await waitFor(
      () => expect(slicesOf(transport, 'sst').at(-1)?.selection).toEqual([null, 3, 1]),
      WAIT,
    )
    const series = await screen.findByRole('region', { name: 'Point series' }, WAIT)
    expect(series.textContent).toContain('sst at lat = 30, lon = 90 along time')
    const plot = await within(series).findByTestId('line-plot', {}, WAIT)
    expect(plot.textContent).toContain('2021-01-01')
    expect(plot.textContent).toContain('2021-03-01')
  })

  it('the keyboard moves a cursor over the cells and Enter plots the point', async () => {
    const { transport, heatmap } = await openSst()
    const canvas = within(heatmap).getByRole('img', { name: 'Heatmap of 4 × 5 values' })
    fireEvent.focus(canvas)
    // latitude ascends, so the first row is at the bottom: the cursor starts top-left at lat 30
    expect(screen.getByTestId('hover-readout').textContent).toBe('lat 30, lon 0: 30 K')
    fireEvent.keyDown(canvas, { key: 'ArrowDown' })
    fireEvent.keyDown(canvas, { key: 'ArrowRight' })
    fireEvent.keyDown(canvas, { key: 'ArrowRight' })
    expect(screen.getByTestId('hover-readout').textContent).toBe('lat 10, lon 180: 22 K')
    fireEvent.keyDown(canvas, { key: 'Enter' })
    await waitFor(
      () => expect(slicesOf(transport, 'sst').at(-1)?.selection).toEqual([null, 2, 2]),
      WAIT,
    )
  })

  it('a point series runs along the time dim found by CF attributes, not the first other dim', async () => {
    // t(member, when, lat, lon): "when" is time by axis T; "member" comes first but is not time
    const values = Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i)
    const ds = new Map<string, MemoryArray>([
      [
        'when',
        {
          dims: ['when'],
          shape: [3],
          dtype: 'object',
          values: ['2000-01-01T00:00:00', '2000-01-02T00:00:00', '2000-01-03T00:00:00'],
        },
      ],
      [
        't',
        { dims: ['member', 'when', 'lat', 'lon'], shape: [2, 3, 4, 5], dtype: 'float64', values },
      ],
    ])
    const s = setup(new Map([['t.nc', ds]]))
    const preview: DatasetPreviewData = {
      ...sstPreview(),
      dims: { member: 2, when: 3, lat: 4, lon: 5 },
      coords: {
        when: {
          dims: ['when'],
          shape: [3],
          dtype: 'object',
          attrs: { axis: 'T', calendar: 'noleap' },
        },
      },
      data_vars: {
        t: {
          dims: ['member', 'when', 'lat', 'lon'],
          shape: [2, 3, 4, 5],
          dtype: 'float64',
          attrs: {},
        },
      },
    }
    renderWith(
      s.explorer,
      <DatasetPreview
        preview={preview}
        source={remoteSource(s.transport, { cacheId: 'c1', key: 't.nc' })}
      />,
    )
    fireEvent.click(screen.getByRole('button', { name: 'Plot t' }))
    const heatmap = await screen.findByTestId('heatmap', {}, WAIT)
    fireEvent.focus(within(heatmap).getByRole('img', { name: 'Heatmap of 4 × 5 values' }))
    fireEvent.keyDown(within(heatmap).getByRole('img', { name: 'Heatmap of 4 × 5 values' }), {
      key: 'Enter',
    })
    await waitFor(
      () => expect(slicesOf(s.transport, 't').at(-1)?.selection).toEqual([0, null, 0, 0]),
      WAIT,
    )
    const series = await screen.findByRole('region', { name: 'Point series' }, WAIT)
    expect((await within(series).findByTestId('line-plot', {}, WAIT)).textContent).toContain(
      '2000-01-03',
    )
  })

  it('a 1000 x 2000 grid is asked for every 3rd point, and says so', async () => {
    const big = new Map<string, MemoryArray>([
      [
        'field',
        {
          dims: ['y', 'x'],
          shape: [1000, 2000],
          dtype: 'float32',
          values: new Array<number>(2_000_000).fill(1),
        },
      ],
    ])
    const s = setup(new Map([['big', big]]))
    const preview: DatasetPreviewData = {
      kind: 'dataset',
      dims: { y: 1000, x: 2000 },
      coords: {},
      data_vars: { field: { dims: ['y', 'x'], shape: [1000, 2000], dtype: 'float32', attrs: {} } },
      attrs: {},
      notes: [],
      bytesRead: 0,
      totalBytes: 8_000_000,
    }
    renderWith(
      s.explorer,
      <DatasetPreview
        preview={preview}
        source={remoteSource(s.transport, { cacheId: 'c1', key: 'big' })}
      />,
    )
    fireEvent.click(screen.getByRole('button', { name: 'Plot field' }))
    await screen.findByRole('img', { name: 'Heatmap of 334 × 667 values' }, WAIT)
    expect(s.transport.requests('dataset.slice')[0]?.selection).toEqual([
      { start: 0, stop: 1000, step: 3 },
      { start: 0, stop: 2000, step: 3 },
    ])
    expect(screen.getByTestId('slice-status').textContent).toContain(
      '1000 × 2000, showing every 3rd point',
    )
  })

  it('coastlines are drawn (from the lazily loaded atlas) on a lat/lon grid only', async () => {
    await openSst()
    const path = await screen.findByTestId('coastlines', {}, WAIT)
    expect((path.getAttribute('d') ?? '').length).toBeGreaterThan(100)
    fireEvent.click(screen.getByRole('checkbox', { name: 'coastlines' }))
    expect(screen.queryByTestId('coastlines')).toBeNull()
    // time x lon is not a map
    fireEvent.change(screen.getByRole('combobox', { name: 'y dimension' }), {
      target: { value: 'time' },
    })
    expect(screen.queryByRole('checkbox', { name: 'coastlines' })).toBeNull()
  })

  it('a failed slice shows inline', async () => {
    const s = setup()
    s.transport.handle('dataset.slice', () => {
      throw new Error('chunk 3 of sst is truncated')
    })
    renderWith(s.explorer, <DatasetPreview preview={sstPreview()} source={s.source} />)
    fireEvent.click(screen.getByRole('button', { name: 'Plot sst' }))
    const alert = await screen.findByRole('alert', {}, WAIT)
    expect(alert.textContent).toBe('Could not read sst: chunk 3 of sst is truncated')
  })
})

describe('line plots', () => {
  it('a 1-D variable without inline values is read with dataset.slice and drawn against its dates', async () => {
    const ds = sstDataset().set('nino', {
      dims: ['time'],
      shape: [3],
      dtype: 'float64',
      values: [0.5, null, -1.25],
    })
    const s = setup(new Map([['sst.nc', ds]]))
    const preview = sstPreview()
    preview.data_vars = {
      nino: { dims: ['time'], shape: [3], dtype: 'float64', attrs: { units: 'K' } },
    }
    renderWith(s.explorer, <DatasetPreview preview={preview} source={s.source} />)
    fireEvent.click(screen.getByRole('button', { name: 'Plot nino' }))
    const plot = await screen.findByTestId('line-plot', {}, WAIT)
    expect(slicesOf(s.transport, 'nino')).toEqual([
      { cacheId: 'c1', key: 'sst.nc', variable: 'nino', selection: [null], maxElements: 100_000 },
    ])
    expect(plot.textContent).toContain('2021-01-01')
    expect(plot.textContent).toContain('nino [K]')
    expect(plot.textContent).toContain('1 missing value')
  })
})

describe('dataset statistics', () => {
  it('shows progress, cancels, and on a second run gives min/max/mean/NaN count', async () => {
    const { transport, fake } = await openSst()
    fireEvent.click(screen.getByRole('button', { name: 'Compute statistics' }))
    await screen.findByRole('button', { name: 'Cancel' }, WAIT)
    act(() => fake.advance())
    await waitFor(() => expect(screen.getByText('1 of 4 chunks')).toBeTruthy(), WAIT)
    expect(
      (screen.getByRole('progressbar', { name: 'Statistics progress' }) as HTMLProgressElement)
        .value,
    ).toBe(1)
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    await screen.findByText('Cancelled.', {}, WAIT)
    expect(transport.requests('job.cancel')).toEqual([{ jobId: 'stats-0' }])
    // the cancelled job does not move on
    act(() => fake.advance())
    // the job ended with the engine's "Cancelled" error, which reads as Cancelled, not a failure
    expect(fake.jobs().get('stats-0')).toMatchObject({ done: 1, finished: true, stats: null })
    expect(fake.jobs().get('stats-0')?.error?.message).toMatch(/^Cancelled/)
    expect(screen.queryByRole('alert')).toBeNull()

    fireEvent.click(screen.getByRole('button', { name: 'Compute statistics' }))
    await screen.findByRole('button', { name: 'Cancel' }, WAIT)
    for (let i = 0; i < 4; i++) act(() => fake.advance())
    const result = await screen.findByTestId('stats-result', {}, WAIT)
    // 60 values, one NaN: min 1, max 234, mean of the other 59
    // per time step the sum is 340 + 2000 t; all three give 7020, less the NaN cell's 0
    const mean = 7020 / 59
    expect(result.textContent).toBe(`min1max234mean${Number(mean.toPrecision(6))}NaN1 of 60`)
    expect(transport.requests('dataset.stats')).toEqual([
      { cacheId: 'c1', key: 'sst.nc', variable: 'sst' },
      { cacheId: 'c1', key: 'sst.nc', variable: 'sst' },
    ])
  })
})

describe('collections', () => {
  it('a member picker shows each member and reads slices of the chosen member', async () => {
    const second = sstPreview()
    second.data_vars = {
      tas: {
        dims: ['time', 'lat', 'lon'],
        shape: [3, 4, 5],
        dtype: 'float32',
        attrs: { units: 'K' },
      },
    }
    const ds = sstDataset()
    const tas = new Map(ds).set('tas', ds.get('sst') as MemoryArray)
    const s = setup(
      new Map([
        ['coll/ocean', ds],
        ['coll/atmos', tas],
      ]),
    )
    renderWith(
      s.explorer,
      <CollectionPreview
        preview={{
          kind: 'collection',
          datasets: { ocean: sstPreview(), atmos: second },
          bytesRead: 10,
          totalBytes: 20,
        }}
        transport={s.transport}
        cacheId="c1"
        artifactKey="coll"
      />,
    )
    const picker = screen.getByRole('combobox', { name: 'Collection member' }) as HTMLSelectElement
    expect([...picker.options].map((o) => o.value)).toEqual(['ocean', 'atmos'])
    expect(screen.getByRole('button', { name: 'Plot sst' })).toBeTruthy()
    fireEvent.change(picker, { target: { value: 'atmos' } })
    expect(screen.queryByRole('button', { name: 'Plot sst' })).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Plot tas' }))
    await screen.findByTestId('heatmap', {}, WAIT)
    expect(slicesOf(s.transport, 'tas')[0]).toMatchObject({ key: 'coll', member: 'atmos' })
  })
})

describe('slice requests', () => {
  it('wait for a moving slider to rest, and drop an answer that arrives after a newer one', async () => {
    const s = setup()
    const served = s.transport.handler('dataset.slice')!
    // sst answers wait until the test releases them, in any order
    const held: { req: SliceReq; release: () => void }[] = []
    s.transport.handle('dataset.slice', (req) => {
      if (req.variable !== 'sst') return served(req)
      return new Promise<DatasetSlice>((resolve) => {
        held.push({ req, release: () => resolve(served(req) as DatasetSlice) })
      })
    })
    renderWith(s.explorer, <DatasetPreview preview={sstPreview()} source={s.source} />)
    fireEvent.click(screen.getByRole('button', { name: 'Plot sst' }))
    await waitFor(() => expect(held.length).toBe(1), WAIT)
    act(() => held[0]!.release())
    await screen.findByTestId('heatmap', {}, WAIT)
    const slider = screen.getByRole('slider', { name: 'time index' })
    // three moves in one go: one request, for where the slider rests
    fireEvent.change(slider, { target: { value: '1' } })
    fireEvent.change(slider, { target: { value: '2' } })
    fireEvent.change(slider, { target: { value: '1' } })
    await waitFor(() => expect(held.length).toBe(2), WAIT)
    expect(held[1]!.req.selection).toEqual([1, null, null])
    fireEvent.change(slider, { target: { value: '2' } })
    await waitFor(() => expect(held.length).toBe(3), WAIT)
    expect(slicesOf(s.transport, 'sst').map((r) => r.selection?.[0])).toEqual([0, 1, 2])
    // the newer answer (time 2) lands first; the late one for time 1 must not replace it
    await act(async () => held[2]!.release())
    const caption = () => within(screen.getByTestId('heatmap')).getByText(/^colours/).textContent
    await waitFor(() => expect(caption()).toMatch(/^colours 20/), WAIT)
    await act(async () => held[1]!.release())
    await new Promise((r) => setTimeout(r, 50))
    expect(caption()).toMatch(/^colours 20/)
  })

  it('in the explorer, a dataset artifact reads slices of the open cache and selected key', async () => {
    const { cache } = await renderExplorer({
      previews: { 'arrays/grid-i4': sstPreview() },
    })
    serveFakeDatasets(cache.transport, new Map([['arrays/grid-i4', sstDataset()]]))
    fireEvent.click(document.querySelector('tr[data-key="arrays/grid-i4"]') as HTMLElement)
    fireEvent.click(await screen.findByRole('button', { name: 'Plot sst' }, WAIT))
    await screen.findByTestId('heatmap', {}, WAIT)
    expect(slicesOf(cache.transport, 'sst')[0]).toMatchObject({
      cacheId: 'c:/data/cache',
      key: 'arrays/grid-i4',
      selection: [0, null, null],
    })
    expect(screen.getByRole('button', { name: 'Compute statistics' })).toBeTruthy()
  })
})
