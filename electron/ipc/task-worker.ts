// A worker thread that runs long tasks (previews, puts, doctor) for an engine: one at a time,
// so terminating it stops exactly the task it runs.
import { parentPort, workerData } from 'node:worker_threads'
import { toErrorShape } from '../engine/errors.js'
import type { TaskReply } from './task-pool.js'
import { holdTasksUntil, runTask, type EngineTask } from './tasks.js'

const data = (workerData ?? {}) as { holdTasksUntil?: string }
if (data.holdTasksUntil) holdTasksUntil(data.holdTasksUntil)

parentPort?.on('message', (task: EngineTask) => {
  void runTask(task).then(
    (value) => parentPort?.postMessage({ ok: true, value } satisfies TaskReply),
    (err: unknown) =>
      parentPort?.postMessage({ ok: false, error: toErrorShape(err) } satisfies TaskReply),
  )
})
