import type { Command } from '../args.js'
import { UsageError } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { hasRules } from '../../engine/prune.js'
import { ReadOnlyError } from '../../engine/errors.js'
import { defaultSidecarIndexDir } from '../../engine/sidecar-index.js'
import { formatBytes } from '../format.js'
import { exitCodeOf, interruptible } from '../interrupt.js'
import { visibleText } from '../../../shared/visible-text.js'
import type { PrunePlan } from '../../../shared/store-types.js'
import { PRUNE_FLAGS, pruneRulesOf } from '../prune-args.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'
import { planFooter, planText } from './rm.js'

const DETAILS = `Rules (at least one; every filter must hold):
  --older-than D      created more than D ago: a whole number and h, d, w or y
                      (hours, days, weeks, 365-day years; no months: 6m is refused)
  --before DATE       created before DATE starts (UTC): 2025, 2025-06, 2025-06-01,
                      2025-06-01T12:00; --before 2025-06 keeps all of June
  --where F=V         additional_metadata field F is V (numbers and booleans as text:
                      run=3, done=true; a list matches when it holds V); repeatable, AND
  --serializer NAME   repeatable: any of the names
  --prefix P          the key starts with P; repeatable: any of them
  --larger-than S     payload + sidecar bytes over S: B, KB, MB, GB, TB are decimal
                      (1 MB = 1,000,000 bytes), KiB, MiB, GiB, TiB binary
  --filter TOKEN      a search-box filter: created<2025-12-01, created>=2025-06,
                      created<=2025-06 (June included), age>90d, size>100MB,
                      serializer:joblib, prefix:runs/, experiment=baseline; repeatable
Limits, on what the filters selected (all readable artifacts without filters):
  --keep-last N [--per F]
                      never delete the newest N (of each value of metadata field F;
                      artifacts without F form one group)
  --max-total S       delete the oldest first until the selection's payload + sidecar
                      bytes are at most S; without it every unprotected one goes
Artifacts without a readable created_at are never chosen by a time rule (--older-than,
--before, created, age, --keep-last, --max-total); broken ones never: see 'xpersist doctor'.
Prints the plan, oldest first; deletes only with --yes, as rm does. --json prints it as JSON.
--trash moves them into the cache's trash instead ('xpersist trash' lists and restores).
To choose every dated artifact, say so: --older-than 0h.`

/** The lines after the plan: what the rules selected, kept and could not judge. */
function summaryText(plan: PrunePlan): string {
  const p = plan.prune
  const lines = [
    `Rules selected ${p.scope.count} of ${p.listed} artifact(s), ${formatBytes(p.scope.bytes)}; ` +
      `${formatBytes(p.remainingBytes)} of them ${plan.dryRun ? 'would remain' : 'remain'}.`,
  ]
  if (p.kept > 0) lines.push(`--keep-last protects ${p.kept} artifact(s).`)
  if (p.maxTotal !== null && p.overBy > 0)
    lines.push(
      `Still ${formatBytes(p.overBy)} over --max-total ${formatBytes(p.maxTotal)}: ` +
        `the rest is protected by --keep-last or has no readable created_at.`,
    )
  const few = (keys: string[]) =>
    keys.slice(0, 5).map(visibleText).join(', ') + (keys.length > 5 ? ', … (--json lists all)' : '')
  if (p.undated.length > 0)
    lines.push(
      `Kept ${p.undated.length} artifact(s) without a readable created_at (time rules cannot ` +
        `judge them): ${few(p.undated)}.`,
    )
  if (p.changed.length > 0)
    lines.push(
      `Kept ${p.changed.length} artifact(s) rewritten since the listing (${few(p.changed)}): ` +
        `run prune again to judge them as they are now.`,
    )
  if (p.broken.length > 0)
    lines.push(
      `Left ${p.broken.length} broken artifact(s) alone (${few(p.broken)}): run 'xpersist doctor'.`,
    )
  return lines.join('\n')
}

/** `xpersist prune`: deletes what retention rules choose; a dry run unless --yes. */
export const prune: Command = {
  usage: `prune <cache> RULES... [--trash] [--yes] [--json] [--verbose] ${STORAGE_USAGE}`,
  summary: 'delete by retention rules: age, date, metadata, size, keep-last, max-total',
  details: DETAILS,
  options: {
    ...PRUNE_FLAGS,
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    trash: { type: 'boolean' },
    ...STORAGE_FLAGS,
  },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ positionals, values, out, outJson }) {
    const rules = pruneRulesOf(values)
    if (!hasRules(rules))
      throw new UsageError(
        'give at least one rule, such as --older-than 365d or --max-total 50GB ' +
          '(prune never chooses a whole cache by itself; --help lists the rules)',
      )
    const execute = Boolean(values.yes)
    // A mistyped path is an error, never a new empty cache.
    const store = await CacheStore.open(positionals[0] as string, {
      readonly: !execute,
      create: false,
      storageOptions: storageOptionsOf(values),
    })
    if (execute && store.readonly)
      throw new ReadOnlyError(
        `The cache at ${store.url} is read-only (${store.readonlyReason}): nothing was deleted. ` +
          `Run without --yes to see what the rules would delete.`,
      )
    const run = (signal?: AbortSignal) =>
      store.prune(rules, {
        dryRun: !execute,
        trash: Boolean(values.trash),
        list: { indexDir: defaultSidecarIndexDir() },
        ...(signal ? { signal } : {}),
      })
    // A dry run changes nothing: Ctrl+C may end it at once.
    const { value: plan, signal } = execute
      ? await interruptible('Stopping after the artifact in progress', run)
      : { value: await run(), signal: null }
    const code = plan.cancelled ? exitCodeOf(signal ?? 'SIGINT') : 0
    if (values.json) {
      outJson(JSON.stringify(plan))
      return code
    }
    out(
      `${planText(plan, Boolean(values.verbose))}\n${summaryText(plan)}` +
        planFooter(plan, {
          execute,
          trash: Boolean(values.trash),
          location: positionals[0] as string,
        }),
    )
    return code
  },
}
