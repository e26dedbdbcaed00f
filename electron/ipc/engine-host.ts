import type { Channel, Envelope, XpersistEvent } from '../../shared/ipc.js'
import type {
  EngineHost,
  FromEngine,
  HostDialogs,
  StoppedJob,
  ToEngine,
} from './engine-protocol.js'
import { invoke } from './router.js'
import type { ExplorerSession } from './session.js'
import { takeExportOf } from './table-results.js'

/** The engine on this very thread (tests, and hosts that need no isolation). */
export class InProcessEngineHost implements EngineHost {
  constructor(readonly session: ExplorerSession) {}

  invoke(channel: string, request: unknown, signal?: AbortSignal): Promise<Envelope<Channel>> {
    return invoke(this.session, channel, request, signal)
  }

  onEvent(listener: (event: XpersistEvent) => void): () => void {
    return this.session.onEvent(listener)
  }

  async adoptFile(path: string): Promise<string> {
    return this.session.addFileHandle(path, true)
  }

  takeExport(handle: string): Promise<{ path: string; name: string } | null> {
    return Promise.resolve(takeExportOf(this.session, handle))
  }

  close(): Promise<StoppedJob[]> {
    return this.session.close()
  }
}

/** The host's end of a message channel to an engine (a Worker, a UtilityProcess). */
export interface HostPort {
  post(message: ToEngine): void
  onMessage(listener: (message: FromEngine) => void): void
  /** Called once if the engine dies. */
  onExit(listener: (reason: string) => void): void
  terminate(): Promise<void>
}

const stopped = (reason: string): Envelope<Channel> => ({
  ok: false,
  error: {
    code: 'BACKEND',
    message: `The explorer's engine stopped (${reason}); restart the explorer.`,
  },
})

/** An engine on the other end of a port: calls are messages, answered in any order. */
export class PortEngineHost implements EngineHost {
  private nextId = 0
  private readonly pending = new Map<number, (value: unknown) => void>()
  private readonly listeners = new Set<(event: XpersistEvent) => void>()
  private dead: string | null = null

  constructor(
    private readonly port: HostPort,
    private readonly dialogs?: HostDialogs,
  ) {
    port.onMessage((message) => this.receive(message))
    port.onExit((reason) => {
      this.dead = reason
      for (const resolve of this.pending.values()) resolve(stopped(reason))
      this.pending.clear()
    })
  }

  private receive(message: FromEngine): void {
    if (message.type === 'reply') {
      const resolve = this.pending.get(message.id)
      this.pending.delete(message.id)
      resolve?.(message.value)
    } else if (message.type === 'event') {
      for (const listener of this.listeners) listener(message.event)
    } else {
      void this.answerHostCall(message.id, message.name, message.folder === true, message.suggested)
    }
  }

  private async answerHostCall(
    id: number,
    name: 'pickFolder' | 'pickFile' | 'saveFile',
    folder: boolean,
    suggested = 'export',
  ): Promise<void> {
    try {
      if (!this.dialogs) throw new Error('this host has no dialogs')
      const { dialogs } = this
      const value =
        name === 'pickFile'
          ? await dialogs.pickFile(folder)
          : name === 'saveFile'
            ? await (dialogs.saveFile?.(suggested) ?? Promise.resolve(null))
            : await dialogs.pickFolder()
      this.port.post({ type: 'hostReply', id, ok: true, value })
    } catch (err) {
      this.port.post({ type: 'hostReply', id, ok: false, message: (err as Error).message })
    }
  }

  private request(message: ToEngine): Promise<unknown> {
    if (this.dead) return Promise.resolve(stopped(this.dead))
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve)
      this.port.post(message)
    })
  }

  invoke(channel: string, request: unknown, signal?: AbortSignal): Promise<Envelope<Channel>> {
    const id = ++this.nextId
    const abort = () => this.port.post({ type: 'abort', id })
    signal?.addEventListener('abort', abort, { once: true })
    return (
      this.request({ type: 'invoke', id, channel, request }) as Promise<Envelope<Channel>>
    ).finally(() => signal?.removeEventListener('abort', abort))
  }

  onEvent(listener: (event: XpersistEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async adoptFile(path: string): Promise<string> {
    const handle = await this.request({ type: 'adopt', id: ++this.nextId, path })
    if (typeof handle !== 'string') throw new Error('The engine stopped before taking the upload.')
    return handle
  }

  async takeExport(handle: string): Promise<{ path: string; name: string } | null> {
    const taken = await this.request({ type: 'takeExport', id: ++this.nextId, handle })
    return taken && typeof taken === 'object' && 'path' in taken
      ? (taken as { path: string; name: string })
      : null
  }

  async close(): Promise<StoppedJob[]> {
    // The engine replies once its jobs stopped (bounded): only then is it terminated.
    const stopped = this.dead ? [] : await this.request({ type: 'close', id: ++this.nextId })
    this.dead ??= 'closed'
    await this.port.terminate()
    return Array.isArray(stopped) ? (stopped as StoppedJob[]) : []
  }
}
