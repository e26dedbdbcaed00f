/**
 * The @google-cloud/storage client for one cache, loaded on first use: how storage_options
 * become SDK options, and the one retry the SDK does not make.
 */
import type { Storage, StorageOptions } from '@google-cloud/storage'
import type { GcsOptions } from './options.js'

/** A client for the parsed options; the SDK module is imported here, not before. */
export async function makeStorage(opts: GcsOptions): Promise<Storage> {
  const { Storage } = await import('@google-cloud/storage')
  return new Storage(clientOptions(opts))
}

/**
 * Runs a read again once when it failed with ECONNRESET before any answer: a kept-alive socket
 * the server had closed (fake-gcs-server closes it after a 416; proxies after idle time). Only
 * for reads, which are idempotent; the SDK's own retries do not cover this case.
 */
export async function retryStale<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code !== 'ECONNRESET') throw e
    return read()
  }
}

// Emulators take no credentials unless the user named some; `authClient` with empty headers
// is how the SDK sends no Authorization header to Google itself.
function clientOptions({ auth, project, endpoint }: GcsOptions): StorageOptions {
  const options: StorageOptions = {
    // The SDK retries a refused connection for ~15 s with 3 retries; 2 keep transient-error
    // recovery and tell a user with a wrong endpoint within a few seconds.
    retryOptions: { maxRetries: 2 },
  }
  if (project) options.projectId = project
  if (endpoint) {
    options.apiEndpoint = endpoint
    options.useAuthWithCustomEndpoint = auth.kind !== 'anon'
  }
  if (auth.kind === 'credentials') options.credentials = auth.credentials
  if (auth.kind === 'anon' && !endpoint) {
    const anonymous = { getRequestHeaders: async () => ({}) }
    options.authClient = anonymous as unknown as StorageOptions['authClient']
  }
  return options
}
