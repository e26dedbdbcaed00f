/**
 * Opens an `s3://bucket/prefix` cache: checks the storage options, loads the SDK (lazily,
 * only here) and returns the backend. Opening sends no request: a wrong bucket or credentials
 * show on the first listing or read, as errors that say which option to fix. fsspec's
 * environment defaults (FSSPEC_S3...) apply under the explicit options.
 */
import type { Backend } from '../backend.js'
import type { StorageOptions } from '../open.js'
import { loadSdk, makeS3Client } from './client.js'
import type { Env } from '../fsspec-env.js'
import { parseS3OptionsWithEnv, parseS3Url } from './options.js'
import { S3Backend, type S3Tuning } from './s3-backend.js'

/** The opener registered for 's3' in open.ts. */
export async function openS3(
  location: string,
  options: StorageOptions,
  env: Env = process.env,
  tuning: S3Tuning = {},
): Promise<Backend> {
  const { bucket, prefix } = parseS3Url(location)
  const settings = parseS3OptionsWithEnv(options, env)
  const sdk = await loadSdk()
  const client = await makeS3Client(sdk, settings)
  return new S3Backend(sdk, client, bucket, prefix, settings, tuning)
}
