// A loopback HTTP proxy that forwards every request to one upstream (the bench's S3 server) and
// counts requests by method and the response body bytes it passes back: what a client really
// transferred, measured outside the engine. It runs in a child process of its own so its work
// is not charged to the engine's event loop.
// startCountingProxy(upstream) -> { endpoint, counts(), reset(), stop() }
import { fork } from 'node:child_process'
import http from 'node:http'
import { fileURLToPath } from 'node:url'

const SELF = fileURLToPath(import.meta.url)

/** Starts the proxy in a child process; counts() and reset() talk to it over IPC. */
export async function startCountingProxy(upstream) {
  const child = fork(SELF, ['--serve', upstream], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const onExit = () => child.kill('SIGKILL')
  process.once('exit', onExit)
  // Replies come back in order: one waiter per message sent.
  const waiting = []
  child.on('message', (m) => waiting.shift()?.resolve(m))
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`count proxy exited (${code})`))
  })
  const ask = (cmd) =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject })
      if (cmd !== null) child.send({ cmd })
    })
  const { port } = await ask(null) // the child's first message: where it listens
  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** { requests: { GET: n, ... }, responseBodyBytes, requestBodyBytes } since the last reset. */
    counts: () => ask('counts'),
    reset: () => ask('reset'),
    async stop() {
      process.off('exit', onExit)
      if (child.exitCode !== null || child.signalCode !== null) return
      const done = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await done
    },
  }
}

function serve(upstream) {
  const target = new URL(upstream)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 })
  let counts
  const zero = () => (counts = { requests: {}, responseBodyBytes: 0, requestBodyBytes: 0 })
  zero()
  const server = http.createServer((req, res) => {
    counts.requests[req.method] = (counts.requests[req.method] ?? 0) + 1
    const up = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (upRes) => {
        res.writeHead(upRes.statusCode, upRes.rawHeaders)
        upRes.on('data', (chunk) => (counts.responseBodyBytes += chunk.length))
        upRes.pipe(res)
      },
    )
    up.on('error', () => res.destroy())
    req.on('data', (chunk) => (counts.requestBodyBytes += chunk.length))
    req.pipe(up)
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
  process.on('message', ({ cmd }) => {
    if (cmd === 'counts') process.send(counts)
    else if (cmd === 'reset') process.send(zero())
  })
  process.on('disconnect', () => process.exit(0))
  process.on('SIGTERM', () => process.exit(0))
}

if (process.argv[2] === '--serve') serve(process.argv[3])
