import type { Command } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { formatBytes } from '../format.js'
import { visibleText } from '../../../shared/visible-text.js'
import type { DeletePlan } from '../../../shared/store-types.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'

/** Text form of a delete plan: every path and the bytes it frees. */
export function planText(plan: DeletePlan): string {
  const lines = [
    `${plan.dryRun ? 'Would delete' : 'Deleted'} ${plan.entries.length} artifact(s), ${formatBytes(plan.bytes)} from ${plan.root}:`,
  ]
  for (const e of plan.entries) {
    lines.push(`  ${visibleText(e.key)}  (${formatBytes(e.bytes)})`)
    for (const f of e.files)
      lines.push(`    ${f.role.padEnd(7)} ${visibleText(f.path)}  ${formatBytes(f.bytes)}`)
  }
  if (plan.cancelled) lines.push(`Cancelled after ${plan.deleted.length} path(s).`)
  return lines.join('\n')
}

/** `xpersist rm`: prints the delete plan; deletes only with --yes. */
export const rm: Command = {
  usage: `rm <cache> <key>... [--yes] [--json] [--plan] ${STORAGE_USAGE}`,
  summary: 'delete artifacts (prints the plan; deletes only with --yes)',
  options: {
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
    plan: { type: 'boolean' },
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
    const plan = await store.deleteMany(keys, { dryRun: !execute })
    if (values.json || values.plan) outJson(JSON.stringify(plan))
    else
      out(
        planText(plan) +
          (execute ? '' : '\nDry run: nothing was deleted. Run again with --yes to delete.'),
      )
    return 0
  },
}
