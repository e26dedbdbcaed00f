import { UsageError, type Command } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { formatBytes, textTable } from '../format.js'
import { visibleText } from '../../../shared/visible-text.js'
import type { TrashEmptyPlan, TrashRestorePlan } from '../../../shared/store-types.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'
import { moveCostText } from './rm.js'

const UNITS = new Map([
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
  ['w', 7 * 86_400_000],
])

/** `7d`, `12h`, `30m`, `2w`, `90s` in milliseconds; UsageError otherwise. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d{1,9})([smhdw])$/.exec(text)
  if (!m) throw new UsageError(`${flag} takes a duration like 7d, 12h, 30m or 2w, not '${text}'`)
  return Number(m[1]) * (UNITS.get(m[2] as string) as number)
}

function restoreText(plan: TrashRestorePlan): string {
  const lines = [
    `${plan.dryRun ? 'Would restore' : 'Restored'} from trash entry ${plan.id} in ${plan.root}:`,
  ]
  for (const e of plan.entries) {
    const state = e.refused
      ? `refused: ${e.refused}`
      : plan.dryRun || plan.restored.includes(e.key)
        ? `${e.files.length} file(s), ${formatBytes(e.bytes)}`
        : 'not restored'
    lines.push(`  ${visibleText(e.key)}  ${state}`)
  }
  const cost = moveCostText(plan.move)
  if (cost) lines.push(cost)
  const refused = plan.entries.filter((e) => e.refused).length
  if (!plan.dryRun) lines.push(`${plan.restored.length} restored, ${refused} refused.`)
  return lines.join('\n')
}

function emptyText(plan: TrashEmptyPlan): string {
  const lines = [
    `${plan.dryRun ? 'Would delete for good' : 'Deleted for good'} ${plan.entries.length} trash ` +
      `entr${plan.entries.length === 1 ? 'y' : 'ies'}, ${plan.objects} object(s), ` +
      `${formatBytes(plan.bytes)} from ${plan.root}:`,
  ]
  for (const e of plan.entries) {
    lines.push(`  ${e.id}  ${e.keys.length} artifact(s), ${formatBytes(e.bytes)}`)
  }
  return lines.join('\n')
}

/** `xpersist trash <cache> ls | restore <id> [key...] | empty [id...] [--older-than 7d]`. */
export const trash: Command = {
  usage:
    `trash <cache> ls | restore <id> [key...] | empty [id...] [--older-than 7d] ` +
    `[--yes] [--json] ${STORAGE_USAGE}`,
  summary: 'list, restore or empty what rm --trash moved aside (acts only with --yes)',
  options: {
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
    'older-than': { type: 'string' },
    ...STORAGE_FLAGS,
  },
  minPositionals: 2,
  async run({ positionals, values, out, outJson }) {
    const [location, action, ...rest] = positionals as [string, string, ...string[]]
    if (!['ls', 'restore', 'empty'].includes(action)) {
      throw new UsageError(`unknown trash action '${action}': use ls, restore or empty`)
    }
    if (action === 'restore' && rest.length === 0) {
      throw new UsageError("restore needs the trash entry's id ('xpersist trash <cache> ls')")
    }
    if (values['older-than'] !== undefined && action !== 'empty') {
      throw new UsageError('--older-than goes with empty')
    }
    const execute = Boolean(values.yes) && action !== 'ls'
    const store = await CacheStore.open(location, {
      readonly: !execute,
      create: false,
      storageOptions: storageOptionsOf(values),
    })
    const hint = '\nDry run: nothing was changed. Run again with --yes to do it.'
    if (action === 'ls') {
      const entries = await store.trashEntries()
      if (values.json) outJson(JSON.stringify(entries))
      else if (entries.length === 0) out(`The trash of ${store.url} is empty.`)
      else {
        const rows = entries.map((e) => [
          e.id,
          e.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
          String(e.keys.length),
          formatBytes(e.bytes),
        ])
        out(textTable(['ID', 'DELETED', 'ARTIFACTS', 'SIZE'], rows, [false, false, true, true]))
      }
      return 0
    }
    if (action === 'restore') {
      const [id, ...keys] = rest as [string, ...string[]]
      const plan = await store.restoreFromTrash(id, keys, { dryRun: !execute })
      if (values.json) outJson(JSON.stringify(plan))
      else out(restoreText(plan) + (execute ? '' : hint))
      // A refused key is not an error of the call, but scripts should notice it.
      return execute && plan.entries.some((e) => e.refused) ? 1 : 0
    }
    const olderThan = values['older-than']
    const plan = await store.emptyTrash({
      dryRun: !execute,
      ...(rest.length > 0 ? { ids: rest } : {}),
      ...(typeof olderThan === 'string'
        ? { olderThanMs: parseDuration(olderThan, '--older-than') }
        : {}),
    })
    if (values.json) outJson(JSON.stringify(plan))
    else out(emptyText(plan) + (execute ? '' : hint))
    return 0
  },
}
