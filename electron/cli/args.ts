import { parseArgs, type ParseArgsConfig } from 'node:util'

/** A mistake in how the command was called: exit code 2 with usage. */
export class UsageError extends Error {}

/** What a command receives: its positionals and options, plus writers for stdout. */
export interface CommandContext {
  positionals: string[]
  values: Record<string, string | boolean | string[] | undefined>
  /** Text for people: control and bidi characters show as escapes (`\x1b`, `\u202e`). */
  out: (text: string) => void
  /** JSON for machines, written exactly as given. */
  outJson: (json: string) => void
}

/** One CLI command: its usage line, options and what it does. Returns the exit code. */
export interface Command {
  usage: string
  summary: string
  /** More for --help: what the options mean. */
  details?: string
  options: NonNullable<ParseArgsConfig['options']>
  minPositionals: number
  maxPositionals?: number
  /**
   * The command keeps running when its reader goes away (`xpersist serve | head -1`): later
   * output is dropped instead of ending the command.
   */
  outlivesOutput?: boolean
  run(ctx: CommandContext): Promise<number>
}

/** Parses argv for one command; UsageError on unknown options or a wrong argument count. */
export function parseCommand(
  command: Command,
  argv: string[],
): CommandContext['values'] & { positionals: string[] } {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...command.options,
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    })
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^.*?: /, ''))
  }
  const { positionals, values } = parsed
  if (!values.help) {
    if (positionals.length < command.minPositionals) throw new UsageError('missing arguments')
    if (command.maxPositionals !== undefined && positionals.length > command.maxPositionals) {
      throw new UsageError(`unexpected argument '${positionals[command.maxPositionals]}'`)
    }
  }
  return { ...values, positionals }
}

/** A positive integer option, or UsageError. */
export function intOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} takes a whole number, not '${String(value)}'`)
  return n
}
