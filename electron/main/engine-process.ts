import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { utilityProcess, type UtilityProcess } from 'electron'
import { PortEngineHost } from '../ipc/engine-host.js'
import type { EngineConfig, EngineHost, FromEngine, HostDialogs } from '../ipc/engine-protocol.js'

/** What the Electron main passes: the engine's config, and the native dialogs it answers. */
export type UtilityEngineOptions = Omit<EngineConfig, 'taskScript' | 'dialogs'> & {
  dialogs?: HostDialogs
}

/** utilityProcess.fork's shape (tests pass a fake). */
export type Fork = (
  modulePath: string,
  args?: string[],
  options?: { serviceName?: string },
) => UtilityProcess

const IPC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'ipc')

/**
 * Starts the handler table in an Electron utility process, so the main process (which
 * answers the window) never runs the engine: a long preview cannot freeze navigation or
 * cancel. Long tasks go on to worker threads inside it. Call after app 'ready'.
 * Main then serves `engine.invoke` over ipcMain (after its trusted-sender check) and sends
 * `engine.onEvent` events to the window.
 */
export function startUtilityEngine(
  options: UtilityEngineOptions,
  fork: Fork = (...args) => utilityProcess.fork(...args),
): EngineHost {
  const { dialogs, ...rest } = options
  const config: EngineConfig = {
    ...rest,
    dialogs: Boolean(dialogs),
    taskScript: path.join(IPC_DIR, 'task-worker.js'),
  }
  const child = fork(path.join(IPC_DIR, 'engine-child.js'), [JSON.stringify(config)], {
    serviceName: 'xpersist engine',
  })
  let exited = false
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true
      resolve()
    }),
  )
  return new PortEngineHost(
    {
      post: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: FromEngine) => listener(message)),
      onExit: (listener) => {
        child.once('exit', (code) => listener(`exit ${code}`))
        child.once('error', (type, location) => listener(`${type} at ${location}`))
      },
      terminate: async () => {
        if (!exited) child.kill()
        await exit
      },
    },
    dialogs,
  )
}
