import { promises as fs } from 'node:fs'
import type { Command } from '../args.js'
import { UsageError } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { importFile, serializerForFile } from '../../engine/import-file.js'
import { InvalidArgumentError } from '../../engine/errors.js'
import { pyJsonParse } from '../../../shared/pyjson-parse.js'
import type { OnDuplicateKey } from '../../../shared/store-types.js'

/** Parses `--meta k=v` pairs; a value that reads as JSON is kept as that JSON value. */
export function parseMeta(pairs: string[]): Record<string, unknown> {
  // Null prototype: `--meta __proto__=x` is a field like any other, not a prototype change.
  const meta = Object.create(null) as Record<string, unknown>
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`--meta takes key=value, not '${pair}'`)
    const raw = pair.slice(eq + 1)
    let value: unknown = raw
    try {
      value = pyJsonParse(raw)
    } catch {
      // not JSON: keep the text as a string
    }
    meta[pair.slice(0, eq)] = value
  }
  return meta
}

/** `xpersist put`: stores a file (CSV, joblib/pickle, or JSON value) as an artifact. */
export const put: Command = {
  usage:
    'put <cache> <key> <file> [--serializer S] [--meta k=v]... [--dump-kwargs JSON] [--on-duplicate skip|overwrite|raise_error] [--json]',
  summary: 'store a file as a new artifact',
  options: {
    serializer: { type: 'string', short: 's' },
    meta: { type: 'string', multiple: true, short: 'm' },
    'dump-kwargs': { type: 'string' },
    'on-duplicate': { type: 'string' },
    json: { type: 'boolean' },
  },
  minPositionals: 3,
  maxPositionals: 3,
  async run({ positionals, values, out, outJson }) {
    const [location, key, file] = positionals as [string, string, string]
    const policy = (values['on-duplicate'] as OnDuplicateKey | undefined) ?? 'skip'
    if (!['skip', 'overwrite', 'raise_error'].includes(policy)) {
      throw new UsageError(`--on-duplicate takes skip, overwrite or raise_error, not '${policy}'`)
    }
    const stat = await fs.stat(file).catch(() => {
      throw new InvalidArgumentError(`No file ${file}. Check the path.`)
    })
    if (stat.isDirectory()) {
      throw new InvalidArgumentError(
        `${file} is a folder; folder payloads (Zarr) are not supported by put in this version.`,
      )
    }
    if (!values.serializer && !serializerForFile(file)) {
      throw new InvalidArgumentError(
        `Cannot tell how to store ${file}; pass --serializer (pandas.csv for CSV, joblib for pickles).`,
      )
    }
    const options = {
      serializer: values.serializer as string | undefined,
      onDuplicateKey: policy,
      additionalMetadata: parseMeta((values.meta as string[] | undefined) ?? []),
      dumpKwargs: values['dump-kwargs']
        ? (pyJsonParse(values['dump-kwargs'] as string) as Record<string, unknown>)
        : {},
    }
    const store = await CacheStore.open(location)
    const data = new Uint8Array(await fs.readFile(file))
    const artifact = await importFile(store, key, file, data, options)
    if (values.json) outJson(JSON.stringify(artifact))
    else out(`put '${artifact.key}' (${artifact.serializer}) in ${store.url}`)
    return 0
  },
}
