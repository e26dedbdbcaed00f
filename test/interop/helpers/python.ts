/**
 * Runs the interop scripts (test/interop/python) with the pinned venv's Python. Without the
 * venv a suite is skipped with a printed reason, except under CI, where it runs and fails
 * saying how to build the venv: a missing venv must never turn CI green by skipping.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { REPO } from '../../helpers/temp.js'

/** The venv's interpreter, from the repo root. */
export const PYTHON = path.join(REPO, '.venv-interop', 'bin', 'python')
/** The interop scripts' folder. */
export const SCRIPTS = path.join(REPO, 'test', 'interop', 'python')
/**
 * Per Python call: importing pandas, xarray and xpersist takes seconds on two idle cores, and
 * five times that at load 10.
 */
export const PYTHON_TIMEOUT_MS = 180_000
/** For a beforeAll that runs Python more than once. */
export const HOOK_TIMEOUT_MS = 3 * PYTHON_TIMEOUT_MS

const MISSING =
  `The Python interop venv is missing (${path.relative(REPO, PYTHON)} does not exist). ` +
  `Run 'bash test/interop/setup-venv.sh' (about 30 s) to build it.`

function onCi(): boolean {
  const ci = process.env.CI
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0'
}

/**
 * True when `suite` must be skipped: the venv is missing and this is not CI. Prints why, so a
 * local run does not pass silently without having talked to Python at all.
 */
export function skipWithoutPython(suite: string): boolean {
  if (existsSync(PYTHON) || onCi()) return false
  console.warn(`Skipping '${suite}': ${MISSING}`)
  return true
}

const run = promisify(execFile)

/** Runs a script of test/interop/python (or `-c` code) and returns its stdout. */
export async function runPython(script: string, args: readonly string[]): Promise<string> {
  if (!existsSync(PYTHON)) throw new Error(MISSING)
  const argv = script === '-c' ? ['-c', ...args] : [path.join(SCRIPTS, script), ...args]
  try {
    const { stdout } = await run(PYTHON, argv, {
      cwd: REPO,
      timeout: PYTHON_TIMEOUT_MS,
      maxBuffer: 256 * 1024 ** 2,
      env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
    })
    return stdout
  } catch (err) {
    const e = err as Error & { stderr?: string; killed?: boolean }
    const why = e.killed ? `timed out after ${PYTHON_TIMEOUT_MS / 1000} s` : 'failed'
    throw new Error(`${path.basename(script)} ${why}: ${e.message}\n${e.stderr ?? ''}`, {
      cause: err,
    })
  }
}

/** The second venv's interpreter (zarr-python 3; see setup-venv-zarr3.sh). */
export const ZARR3_PYTHON = path.join(REPO, '.venv-zarr3', 'bin', 'python')

/** Runs a script of test/interop/python with another interpreter (the zarr 3 venv). */
export async function runPythonWith(
  python: string,
  script: string,
  args: readonly string[],
): Promise<string> {
  try {
    const { stdout } = await run(python, [path.join(SCRIPTS, script), ...args], {
      cwd: REPO,
      timeout: PYTHON_TIMEOUT_MS,
      maxBuffer: 256 * 1024 ** 2,
      env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
    })
    return stdout
  } catch (err) {
    const e = err as Error & { stderr?: string }
    throw new Error(`${script} (${python}) failed: ${e.message}\n${e.stderr ?? ''}`, {
      cause: err,
    })
  }
}
