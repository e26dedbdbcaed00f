import type { Command } from '../args.js'
import { UsageError } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import type { CopyPlan, CopyProgress } from '../../engine/copy.js'
import { DuplicateKeyError } from '../../engine/errors.js'
import { formatBytes } from '../format.js'
import { exitCodeOf, interruptible } from '../interrupt.js'
import { visibleText } from '../../../shared/visible-text.js'
import { parseStorageOptionsFlag } from '../storage-args.js'
import type { OnDuplicateKey } from '../../../shared/store-types.js'

const POLICIES: OnDuplicateKey[] = ['skip', 'overwrite', 'raise_error']

const REFUSE_HINT =
  'Keys marked REFUSE hold a different artifact in the destination: pass --on-duplicate-key ' +
  'skip to keep those, or overwrite to replace them.'

const VERB: Record<string, string> = {
  copy: 'copy',
  overwrite: 'overwrite',
  same: 'same',
  skip: 'skip',
  refuse: 'REFUSE',
  broken: 'BROKEN',
}

/** Text form of a copy plan (or its outcome): each key, what happens to it and why. */
export function copyPlanText(plan: CopyPlan): string {
  const head = plan.dryRun
    ? `Would copy ${plan.keys} artifact(s): ${plan.objects} object(s), ${formatBytes(plan.bytes)}`
    : `Copied ${plan.copied.length} artifact(s): ${plan.copiedObjects} object(s), ${formatBytes(plan.copiedBytes)}`
  const lines = [`${head}\n  from ${plan.source}\n  to   ${plan.destination}`]
  for (const e of plan.entries) {
    const moving = e.objects.filter((o) => o.copy).length
    const what =
      e.action === 'copy' || e.action === 'overwrite'
        ? `${moving} of ${e.objects.length} object(s), ${formatBytes(e.copyBytes)}` +
          (e.remove.length > 0 ? `, removing ${e.remove.length} old object(s)` : '')
        : (e.reason ?? '')
    lines.push(`  ${VERB[e.action]!.padEnd(9)} ${visibleText(e.key)}  (${visibleText(what)})`)
  }
  const count = (a: string) => plan.entries.filter((e) => e.action === a).length
  const others = ['same', 'skip', 'refuse', 'broken']
    .map((a) => [a, count(a)] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${a}`)
  if (others.length > 0) lines.push(`Not copied: ${others.join(', ')}.`)
  if (count('refuse') > 0) lines.push(REFUSE_HINT)
  if (plan.cancelled) {
    lines.push('Cancelled: the keys copied are whole; run the same command again to copy the rest.')
  }
  return lines.join('\n')
}

/** Progress on stderr: one line rewritten on a terminal, a line per finished key otherwise. */
function progressWriter(): (p: CopyProgress) => void {
  const tty = process.stderr.isTTY === true
  let lastKeys = -1
  return (p) => {
    const text = `[${p.keysDone}/${p.keys} keys, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytes)}] ${visibleText(p.key)}`
    if (tty) process.stderr.write(`\r\x1b[K${text}`)
    else if (p.keysDone !== lastKeys) process.stderr.write(`${text}\n`)
    lastKeys = p.keysDone
  }
}

/** `xpersist cp`: copies artifacts between two caches; prints the plan unless --yes. */
export const cp: Command = {
  usage:
    'cp <src-cache> <dst-cache> [key...] [--where GLOB]... [--yes] [--on-duplicate-key skip|overwrite|raise_error] [--json] [--src-storage-options JSON|@FILE] [--dst-storage-options JSON|@FILE]',
  summary:
    'copy artifacts between caches, payload then sidecar (prints the plan; copies only with --yes; a rerun resumes)',
  options: {
    where: { type: 'string', multiple: true, short: 'w' },
    yes: { type: 'boolean', short: 'y' },
    'dry-run': { type: 'boolean', short: 'n' },
    'on-duplicate-key': { type: 'string' },
    json: { type: 'boolean' },
    'src-storage-options': { type: 'string' },
    'dst-storage-options': { type: 'string' },
  },
  minPositionals: 2,
  async run({ positionals, values, out, outJson }) {
    const [from, to, ...keys] = positionals as [string, string, ...string[]]
    const policy = (values['on-duplicate-key'] ?? 'raise_error') as OnDuplicateKey
    if (!POLICIES.includes(policy)) {
      throw new UsageError(
        `--on-duplicate-key takes skip, overwrite or raise_error, not '${String(policy)}'`,
      )
    }
    if (values.yes && values['dry-run']) {
      throw new UsageError('--dry-run and --yes contradict each other; give one')
    }
    const execute = Boolean(values.yes)
    const { planCopy, runCopy } = await import('../../engine/copy.js')
    // A mistyped source is an error; a missing local destination is made by the first write
    // only (a dry run creates nothing).
    const source = await CacheStore.open(from, {
      readonly: true,
      create: false,
      storageOptions: parseStorageOptionsFlag(
        values['src-storage-options'],
        '--src-storage-options',
      ),
    })
    const destination = await CacheStore.open(to, {
      storageOptions: parseStorageOptionsFlag(
        values['dst-storage-options'],
        '--dst-storage-options',
      ),
    })
    const selection = { keys, where: (values.where as string[] | undefined) ?? [] }
    const plan = await planCopy(source, destination, selection, { onDuplicateKey: policy })
    const refused = plan.entries.filter((e) => e.action === 'refuse')
    if (execute && refused.length > 0) {
      const shown = refused.slice(0, 5).map((e) => `'${e.key}'`)
      throw new DuplicateKeyError(
        `${shown.join(', ')}${refused.length > 5 ? ` (and ${refused.length - 5} more)` : ''} ` +
          `already exist in ${plan.destination} as different artifacts; nothing was copied. ` +
          `Pass --on-duplicate-key skip to keep them, or overwrite to replace them.`,
      )
    }
    let stoppedBy: NodeJS.Signals | null = null
    if (execute) {
      try {
        stoppedBy = (
          await interruptible('Cancelling: finishing the objects in flight', (signal) =>
            runCopy(plan, { signal, onProgress: progressWriter() }),
          )
        ).signal
      } finally {
        if (process.stderr.isTTY) process.stderr.write('\n')
      }
    }
    if (values.json) outJson(JSON.stringify(plan))
    else {
      const hint = execute
        ? ''
        : plan.keys > 0
          ? '\nDry run: nothing was copied. Run again with --yes to copy.'
          : '\nDry run: nothing to copy.'
      out(copyPlanText(plan) + hint)
    }
    if (plan.cancelled) return exitCodeOf(stoppedBy ?? 'SIGINT')
    return execute && plan.entries.some((e) => e.action === 'broken') ? 1 : 0
  },
}
