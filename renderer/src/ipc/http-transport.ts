import type { Channel, Envelope, RequestOf, ResponseOf, XpersistEvent } from '../../../shared/ipc'
import {
  IpcError,
  unwrapEnvelope,
  type FolderFile,
  type FolderUploaded,
  type FolderUploadOptions,
  type InvokeOptions,
  type Transport,
} from './transport'

/** Files of a folder upload sent at once: many small chunk files, without flooding the server. */
const FOLDER_STREAMS = 4

/** Browser mode: `POST /api/invoke/<channel>` with the session token, events over SSE. */
export class HttpTransport implements Transport {
  constructor(
    private readonly token: string | null,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  async invoke<C extends Channel>(
    channel: C,
    request: RequestOf<C>,
    options?: InvokeOptions,
  ): Promise<ResponseOf<C>> {
    return this.post<ResponseOf<C>>(
      `/api/invoke/${channel}`,
      'application/json',
      JSON.stringify(request),
      options?.signal,
    )
  }

  /** Streams the file as the raw request body to /api/upload; the server writes it to a temp file. */
  upload(file: Blob): Promise<{ handle: string; bytes: number }> {
    return this.post('/api/upload', 'application/octet-stream', file)
  }

  /**
   * Sends the folder's manifest (paths and sizes, which the server checks whole first), then
   * each file as its own streamed request, then asks for the folder's handle. A failure or an
   * abort cancels the upload on the server, which removes what arrived.
   */
  async uploadFolder(
    files: FolderFile[],
    options: FolderUploadOptions = {},
  ): Promise<FolderUploaded> {
    const { signal, onProgress } = options
    const manifest = JSON.stringify({
      files: files.map((f) => ({ path: f.path, bytes: f.blob.size })),
    })
    const started = await this.post<{ upload: string }>(
      '/api/upload-folder',
      'application/json',
      manifest,
      signal,
    )
    const base = `/api/upload-folder/${started.upload}`
    const done = { files: 0, bytes: 0 }
    let next = 0
    let failed = false
    const stream = async () => {
      while (!failed && next < files.length) {
        const i = next++
        const file = files[i] as FolderFile
        await this.post(`${base}/${i}`, 'application/octet-stream', file.blob, signal)
        done.files += 1
        done.bytes += file.blob.size
        onProgress?.({ ...done })
      }
    }
    try {
      const streams = Array.from({ length: Math.min(FOLDER_STREAMS, files.length) }, () =>
        stream().catch((err: unknown) => {
          failed = true
          throw err
        }),
      )
      await Promise.all(streams)
      return await this.post<FolderUploaded>(`${base}/finish`, 'application/json', '{}', signal)
    } catch (err) {
      void this.post(`${base}/cancel`, 'application/json', '{}').catch(() => {})
      throw err
    }
  }

  private async post<T>(
    url: string,
    type: string,
    body: BodyInit,
    signal?: AbortSignal,
  ): Promise<T> {
    if (!this.token) {
      throw new IpcError(
        'PERMISSION_DENIED',
        'This page has no access token. Open the exact URL that `xpersist serve` printed; it carries the token.',
      )
    }
    let response: Response
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': type, 'X-Xpersist-Token': this.token },
        body,
        signal: signal ?? null,
      })
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err
      throw new IpcError(
        'BACKEND',
        'Could not reach the explorer server. Is `xpersist serve` still running?',
      )
    }
    let envelope: Envelope<Channel>
    try {
      envelope = (await response.json()) as Envelope<Channel>
    } catch {
      throw new IpcError('BACKEND', httpStatusMessage(response.status))
    }
    if (typeof envelope !== 'object' || envelope === null || !('ok' in envelope)) {
      throw new IpcError('BACKEND', httpStatusMessage(response.status))
    }
    return unwrapEnvelope(envelope) as T
  }

  onEvent(cb: (event: XpersistEvent) => void): () => void {
    if (!this.token || typeof EventSource === 'undefined') return () => {}
    const source = new EventSource(`/api/events?token=${encodeURIComponent(this.token)}`)
    source.onmessage = (message: MessageEvent<string>) => {
      try {
        cb(JSON.parse(message.data) as XpersistEvent)
      } catch {
        // a malformed event is dropped; job.status polling still reports progress
      }
    }
    return () => source.close()
  }
}

function httpStatusMessage(status: number): string {
  if (status === 401 || status === 403) {
    return 'The explorer server refused the access token. Open the URL `xpersist serve` printed again.'
  }
  return `The explorer server answered HTTP ${status} without a readable reply.`
}

/**
 * Takes the `?token=` out of the page URL, keeping it only in memory: the address bar, history
 * and anything copied from them no longer carry it.
 */
export function takeTokenFromUrl(
  win: Pick<Window, 'location' | 'history'> = window,
): string | null {
  const url = new URL(win.location.href)
  const token = url.searchParams.get('token')
  if (token === null) return null
  url.searchParams.delete('token')
  win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash)
  return token
}
