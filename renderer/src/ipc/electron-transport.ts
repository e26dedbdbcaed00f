import type { Channel, Envelope, RequestOf, ResponseOf, XpersistEvent } from '../../../shared/ipc'
import { unwrapEnvelope, type InvokeOptions, type Transport } from './transport'

/** What the Electron preload exposes on `window.xpersist`, and nothing more. */
export interface PreloadBridge {
  invoke(channel: string, request: unknown): Promise<unknown>
  onEvent(cb: (event: XpersistEvent) => void): () => void
}

declare global {
  interface Window {
    xpersist?: PreloadBridge
  }
}

/** The transport inside the Electron window: the preload's invoke and event bridge. */
export class ElectronTransport implements Transport {
  constructor(private readonly bridge: PreloadBridge) {}

  async invoke<C extends Channel>(
    channel: C,
    request: RequestOf<C>,
    options?: InvokeOptions,
  ): Promise<ResponseOf<C>> {
    // IPC cannot be aborted; a caller that no longer wants the answer gets an AbortError and
    // the late response is dropped.
    options?.signal?.throwIfAborted()
    const envelope = (await this.bridge.invoke(channel, request)) as Envelope<C>
    options?.signal?.throwIfAborted()
    return unwrapEnvelope(envelope)
  }

  /** Asks the main side (export.save) for a save dialog and moves the export there. */
  async saveExport(handle: string): Promise<string | null> {
    const saved = await this.invoke('export.save', { handle })
    return saved ? saved.path : null
  }

  /** Asks the main side (export.saveText) for a save dialog and writes the text there. */
  async saveText(name: string, text: string): Promise<string | null> {
    const saved = await this.invoke('export.saveText', { name, text })
    return saved ? saved.path : null
  }

  onEvent(cb: (event: XpersistEvent) => void): () => void {
    return this.bridge.onEvent(cb)
  }
}
