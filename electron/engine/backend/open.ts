import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Backend } from './backend.js'
import type { Env } from './fsspec-env.js'
import { BackendError, NotSupportedError } from '../errors.js'
import { LOCK_DIR, METADATA_DIR } from '../keys.js'

/** fsspec-style options handed to a backend (credentials, endpoint, region...). */
export type StorageOptions = Record<string, unknown>

/**
 * Opens a backend; with `create`, a missing root may be made by the first write (never by the
 * open). `env` is where defaults from the environment (fsspec's FSSPEC_S3...) are read.
 */
type Opener = (
  location: string,
  options: StorageOptions,
  create: boolean,
  env: Env,
) => Promise<Backend>

// Backends load lazily, so a local `ls` never pulls in a cloud SDK; a protocol without an
// opener says what it needs instead of failing obscurely.
const openers = new Map<string, Opener>([
  [
    'file',
    async (location, _options, create) => {
      const { LocalBackend } = await import('./local.js')
      // The lock folder is kept: pruning it when empty would race another process's lock.
      const open = (make: boolean) =>
        LocalBackend.open(location, { create: make, keepDirs: [METADATA_DIR, LOCK_DIR] })
      const root = path.resolve(location)
      if (existsSync(root)) return open(false)
      if (!create) {
        throw new BackendError(
          `No cache folder at ${root}. Check the path; xpersist makes a cache folder only ` +
            `when it writes an artifact into a new one (xpersist put).`,
        )
      }
      // Opening creates nothing: the folder is made by the first write.
      const { PendingRootBackend } = await import('./pending-root.js')
      return new PendingRootBackend(root, open)
    },
  ],
  // An object store has no folders to create: a new prefix appears with its first object.
  [
    's3',
    async (location, options, _create, env) =>
      (await import('./s3/index.js')).openS3(location, options, env),
  ],
  ['gs', openGcs],
  ['gcs', openGcs],
])

async function openGcs(
  location: string,
  options: StorageOptions,
  _create: boolean,
  env: Env,
): Promise<Backend> {
  const { GcsBackend } = await import('./gcs/gcs.js')
  return GcsBackend.open(location, options, { env })
}

/** Registers a backend for a URL protocol ('s3', 'gs', ...). */
export function registerBackend(protocol: string, opener: Opener): void {
  openers.set(protocol, opener)
}

/** Protocols that can be opened right now. */
export function availableProtocols(): string[] {
  return [...openers.keys()]
}

/** Opens a cache location: a local path, a file:// URL, or a protocol URL like s3://bucket/x. */
export async function openBackend(
  location: string,
  options: StorageOptions = {},
  create = false,
  env: Env = process.env,
): Promise<Backend> {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(location)
  const protocol = m ? (m[1] as string).toLowerCase() : 'file'
  const opener = openers.get(protocol)
  if (!opener) {
    throw new NotSupportedError(
      `No backend for '${protocol}://' caches in this build (available: ` +
        `${availableProtocols().join(', ')}). Copy the cache to a local folder, or use a ` +
        `version of xpersist with ${protocol} support.`,
    )
  }
  const target = protocol === 'file' && m ? fileURLToPath(location) : location
  return opener(target, options, create, env)
}
