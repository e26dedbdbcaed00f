import { execFile, type ChildProcessByStdio } from 'node:child_process'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { REPO, tempDir } from './temp.js'

/** The built CLI entry (test/setup/global.ts rebuilds dist/ first when its sources changed). */
export const CLI = path.join(REPO, 'bin', 'xpersist.js')

/** Runs `xpersist args...` as a real process (in `cwd` if given); resolves with code, stdout and stderr. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  // The CLI keeps indexes (CSV rows, sidecars of buckets) in $XDG_CACHE_HOME: a temp one per
  // test file unless the test names its own, so tests never write into the home folder.
  xdg ??= tempDir('xp-xdg-')
  return xdg.then((XDG_CACHE_HOME) => run(args, { XDG_CACHE_HOME, ...env }, cwd))
}

let xdg: Promise<string> | undefined

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string | undefined,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...env }, maxBuffer: 64 << 20, cwd },
      (err, stdout, stderr) => {
        const code = err
          ? ((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number)
          : 0
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr })
      },
    )
  })
}

/**
 * The URL a spawned `xpersist serve` prints. Its stdout is read to the end, never left: a
 * consumer that stops reading (a `break` out of `for await` destroys the pipe) lets the
 * server's next line kill it with EPIPE, which happened under load when the URL and the line
 * after it came in separate chunks.
 */
export function serveUrl(
  child: ChildProcessByStdio<null, Readable, Readable | null>,
): Promise<URL> {
  let out = ''
  return new Promise<URL>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const url = /xpersist explorer: (\S+)\n/.exec(out)?.[1]
      if (url) resolve(new URL(url))
    })
    child.on('exit', (code) => reject(new Error(`xpersist serve exited (${code}) before its URL`)))
  })
}
