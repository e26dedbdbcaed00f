import type { Command } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { sidecarPath } from '../../engine/keys.js'
import { formatAge, formatBytes } from '../format.js'
import { pyJsonDumps } from '../../../shared/pyjson.js'
import { visibleText } from '../../../shared/visible-text.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'

function createdText(created: string | number | null | undefined): string {
  if (created === null || created === undefined) return 'unknown (the sidecar has no time)'
  return `${created} UTC (${formatAge(created)})`
}

/** `xpersist info`: one artifact's sidecar plus its payload paths and bytes. */
export const info: Command = {
  usage: `info <cache> <key> [--json] ${STORAGE_USAGE}`,
  summary: "show an artifact's sidecar and payload files",
  options: { json: { type: 'boolean' }, ...STORAGE_FLAGS },
  minPositionals: 2,
  maxPositionals: 2,
  async run({ positionals, values, out, outJson }) {
    const [location, key] = positionals as [string, string]
    const store = await CacheStore.open(location, {
      readonly: true,
      storageOptions: storageOptionsOf(values),
    })
    const artifact = await store.getArtifact(key)
    const files = await store.payloadFiles(key)
    const bytes = files.reduce((s, f) => s + f.bytes, 0)
    if (values.json) {
      outJson(
        pyJsonDumps({
          root: store.url,
          key,
          sidecarPath: sidecarPath(key),
          artifact,
          payload: { files, bytes },
        }),
      )
      return 0
    }
    out(
      [
        `key:          ${visibleText(artifact.key)}`,
        `serializer:   ${visibleText(artifact.serializer)}`,
        `created_at:   ${createdText(artifact.created_at)}`,
        `load_kwargs:  ${pyJsonDumps(artifact.load_kwargs)}`,
        `dump_kwargs:  ${pyJsonDumps(artifact.dump_kwargs)}`,
        `metadata:     ${pyJsonDumps(artifact.additional_metadata)}`,
        `sidecar:      ${visibleText(sidecarPath(key))}`,
        `payload:      ${files.length} file${files.length === 1 ? '' : 's'}, ${formatBytes(bytes)}`,
        ...files.slice(0, 50).map((f) => `  ${visibleText(f.path)}  ${formatBytes(f.bytes)}`),
        ...(files.length > 50 ? [`  ... ${files.length - 50} more`] : []),
      ].join('\n'),
    )
    return 0
  },
}
