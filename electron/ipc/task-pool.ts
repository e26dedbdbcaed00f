import { Worker } from 'node:worker_threads'
import { BackendError, XpersistError } from '../engine/errors.js'
import type { ErrorShape } from '../../shared/errors.js'
import type { EngineTask } from './tasks.js'

/** What a task worker answers: the result, or the error's shape. */
export type TaskReply = { ok: true; value: unknown } | { ok: false; error: ErrorShape }

/** What a task worker may post before its reply: how far the task got. */
export type TaskProgress = { progress: { done: number; total: number } }

/** The error a stopped task rejects with. */
export function taskCancelled(): XpersistError {
  return new BackendError('Stopped: the request was cancelled or superseded before it finished.')
}

/**
 * Runs long tasks on worker threads. A synchronous parse cannot be interrupted from inside,
 * so stopping a task terminates its worker; an idle worker is kept for the next task.
 */
export class TaskPool {
  private readonly idle: Worker[] = []
  private readonly busy = new Set<Worker>()

  constructor(
    private readonly script: string | URL,
    private readonly workerData: unknown = {},
    private readonly maxIdle = 1,
  ) {}

  /** Runs one task; rejects with taskCancelled() as soon as `signal` aborts. */
  run(
    task: EngineTask,
    signal: AbortSignal,
    onProgress?: (progress: { done: number; total: number }) => void,
  ): Promise<unknown> {
    if (signal.aborted) return Promise.reject(taskCancelled())
    const worker = this.idle.pop() ?? new Worker(this.script, { workerData: this.workerData })
    this.busy.add(worker)
    return new Promise((resolve, reject) => {
      const done = (keep: boolean) => {
        worker.off('message', onMessage)
        worker.off('error', onError)
        worker.off('exit', onExit)
        signal.removeEventListener('abort', onAbort)
        this.busy.delete(worker)
        if (keep && this.idle.length < this.maxIdle) this.idle.push(worker)
        else void worker.terminate()
      }
      const onMessage = (reply: TaskReply | TaskProgress) => {
        if ('progress' in reply) return onProgress?.(reply.progress)
        done(true)
        if (reply.ok) resolve(reply.value)
        else reject(new XpersistError(reply.error.code, reply.error.message))
      }
      const onError = (err: Error) => {
        done(false)
        reject(new BackendError(`The task failed: ${err.message}`, { cause: err }))
      }
      const onExit = (code: number) => {
        done(false)
        reject(new BackendError(`The task's worker stopped (exit ${code}); try again.`))
      }
      const onAbort = () => {
        done(false)
        reject(taskCancelled())
      }
      worker.on('message', onMessage)
      worker.once('error', onError)
      worker.once('exit', onExit)
      signal.addEventListener('abort', onAbort, { once: true })
      worker.postMessage(task)
    })
  }

  /**
   * Posts a task that has no answer (a forget) to every idle worker; busy ones run one task
   * at a time and, with the pool keeping one idle worker, are not kept for long.
   */
  tell(task: EngineTask): void {
    for (const worker of this.idle) worker.postMessage(task)
  }

  /** How many workers exist now (busy or idle). */
  get size(): number {
    return this.idle.length + this.busy.size
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    const all = [...this.idle, ...this.busy]
    this.idle.length = 0
    this.busy.clear()
    await Promise.all(all.map((w) => w.terminate()))
  }
}
