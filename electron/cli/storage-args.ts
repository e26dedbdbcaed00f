/**
 * The CLI's storage options for s3:// (and gs://) caches, in fsspec's vocabulary:
 * `--storage-options '{"anon": true}'` as JSON (or `@file.json`, which keeps secrets off the
 * command line, where `ps` shows them), and `--endpoint-url URL` as a shorthand. The values
 * are never echoed in messages: they may hold secrets.
 */
import { readFileSync, statSync } from 'node:fs'
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

function readJson(text: string, flag: string): string {
  if (!text.startsWith('@')) return text
  const file = text.slice(1)
  try {
    // Sized before reading: a wrong path could name something huge.
    if (statSync(file).size > MAX_FILE_BYTES)
      throw new UsageError(`${flag} file ${file} is over 1 MiB`)
    return readFileSync(file, 'utf8')
  } catch (err) {
    if (err instanceof UsageError) throw err
    throw new UsageError(
      `${flag} cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    )
  }
}

/**
 * One storage-options flag's value (JSON or `@file.json`) as an object; {} when not given.
 * `flag` names it in messages (`--storage-options`, cp's `--src-storage-options`...).
 */
export function parseStorageOptionsFlag(raw: unknown, flag: string): StorageOptions {
  if (typeof raw !== 'string') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(readJson(raw, flag))
  } catch (err) {
    if (err instanceof UsageError) throw err
    // The parser's message quotes the text, which may hold a secret: only say where.
    const at = /position (\d+)/.exec((err as Error).message)?.[1]
    throw new UsageError(
      `${flag} is not valid JSON${at ? ` (at character ${at})` : ''}; ` +
        `write an object, e.g. '{"anon": true}' or '{"profile": "research"}'`,
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${flag} takes a JSON object, e.g. '{"anon": true}'`)
  }
  return parsed as StorageOptions
}

/** The storage options the flags give ({} without them); UsageError when malformed. */
export function storageOptionsOf(values: Record<string, unknown>): StorageOptions {
  const endpoint = values['endpoint-url']
  let options = parseStorageOptionsFlag(values['storage-options'], '--storage-options')
  if (typeof endpoint === 'string') {
    const given = Object.prototype.hasOwnProperty.call(options, 'endpoint_url')
    if (given && options.endpoint_url !== endpoint) {
      throw new UsageError('--endpoint-url and endpoint_url in --storage-options differ: give one')
    }
    options = { ...options, endpoint_url: endpoint }
  }
  return options
}
