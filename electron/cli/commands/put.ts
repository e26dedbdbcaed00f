import { promises as fs } from 'node:fs'
import type { Command } from '../args.js'
import { UsageError } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { importFile, serializerForFile } from '../../engine/import-file.js'
import { fileHead, serializerForBytes } from '../../engine/detect-payload.js'
import { formatBytes } from '../format.js'
import { DuplicateKeyError, InvalidArgumentError } from '../../engine/errors.js'
import { pyJsonParse } from '../../../shared/pyjson-parse.js'
import { isPlainObject } from '../../../shared/pyjson.js'
import type { OnDuplicateKey } from '../../../shared/store-types.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'

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

/** The refusal of an existing key, in CLI terms. */
function alreadyExists(key: string, url: string): DuplicateKeyError {
  return new DuplicateKeyError(
    `Key '${key}' already exists in ${url}. Pass --on-duplicate overwrite to replace it, ` +
      `or --on-duplicate skip to keep it.`,
  )
}

/** `--dump-kwargs` as a JSON object, or an error saying what to pass instead. */
export function parseDumpKwargs(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {}
  const example = `'{"index": false}'`
  let value: unknown
  try {
    value = pyJsonParse(text)
  } catch (err) {
    throw new InvalidArgumentError(
      `--dump-kwargs is not valid JSON (${(err as Error).message}). Pass a JSON object like ${example}.`,
    )
  }
  if (!isPlainObject(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
    throw new InvalidArgumentError(
      `--dump-kwargs must be a JSON object like ${example}, not ${kind}.`,
    )
  }
  return value
}

const POLICIES = ['overwrite', 'skip', 'raise_error']

/**
 * `xpersist put`: stores a file (CSV, joblib/pickle, NetCDF, or a JSON value) or a Zarr folder
 * as an artifact; payload files are kept byte for byte.
 */
export const put: Command = {
  usage:
    'put <cache> <key> <file|zarr-folder> [--serializer S] [--meta k=v]... [--dump-kwargs JSON] [--on-duplicate overwrite|skip] [--json] ' +
    STORAGE_USAGE,
  summary:
    'store a file or a Zarr folder as a new artifact, byte for byte (an existing key needs --on-duplicate)',
  options: {
    serializer: { type: 'string', short: 's' },
    meta: { type: 'string', multiple: true, short: 'm' },
    'dump-kwargs': { type: 'string' },
    'on-duplicate': { type: 'string' },
    json: { type: 'boolean' },
    ...STORAGE_FLAGS,
  },
  minPositionals: 3,
  maxPositionals: 3,
  async run({ positionals, values, out, outJson }) {
    const [location, key, file] = positionals as [string, string, string]
    // No policy refuses an existing key (raise_error names that default explicitly).
    const policy = values['on-duplicate'] as string | undefined
    if (policy !== undefined && !POLICIES.includes(policy)) {
      throw new UsageError(`--on-duplicate takes overwrite or skip, not '${policy}'`)
    }
    const stat = await fs.stat(file).catch(() => {
      throw new InvalidArgumentError(`No file ${file}. Check the path.`)
    })
    const folder = stat.isDirectory()
    if (
      !folder &&
      !values.serializer &&
      !serializerForBytes(await fileHead(file)) &&
      !serializerForFile(file)
    ) {
      throw new InvalidArgumentError(
        `Cannot tell how to store ${file}; pass --serializer (pandas.csv for CSV, joblib for pickles, xarray.netcdf for NetCDF).`,
      )
    }
    const options = {
      serializer: values.serializer as string | undefined,
      onDuplicateKey: (policy === 'overwrite' ? 'overwrite' : 'raise_error') as OnDuplicateKey,
      additionalMetadata: parseMeta((values.meta as string[] | undefined) ?? []),
      dumpKwargs: parseDumpKwargs(values['dump-kwargs'] as string | undefined),
    }
    const store = await CacheStore.open(location, { storageOptions: storageOptionsOf(values) })
    const skipped = async () => {
      if (values.json) outJson(JSON.stringify(await store.getArtifact(key)))
      else out(`kept existing '${key}' (skipped) in ${store.url}`)
      return 0
    }
    const existed = await store.has(key)
    if (existed && policy === 'skip') return skipped()
    if (existed && policy !== 'overwrite') throw alreadyExists(key, store.url)
    let artifact
    let size = ''
    try {
      if (folder) {
        const stored = await store.importFolder(key, file, options)
        artifact = stored.artifact
        size = `: ${stored.files} files, ${formatBytes(stored.bytes)}`
      } else {
        // A Buffer is a Uint8Array: copying it again would hold the file twice.
        const data: Uint8Array = await fs.readFile(file)
        artifact = await importFile(store, key, file, data, options)
        size = `: ${formatBytes(data.length)}`
      }
    } catch (err) {
      // Another writer created the key since the check above.
      if (!(err instanceof DuplicateKeyError)) throw err
      if (policy === 'skip') return skipped()
      throw alreadyExists(key, store.url)
    }
    if (values.json) outJson(JSON.stringify(artifact))
    else
      out(
        `${existed ? 'replaced' : 'put'} '${artifact.key}' (${artifact.serializer}) in ${store.url}${size}`,
      )
    return 0
  },
}
