import type { Command } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { formatBytes } from '../format.js'
import { visibleText } from '../../../shared/visible-text.js'
import type { DeletePlan, TrashMove } from '../../../shared/store-types.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'

/** What moving into the trash costs, when it is more than a rename (object stores). */
export function moveCostText(move: Omit<TrashMove, 'id'>): string | null {
  if (move.method === 'rename') return null
  return (
    `On an object store the trash is a copy, then a delete: ${move.copyObjects} object(s), ` +
    `${formatBytes(move.copyBytes)} copied.`
  )
}

/** Text form of a delete plan: every path and the bytes it frees. */
export function planText(plan: DeletePlan): string {
  const verb = plan.trash
    ? plan.dryRun
      ? 'Would move to the trash'
      : `Moved to the trash (entry ${plan.trash.id})`
    : plan.dryRun
      ? 'Would delete'
      : 'Deleted'
  const lines = [
    `${verb} ${plan.entries.length} artifact(s), ${formatBytes(plan.bytes)} from ${plan.root}:`,
  ]
  for (const e of plan.entries) {
    lines.push(`  ${visibleText(e.key)}  (${formatBytes(e.bytes)})`)
    for (const f of e.files)
      lines.push(`    ${f.role.padEnd(7)} ${visibleText(f.path)}  ${formatBytes(f.bytes)}`)
  }
  const cost = plan.trash && moveCostText(plan.trash)
  if (cost) lines.push(cost)
  if (plan.cancelled) lines.push(`Cancelled after ${plan.deleted.length} path(s).`)
  return lines.join('\n')
}

/**
 * Deletes `keys` (with `trash`, moves them to the trash) when `execute`, else only plans it;
 * the plan, and its text with the dry-run hint. rm and prune print plans the same way.
 */
export async function removeKeys(
  store: CacheStore,
  keys: string[],
  options: { execute: boolean; trash?: boolean; location?: string },
): Promise<{ plan: DeletePlan; text: string }> {
  const plan = await store.deleteMany(keys, {
    dryRun: !options.execute,
    ...(options.trash ? { trash: true } : {}),
  })
  const hint = options.trash
    ? '\nDry run: nothing was moved. Run again with --yes to move them to the trash.'
    : '\nDry run: nothing was deleted. Run again with --yes to delete.'
  const undo =
    plan.trash?.id != null
      ? `\nUndo with: xpersist trash ${visibleText(options.location ?? store.url)} restore ${plan.trash.id}`
      : ''
  return { plan, text: planText(plan) + (options.execute ? undo : hint) }
}

/** `xpersist rm`: prints the delete plan; deletes only with --yes. */
export const rm: Command = {
  usage: `rm <cache> <key>... [--trash] [--yes] [--json] [--plan] ${STORAGE_USAGE}`,
  summary: 'delete artifacts, or move them to the trash (prints the plan; acts only with --yes)',
  options: {
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
    plan: { type: 'boolean' },
    trash: { type: 'boolean' },
    ...STORAGE_FLAGS,
  },
  minPositionals: 2,
  async run({ positionals, values, out, outJson }) {
    const [location, ...keys] = positionals as [string, ...string[]]
    const execute = Boolean(values.yes) && !values.plan
    // A mistyped path is an error, never a new empty cache.
    const store = await CacheStore.open(location, {
      readonly: !execute,
      create: false,
      storageOptions: storageOptionsOf(values),
    })
    const { plan, text } = await removeKeys(store, keys, {
      execute,
      trash: Boolean(values.trash),
      location,
    })
    if (values.json || values.plan) outJson(JSON.stringify(plan))
    else out(text)
    return 0
  },
}
