// The preload, run against the fake contextBridge and ipcRenderer: it exposes exactly
// invoke and onEvent, on the bridge's channels, and hands the page data only.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../electron/main/ipc-bridge.js'
import { REPO } from '../helpers/temp.js'
import * as fakeElectron from './fake-electron.js'
import { fake, FakeEvent } from './fake-electron.js'

// ipc-bridge.ts (for its channel names) imports 'electron'; the real one would try a download.
vi.mock('electron', () => import('./fake-electron.js'))

/**
 * Runs preload.cts as Electron runs the compiled preload.cjs: as CommonJS, here with a
 * require that knows only 'electron' (a sandboxed preload gets no Node modules either).
 */
async function runPreload(): Promise<void> {
  const file = path.join(REPO, 'electron', 'main', 'preload.cts')
  const { outputText } = ts.transpileModule(await fs.readFile(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: file,
  })
  const require = (name: string) => {
    if (name !== 'electron') throw new Error(`the preload required '${name}'`)
    return fakeElectron
  }
  const module = { exports: {} }
  new Function('require', 'module', 'exports', outputText)(require, module, module.exports)
}

interface Bridge {
  invoke: (channel: string, request: unknown) => Promise<unknown>
  onEvent: (callback: (event: unknown) => void) => () => void
}
let bridge: Bridge

beforeAll(async () => {
  fake.reset()
  await runPreload()
  bridge = fake.state.exposed.get('xpersist') as Bridge
})

describe('the preload', () => {
  it('exposes one object with exactly invoke and onEvent, both functions', () => {
    expect([...fake.state.exposed.keys()]).toEqual(['xpersist'])
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent'])
    expect(typeof bridge.invoke).toBe('function')
    expect(typeof bridge.onEvent).toBe('function')
  })

  it('invokes the one bridge channel with the channel name and request', async () => {
    expect(await bridge.invoke('app.info', { a: 1 })).toEqual({ ok: true, data: 'answer' })
    expect(fake.state.rendererInvokes).toEqual([[INVOKE_CHANNEL, 'app.info', { a: 1 }]])
  })

  it('passes the page the event payload only (never the IPC event with its sender)', () => {
    const got: unknown[] = []
    const off = bridge.onEvent((e) => got.push(e))
    const ipcEvent = new FakeEvent({ sender: { send: () => {} } })
    fake.state.rendererListeners.emit(EVENT_CHANNEL, ipcEvent, { type: 'job', id: 1 })
    expect(got).toEqual([{ type: 'job', id: 1 }])
    off()
    expect(fake.state.rendererListeners.listenerCount(EVENT_CHANNEL)).toBe(0)
    fake.state.rendererListeners.emit(EVENT_CHANNEL, ipcEvent, { type: 'late' })
    expect(got).toHaveLength(1)
  })
})
