/**
 * Starts a test server (moto, SeaweedFS, fake-gcs-server) from .venv-servers on 127.0.0.1 on
 * free ports, waits until it answers, and stops it (SIGTERM, then SIGKILL) leaving nothing
 * behind: its temp folder (the child's TMPDIR too) is removed on stop. Servers are real
 * programs, so a missing venv fails the test with what to run; it never skips.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, promises as fs } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { REPO } from '../helpers/temp.js'

/** The servers' venv, built by test/servers/setup-servers.sh. */
export const SERVERS_VENV = path.join(REPO, '.venv-servers')

/** Waiting limits sized for a 2-core machine at load 10; idle start-up takes about 2 s. */
export const START_TIMEOUT_MS = 120_000
const STOP_GRACE_MS = 10_000
const OUTPUT_TAIL = 16_000

/** Path of a program in .venv-servers/bin; throws saying how to build the venv when missing. */
export function serverBin(name: string): string {
  const bin = path.join(SERVERS_VENV, 'bin', name)
  if (!existsSync(bin)) {
    throw new Error(
      `${path.relative(REPO, bin)} is missing: the object-store servers' venv is not built. ` +
        `Run 'bash test/servers/setup-servers.sh' (about 2 minutes, once) and rerun the tests.`,
    )
  }
  return bin
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

/**
 * `count` free ports on 127.0.0.1. With `offset`, each port p also has p + offset free
 * (SeaweedFS puts its gRPC port at http + 10000). Another process can still take one before
 * the server binds it: startServer retries with new ports when the server dies at start.
 */
export async function freePorts(count: number, offset = 0): Promise<number[]> {
  const out: number[] = []
  for (let tries = 0; out.length < count && tries < 1000; tries++) {
    const p = 20_000 + Math.floor(Math.random() * (55_000 - offset - 20_000))
    if (out.includes(p) || out.includes(p + offset) || out.some((q) => q + offset === p)) continue
    if (!(await portIsFree(p))) continue
    if (offset > 0 && !(await portIsFree(p + offset))) continue
    out.push(p)
  }
  if (out.length < count) throw new Error(`No ${count} free ports found on 127.0.0.1`)
  return out
}

/** How to run one server. */
export interface ServerSpec {
  /** For messages: 'moto', 'seaweedfs'. */
  name: string
  /** Absolute path of the program (see serverBin). */
  command: string
  /** How many ports to reserve, and the offset each also needs free (see freePorts). */
  ports: number
  portOffset?: number
  /** Arguments, given the reserved ports and the server's own temp folder. */
  args(ports: number[], dir: string): string[]
  /** Writes config files into the temp folder before the start (SeaweedFS identities). */
  prepare?(dir: string): Promise<void>
  /** True once the server answers; called repeatedly until then. */
  ready(ports: number[]): Promise<boolean>
  /** Removes what the server leaves outside its temp folder (SeaweedFS's /tmp sockets). */
  cleanup?(ports: number[]): Promise<void>
}

/** A started server. */
export interface RunningServer {
  readonly ports: number[]
  readonly dir: string
  /** The last lines the server printed, for failure messages. */
  output(): string
  /** Stops it and removes its files; safe to call twice. */
  stop(): Promise<void>
}

// Children still running when the test worker exits are killed, so none outlives its test.
const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const c of live) killGroup(c, 'SIGKILL')
})

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal) // the whole group: a wrapper script's children too
  } catch {
    child.kill(signal)
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function stopChild(child: ChildProcess): Promise<void> {
  killGroup(child, 'SIGTERM')
  const done = exited(child)
  // SeaweedFS sometimes ignores SIGTERM while a volume is busy: SIGKILL after a grace period.
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS)
  await done
  clearTimeout(timer)
  live.delete(child)
}

async function startOnce(spec: ServerSpec): Promise<RunningServer & { died: boolean }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `xp-server-${spec.name}-`))
  const ports = await freePorts(spec.ports, spec.portOffset ?? 0)
  let tail = ''
  const keep = (b: Buffer) => {
    tail = (tail + b.toString('utf8')).slice(-OUTPUT_TAIL)
  }
  let stopped = false
  const cleanup = async () => {
    if (stopped) return
    stopped = true
    await stopChild(child)
    await spec.cleanup?.(ports)
    await fs.rm(dir, { recursive: true, force: true })
  }
  try {
    await spec.prepare?.(dir)
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true })
    throw err
  }
  const child = spawn(spec.command, spec.args(ports, dir), {
    cwd: dir,
    env: { ...process.env, TMPDIR: dir, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop reaches everything it started
  })
  live.add(child)
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const server = { ports, dir, output: () => tail, stop: cleanup, died: false }
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await cleanup()
      return { ...server, died: true }
    }
    if (await spec.ready(ports).catch(() => false)) return server
    await sleep(200)
  }
  await cleanup()
  throw new Error(
    `${spec.name} did not answer on 127.0.0.1:${ports[0]} within ${START_TIMEOUT_MS / 1000} s. ` +
      `Its output:\n${tail}`,
  )
}

/** Starts `spec` on free ports and waits until it answers; retries if a port was taken. */
export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  let last = ''
  for (let attempt = 0; attempt < 3; attempt++) {
    const s = await startOnce(spec)
    if (!s.died) return s
    last = s.output()
  }
  throw new Error(`${spec.name} exited at start three times. Its last output:\n${last}`)
}

/** True when an HTTP GET of `url` gets any answer (a 403 or 404 still means it is up). */
export async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) })
    await res.arrayBuffer()
    return true
  } catch {
    return false
  }
}
