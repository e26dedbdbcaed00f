// The bridge on its own, against the fake electron module: events reach the window until it
// is gone or unbridged, and the handler goes with it.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { BrowserWindow } from 'electron'
import { bridgeIpc, EVENT_CHANNEL, INVOKE_CHANNEL } from '../../electron/main/ipc-bridge.js'
import { InProcessEngineHost } from '../../electron/ipc/engine-host.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { fake, FakeBrowserWindow } from './fake-electron.js'

vi.mock('electron', () => import('./fake-electron.js'))

const jobEvent = (id: string) =>
  ({ type: 'job', status: { jobId: id } }) as unknown as Parameters<ExplorerSession['emit']>[0]

beforeEach(() => fake.reset())

describe('bridgeIpc', () => {
  it('pushes engine events to a live window only, and stops when unbridged', () => {
    const session = new ExplorerSession({ mode: 'electron', initial: null })
    const win = new FakeBrowserWindow({})
    const unbridge = bridgeIpc(new InProcessEngineHost(session), win as unknown as BrowserWindow)
    expect(fake.state.ipcHandlers.has(INVOKE_CHANNEL)).toBe(true)
    session.emit(jobEvent('a'))
    win.destroyed = true
    session.emit(jobEvent('b'))
    win.destroyed = false
    unbridge()
    session.emit(jobEvent('c'))
    expect(win.webContents.sent).toEqual([{ channel: EVENT_CHANNEL, args: [jobEvent('a')] }])
    expect(fake.state.ipcHandlers.has(INVOKE_CHANNEL)).toBe(false)
  })
})
