import type { Command } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { formatBytes } from '../format.js'
import { exitCodeOf, interruptible } from '../interrupt.js'
import { keyFromSidecarPath } from '../../engine/keys.js'
import { visibleText } from '../../../shared/visible-text.js'
import type { DeletePlan, TrashMove } from '../../../shared/store-types.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'

// Paths shown per role of a key before the rest is summed up (a Zarr payload has thousands).
const LISTED = 5
type PlanFile = DeletePlan['entries'][number]['files'][number]

/** The longest '/'-ending folder every path lies in ('' when they share none). */
function commonFolder(paths: string[]): string {
  let folder = paths[0]?.slice(0, paths[0].lastIndexOf('/') + 1) ?? ''
  for (const p of paths)
    while (folder !== '' && !p.startsWith(folder)) {
      folder = folder.slice(0, folder.slice(0, -1).lastIndexOf('/') + 1)
    }
  return folder
}

/** One role's files of a key: each one, or past LISTED a summary line and the first few. */
function roleLines(role: string, files: PlanFile[], verbose: boolean): string[] {
  const line = (f: PlanFile) =>
    `    ${role.padEnd(7)} ${visibleText(f.path)}  ${formatBytes(f.bytes)}`
  if (verbose || files.length <= LISTED) return files.map(line)
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0)
  const folder = commonFolder(files.map((f) => f.path))
  const where = folder === '' ? `${role} objects` : `${role} folder ${visibleText(folder)}`
  const count = files.length.toLocaleString('en-US')
  const more = (files.length - (LISTED - 2)).toLocaleString('en-US')
  return [
    `    ${where}: ${count} objects, ${formatBytes(bytes)}`,
    ...files.slice(0, LISTED - 2).map((f) => `  ${line(f)}`),
    `      … ${more} more (--verbose lists every object)`,
  ]
}

/** What moving into the trash costs, when it is more than a rename (object stores). */
export function moveCostText(move: Omit<TrashMove, 'id'>): string | null {
  if (move.method === 'rename') return null
  return (
    `On an object store the trash is a copy, then a delete: ${move.copyObjects} object(s), ` +
    `${formatBytes(move.copyBytes)} copied.`
  )
}

/**
 * Text form of a delete plan: each key with the bytes it frees, and its objects (a key with
 * many payload objects, a Zarr folder, is summed up with the first few unless `verbose`).
 */
export function planText(plan: DeletePlan, verbose = false): string {
  const verb = plan.cancelled
    ? plan.trash
      ? 'Stopped partway through moving to the trash'
      : 'Stopped partway through deleting'
    : plan.trash
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
    const roles = new Map<string, PlanFile[]>()
    for (const f of e.files) {
      const group = roles.get(f.role)
      if (group) group.push(f)
      else roles.set(f.role, [f])
    }
    for (const [role, files] of roles) lines.push(...roleLines(role, files, verbose))
  }
  const cost = plan.trash && moveCostText(plan.trash)
  if (cost) lines.push(cost)
  if (plan.cancelled) lines.push(stoppedText(plan))
  return lines.join('\n')
}

/** How far a stopped delete got, in artifacts (a key is done once its sidecar is gone). */
export function stoppedText(plan: DeletePlan): string {
  const total = plan.entries.length
  const done = plan.deleted.filter((p) => keyFromSidecarPath(p) !== undefined).length
  return (
    `Stopped: ${done} of ${total} artifact(s) done, ${total - done} left as they were ` +
    `(none half-deleted).`
  )
}

/** What follows a printed plan: how to act on a dry run, or how to undo a move to the trash. */
export function planFooter(
  plan: DeletePlan,
  options: { execute: boolean; trash?: boolean; location: string },
): string {
  if (!options.execute)
    return options.trash
      ? '\nDry run: nothing was moved. Run again with --yes to move them to the trash.'
      : '\nDry run: nothing was deleted. Run again with --yes to delete.'
  return plan.trash?.id != null
    ? `\nUndo with: xpersist trash ${visibleText(options.location)} restore ${plan.trash.id}`
    : ''
}

/**
 * Deletes `keys` (with `trash`, moves them to the trash) when `execute`, else only plans it;
 * the plan, and its text with the dry-run hint. rm and prune print plans the same way.
 */
export async function removeKeys(
  store: CacheStore,
  keys: string[],
  options: {
    execute: boolean
    trash?: boolean
    location?: string
    verbose?: boolean
    signal?: AbortSignal
  },
): Promise<{ plan: DeletePlan; text: string }> {
  const plan = await store.deleteMany(keys, {
    dryRun: !options.execute,
    ...(options.trash ? { trash: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })
  const footer = planFooter(plan, { ...options, location: options.location ?? store.url })
  return { plan, text: planText(plan, options.verbose) + footer }
}

/** `xpersist rm`: prints the delete plan; deletes only with --yes. */
export const rm: Command = {
  usage: `rm <cache> <key>... [--trash] [--yes] [--json] [--plan] [--verbose] ${STORAGE_USAGE}`,
  summary: 'delete artifacts, or move them to the trash (prints the plan; acts only with --yes)',
  options: {
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
    plan: { type: 'boolean' },
    // Not --all, which on rm would read as "delete everything".
    verbose: { type: 'boolean' },
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
    const remove = (signal?: AbortSignal) =>
      removeKeys(store, keys, {
        execute,
        trash: Boolean(values.trash),
        location,
        verbose: Boolean(values.verbose),
        ...(signal ? { signal } : {}),
      })
    // A dry run changes nothing: Ctrl+C may end it at once.
    const { value, signal } = execute
      ? await interruptible('Stopping after the artifact in progress', remove)
      : { value: await remove(), signal: null }
    const { plan, text } = value
    if (values.json || values.plan) outJson(JSON.stringify(plan))
    else out(text)
    return plan.cancelled ? exitCodeOf(signal ?? 'SIGINT') : 0
  },
}
