// The Electron main process as main.ts wires it, run against the recording fake of the
// `electron` module: window options, the page's scheme, guards, permissions and the bridge.
import { promises as fs } from 'node:fs'
import type { JobStatus } from '../../shared/ipc.js'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { REPO, tempDir } from '../helpers/temp.js'
import { fake, type FakeBrowserWindow, FakeEvent, FakeWebContents } from './fake-electron.js'

vi.mock('electron', () => import('./fake-electron.js'))

const APP_PAGE = 'xpersist-app://app/index.html'
const argv = process.argv
let win: FakeBrowserWindow

beforeAll(async () => {
  fake.reset()
  fake.state.paths.set('userData', await tempDir('xp-electron-'))
  process.argv = [argv[0] ?? 'electron', 'main.js']
  await import('../../electron/main/main.js')
  expect(fake.state.windows).toHaveLength(0) // nothing before ready
  await fake.emitReady()
  expect(fake.state.windows).toHaveLength(1)
  win = fake.state.windows[0] as FakeBrowserWindow
})
afterAll(() => {
  process.argv = argv
})

describe('the explorer window', () => {
  it('is sandboxed, isolated, without Node or <webview>, with the preload as its bridge', () => {
    expect(fake.state.sandboxEnabled).toBe(true)
    const prefs = win.options.webPreferences as Record<string, unknown>
    expect(prefs.sandbox).toBe(true)
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
    expect(prefs.webviewTag).toBe(false)
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    // The compiled CommonJS preload beside the compiled window.ts (tsc maps .cts to .cjs).
    expect(prefs.preload).toBe(path.join(REPO, 'electron', 'main', 'preload.cjs'))
  })

  it('loads the page from the privileged app scheme, not file://', () => {
    expect(win.loaded).toEqual([APP_PAGE])
    expect(fake.state.schemesRegisteredAfterReady).toBe(false)
    expect(fake.state.privilegedSchemes).toEqual([
      {
        scheme: 'xpersist-app',
        privileges: { standard: true, secure: true, supportFetchAPI: true },
      },
    ])
    expect([...fake.state.protocolHandlers.keys()]).toEqual(['xpersist-app'])
  })
})

describe('guards on every web contents', () => {
  it('refuse navigation to anything but our page, in every frame and on redirects', () => {
    const wc = win.webContents
    for (const name of ['will-frame-navigate', 'will-navigate', 'will-redirect'] as const) {
      expect(wc.navigate(name, 'https://evil.example/'), name).toBe(true)
      expect(wc.navigate(name, 'file:///etc/passwd'), name).toBe(true)
      expect(wc.navigate(name, 'xpersist-app://other/index.html'), name).toBe(true)
      expect(wc.navigate(name, 'xpersist-app://app/other.html'), name).toBe(true)
      expect(wc.navigate(name, APP_PAGE), name).toBe(false)
      expect(wc.navigate(name, `${APP_PAGE}?reload=1#x`), name).toBe(false)
    }
  })

  it('refuse <webview>, also in web contents created later', () => {
    const later = new FakeWebContents()
    fake.state.app.emit('web-contents-created', new FakeEvent(), later)
    for (const wc of [win.webContents, later]) {
      const event = new FakeEvent()
      wc.emit('will-attach-webview', event, {}, {})
      expect(event.defaultPrevented).toBe(true)
      expect(wc.navigate('will-frame-navigate', 'https://evil.example/')).toBe(true)
      expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    }
  })

  it('deny every new window; only allowlisted https links reach the system browser', () => {
    const open = win.webContents.windowOpenHandler
    expect(open).not.toBeNull()
    const urls = [
      'https://evil.example/',
      'http://github.com/NCAR/xpersist',
      'https://github.com/NCAR/xpersist-evil',
      'https://github.com/NCAR/xpersist/../../evil',
      'https://user@github.com/NCAR/xpersist',
      'file:///etc/passwd',
      'ms-msdt:/id PCWDiagnostic',
      'https://github.com/NCAR/xpersist/issues',
    ]
    for (const url of urls) expect(open?.({ url }), url).toEqual({ action: 'deny' })
    expect(fake.state.openedExternal).toEqual(['https://github.com/NCAR/xpersist/issues'])
  })
})

