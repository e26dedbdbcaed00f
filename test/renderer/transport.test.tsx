// @vitest-environment jsdom
import { act, render, screen, fireEvent } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import type { XpersistEvent } from '../../shared/ipc'
import { ElectronTransport } from '../../renderer/src/ipc/electron-transport'
import { HttpTransport, takeTokenFromUrl } from '../../renderer/src/ipc/http-transport'
import { IpcError } from '../../renderer/src/ipc/transport'
import { createAppStore } from '../../renderer/src/state/app-store'
import { ErrorBoundary } from '../../renderer/src/ui/ErrorBoundary'
import { fakeCache } from './fake-cache'
import { renderExplorer } from './render-explorer'

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

describe('HTTP transport (browser mode)', () => {
  it('POSTs the request to /api/invoke/<channel> with the token header and returns the data', async () => {
    const fetchImpl = vi.fn(async () => jsonResponse({ ok: true, data: { jobId: 'j1' } }))
    const t = new HttpTransport('secret', fetchImpl as unknown as typeof fetch)
    const out = await t.invoke('delete.start', { cacheId: 'c', keys: ['a'], confirmCount: 1 })
    expect(out).toEqual({ jobId: 'j1' })
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/invoke/delete.start')
    expect(init.method).toBe('POST')
    expect((init.headers as Record<string, string>)['X-Xpersist-Token']).toBe('secret')
    expect(JSON.parse(init.body as string)).toEqual({ cacheId: 'c', keys: ['a'], confirmCount: 1 })
  })

  it('throws an IpcError with the code, the message and, for CONFLICT, the disk version', async () => {
    const current = { artifact: { key: 'k' }, version: 'v9', metadataText: '{"a": 1.0}' }
    const t = new HttpTransport('s', (async () =>
      jsonResponse({
        ok: false,
        error: { code: 'CONFLICT', message: 'k changed on disk.', current },
      })) as unknown as typeof fetch)
    const err = await t
      .invoke('artifact.updateMetadata', {
        cacheId: 'c',
        key: 'k',
        metadataText: '{}',
        expectedVersion: 'v1',
      })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(IpcError)
    expect(err).toMatchObject({ code: 'CONFLICT', message: 'k changed on disk.', current })
  })

  it('explains a refused token, an unreachable server, and a missing token', async () => {
    const refused = new HttpTransport(
      'bad',
      (async () => new Response('no', { status: 401 })) as unknown as typeof fetch,
    )
    await expect(refused.invoke('app.info', {})).rejects.toThrow(/refused the access token/)
    const down = new HttpTransport('t', (async () => {
      throw new TypeError('fetch failed')
    }) as unknown as typeof fetch)
    await expect(down.invoke('app.info', {})).rejects.toThrow(/Is `xpersist serve` still running/)
    await expect(new HttpTransport(null).invoke('app.info', {})).rejects.toThrow(
      /Open the exact URL/,
    )
  })

  it('streams an upload as the raw body of POST /api/upload, token in the header', async () => {
    const fetchImpl = vi.fn(async () =>
      jsonResponse({ ok: true, data: { handle: 'h1', bytes: 3 } }),
    )
    const t = new HttpTransport('secret', fetchImpl as unknown as typeof fetch)
    const file = new Blob(['a,b'])
    expect(await t.upload(file)).toEqual({ handle: 'h1', bytes: 3 })
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/upload')
    expect(init.body).toBe(file) // the Blob itself: no base64, no JSON
    expect((init.headers as Record<string, string>)['X-Xpersist-Token']).toBe('secret')
    expect(url).not.toContain('token')
  })

  it('takes the token out of the address bar and keeps it in memory', () => {
    const replaceState = vi.fn()
    const win = {
      location: { href: 'http://127.0.0.1:5000/?token=abc123&x=1#frag' },
      history: { state: null, replaceState },
    } as unknown as Window
    expect(takeTokenFromUrl(win)).toBe('abc123')
    expect(replaceState).toHaveBeenCalledWith(null, '', '/?x=1#frag')
    expect(
      takeTokenFromUrl({
        location: { href: 'http://h/' },
        history: { replaceState },
      } as unknown as Window),
    ).toBeNull()
  })
})

describe('Electron transport', () => {
  it('unwraps the preload envelope and passes events through', async () => {
    const listeners: ((e: XpersistEvent) => void)[] = []
    const bridge = {
      invoke: vi.fn(async (channel: string) =>
        channel === 'app.info'
          ? { ok: true, data: { mode: 'electron' } }
          : { ok: false, error: { code: 'READ_ONLY', message: 'The cache is read-only.' } },
      ),
      onEvent: (cb: (e: XpersistEvent) => void) => {
        listeners.push(cb)
        return () => listeners.splice(listeners.indexOf(cb), 1)
      },
    }
    const t = new ElectronTransport(bridge)
    expect(await t.invoke('app.info', {})).toEqual({ mode: 'electron' })
    await expect(t.invoke('job.cancel', { jobId: 'j' })).rejects.toMatchObject({
      code: 'READ_ONLY',
    })
    const seen: XpersistEvent[] = []
    const off = t.onEvent((e) => seen.push(e))
    listeners[0]?.({
      type: 'job',
      status: {
        jobId: 'j',
        done: 1,
        total: 2,
        current: null,
        finished: false,
        result: null,
        error: null,
      },
    })
    off()
    expect(seen.length).toBe(1)
    expect(listeners.length).toBe(0)
  })
})

describe('error boundary', () => {
  it('shows what failed instead of a blank window, and can try again', () => {
    let fail = true
    function Flaky() {
      if (fail) throw new Error('Cannot read the shape of this array.')
      return <p>drawn</p>
    }
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    render(
      <ErrorBoundary area="preview">
        <Flaky />
      </ErrorBoundary>,
    )
    expect(screen.getByRole('alert').textContent).toContain(
      'The preview hit a problem it could not draw past.',
    )
    expect(screen.getByRole('alert').textContent).toContain('Cannot read the shape of this array.')
    fail = false
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(screen.getByText('drawn')).toBeTruthy()
    spy.mockRestore()
  })
})

describe('app store and the main side', () => {
  it('closes the cache it leaves when another one opens', async () => {
    const cache = fakeCache()
    const app = createAppStore(cache.transport)
    const first = await app.getState().open('/data/a')
    await app.getState().open('/data/b')
    expect(cache.transport.requests('cache.close')).toEqual([{ cacheId: first?.cacheId }])
    await app.getState().open('/data/c')
    expect(cache.transport.requests('cache.close')[1]).toEqual({ cacheId: 'c:/data/b' })
  })

  it('cannot lift a --readonly ceiling: the toggle is disabled and says why', async () => {
    const { explorer } = await renderExplorer({ readonlyCeiling: true })
    expect(explorer.app.getState().cache).toMatchObject({
      readonly: true,
      readonlyReason: 'the server was started with --readonly',
    })
    const toggle = screen.getByRole('checkbox', { name: 'Read-only' }) as HTMLInputElement
    expect(toggle.checked).toBe(true)
    expect(toggle.disabled).toBe(true)
    expect(toggle.closest('label')?.title).toMatch(/Started with --readonly/)
    await act(() => explorer.app.getState().setReadonly(false))
    expect(explorer.app.getState().cache?.readonly).toBe(true)
  })
})
