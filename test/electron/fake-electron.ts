// A recording fake of the `electron` module, for testing the main process, the preload and
// the bridge on a machine without an Electron binary. Test files install it with
// `vi.mock('electron', () => import('./fake-electron.js'))`; it records what the code asks of
// Electron (window options, loaded URLs, handlers, schemes, listeners) and lets the test
// play Electron's part by emitting events. State lives on globalThis so that a test which
// re-imports main.ts after vi.resetModules() still talks to the same fake.
import { EventEmitter } from 'node:events'
import { serveEngine } from '../../electron/ipc/engine-endpoint.js'
import type { EngineConfig, ToEngine } from '../../electron/ipc/engine-protocol.js'
import { builtScript } from '../../electron/ipc/worker-host.js'
import type { Fork } from '../../electron/main/engine-process.js'

/** An Electron event: extra fields as given, and whether a listener called preventDefault. */
export class FakeEvent {
  defaultPrevented = false;
  [field: string]: unknown
  constructor(fields: Record<string, unknown> = {}) {
    Object.assign(this, fields)
  }
  preventDefault(): void {
    this.defaultPrevented = true
  }
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' }

/** A web contents: its listeners, window-open handler and sent messages. */
export class FakeWebContents extends EventEmitter {
  windowOpenHandler: WindowOpenHandler | null = null
  readonly sent: { channel: string; args: unknown[] }[] = []
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args })
  }
  /** Emits a navigation event as Electron does; true when a listener refused it. */
  navigate(name: 'will-frame-navigate' | 'will-navigate' | 'will-redirect', url: string): boolean {
    const event = new FakeEvent({ url, isMainFrame: true })
    this.emit(name, event, url)
    return event.defaultPrevented
  }
}

/** The frame an IPC message came from. */
export interface FakeFrame {
  url: string
  parent: FakeFrame | null
}

const fresh = !('__xpersistFakeElectron' in globalThis)
const state = ((globalThis as Record<string, unknown>).__xpersistFakeElectron ??= {
  app: new EventEmitter(),
  windows: [] as FakeBrowserWindow[],
  ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
  permissionRequestHandler: null as null | ((...args: unknown[]) => void),
  permissionCheckHandler: null as null | ((...args: unknown[]) => boolean),
  headersHandler: null as null | ((...args: unknown[]) => void),
  privilegedSchemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
  schemesRegisteredAfterReady: false,
  protocolHandlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  openedExternal: [] as string[],
  exposed: new Map<string, unknown>(),
  rendererInvokes: [] as unknown[][],
  rendererListeners: new EventEmitter(),
  sandboxEnabled: false,
  ready: false,
  resolveReady: (() => {}) as () => void,
  readyPromise: Promise.resolve(),
  paths: new Map<string, string>(),
}) as FakeState

interface FakeState {
  app: EventEmitter
  windows: FakeBrowserWindow[]
  ipcHandlers: Map<string, (...args: unknown[]) => unknown>
  permissionRequestHandler: null | ((...args: unknown[]) => void)
  permissionCheckHandler: null | ((...args: unknown[]) => boolean)
  headersHandler: null | ((...args: unknown[]) => void)
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[]
  schemesRegisteredAfterReady: boolean
  protocolHandlers: Map<string, (request: Request) => Response | Promise<Response>>
  openedExternal: string[]
  exposed: Map<string, unknown>
  rendererInvokes: unknown[][]
  rendererListeners: EventEmitter
  sandboxEnabled: boolean
  ready: boolean
  resolveReady: () => void
  readyPromise: Promise<void>
  paths: Map<string, string>
}

// The utility processes main.ts forks: each runs the real engine endpoint in this process.
const utilities = fakeUtilityProcess()

/** What the code under test asked of Electron, and the levers to play Electron's part. */
export const fake = {
  state,
  /** The defaultPath of every save dialog shown, oldest first. */
  saveDialogs: [] as string[],
  /** What the next save dialogs answer: a path, or null for Cancel. */
  saveAnswer: null as string | null,
  /** The utility processes forked so far (the engine's). */
  utilityForks: utilities.forks,
  /** Forgets everything recorded; call in beforeEach. */
  reset(): void {
    state.app.removeAllListeners()
    state.windows.length = 0
    state.ipcHandlers.clear()
    state.permissionRequestHandler = null
    state.permissionCheckHandler = null
    state.headersHandler = null
    state.privilegedSchemes.length = 0
    state.schemesRegisteredAfterReady = false
    state.protocolHandlers.clear()
    state.openedExternal.length = 0
    state.exposed.clear()
    state.rendererInvokes.length = 0
    state.rendererListeners.removeAllListeners()
    state.sandboxEnabled = false
    state.ready = false
    state.readyPromise = new Promise((resolve) => (state.resolveReady = resolve))
    state.paths.clear()
  },
  /** Fires `ready` and lets the code's whenReady() continuations run. */
  async emitReady(): Promise<void> {
    state.ready = true
    state.resolveReady()
    state.app.emit('ready')
    await new Promise((resolve) => setImmediate(resolve))
  },
  /** Calls the ipcMain handler of `channel` as a message from `sender`'s `frame` would. */
  async invokeMain(
    channel: string,
    sender: FakeWebContents,
    frame: FakeFrame | null,
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = state.ipcHandlers.get(channel)
    if (!handler) throw new Error(`no ipcMain handler for ${channel}`)
    return handler({ sender, senderFrame: frame }, ...args)
  },
}
// Once per test process, not per evaluation: a re-import must not wipe what a test set up.
if (fresh) fake.reset()

