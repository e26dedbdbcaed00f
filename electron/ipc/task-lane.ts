import { taskCancelled } from './task-pool.js'

/**
 * Runs tasks one at a time, in order. Slices go through one lane per session: a slider moving
 * fast queues its steps here instead of starting a worker (and opening the dataset again) per
 * step, and each step then runs on the worker that already holds the dataset open. A queued
 * task whose caller went away leaves the queue without running.
 */
export class TaskLane {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `run` after every task queued before it; rejects at once if `signal` aborts first. */
  run<T>(run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const turn = this.tail.then(
      () => undefined,
      () => undefined,
    )
    const result = turn.then(() => {
      if (signal?.aborted) throw taskCancelled()
      return run()
    })
    this.tail = result.catch(() => undefined)
    if (!signal) return result
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(taskCancelled())
      signal.addEventListener('abort', onAbort, { once: true })
      result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }
}
