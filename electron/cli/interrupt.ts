/**
 * Ctrl+C (SIGINT) and SIGTERM during a command that changes a cache: the first signal aborts
 * the work, which stops between artifacts (nothing is left half-done); a second one leaves at
 * once (the key in progress keeps its lock journal, which doctor or the next writer repairs).
 */

/** What `interruptible` ran to, and the signal that stopped it (null when none came). */
export interface Interrupted<T> {
  value: T
  signal: NodeJS.Signals | null
}

/** Runs `work` with a signal that SIGINT/SIGTERM abort; `notice` goes to stderr at the first. */
export async function interruptible<T>(
  notice: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<Interrupted<T>> {
  const controller = new AbortController()
  let received: NodeJS.Signals | null = null
  const onSignal = (signal: NodeJS.Signals) => {
    if (received !== null) process.exit(exitCodeOf(signal))
    received = signal
    process.stderr.write(
      `\n${notice} (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit now)...\n`,
    )
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return { value: await work(controller.signal), signal: received }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** The shell's exit code for a process stopped by `signal`: 128 + its number. */
export function exitCodeOf(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130
}
