import type { Command } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { formatAge, formatBytes, textTable } from '../format.js'
import { visibleText } from '../../../shared/visible-text.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'

/** `xpersist ls`: the keys of a cache; --long adds serializer, created_at and payload bytes. */
export const ls: Command = {
  usage: `ls <cache> [--long] [--json] ${STORAGE_USAGE}`,
  summary: 'list the keys of a cache (nested keys too)',
  options: { long: { type: 'boolean', short: 'l' }, json: { type: 'boolean' }, ...STORAGE_FLAGS },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ positionals, values, out, outJson }) {
    const store = await CacheStore.open(positionals[0] as string, {
      readonly: true,
      storageOptions: storageOptionsOf(values),
    })
    if (!values.long) {
      const keys = await store.keys()
      if (values.json) outJson(JSON.stringify(keys))
      else out(keys.map(visibleText).join('\n'))
      return 0
    }
    const rows = []
    for await (const info of store.artifacts()) {
      rows.push({
        key: info.key,
        serializer: info.artifact?.serializer ?? null,
        created_at: info.artifact?.created_at ?? null,
        bytes: info.payload.bytes,
        files: info.payload.files.length,
        error: info.error,
      })
    }
    if (values.json) {
      outJson(JSON.stringify(rows))
      return 0
    }
    out(
      textTable(
        ['key', 'serializer', 'created_at (UTC)', 'age', 'size'],
        rows.map((r) => [
          visibleText(r.key),
          r.error ? `BROKEN: ${r.error.code}` : visibleText(r.serializer as string),
          r.error ? '' : r.created_at === null ? 'unknown' : String(r.created_at),
          r.error || r.created_at === null ? '—' : formatAge(r.created_at),
          formatBytes(r.bytes),
        ]),
        [false, false, false, true, true],
      ) + `\n${rows.length} artifacts, ${formatBytes(rows.reduce((s, r) => s + r.bytes, 0))}`,
    )
    return 0
  },
}
