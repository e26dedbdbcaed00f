import type { Channel, RequestOf, ResponseOf, XpersistEvent } from '../../../shared/ipc'
import {
  IpcError,
  type FolderFile,
  type FolderUploaded,
  type FolderUploadOptions,
  type InvokeOptions,
  type Transport,
} from './transport'

/** A fake channel handler: returns the response, or throws an IpcError to answer with an error. */
export type FakeHandler<C extends Channel> = (
  request: RequestOf<C>,
) => ResponseOf<C> | Promise<ResponseOf<C>>

/** One recorded call. */
export interface FakeCall {
  channel: Channel
  request: unknown
}

/** An in-memory transport for tests and demos: a handler per channel, and events pushed by hand. */
export class FakeTransport implements Transport {
  readonly calls: FakeCall[] = []
  /** Files streamed through upload(), oldest first; handle `upload:<n>` is uploads[n]. */
  readonly uploads: Blob[] = []
  /** Folders sent through uploadFolder(), oldest first; handle `folder:<n>` is folders[n]. */
  readonly folders: FolderFile[][] = []
  /** Exports saved through saveExport(), oldest first. */
  readonly savedExports: { handle: string; name: string }[] = []
  /** Text saved through saveText(), oldest first. */
  readonly savedTexts: { name: string; text: string; type: string }[] = []
  /** When set, uploadFolder waits for this after each file (so tests can see progress, cancel). */
  folderGate: (() => Promise<void>) | null = null
  private readonly handlers = new Map<Channel, FakeHandler<Channel>>()
  private readonly listeners = new Set<(event: XpersistEvent) => void>()

  /** Sets the handler of a channel (replacing any earlier one). */
  handle<C extends Channel>(channel: C, handler: FakeHandler<C>): this {
    this.handlers.set(channel, handler as unknown as FakeHandler<Channel>)
    return this
  }

  /** The handler of a channel, if any (so a handler can be wrapped rather than replaced). */
  handler<C extends Channel>(channel: C): FakeHandler<C> | undefined {
    return this.handlers.get(channel) as FakeHandler<C> | undefined
  }

  async invoke<C extends Channel>(
    channel: C,
    request: RequestOf<C>,
    options?: InvokeOptions,
  ): Promise<ResponseOf<C>> {
    this.calls.push({ channel, request })
    const handler = this.handlers.get(channel) as FakeHandler<C> | undefined
    if (!handler)
      throw new IpcError('NOT_SUPPORTED', `The fake transport has no ${channel} handler.`)
    const response = await handler(request)
    options?.signal?.throwIfAborted()
    return response
  }

  async upload(file: Blob): Promise<{ handle: string; bytes: number }> {
    this.uploads.push(file)
    return { handle: `upload:${this.uploads.length - 1}`, bytes: file.size }
  }

  async uploadFolder(
    files: FolderFile[],
    options: FolderUploadOptions = {},
  ): Promise<FolderUploaded> {
    let bytes = 0
    for (const [i, file] of files.entries()) {
      options.signal?.throwIfAborted()
      bytes += file.blob.size
      options.onProgress?.({ files: i + 1, bytes })
      await this.folderGate?.()
    }
    options.signal?.throwIfAborted()
    this.folders.push(files)
    return { handle: `folder:${this.folders.length - 1}`, files: files.length, bytes }
  }

  /** Records the save; answers a made-up path under /saved/. */
  async saveExport(handle: string, name: string): Promise<string | null> {
    this.savedExports.push({ handle, name })
    return `/saved/${name}`
  }

  /** Records the text; answers a made-up path under /saved/. */
  async saveText(name: string, text: string, type: string): Promise<string | null> {
    this.savedTexts.push({ name, text, type })
    return `/saved/${name}`
  }

  onEvent(cb: (event: XpersistEvent) => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  /** Pushes an event to every subscriber, as the main side would. */
  emit(event: XpersistEvent): void {
    for (const cb of this.listeners) cb(event)
  }

  /** The requests sent on one channel, oldest first. */
  requests<C extends Channel>(channel: C): RequestOf<C>[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request as RequestOf<C>)
  }
}
