// The worker thread that holds the explorer session for browser mode (see worker-host.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { serveEngine } from './engine-endpoint.js'
import type { EngineConfig, ToEngine } from './engine-protocol.js'

if (parentPort) {
  const port = parentPort
  serveEngine(workerData as EngineConfig, {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', (message: ToEngine) => listener(message)),
  })
}
