// A worker thread that runs long tasks (previews, puts, doctor, dataset slices and
// statistics, which report progress as they go) for an engine: one at a time,
// so terminating it stops exactly the task it runs.
import { parentPort, workerData } from 'node:worker_threads'
import { toErrorShape } from '../engine/errors.js'
import type { TaskProgress, TaskReply } from './task-pool.js'
import { holdTasksUntil, runTask, type EngineTask } from './tasks.js'

const data = (workerData ?? {}) as { holdTasksUntil?: string }
if (data.holdTasksUntil) holdTasksUntil(data.holdTasksUntil)

parentPort?.on('message', (task: EngineTask) => {
  // A forget is told, not asked: it has no answer (see TaskPool.tell).
  if (task.kind === 'forget') return void runTask(task).catch(() => undefined)
  const onProgress = (progress: { done: number; total: number }) =>
    parentPort?.postMessage({ progress } satisfies TaskProgress)
  void runTask(task, { onProgress }).then(
    (value) => parentPort?.postMessage({ ok: true, value } satisfies TaskReply),
    (err: unknown) =>
      parentPort?.postMessage({ ok: false, error: toErrorShape(err) } satisfies TaskReply),
  )
})
