import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { InvalidArgumentError } from '../engine/errors.js'
import { PortEngineHost } from './engine-host.js'
import type { EngineConfig, EngineHost, HostDialogs } from './engine-protocol.js'

/**
 * A compiled script of this folder. From dist/ it is the sibling .js file; when this module
 * runs from source (tests), the built copy in dist/ (workers cannot load TypeScript).
 */
export function builtScript(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const sibling = path.join(here, name)
  if (existsSync(sibling)) return sibling
  const built = path.resolve(here, '..', '..', 'dist', 'electron', 'ipc', name)
  if (existsSync(built)) return built
  throw new InvalidArgumentError(
    `The engine worker is not built (${built} is missing). Run npm run build.`,
  )
}

/** Options of a worker engine: the config minus the script paths, which this module finds. */
export type WorkerEngineOptions = Omit<EngineConfig, 'taskScript' | 'dialogs'> & {
  dialogs?: HostDialogs
}

/**
 * Starts the handler table in a worker thread (browser mode): this thread only forwards
 * calls and events, so it answers while the engine works; long tasks run in a further pool.
 */
export function startWorkerEngine(options: WorkerEngineOptions): EngineHost {
  const { dialogs, ...rest } = options
  const config: EngineConfig = {
    ...rest,
    dialogs: Boolean(dialogs),
    taskScript: builtScript('task-worker.js'),
  }
  const worker = new Worker(builtScript('engine-worker.js'), { workerData: config })
  return new PortEngineHost(
    {
      post: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.on('message', listener),
      onExit: (listener) => {
        worker.once('error', (err) => listener(err.message))
        worker.once('exit', (code) => listener(`exit ${code}`))
      },
      terminate: async () => {
        await worker.terminate()
      },
    },
    dialogs,
  )
}
