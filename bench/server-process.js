// What bench/moto.js and bench/seaweedfs.js share: free ports, an SDK client, and a server
// process started from .venv-servers in its own temp folder and process group, waited on
// until it answers, and stopped by stop() or, at the latest, when the bench exits or is
// interrupted (Ctrl-C). The tests' helper (test/servers/server-process.ts) is TypeScript,
// which bench scripts cannot import: this is its minimum.
import { S3Client } from '@aws-sdk/client-s3'
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, promises as fs, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const START_TIMEOUT_MS = 120_000
const STOP_GRACE_MS = 10_000
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const portIsFree = (port) =>
  new Promise((resolve) => {
    const s = net.createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })

/** `count` free ports on 127.0.0.1; with `offset`, each p + offset is free too (SeaweedFS). */
export async function freePorts(count, offset = 0) {
  const out = []
  for (let tries = 0; out.length < count && tries < 1000; tries++) {
    const p = 20_000 + Math.floor(Math.random() * (55_000 - offset - 20_000))
    if (out.includes(p) || out.includes(p + offset) || out.some((q) => q + offset === p)) continue
    if (!(await portIsFree(p))) continue
    if (offset > 0 && !(await portIsFree(p + offset))) continue
    out.push(p)
  }
  if (out.length < count) throw new Error(`no ${count} free ports found on 127.0.0.1`)
  return out
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

/** s3fs-style storage_options for `endpoint` with the server's key and secret. */
export function storageOptionsFor(endpoint, key, secret) {
  return { key, secret, endpoint_url: endpoint, client_kwargs: { region_name: 'us-east-1' } }
}

/** True when an HTTP GET of `url` gets any answer (a 403 or 404 still means it is up). */
export async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) })
    await res.arrayBuffer()
    return res.status < 500
  } catch {
    return false
  }
}

/**
 * Starts .venv-servers/bin/`bin` with args(ports, dir) on `ports` free ports (each also free
 * at + `portOffset`) in a temp folder `dir` (its TMPDIR too), after prepare(dir); waits until
 * ready(ports). Returns { ports, dir, stop() }; stop is SIGTERM then SIGKILL, then the folder
 * and leftovers(ports) (files the server writes outside it) removed. At exit or Ctrl-C before
 * stop(): SIGKILL and the same removal.
 */
export async function startServerProcess({ name, bin, ports: count = 1, portOffset = 0, ...spec }) {
  const command = path.join(ROOT, '.venv-servers', 'bin', bin)
  if (!existsSync(command)) {
    throw new Error(`${command} is missing: run 'bash test/servers/setup-servers.sh' first.`)
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `xp-bench-${name}-`))
  const ports = await freePorts(count, portOffset)
  await spec.prepare?.(dir)
  // The log goes to a file, not a pipe: a pipe left unread while the bench waits on a
  // synchronous child (Python) fills up and the server stops answering.
  const log = path.join(dir, `${name}.log`)
  const out = openSync(log, 'w')
  const child = spawn(command, spec.args(ports, dir), {
    cwd: dir,
    env: { ...process.env, TMPDIR: dir, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', out, out],
    detached: true, // its own process group: stop reaches whatever it started
  })
  closeSync(out)
  const tail = () => readFileSync(log, 'utf8').slice(-4000)
  const running = () => child.exitCode === null && child.signalCode === null
  const kill = (signal) => {
    if (!running()) return
    try {
      process.kill(-child.pid, signal)
    } catch {
      child.kill(signal)
    }
  }
  const remove = () => {
    for (const p of [dir, ...(spec.leftovers?.(ports) ?? [])]) {
      rmSync(p, { recursive: true, force: true })
    }
  }
  const onExit = () => {
    kill('SIGKILL')
    remove()
  }
  const onSignal = (signal) => {
    onExit()
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
    const done = new Promise((r) => (running() ? child.once('exit', r) : r()))
    kill('SIGTERM')
    // SeaweedFS sometimes ignores SIGTERM while a volume is busy.
    const timer = setTimeout(() => kill('SIGKILL'), STOP_GRACE_MS)
    await done
    clearTimeout(timer)
    remove()
  }
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (!running()) {
      const text = tail()
      await stop()
      throw new Error(`${name} exited at start:\n${text}`)
    }
    if (await spec.ready(ports).catch(() => false)) break
    if (Date.now() > deadline) {
      const text = tail()
      await stop()
      throw new Error(`${name} did not answer in ${START_TIMEOUT_MS / 1000} s:\n${text}`)
    }
    await sleep(200)
  }
  return { ports, dir, stop }
}
