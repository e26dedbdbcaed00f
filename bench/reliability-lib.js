// Shared parts of `npm run bench:reliability`: writer processes and the consistency check.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** The built engine, as the writer processes load it. */
export const ENGINE = path.join(ROOT, 'dist', 'electron', 'engine', 'index.js')
const CHILD = path.join(ROOT, 'test', 'helpers', 'writer-child.js')

/**
 * Starts one writer process (test/helpers/writer-child.js). `waiting` resolves when a
 * `waitGo` writer is ready; `go()` starts it; `done` resolves with its last line, or
 * 'died SIGNAL'.
 */
export function startWriter(dir, cmd) {
  const proc = spawn(process.execPath, [CHILD, ENGINE, dir, JSON.stringify(cmd)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let out = ''
  let onWaiting
  const waiting = new Promise((resolve) => (onWaiting = resolve))
  proc.stdout.on('data', (d) => {
    out += d.toString()
    if (out.includes('WAITING')) onWaiting()
  })
  const done = new Promise((resolve) =>
    proc.on('exit', (code, signal) => {
      onWaiting()
      const lines = out.trim().split('\n')
      resolve(signal ? `died ${signal}` : (lines.at(-1) ?? `exit ${code}`))
    }),
  )
  return {
    proc,
    waiting,
    done,
    go: () => proc.stdin.write('go\n'),
  }
}

/**
 * Whose artifact `key` is: the writer id when payload and sidecar are one writer's (a CSV for
 * even ids, a pickle for odd ones, the same id in both; an edit keeps the payload's writer),
 * null when the key is absent, 'mixed' otherwise.
 */
export async function whose(store, key) {
  if (!(await store.has(key))) return null
  try {
    const a = await store.getArtifact(key)
    const value = await store.get(key)
    const csv = a.serializer === 'pandas.csv'
    const writer = Number(csv ? value.getChild('writer')?.get(0) : value.get('writer'))
    if (!Number.isInteger(writer) || writer % 2 !== (csv ? 0 : 1)) return 'mixed'
    if (!a.additional_metadata.edited && a.additional_metadata.writer !== writer) return 'mixed'
    return writer
  } catch {
    return 'mixed'
  }
}

/** A small seeded PRNG (mulberry32), so a run can be repeated with --seed. */
export function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `--name value` flags as numbers, with defaults. */
export function flags(defaults) {
  const out = { ...defaults }
  const argv = process.argv.slice(2)
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '')
    if (!(name in defaults))
      throw new Error(`unknown flag ${argv[i]}; known: ${Object.keys(defaults).join(', ')}`)
    out[name] = Number(argv[++i])
  }
  return out
}
