import { once } from 'node:events'
import type { Command } from './args.js'
import { parseCommand, UsageError } from './args.js'
import { XpersistError } from '../engine/errors.js'
import { visibleLines } from '../../shared/visible-text.js'

// Each command's module (and what it imports) loads only when that command runs, so `ls`
// never pulls in Arrow, CSV or pickle code.
const COMMANDS: Record<string, () => Promise<Command>> = {
  ls: async () => (await import('./commands/ls.js')).ls,
  info: async () => (await import('./commands/info.js')).info,
  show: async () => (await import('./commands/show.js')).show,
  put: async () => (await import('./commands/put.js')).put,
  rm: async () => (await import('./commands/rm.js')).rm,
  prune: async () => (await import('./commands/prune.js')).prune,
  trash: async () => (await import('./commands/trash.js')).trash,
  cp: async () => (await import('./commands/cp.js')).cp,
  export: async () => (await import('./commands/export.js')).exportCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctor,
  demo: async () => (await import('./commands/demo.js')).demo,
  serve: async () => (await import('./commands/serve.js')).serve,
}

async function usage(): Promise<string> {
  const lines = ['usage: xpersist <command> [options]', '', 'commands:']
  for (const load of Object.values(COMMANDS)) {
    const c = await load()
    lines.push(`  ${c.usage.padEnd(44)} ${c.summary}`)
  }
  lines.push('', 'Every command takes --help, and --debug to print stack traces.')
  return lines.join('\n')
}

let pipeWatched = false
/** The running command outlives its reader (Command.outlivesOutput). */
let outputOptional = false
/** The reader went away while such a command ran: nothing more is written. */
let stdoutGone = false

/**
 * A reader that goes away (`xpersist ls | head`) ends the command quietly with exit code 0, as
 * `head` users expect, instead of an unhandled EPIPE stack trace: the output was wanted only up
 * to there. A command that outlives its output (serve) goes on without it. Any other stdout
 * error is reported in one line, exit 1.
 */
function endQuietlyOnClosedPipe(): void {
  if (pipeWatched) return
  pipeWatched = true
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' && outputOptional) {
      stdoutGone = true
      return
    }
    if (err.code === 'EPIPE') process.exit(0)
    process.stderr.write(`xpersist: cannot write the output: ${err.message}\n`)
    process.exit(1)
  })
  // With stderr gone too (`2>&1 | head`) there is no one left to tell.
  process.stderr.on('error', () => process.exit(process.exitCode ?? 1))
}

/** Writes one line to stdout (on Linux a pipe write blocks until the reader takes it). */
function writeStdout(s: string): void {
  if (!stdoutGone) process.stdout.write(s + '\n')
}

/**
 * Runs the CLI with `argv` (without node and script); returns the exit code. `write` gets
 * each output line: exact for JSON, with control and bidi characters escaped for text.
 */
export async function main(argv: string[], write = writeStdout): Promise<number> {
  if (write === writeStdout) endQuietlyOnClosedPipe()
  const out = (s: string) => write(visibleLines(s))
  const outJson = write
  const [name, ...rest] = argv
  const debug = rest.includes('--debug')
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(await usage())
    return name ? 0 : 2
  }
  const load = COMMANDS[name]
  if (!load) {
    process.stderr.write(
      `xpersist: unknown command '${visibleLines(name)}'. Commands: ${Object.keys(COMMANDS).join(', ')}.\n`,
    )
    return 2
  }
  const command = await load()
  outputOptional = command.outlivesOutput === true
  try {
    const { positionals, ...values } = parseCommand(command, rest)
    if (values.help) {
      const details = command.details ? `\n\n${command.details}` : ''
      out(`usage: xpersist ${command.usage}\n\n${command.summary}${details}`)
      return 0
    }
    const code = await command.run({ positionals, values, out, outJson })
    // Output still buffered (a slow reader on a platform where pipes are asynchronous) is
    // flushed before the exit code is handed back.
    if (!stdoutGone && process.stdout.writableNeedDrain) await once(process.stdout, 'drain')
    return code
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(
        `xpersist ${name}: ${visibleLines(err.message)}\nusage: xpersist ${command.usage}\n`,
      )
      return 2
    }
    // Error messages quote keys and paths: their control characters are escaped too.
    if (debug) process.stderr.write(`${visibleLines(String((err as Error).stack))}\n`)
    if (err instanceof XpersistError) {
      process.stderr.write(`xpersist: ${visibleLines(err.message)}\n`)
    } else {
      process.stderr.write(
        `xpersist: unexpected error: ${visibleLines((err as Error).message ?? String(err))}` +
          `${debug ? '' : ' (run again with --debug for details)'}\n`,
      )
    }
    return 1
  }
}
