/**
 * Loopback object stores for the cloud interop tests: starts moto (S3) or fake-gcs-server
 * (GCS), makes a bucket, and points the interop venv's Python at it. xpersist's serializers
 * call pandas/xarray without storage_options, so Python gets the endpoint from the
 * environment: an fsspec config file (FSSPEC_CONFIG_DIR; fsspec 2022.11 reads only
 * FSSPEC_<PROTO>_<KWARG> strings from the environment, and s3fs 2022.11 takes the endpoint
 * only inside client_kwargs, so a JSON file it is) and, for GCS, STORAGE_EMULATOR_HOST with
 * GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT=false.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { startFakeGcs } from '../../servers/fake-gcs.js'
import { startMoto } from '../../servers/moto.js'
import { makeBucket } from '../../servers/s3-buckets.js'
import { tempDir } from '../../helpers/temp.js'
import { runPython } from './python.js'

/** The object stores the suites run against. */
export type CloudKind = 's3' | 'gs'

/** A running store with one bucket, and Python's environment set up for it. */
export interface CloudStore {
  /** s3://bucket or gs://bucket */
  readonly bucketUrl: string
  /** storage_options for our engine's CacheStore.open. */
  readonly storageOptions: Record<string, unknown>
  /**
   * Runs a script of test/interop/python with this store's environment set only while it
   * runs: @google-cloud/storage 7 in this process gets 404s when STORAGE_EMULATOR_HOST is set.
   */
  python(script: string, args: readonly string[]): Promise<string>
  /** Stops the server. */
  stop(): Promise<void>
}

const SETUP =
  "Run 'bash test/interop/setup-venv.sh' (it installs s3fs and gcsfs from " +
  'test/interop/python/requirements-core.txt) and rerun.'

/** Fails (never skips) when the interop venv cannot import s3fs and gcsfs. */
export async function requireCloudPython(): Promise<void> {
  try {
    await runPython('-c', ['import s3fs, gcsfs'])
  } catch (err) {
    throw new Error(`The interop venv has no s3fs/gcsfs. ${SETUP}\n${(err as Error).message}`, {
      cause: err,
    })
  }
}

const ENV_NAMES = [
  'FSSPEC_CONFIG_DIR',
  'STORAGE_EMULATOR_HOST',
  'GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT',
]

/** Starts the server for `kind`, creates a bucket, and sets Python's environment. */
export async function startCloud(kind: CloudKind): Promise<CloudStore> {
  const confDir = await tempDir('xp-interop-fsspec-')
  let bucketUrl: string
  let storageOptions: Record<string, unknown>
  let server: { stop(): Promise<void> }
  const env: Record<string, string> = {}
  if (kind === 's3') {
    const moto = await startMoto()
    server = moto
    const bucket = 'xp-interop'
    await makeBucket(moto.storageOptions, bucket)
    bucketUrl = `s3://${bucket}`
    storageOptions = moto.storageOptions
    // Dummy keys: moto takes any.
    const conf = {
      s3: {
        key: moto.storageOptions.key,
        secret: moto.storageOptions.secret,
        client_kwargs: { endpoint_url: moto.endpoint, region_name: 'us-east-1' },
      },
    }
    await fs.writeFile(path.join(confDir, 's3.json'), JSON.stringify(conf))
  } else {
    const gcs = await startFakeGcs()
    server = gcs
    bucketUrl = `gs://${await gcs.newBucket()}`
    storageOptions = gcs.storageOptions
    const opts = { token: 'anon', project: 'test-project' }
    await fs.writeFile(path.join(confDir, 'gcs.json'), JSON.stringify({ gcs: opts, gs: opts }))
    env.STORAGE_EMULATOR_HOST = gcs.endpoint
    // Without it gcsfs stalls about 60 s per call probing for hierarchical namespaces.
    env.GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT = 'false'
  }
  env.FSSPEC_CONFIG_DIR = confDir
  return {
    bucketUrl,
    storageOptions,
    async python(script, args) {
      const saved = new Map(ENV_NAMES.map((n) => [n, process.env[n]]))
      Object.assign(process.env, env)
      try {
        return await runPython(script, args)
      } finally {
        for (const [n, v] of saved) {
          if (v === undefined) delete process.env[n]
          else process.env[n] = v
        }
      }
    },
    async stop() {
      await server.stop()
      await fs.rm(confDir, { recursive: true, force: true })
    },
  }
}
