import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** How long `npm start` lets Electron's installer download, unless the environment says. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 60_000
/** The environment variable that sets that time, in seconds. */
export const DOWNLOAD_TIMEOUT_ENV = 'XPERSIST_ELECTRON_DOWNLOAD_TIMEOUT'

/** A command to run: Electron's installer, or a stand-in in tests. */
export interface InstallerCommand {
  command: string
  args: string[]
}

/** The Electron binary, or why there is none. */
export type ElectronLookup =
  { binary: string; reason?: undefined } | { binary?: undefined; reason: string }

/**
 * The Electron binary npm installed under `root`/node_modules/electron, or why there is none.
 * Reads the package's path.txt itself: requiring 'electron' would start a download.
 */
export function electronBinary(root: string): ElectronLookup {
  const dir = path.join(root, 'node_modules', 'electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!existsSync(dir)) return { reason: 'the electron package is not installed' }
  if (!existsSync(pathFile)) return { reason: "Electron's binary was never downloaded" }
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? { binary } : { reason: `${binary} is missing` }
}

/**
 * Electron's own installer (what `require('electron')` runs on first use), with a preload
 * that puts the reason of a failed fetch (DNS, refused, TLS) into the error it prints.
 */
export function electronInstaller(root: string): InstallerCommand {
  return {
    command: process.execPath,
    args: [
      '--require',
      path.join(root, 'scripts', 'electron-fetch-cause.cjs'),
      path.join(root, 'node_modules', 'electron', 'install.js'),
    ],
  }
}

/** The download time limit from `env`, and a note when the value there is unusable. */
export function downloadTimeout(env: NodeJS.ProcessEnv): { ms: number; note?: string } {
  const raw = env[DOWNLOAD_TIMEOUT_ENV]
  if (raw === undefined || raw === '') return { ms: DEFAULT_DOWNLOAD_TIMEOUT_MS }
  const seconds = Number(raw)
  if (Number.isFinite(seconds) && seconds > 0) return { ms: Math.round(seconds * 1000) }
  return {
    ms: DEFAULT_DOWNLOAD_TIMEOUT_MS,
    note: `${DOWNLOAD_TIMEOUT_ENV}=${raw} is not a number of seconds; using ${DEFAULT_DOWNLOAD_TIMEOUT_MS / 1000}.`,
  }
}

/**
 * Electron's binary under `root`; when it is missing, runs Electron's installer first, for at
 * most `timeoutMs`. A failure comes back as one reason a user can act on (the installer's
 * own error, or the time limit, plus the Node version Electron wants when this one is older).
 */
export async function ensureElectronBinary(
  root: string,
  options: {
    timeoutMs: number
    installer?: InstallerCommand
    nodeVersion?: string
    onDownload?: (message: string) => void
  },
): Promise<ElectronLookup> {
  const found = electronBinary(root)
  if (found.binary || !existsSync(path.join(root, 'node_modules', 'electron'))) return found
  const pkg = electronPackage(root)
  const seconds = Math.round(options.timeoutMs / 1000)
  options.onDownload?.(
    `Downloading Electron ${pkg.version} (once; giving up after ${seconds} s, ${DOWNLOAD_TIMEOUT_ENV}=<seconds> to change)...`,
  )
  const run = await runInstaller(options.installer ?? electronInstaller(root), options.timeoutMs)
  if (run.exitCode === 0) {
    const after = electronBinary(root)
    return after.binary ? after : { reason: `Electron's installer finished, but ${after.reason}` }
  }
  const why = run.timedOut
    ? `Electron ${pkg.version}'s download did not finish within ${seconds} s ` +
      `(${DOWNLOAD_TIMEOUT_ENV}=<seconds> waits longer)`
    : `could not download Electron ${pkg.version} (${installerError(run.stderr, run.exitCode)})`
  return { reason: why + nodeHint(pkg.nodeRange, options.nodeVersion ?? process.versions.node) }
}

/** The installed electron package's version and the Node range its tooling declares. */
function electronPackage(root: string): { version: string; nodeRange: string | undefined } {
  try {
    const pkg = JSON.parse(
      readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
    ) as { version?: unknown; engines?: { node?: unknown } }
    return {
      version: typeof pkg.version === 'string' ? pkg.version : '(unknown version)',
      nodeRange: typeof pkg.engines?.node === 'string' ? pkg.engines.node : undefined,
    }
  } catch {
    return { version: '(unknown version)', nodeRange: undefined }
  }
}

/** Runs the installer with a time limit; its output is kept to explain a failure. */
function runInstaller(
  installer: InstallerCommand,
  timeoutMs: number,
): Promise<{ exitCode: number | null; timedOut: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(installer.command, installer.args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    let timedOut = false
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk
    })
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      resolve({ exitCode: null, timedOut: false, stderr: `Error: ${err.message}` })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ exitCode: timedOut ? null : code, timedOut, stderr })
    })
  })
}

/** The installer's error in one line: the message of the first `...Error: message` it printed. */
function installerError(stderr: string, exitCode: number | null): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim())
  for (const line of lines) {
    const m = /^(?:[A-Za-z]*Error|Error)(?: \[[A-Z_]+\])?: (.+)$/.exec(line)
    if (m?.[1]) return m[1].slice(0, 300)
  }
  const last = lines.filter(Boolean).pop()
  return last ? last.slice(0, 300) : `its installer exited with code ${exitCode}`
}

/** '; Electron's tooling wants Node ...' when `nodeVersion` is below the range's minimum. */
function nodeHint(range: string | undefined, nodeVersion: string): string {
  const min = range && /(\d+)\.(\d+)\.(\d+)/.exec(range)
  if (!min) return ''
  const want = min.slice(1, 4).map(Number)
  const have = nodeVersion.replace(/^v/, '').split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) > (want[i] ?? 0)) return ''
    if ((have[i] ?? 0) < (want[i] ?? 0)) {
      return `; Electron's installer declares Node ${range.trim()}, this is Node ${nodeVersion.replace(/^v/, '')}`
    }
  }
  return ''
}