/** electron.app */
export const app = Object.assign(state.app, {
  isPackaged: false,
  enableSandbox: () => void (state.sandboxEnabled = true),
  whenReady: () => state.readyPromise,
  isReady: () => state.ready,
  getPath: (name: string) => {
    const p = state.paths.get(name)
    if (!p) throw new Error(`fake app.getPath: no path set for '${name}'`)
    return p
  },
  /** As Electron quits: before-quit, then will-quit, each stoppable by preventDefault; then quit. */
  quit: () => {
    const before = new FakeEvent()
    state.app.emit('before-quit', before)
    if (before.defaultPrevented) return
    const will = new FakeEvent()
    state.app.emit('will-quit', will)
    if (!will.defaultPrevented) state.app.emit('quit', new FakeEvent())
  },
})

/** electron.BrowserWindow: records its options and what it loaded. */
export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents()
  readonly loaded: string[] = []
  destroyed = false
  constructor(readonly options: Record<string, unknown>) {
    super()
    state.windows.push(this)
    // As Electron does: the app hears of every new web contents.
    state.app.emit('web-contents-created', new FakeEvent(), this.webContents)
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url)
    return Promise.resolve()
  }
  loadFile(file: string): Promise<void> {
    this.loaded.push(`loadFile:${file}`)
    return Promise.resolve()
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  show(): void {}
}
export { FakeBrowserWindow as BrowserWindow }

/** electron.ipcMain */
export const ipcMain = {
  handle(channel: string, handler: (...args: unknown[]) => unknown): void {
    if (state.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`)
    state.ipcHandlers.set(channel, handler)
  },
  removeHandler(channel: string): void {
    state.ipcHandlers.delete(channel)
  },
}

/** electron.session */
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: FakeState['permissionRequestHandler']) =>
      void (state.permissionRequestHandler = h),
    setPermissionCheckHandler: (h: FakeState['permissionCheckHandler']) =>
      void (state.permissionCheckHandler = h),
    webRequest: {
      onHeadersReceived: (h: FakeState['headersHandler']) => void (state.headersHandler = h),
    },
  },
}

/** electron.protocol */
export const protocol = {
  registerSchemesAsPrivileged(schemes: FakeState['privilegedSchemes']): void {
    if (state.ready) state.schemesRegisteredAfterReady = true
    state.privilegedSchemes.push(...schemes)
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    state.protocolHandlers.set(scheme, handler)
  },
}

/** electron.shell */
export const shell = {
  openExternal: (url: string) => {
    state.openedExternal.push(url)
    return Promise.resolve()
  },
}

/** electron.dialog */
export const dialog = {
  showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
  showSaveDialog: (_win: unknown, options: { defaultPath?: string }) => {
    fake.saveDialogs.push(options.defaultPath ?? '')
    const answer = fake.saveAnswer
    return Promise.resolve(
      answer === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: answer },
    )
  },
}

/**
 * A fake Electron UtilityProcess: the child runs the real engine endpoint in this process,
 * and messages cross by structured clone as they would between processes. The child reads
 * `event.data` from its parentPort, the parent gets the message itself, as in Electron.
 */
export function fakeUtilityProcess() {
  const forks: { modulePath: string; args: string[]; serviceName?: string }[] = []
  let child: EventEmitter & { postMessage(m: unknown): void; kill(): boolean }
  const fork: Fork = (modulePath, args = [], options = {}) => {
    forks.push({ modulePath, args, serviceName: options.serviceName })
    const parentPort = new EventEmitter()
    child = Object.assign(new EventEmitter(), {
      postMessage: (m: unknown) =>
        setImmediate(() => parentPort.emit('message', { data: structuredClone(m) })),
      kill: () => {
        setImmediate(() => child.emit('exit', 0))
        return true
      },
    })
    const config = JSON.parse(args[0] ?? '{}') as EngineConfig
    // From source, the task worker is the built one (workers cannot load TypeScript).
    serveEngine(
      { ...config, taskScript: builtScript('task-worker.js') },
      {
        post: (m) => setImmediate(() => child.emit('message', structuredClone(m))),
        onMessage: (l) => parentPort.on('message', (e: { data: ToEngine }) => l(e.data)),
      },
    )
    return child as unknown as ReturnType<Fork>
  }
  return { fork, forks, crash: (code: number) => child.emit('exit', code) }
}

/** electron.utilityProcess: `fake.utilityForks` records what was forked. */
export const utilityProcess = { fork: utilities.fork }

/** electron.contextBridge (preload side) */
export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => void state.exposed.set(key, api),
}

/** electron.ipcRenderer (preload side): invokes are recorded; listeners on an emitter. */
export const ipcRenderer = {
  invoke: (...args: unknown[]) => {
    state.rendererInvokes.push(args)
    return Promise.resolve({ ok: true, data: 'answer' })
  },
  on: (channel: string, listener: (...args: unknown[]) => void) =>
    void state.rendererListeners.on(channel, listener),
  removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
    void state.rendererListeners.removeListener(channel, listener),
}

export default {
  app,
  BrowserWindow: FakeBrowserWindow,
  ipcMain,
  session,
  protocol,
  shell,
  dialog,
  contextBridge,
  ipcRenderer,
  utilityProcess,
}
