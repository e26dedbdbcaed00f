/**
 * The CLI's storage options for s3:// (and gs://) caches, in fsspec's vocabulary:
 * `--storage-options '{"anon": true}'` as JSON (or `@file.json`, which keeps secrets off the
 * command line, where `ps` shows them), and `--endpoint-url URL` as a shorthand. The values
 * are never echoed in messages: they may hold secrets.
 */
import { readFileSync } from 'node:fs'
import { UsageError, type Command } from './args.js'
import type { StorageOptions } from '../engine/backend/open.js'

/** The flags, for a command's `options`. */
export const STORAGE_FLAGS: Command['options'] = {
  'storage-options': { type: 'string' },
  'endpoint-url': { type: 'string' },
}

/** For usage lines. */
export const STORAGE_USAGE = '[--storage-options JSON|@FILE] [--endpoint-url URL]'

// A storage-options file holds a few keys; anything bigger is the wrong file.
const MAX_FILE_BYTES = 1024 * 1024

function readJson(flag: string): string {
  if (!flag.startsWith('@')) return flag
  const file = flag.slice(1)
  try {
    const text = readFileSync(file, 'utf8')
    if (text.length > MAX_FILE_BYTES)
      throw new UsageError(`--storage-options file ${file} is over 1 MiB`)
    return text
  } catch (err) {
    if (err instanceof UsageError) throw err
    throw new UsageError(
      `--storage-options cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    )
  }
}

/** The storage options the flags give ({} without them); UsageError when malformed. */
export function storageOptionsOf(values: Record<string, unknown>): StorageOptions {
  const raw = values['storage-options']
  const endpoint = values['endpoint-url']
  let options: StorageOptions = {}
  if (typeof raw === 'string') {
    let parsed: unknown
    try {
      parsed = JSON.parse(readJson(raw))
    } catch (err) {
      if (err instanceof UsageError) throw err
      // The parser's message quotes the text, which may hold a secret: only say where.
      const at = /position (\d+)/.exec((err as Error).message)?.[1]
      throw new UsageError(
        `--storage-options is not valid JSON${at ? ` (at character ${at})` : ''}; ` +
          `write an object, e.g. '{"anon": true}' or '{"profile": "research"}'`,
      )
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`--storage-options takes a JSON object, e.g. '{"anon": true}'`)
    }
    options = parsed as StorageOptions
  }
  if (typeof endpoint === 'string') {
    const given = Object.prototype.hasOwnProperty.call(options, 'endpoint_url')
    if (given && options.endpoint_url !== endpoint) {
      throw new UsageError('--endpoint-url and endpoint_url in --storage-options differ: give one')
    }
    options = { ...options, endpoint_url: endpoint }
  }
  return options
}
