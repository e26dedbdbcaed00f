import type { Channel, Envelope, RequestOf, ResponseOf, XpersistEvent } from '../../../shared/ipc'
import type { ErrorCode } from '../../../shared/errors'
import type { FolderFile, FolderUploaded, FolderUploadOptions } from './folder-upload'

export type {
  FolderFile,
  FolderProgress,
  FolderUploaded,
  FolderUploadOptions,
} from './folder-upload'

/** The sidecar as it is on disk now, sent with a CONFLICT so the UI can show both versions. */
export interface ConflictCurrent {
  artifact: Record<string, unknown>
  version: string
  metadataText: string
}

/** An engine error that came back over IPC: its code, the engine's message, and for CONFLICT the disk version. */
export class IpcError extends Error {
  override readonly name = 'IpcError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly current?: ConflictCurrent,
  ) {
    super(message)
  }
}

/** Per-call options: a signal lets a stale preview request be dropped (HTTP aborts it too). */
export interface InvokeOptions {
  signal?: AbortSignal
}

/** How the UI reaches the engine: one typed call per channel, plus pushed events. */
export interface Transport {
  /** Calls a channel; resolves with its response or rejects with an IpcError. */
  invoke<C extends Channel>(
    channel: C,
    request: RequestOf<C>,
    options?: InvokeOptions,
  ): Promise<ResponseOf<C>>
  /** Subscribes to events the main side pushes; returns the unsubscribe function. */
  onEvent(cb: (event: XpersistEvent) => void): () => void
  /**
   * Browser mode: streams a file to the server (no base64, no JSON); resolves with the handle
   * artifact.put takes. Absent where files come from a native dialog (Electron).
   */
  upload?(file: Blob): Promise<{ handle: string; bytes: number }>
  /**
   * Browser mode: sends a folder's files (paths relative to the folder, `/` between names),
   * reporting progress; resolves with the one handle artifact.put takes for the folder.
   */
  uploadFolder?(files: FolderFile[], options?: FolderUploadOptions): Promise<FolderUploaded>
  /**
   * Saves a finished table.export (its handle and suggested name): Electron asks where with a
   * save dialog and moves the file there (the path, or null when cancelled); the browser
   * downloads it from /api/export/<handle> (null: the browser's own download takes over).
   */
  saveExport(handle: string, name: string): Promise<string | null>
  /**
   * Saves text the window made (an exported plan) under the suggested name: Electron asks
   * where (export.saveText; the path, or null when cancelled); the browser downloads it (null).
   */
  saveText(name: string, text: string, type: string): Promise<string | null>
}

/** The response of an envelope, or its error thrown as an IpcError. */
export function unwrapEnvelope<C extends Channel>(envelope: Envelope<C>): ResponseOf<C> {
  if (envelope.ok) return envelope.data
  const { code, message, current } = envelope.error
  throw new IpcError(code, message, current)
}

/** The message to show for anything a call may throw: the engine's words when there are some. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

/** An error thrown by a call that was aborted because its answer is no longer wanted. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError'
}
