import type { Command } from './args.js'
import { parseCommand, UsageError } from './args.js'
import { XpersistError } from '../engine/errors.js'

// Each command's module (and what it imports) loads only when that command runs, so `ls`
// never pulls in Arrow, CSV or pickle code.
const COMMANDS: Record<string, () => Promise<Command>> = {
  ls: async () => (await import('./commands/ls.js')).ls,
  info: async () => (await import('./commands/info.js')).info,
  show: async () => (await import('./commands/show.js')).show,
  put: async () => (await import('./commands/put.js')).put,
  rm: async () => (await import('./commands/rm.js')).rm,
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

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(
  argv: string[],
  out = (s: string) => process.stdout.write(s + '\n'),
): Promise<number> {
  const [name, ...rest] = argv
  const debug = rest.includes('--debug')
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(await usage())
    return name ? 0 : 2
  }
  const load = COMMANDS[name]
  if (!load) {
    process.stderr.write(
      `xpersist: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}.\n`,
    )
    return 2
  }
  const command = await load()
  try {
    const { positionals, ...values } = parseCommand(command, rest)
    if (values.help) {
      out(`usage: xpersist ${command.usage}\n\n${command.summary}`)
      return 0
    }
    return await command.run({ positionals, values, out })
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`xpersist ${name}: ${err.message}\nusage: xpersist ${command.usage}\n`)
      return 2
    }
    if (debug) process.stderr.write(`${(err as Error).stack}\n`)
    if (err instanceof XpersistError) {
      process.stderr.write(`xpersist: ${err.message}\n`)
    } else {
      process.stderr.write(
        `xpersist: unexpected error: ${(err as Error).message ?? String(err)}` +
          `${debug ? '' : ' (run again with --debug for details)'}\n`,
      )
    }
    return 1
  }
}
