/**
 * Engine messages speak to the CLI user (flags, `xpersist` commands); an error on its way to
 * the explorer is reworded here, once, into what the window offers: the Serializer list, the
 * Read-only switch, the Doctor and its Repair button. The CLI keeps the engine's wording.
 */

// Each CLI phrase with the explorer's; applied in order, every occurrence.
const REWORDS: readonly (readonly [RegExp, string])[] = [
  [
    /\(the (explorer|server) was started with --readonly\)\. Open it without --readonly \/ the read-only toggle to change it\./g,
    '(the $1 was started read-only, so no cache opens writable). Restart it without --readonly to change it.',
  ],
  [
    / Open it without --readonly \/ the read-only toggle to change it\./g,
    ' Turn off Read-only in the top bar to change it.',
  ],
  [/Choose another serializer with --serializer\./g, 'Choose another serializer in the list.'],
  [/pass --serializer to say how to store it\./g, 'choose a serializer in the list.'],
  [/ask for fewer columns \(--columns\)/g, 'ask for fewer columns'],
  [
    /'xpersist doctor' finds and repairs its interrupted write/g,
    "Doctor's Repair fixes its interrupted write",
  ],
  [/Run 'xpersist ls' to see (the keys it holds|its keys)\./g, 'Reopen the cache to see $1.'],
  [/'xpersist trash <cache> ls' lists them/g, 'the Trash lists them'],
  [/run 'xpersist doctor' again/g, 'run Doctor again'],
  [/\(see 'xpersist doctor'\)/g, '(see Doctor)'],
  [/'xpersist doctor'/g, 'Doctor'],
]

/** `message` as the explorer should say it: buttons and lists, never CLI flags. */
export function forExplorer(message: string): string {
  if (!message.includes('--') && !message.includes("'xpersist ")) return message
  let out = message
  for (const [cli, ui] of REWORDS) out = out.replace(cli, ui)
  return out
}

/** An error shape (toErrorShape's) with its message in the explorer's words. */
export function forExplorerShape<T extends { message: string }>(shape: T): T {
  const message = forExplorer(shape.message)
  return message === shape.message ? shape : { ...shape, message }
}