describe('permissions', () => {
  it('answers every permission request and check with no', () => {
    const answers: boolean[] = []
    for (const perm of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
    ]) {
      fake.state.permissionRequestHandler?.(win.webContents, perm, (ok: boolean) =>
        answers.push(ok),
      )
    }
    expect(answers).toEqual([false, false, false, false, false])
    expect(fake.state.permissionCheckHandler?.(win.webContents, 'media', APP_PAGE, {})).toBe(false)
  })
})

describe('the engine', () => {
  it('runs in a utility process, not in the main process that answers the window', () => {
    expect(fake.utilityForks).toHaveLength(1)
    expect(fake.utilityForks[0]?.modulePath).toMatch(/[/\\]ipc[/\\]engine-child\.js$/)
    expect(JSON.parse(fake.utilityForks[0]?.args[0] ?? '')).toMatchObject({
      mode: 'electron',
      dialogs: true,
      readonlyCeiling: false,
    })
  })
})

describe('export.save', () => {
  it('asks where with a save dialog suggesting the name, and moves the export there', async () => {
    const top = { url: APP_PAGE, parent: null }
    const call = async (channel: string, request: unknown) => {
      const env = (await fake.invokeMain(
        'xpersist:invoke',
        win.webContents,
        top as Parameters<typeof fake.invokeMain>[2],
        channel,
        request,
      )) as { ok: boolean; data: unknown; error?: { message: string } }
      if (!env.ok) throw new Error(env.error?.message)
      return env.data
    }
    const { fixtureCopy } = await import('../helpers/temp.js')
    const { cacheId } = (await call('cache.open', { location: await fixtureCopy() })) as {
      cacheId: string
    }
    const { jobId } = (await call('table.export', {
      cacheId,
      key: 'gauges.parquet',
      query: { sort: [{ column: 'river', descending: true }] },
      format: 'csv',
    })) as { jobId: string }
    let status: JobStatus
    do status = (await call('job.status', { jobId })) as JobStatus
    while (!status.finished)
    const { handle } = status.export!
    fake.saveAnswer = null
    expect(await call('export.save', { handle })).toBeNull()
    const dest = path.join(await tempDir(), 'chosen.csv')
    fake.saveAnswer = dest
    expect(await call('export.save', { handle })).toEqual({ path: dest })
    expect(fake.saveDialogs).toEqual(['gauges.sorted.csv', 'gauges.sorted.csv'])
    const text = await fs.readFile(dest, 'utf8')
    expect(text.split('\n')[1]).toBe('13,St. Vrain,3.5,102,False')
  })
})

describe('the IPC bridge', () => {
  const call = (sender: FakeWebContents, frame: { url: string; parent: unknown } | null) =>
    fake.invokeMain(
      'xpersist:invoke',
      sender,
      frame as Parameters<typeof fake.invokeMain>[2],
      'app.info',
      {},
    )

  it("answers our window's top frame through the handler table", async () => {
    const answer = (await call(win.webContents, { url: APP_PAGE, parent: null })) as {
      ok: boolean
      data: { mode: string }
    }
    expect(answer.ok).toBe(true)
    expect(answer.data.mode).toBe('electron')
  })

  it('refuses a foreign page, a subframe, another web contents and a vanished frame', async () => {
    const top = { url: APP_PAGE, parent: null }
    const refusals = [
      await call(win.webContents, { url: 'https://evil.example/', parent: null }),
      await call(win.webContents, { url: 'file:///work/dist/renderer/index.html', parent: null }),
      await call(win.webContents, { url: APP_PAGE, parent: top }),
      await call(new FakeWebContents(), top),
      await call(win.webContents, null),
    ]
    for (const r of refusals) {
      expect(r).toEqual({
        ok: false,
        error: { code: 'PERMISSION_DENIED', message: 'Refused: not the explorer window.' },
      })
    }
  })

  it('unregisters its handler when the window closes', () => {
    win.emit('closed')
    expect(fake.state.ipcHandlers.has('xpersist:invoke')).toBe(false)
  })
})
