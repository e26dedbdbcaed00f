import type { Channel, Envelope, RequestOf, ResponseOf, XpersistEvent } from '../../../shared/ipc'
import { sendFolder } from './folder-upload'
import {
  IpcError,
  unwrapEnvelope,
  type FolderFile,
  type FolderUploaded,
  type FolderUploadOptions,
  type InvokeOptions,
  type Transport,
} from './transport'

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

  /** Sends a folder file by file (see folder-upload.ts), with progress and cancel. */
  uploadFolder(files: FolderFile[], options?: FolderUploadOptions): Promise<FolderUploaded> {
    return sendFolder(
      (url, type, body, signal) => this.post(url, type, body, signal),
      files,
      options,
    )
  }

  /**
   * Downloads the export: fetched with the token header (a token never goes into a URL), then
   * handed to the browser as a download link with the suggested name. The server removes its
   * copy once sent. Resolves null: where it lands is the browser's choice.
   */
  async saveExport(handle: string, name: string): Promise<string | null> {
    if (!this.token) {
      throw new IpcError(
        'PERMISSION_DENIED',
        'This page has no access token. Open the exact URL that `xpersist serve` printed; it carries the token.',
      )
    }
    const response = await this.fetchImpl(`/api/export/${encodeURIComponent(handle)}`, {
      headers: { 'X-Xpersist-Token': this.token },
    })
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as {
        error?: { message?: string }
      } | null
      throw new IpcError(
        'INVALID_ARGUMENT',
        body?.error?.message ?? `The export could not be downloaded (HTTP ${response.status}).`,
      )
    }
    downloadBlob(await response.blob(), name)
    return null
  }

  /** Downloads the text as a file (nothing goes through the server). */
  async saveText(name: string, text: string, type: string): Promise<string | null> {
    downloadBlob(new Blob([text], { type }), name)
    return null
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

/** Hands `blob` to the browser as a download named `name`. */
function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  try {
    const link = document.createElement('a')
    link.href = url
    link.download = name
    link.rel = 'noopener'
    document.body.appendChild(link)
    link.click()
    link.remove()
  } finally {
    // The click has started the download; the object URL can go after this turn.
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
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
