import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ResponseOf } from '../../shared/ipc'
import { FakeTransport } from '../../renderer/src/ipc/fake-transport'
import { createAppStore, openProblem } from '../../renderer/src/state/app-store'
import { createListingStore } from '../../renderer/src/state/listing-store'
import { locationProtocol, protocolProblem } from '../../renderer/src/state/location'
import { autoSerializer, createPutStore } from '../../renderer/src/state/put-store'
import { createPreviewStore } from '../../renderer/src/state/preview-store'
import { fakeCache, listPage, makeRow } from './fake-cache'

function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('listing pagination', () => {
  it('shows the first page at once and keeps filling until the cursor is null', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => makeRow(`k${String(i).padStart(5, '0')}`))
    const t = new FakeTransport()
    const gates: ReturnType<typeof deferred<void>>[] = []
    t.handle('cache.list', async (req) => {
      const gate = deferred<void>()
      gates.push(gate)
      await gate.promise
      return listPage(rows, req)
    })
    const listing = createListingStore(t)
    const done = listing.getState().load('c1')
    expect(listing.getState().loading).toBe(true)
    gates[0]?.resolve()
    await vi.waitFor(() => expect(listing.getState().rows.length).toBe(500))
    expect(listing.getState()).toMatchObject({ loaded: 500, total: 12_000, loading: true })
    for (let i = 1; i < 4; i++) {
      await vi.waitFor(() => expect(gates.length).toBe(i + 1))
      gates[i]?.resolve()
    }
    await done
    expect(listing.getState()).toMatchObject({ loaded: 12_000, total: 12_000, loading: false })
    expect(listing.getState().rows.at(-1)?.key).toBe('k11999')
    expect(t.requests('cache.list').map((r) => [r.cursor, r.limit])).toEqual([
      [null, 500],
      ['500', 5000],
      ['5500', 5000],
      ['10500', 5000],
    ])
  })

  it('a newer load wins over one still running', async () => {
    const t = new FakeTransport()
    const slow = deferred<void>()
    t.handle('cache.list', async (req) => {
      if (req.cacheId === 'old') await slow.promise
      return { rows: [makeRow(req.cacheId)], cursor: null, loaded: 1, total: 1 }
    })
    const listing = createListingStore(t)
    const first = listing.getState().load('old')
    await listing.getState().load('new')
    slow.resolve()
    await first
    expect(listing.getState().rows.map((r) => r.key)).toEqual(['new'])
  })

  it('shows the engine error when a page fails, keeping the rows already there', async () => {
    const { transport } = fakeCache()
    const listing = createListingStore(transport)
    await listing.getState().load('c1')
    transport.handle('cache.list', () => {
      throw new (class extends Error {})(
        'Permission denied reading /data/cache/xpersist_metadata_store',
      )
    })
    await listing.getState().refresh()
    expect(listing.getState().error).toMatch(/Permission denied/)
    expect(listing.getState().rows.length).toBe(8)
  })
})

describe('preview requests', () => {
  it('drops the answer for a key no longer selected', async () => {
    const t = new FakeTransport()
    const slow = deferred<void>()
    t.handle('artifact.preview', async (req) => {
      if (req.key === 'a') await slow.promise
      return { kind: 'unsupported', serializer: 'x', message: `preview of ${req.key}` }
    })
    const preview = createPreviewStore(t)
    const first = preview.getState().load('c', 'a')
    await preview.getState().load('c', 'b')
    slow.resolve()
    await first
    expect(preview.getState()).toMatchObject({
      key: 'b',
      status: 'ready',
      preview: { message: 'preview of b' },
    })
  })
})

describe('opening caches', () => {
  const info: ResponseOf<'app.info'> = {
    mode: 'browser',
    version: '0',
    protocols: ['file'],
    recent: [],
    initial: null,
    serializers: [],
  }

  it('says which backends exist when a protocol is missing', () => {
    expect(locationProtocol('s3://bucket/cache')).toBe('s3')
    expect(locationProtocol('/data/cache')).toBe('file')
    expect(protocolProblem('gs://b/c', ['file', 's3'])).toBe(
      'This build cannot open gs:// caches: the gs backend is not available. It can open local folders, s3://.',
    )
    expect(openProblem({ info, location: 's3://b', storageOptionsText: '{}' })).toMatch(
      /It can open local folders/,
    )
    expect(
      openProblem({
        info: { ...info, protocols: ['file', 's3'] },
        location: 's3://b',
        storageOptionsText: '[1]',
      }),
    ).toMatch(/must be a JSON object/)
  })

  it('opens with storage options for s3 and reports an engine error', async () => {
    const t = new FakeTransport()
    t.handle('app.info', () => ({ ...info, protocols: ['file', 's3'] }))
    t.handle('cache.open', (req) => {
      if (req.location === '/missing') {
        throw Object.assign(new Error('No cache at /missing: the folder does not exist.'), {})
      }
      return {
        cacheId: 'c1',
        url: req.location,
        location: req.location,
        readonly: true,
        readonlyReason: 'opened read-only',
      }
    })
    const opened: string[] = []
    const app = createAppStore(t, (c) => opened.push(c.cacheId))
    await app.getState().init()
    app.getState().setStorageOptionsText('{"anon": true}')
    await app.getState().open('s3://bucket/cache', true)
    expect(t.requests('cache.open')[0]).toEqual({
      location: 's3://bucket/cache',
      readonly: true,
      storageOptions: { anon: true },
    })
    expect(opened).toEqual(['c1'])
    expect(await app.getState().open('/missing')).toBeNull()
    expect(app.getState().openError).toBe('No cache at /missing: the folder does not exist.')
  })
})

