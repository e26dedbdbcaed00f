// A moto_server (S3 emulator) on 127.0.0.1 for the cloud benchmark, started from .venv-servers
// and stopped by stop() or, at the latest, when this process exits. The tests' own helper
// (test/servers/moto.ts) is TypeScript, which bench scripts cannot import: this is its minimum.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, promises as fs, readFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, '.venv-servers', 'bin', 'moto_server')
const START_TIMEOUT_MS = 120_000
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** A plain SDK client for s3fs-style options (key, secret, endpoint_url). */
export function s3Client(options) {
  return new S3Client({
    endpoint: options.endpoint_url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: options.key, secretAccessKey: options.secret },
    // Optional CRC checksums off, as the engine sends them to non-AWS servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}

/** s3fs-style storage_options with dummy keys (moto takes any) for `endpoint`. */
export function storageOptionsFor(endpoint) {
  return {
    key: 'bench-key',
    secret: 'bench-secret',
    endpoint_url: endpoint,
    client_kwargs: { region_name: 'us-east-1' },
  }
}

/** Starts moto_server; returns { endpoint, storageOptions, reset(buckets), stop() }. */
export async function startMoto() {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: run 'bash test/servers/setup-servers.sh' first.`)
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xp-bench-moto-'))
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  // The log goes to a file, not a pipe: a pipe left unread while the bench waits on a
  // synchronous child (Python) fills up and moto stops answering.
  const log = path.join(dir, 'moto.log')
  const out = openSync(log, 'w')
  const child = spawn(BIN, ['-H', '127.0.0.1', '-p', String(port)], {
    cwd: dir,
    env: { ...process.env, TMPDIR: dir, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', out, out],
    detached: true, // its own process group: stop reaches whatever it started
  })
  closeSync(out)
  const tail = () => readFileSync(log, 'utf8').slice(-4000)
  const kill = (signal) => {
    if (child.exitCode !== null || child.signalCode !== null) return
    try {
      process.kill(-child.pid, signal)
    } catch {
      child.kill(signal)
    }
  }
  // Also stopped when the bench exits or is interrupted (Ctrl-C) before reaching stop().
  const onExit = () => kill('SIGKILL')
  const onSignal = (signal) => {
    kill('SIGKILL')
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('exit', onExit)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    process.off('exit', onExit)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    const done = new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r),
    )
    kill('SIGTERM')
    const timer = setTimeout(() => kill('SIGKILL'), 10_000)
    await done
    clearTimeout(timer)
    await fs.rm(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`moto_server exited at start:\n${tail()}`)
    }
    const ok = await fetch(`${endpoint}/moto-api/`).then(
      async (r) => (await r.arrayBuffer(), r.ok),
      () => false,
    )
    if (ok) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`moto_server did not answer in ${START_TIMEOUT_MS / 1000} s:\n${tail()}`)
    }
    await sleep(200)
  }
  const storageOptions = storageOptionsFor(endpoint)
  const client = s3Client(storageOptions)
  return {
    endpoint,
    storageOptions,
    client,
    /** Forgets every bucket and object (POST /moto-api/reset), then makes `buckets` again. */
    async reset(buckets = []) {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
      await res.arrayBuffer()
      if (!res.ok) throw new Error(`moto reset answered ${res.status}`)
      for (const Bucket of buckets) await client.send(new CreateBucketCommand({ Bucket }))
    },
    stop,
  }
}
