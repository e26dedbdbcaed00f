// SeaweedFS (`weed mini`: master, volume, filer and S3 gateway in one Go process) on 127.0.0.1
// for the cloud benchmark, started from .venv-servers (bench/server-process.js): a real object
// store, much faster than moto. The tests' helper is test/servers/seaweedfs.ts; this is its
// minimum for bench scripts, which cannot import TypeScript.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  PutObjectCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { answers, s3Client, startServerProcess, storageOptionsFor } from './server-process.js'

// Dummy credentials. Without an identities file SeaweedFS answers streamed (chunked, signed)
// uploads with 403.
const KEY = 'bench-seaweed-key'
const SECRET = 'bench-seaweed-secret'
const IDENTITIES = {
  identities: [
    {
      name: 'bench',
      credentials: [{ accessKey: KEY, secretKey: SECRET }],
      actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
    },
  ],
}
/** Each component's gRPC port is its HTTP port + 10000. */
const GRPC_OFFSET = 10_000
const COMPONENTS = ['master', 'volume', 'filer', 's3', 'admin']
const portOf = (ports, c) => ports[COMPONENTS.indexOf(c)]

/** Starts SeaweedFS; returns { name, endpoint, storageOptions, client, reset(buckets), stop() }. */
export async function startSeaweedfs() {
  const { ports, stop } = await startServerProcess({
    name: 'seaweedfs',
    bin: 'weed',
    ports: COMPONENTS.length,
    portOffset: GRPC_OFFSET,
    async prepare(dir) {
      await fs.mkdir(path.join(dir, 'data'))
      await fs.writeFile(path.join(dir, 's3.json'), JSON.stringify(IDENTITIES))
    },
    args: (ports, dir) => [
      'mini',
      `-dir=${path.join(dir, 'data')}`,
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-s3.config=${path.join(dir, 's3.json')}`,
      ...COMPONENTS.map((c) => `-${c}.port=${portOf(ports, c)}`),
      '-s3.port.iceberg=0',
      '-s3.port.lance=0',
      '-webdav=false',
      '-admin.ui=false',
      '-master.telemetry=false',
      `-filer.localSocket=${path.join(dir, 'filer.sock')}`,
      `-s3.localSocket=${path.join(dir, 's3.sock')}`,
    ],
    ready: async (ports) =>
      (await answers(`http://127.0.0.1:${portOf(ports, 'filer')}/`)) &&
      (await answers(`http://127.0.0.1:${portOf(ports, 's3')}/`)),
    // Its gRPC unix sockets go to /tmp whatever TMPDIR says; a SIGKILL leaves them there.
    leftovers: (ports) =>
      COMPONENTS.map((c) => `/tmp/seaweedfs-${c}-grpc-${portOf(ports, c) + GRPC_OFFSET}.sock`),
  })
  const endpoint = `http://127.0.0.1:${portOf(ports, 's3')}`
  const storageOptions = storageOptionsFor(endpoint, KEY, SECRET)
  const client = s3Client(storageOptions)
  return {
    name: 'seaweedfs',
    endpoint,
    storageOptions,
    client,
    /**
     * Deletes every object of `buckets` (creating those missing): SeaweedFS has no reset API.
     * The first reset also waits until a write goes through (the volume server registers with
     * the master a moment after the gateway answers).
     */
    async reset(buckets = []) {
      for (const Bucket of buckets) {
        const exists = await client.send(new HeadBucketCommand({ Bucket })).then(
          () => true,
          () => false,
        )
        if (!exists) {
          await client.send(new CreateBucketCommand({ Bucket }))
          await writable(client, Bucket)
          continue
        }
        for await (const page of paginateListObjectsV2({ client }, { Bucket })) {
          const Objects = (page.Contents ?? []).map(({ Key }) => ({ Key }))
          if (Objects.length === 0) continue
          const res = await client.send(
            new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }),
          )
          if (res.Errors?.length) {
            throw new Error(`seaweedfs reset: ${res.Errors[0].Key}: ${res.Errors[0].Message}`)
          }
        }
      }
    },
    stop,
  }
}

/** Waits (at most 2 minutes) until a put to `Bucket` succeeds. */
async function writable(client, Bucket) {
  const Key = '.bench-probe'
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      await client.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }))
      await client.send(new DeleteObjectCommand({ Bucket, Key }))
      return
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((r) => setTimeout(r, 500))
    }
  }
}
