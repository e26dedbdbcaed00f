import type { Command } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { diagnose } from '../../engine/doctor.js'
import { formatBytes } from '../format.js'
import { visibleText } from '../../../shared/visible-text.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'

/** `xpersist doctor`: finds what is broken or lost in a cache; exit 1 when it finds anything. */
export const doctor: Command = {
  usage: `doctor <cache> [--json] [--repair] ${STORAGE_USAGE}`,
  summary:
    'check a cache for orphans, missing payloads, broken sidecars, unknown serializers and ' +
    'interrupted writes; --repair finishes or undoes the interrupted writes it lists',
  options: { json: { type: 'boolean' }, repair: { type: 'boolean' }, ...STORAGE_FLAGS },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ positionals, values, out, outJson }) {
    const store = await CacheStore.open(positionals[0] as string, {
      readonly: !values.repair,
      create: false,
      storageOptions: storageOptionsOf(values),
    })
    // Repairs first, so the report shows what is still wrong afterwards.
    const repaired = values.repair
      ? (await store.repairInterrupted({ dryRun: false })).repaired.length
      : 0
    const report = await diagnose(store)
    if (values.json) {
      outJson(JSON.stringify(report))
      return report.ok ? 0 : 1
    }
    if (report.notACache !== null) {
      out(`${positionals[0]} is not an xpersist cache (${report.notACache}); nothing to check.`)
      return 0
    }
    const lines: string[] = []
    if (values.repair) lines.push(`Repaired ${repaired} interrupted write(s).`)
    const section = (title: string, items: string[]) => {
      // Items quote keys and paths: one line each, their own line breaks escaped.
      if (items.length)
        lines.push(`${title} (${items.length}):`, ...items.map((i) => `  ${visibleText(i)}`))
    }
    section('Sidecars whose payload is missing', report.missingPayload)
    section(
      'Payload files no sidecar claims',
      report.orphans.map((o) => `${o.path}  ${formatBytes(o.bytes)}`),
    )
    section(
      'Payload files being written (younger than 10 minutes, no sidecar yet; not cleaned)',
      report.beingWritten.map((o) => `${o.path}  ${formatBytes(o.bytes)}`),
    )
    section(
      'Unreadable sidecars',
      report.brokenSidecars.map((b) => `${b.key}: ${b.error.message}`),
    )
    section(
      'Unknown serializers',
      report.unknownSerializers.map((u) => `${u.key}: ${u.serializer}`),
    )
    section(
      'Sidecars whose key differs from their file name',
      report.keyMismatches.map((m) => `${m.key}: says '${m.recorded}'`),
    )
    section(
      "Interrupted writes (their process died; 'xpersist doctor --repair' or the next write of the key repairs them)",
      report.interrupted.map((i) => `${i.key ?? i.lock}${i.op ? ` (${i.op})` : ''}: ${i.repair}`),
    )
    lines.push(
      report.ok
        ? `No problems found in ${report.root}.`
        : `Problems found in ${report.root}; 'xpersist rm' or the explorer cleans them with a dry-run plan first.`,
    )
    out(lines.join('\n'))
    return report.ok ? 0 : 1
  },
}
