import type { Channel, Envelope, XpersistEvent } from '../../shared/ipc.js'

/** How an engine is configured: plain data, so it crosses to a worker or a utility process. */
export interface EngineConfig {
  mode: 'electron' | 'browser'
  initial: { location: string; readonly: boolean } | null
  /** Started with --readonly: no cache opens writable. */
  readonlyCeiling: boolean
  recentFile?: string
  /** The host answers dialog calls (Electron's native dialogs). */
  dialogs: boolean
  /** The task worker script; absent runs long tasks on the engine's own thread. */
  taskScript?: string
  /** Test hook: tasks block until this file exists (see holdTasksUntil). */
  holdTasksUntil?: string
}

/** Host -> engine. Every message with an `id` gets one `reply` with that id. */
export type ToEngine =
  | { type: 'invoke'; id: number; channel: string; request: unknown }
  | { type: 'abort'; id: number }
  | { type: 'adopt'; id: number; path: string }
  | { type: 'close'; id: number }
  /** Takes a finished export off the session (browser download); replies {path, name} or null. */
  | { type: 'takeExport'; id: number; handle: string }
  | { type: 'hostReply'; id: number; ok: boolean; value?: unknown; message?: string }

/** Engine -> host. */
export type FromEngine =
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'event'; event: XpersistEvent }
  | {
      type: 'hostCall'
      id: number
      name: 'pickFolder' | 'pickFile' | 'saveFile'
      folder?: boolean
      /** saveFile: the suggested file name. */
      suggested?: string
    }

/** A delete job that closing the engine stopped (as Cancel does): how far it got. */
export interface StoppedJob {
  jobId: string
  done: number
  total: number
  /** False when it was still running when the wait for it ran out. */
  stopped: boolean
}

/** The log line of a stopped job, for `serve` and the app to print when they close. */
export function stoppedJobText(job: StoppedJob): string {
  const left = job.total - job.done
  return job.stopped
    ? `Stopped a delete on shutdown: ${job.done} of ${job.total} artifact(s) done, ${left} left ` +
        `as they were (none half-deleted).`
    : `A delete was still running at shutdown: ${job.done} of ${job.total} artifact(s) done; ` +
        `'xpersist doctor' repairs an artifact it left halfway.`
}

/** The native dialogs a host may offer the engine. */
export interface HostDialogs {
  pickFolder(): Promise<string | null>
  /** A file, or with `folder` a folder (its `bytes` are left to the engine to count). */
  pickFile(folder?: boolean): Promise<{ path: string; name: string; bytes: number } | null>
  /** A save dialog suggesting `name`: the chosen path, or null when cancelled. */
  saveFile?(name: string): Promise<string | null>
}

/**
 * Where the handler table runs, seen from the thread that answers the window (Electron main,
 * the HTTP server): in process, in a worker thread, or in an Electron utility process.
 */
export interface EngineHost {
  /** Calls a channel; `signal` tells the engine the caller went away (it stops long tasks). */
  invoke(channel: string, request: unknown, signal?: AbortSignal): Promise<Envelope<Channel>>
  /** Subscribes to the engine's events; returns the unsubscribe function. */
  onEvent(listener: (event: XpersistEvent) => void): () => void
  /** Hands an uploaded temp file to the engine; returns the handle artifact.put takes. */
  adoptFile(path: string): Promise<string>
  /**
   * Takes a finished export (table.export's handle) off the session for a download: its temp
   * file's path and suggested name, or null when there is none; the caller removes the file.
   */
  takeExport?(handle: string): Promise<{ path: string; name: string } | null>
  /**
   * Stops running delete jobs between artifacts (as Cancel does) and waits for them, bounded,
   * then releases the session (temp files included) and stops the engine. Returns the jobs it
   * stopped, for the host to log.
   */
  close(): Promise<StoppedJob[] | void>
}