describe('put', () => {
  it("'auto' picks the serializer from the file extension", () => {
    expect(autoSerializer('stations.csv')).toBe('pandas.csv')
    expect(autoSerializer('model.PKL')).toBe('joblib')
    expect(autoSerializer('config.json')).toBe('joblib')
    expect(autoSerializer('x.joblib')).toBe('joblib')
    expect(autoSerializer('data.nc')).toBe('xarray.netcdf')
    expect(autoSerializer('data.zarr')).toBeNull()
  })

  it('defaults the key to the file name, validates metadata, and sends the bytes', async () => {
    const cache = fakeCache()
    const stored: string[] = []
    const put = createPutStore(cache.transport, (k) => stored.push(k))
    put.getState().show()
    put.getState().setFile({ name: 'new.csv', bytes: 3, blob: new Blob(['a,b']) })
    expect(put.getState().key).toBe('new.csv')
    put.getState().setMetadataText('{"a": 1.0')
    expect(put.getState().problem()).toMatch(/Not valid JSON/)
    put.getState().setMetadataText('{"a": 1.0}')
    expect(await put.getState().submit('c1')).toBe('new.csv')
    expect(cache.transport.requests('artifact.put')[0]).toEqual({
      cacheId: 'c1',
      key: 'new.csv',
      serializer: 'auto',
      onDuplicateKey: 'raise_error',
      metadataText: '{"a": 1.0}',
      file: { name: 'new.csv', handle: 'upload:0' },
    })
    expect(await cache.transport.uploads[0]?.text()).toBe('a,b')
    expect(stored).toEqual(['new.csv'])
  })

  it('shows the engine message when the key exists', async () => {
    const cache = fakeCache()
    const put = createPutStore(cache.transport)
    put.getState().show()
    put.getState().setFile({ name: 'x.csv', bytes: 1, blob: new Blob(['a']) })
    put.getState().setKey('stations.csv')
    expect(await put.getState().submit('c1')).toBeNull()
    expect(put.getState().error).toBe(
      "An artifact 'stations.csv' already exists; choose overwrite or skip.",
    )
    expect(put.getState().open).toBe(true)
  })
})

afterEach(() => vi.useRealTimers())

describe('a table preview whose row count is not known yet', () => {
  const page = (rowCount: number | null) =>
    ({
      kind: 'table',
      rowCount,
      offset: 0,
      columns: [{ name: 'a', type: 'int64' }],
      index: null,
      rows: [[1]],
      bytesRead: 10,
      totalBytes: 1000,
    }) as const

  it('asks for the count and shows it when it answers ("counting…" resolves)', async () => {
    const t = new FakeTransport()
    t.handle('artifact.preview', () => page(null))
    const asked: unknown[] = []
    t.handle('artifact.rowCount', (req) => {
      asked.push(req)
      return { rowCount: 123_456 }
    })
    const preview = createPreviewStore(t)
    await preview.getState().load('c', 'big.csv')
    expect(preview.getState()).toMatchObject({ status: 'ready', preview: { rowCount: 123_456 } })
    expect(asked).toEqual([{ cacheId: 'c', key: 'big.csv' }])
  })

  it('aborts the count when another key is selected, and never applies it there', async () => {
    const t = new FakeTransport()
    const gate = deferred<void>()
    let started = 0
    t.handle('artifact.preview', () => page(null))
    t.handle('artifact.rowCount', async () => {
      started++
      await gate.promise
      return { rowCount: 5 }
    })
    const preview = createPreviewStore(t)
    const first = preview.getState().load('c', 'a.csv')
    await vi.waitFor(() => expect(started).toBe(1))
    t.handle('artifact.rowCount', () => ({ rowCount: 7 }))
    await preview.getState().load('c', 'b.csv')
    gate.resolve()
    await first
    expect(preview.getState()).toMatchObject({ key: 'b.csv', preview: { rowCount: 7 } })
  })

  it('asks nothing when the page knows its count', async () => {
    const t = new FakeTransport()
    t.handle('artifact.preview', () => page(1))
    let asked = 0
    t.handle('artifact.rowCount', () => ({ rowCount: asked++ }))
    const preview = createPreviewStore(t)
    await preview.getState().load('c', 'small.csv')
    expect(asked).toBe(0)
    expect(preview.getState().preview).toMatchObject({ rowCount: 1 })
  })
})
