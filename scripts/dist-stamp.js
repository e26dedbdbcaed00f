// Which parts of dist/ were built from the sources as they are now. `npm run build` ends by
// writing a stamp per part (a hash of its inputs' paths and bytes); the test setup compares
// and rebuilds a part whose stamp differs, so no test ever runs a stale dist/. A hash, not
// mtimes: a restored or deleted source changes it, and a checkout's timestamps do not matter.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name)

/** Each built part of dist/: what it is built from, how, and where its stamp lives. */
export const PARTS = [
  {
    name: 'engine, IPC, server, CLI and Electron main (tsc)',
    inputs: ['electron', 'shared', 'tsconfig.json', 'tsconfig.build.json'],
    stamp: 'dist/.stamp-tsc',
    build: [bin('tsc'), ['-p', 'tsconfig.build.json']],
    // tsc writes every file even when it reports type errors (npm run typecheck catches those).
    emitsDespiteErrors: true,
  },
  {
    name: 'renderer (vite)',
    inputs: ['renderer', 'shared', 'vite.config.ts'],
    // Not under dist/renderer: vite empties that folder.
    stamp: 'dist/.stamp-renderer',
    build: [bin('vite'), ['build', '--logLevel', 'warn']],
  },
]

function filesUnder(rel) {
  const abs = path.join(ROOT, rel)
  if (!existsSync(abs)) return []
  if (!statSync(abs).isDirectory()) return [rel]
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
}

/** The hash of a part's inputs as they are on disk now. */
export function inputsHash(part) {
  const hash = createHash('sha256')
  const files = part.inputs.flatMap(filesUnder).sort()
  for (const rel of files) {
    hash.update(`${rel}\0`)
    hash.update(readFileSync(path.join(ROOT, rel)))
    hash.update('\0')
  }
  return hash.digest('hex')
}

/** True when the part's stamp says it was built from the current inputs. */
export function isFresh(part) {
  const stamp = path.join(ROOT, part.stamp)
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === inputsHash(part)
}

/** Records that the part was just built from the current inputs. */
export function writeStamp(part) {
  mkdirSync(path.join(ROOT, 'dist'), { recursive: true })
  writeFileSync(path.join(ROOT, part.stamp), inputsHash(part) + '\n')
}

/**
 * Builds the part (its tool's output goes to stderr) and stamps it. Returns false when the
 * tool reported errors but still wrote its output from the current sources; throws when
 * there is no such output.
 */
export function build(part) {
  const [cmd, args] = part.build
  let clean = true
  try {
    execFileSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 2, 2] })
  } catch (err) {
    if (!part.emitsDespiteErrors || typeof err.status !== 'number') throw err
    clean = false
  }
  writeStamp(part)
  return clean
}

// `node scripts/dist-stamp.js`: stamp every part (the last step of `npm run build`).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const part of PARTS) writeStamp(part)
}
