// The entry of the Electron utility process that holds the explorer session (see
// electron/main/engine-process.ts). Its config arrives as an argument, as JSON.
import { serveEngine } from './engine-endpoint.js'
import type { EngineConfig, FromEngine, ToEngine } from './engine-protocol.js'

/** What Electron gives a utility process to talk to its parent. */
interface ParentPort {
  postMessage(message: FromEngine): void
  on(event: 'message', listener: (event: { data: ToEngine }) => void): void
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
if (parentPort) {
  const config = process.argv.find((a) => a.startsWith('{')) ?? '{}'
  serveEngine(JSON.parse(config) as EngineConfig, {
    post: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
  })
}
