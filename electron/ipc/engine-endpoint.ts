import { invoke } from './router.js'
import { ExplorerSession, type HostServices } from './session.js'
import { TaskPool } from './task-pool.js'
import { takeExportOf } from './table-results.js'
import type { EngineConfig, FromEngine, ToEngine } from './engine-protocol.js'

/** The engine's end of a message channel (a worker's parentPort, a utility process's). */
export interface EnginePort {
  post(message: FromEngine): void
  onMessage(listener: (message: ToEngine) => void): void
}

/**
 * Runs the handler table for a host on the other end of `port`: one session (open caches,
 * listings, jobs) lives here; calls are answered concurrently, and long tasks go to a task
 * pool so this thread stays free to answer cancel and navigation.
 */
export function serveEngine(config: EngineConfig, port: EnginePort): ExplorerSession {
  const calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  let nextCall = 0
  const askHost = (
    name: 'pickFolder' | 'pickFile' | 'saveFile',
    folder = false,
    suggested?: string,
  ) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextCall
      calls.set(id, { resolve, reject })
      port.post({
        type: 'hostCall',
        id,
        name,
        ...(folder ? { folder } : {}),
        ...(suggested !== undefined ? { suggested } : {}),
      })
    })
  const pool = config.taskScript
    ? new TaskPool(config.taskScript, { holdTasksUntil: config.holdTasksUntil })
    : null
  const services: HostServices = {
    mode: config.mode,
    initial: config.initial,
    readonlyCeiling: config.readonlyCeiling,
    ...(config.recentFile ? { recentFile: config.recentFile } : {}),
    ...(pool
      ? {
          runTask: (task, signal, onProgress) => pool.run(task, signal, onProgress),
          tellTasks: (task) => pool.tell(task),
        }
      : {}),
    ...(config.dialogs
      ? {
          pickFolder: () => askHost('pickFolder') as Promise<string | null>,
          pickFile: (folder) =>
            askHost('pickFile', folder) as ReturnType<NonNullable<HostServices['pickFile']>>,
          saveFile: (name) => askHost('saveFile', false, name) as Promise<string | null>,
        }
      : {}),
  }
  const session = new ExplorerSession(services)
  const running = new Map<number, AbortController>()
  session.onEvent((event) => port.post({ type: 'event', event }))

  port.onMessage((message) => {
    switch (message.type) {
      case 'invoke': {
        const controller = new AbortController()
        running.set(message.id, controller)
        void invoke(session, message.channel, message.request, controller.signal).then((value) => {
          running.delete(message.id)
          port.post({ type: 'reply', id: message.id, value })
        })
        return
      }
      case 'abort':
        running.get(message.id)?.abort()
        return
      case 'adopt':
        port.post({
          type: 'reply',
          id: message.id,
          value: session.addFileHandle(message.path, true),
        })
        return
      case 'takeExport':
        port.post({ type: 'reply', id: message.id, value: takeExportOf(session, message.handle) })
        return
      case 'close':
        for (const controller of running.values()) controller.abort()
        // The session first: its jobs stop between artifacts before the task pool goes.
        void session
          .close()
          .then(async (stopped) => {
            await pool?.close()
            return stopped
          })
          .then((stopped) => port.post({ type: 'reply', id: message.id, value: stopped }))
        return
      case 'hostReply': {
        const call = calls.get(message.id)
        calls.delete(message.id)
        if (message.ok) call?.resolve(message.value)
        else call?.reject(new Error(message.message ?? 'The dialog failed.'))
        return
      }
    }
  })
  return session
}
