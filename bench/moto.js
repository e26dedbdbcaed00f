// A moto_server (S3 emulator) on 127.0.0.1 for the cloud benchmark, started from .venv-servers
// (bench/server-process.js). The tests' own helper (test/servers/moto.ts) is TypeScript, which
// bench scripts cannot import: this is its minimum.
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { answers, s3Client, startServerProcess, storageOptionsFor } from './server-process.js'

/** Starts moto_server; returns { name, endpoint, storageOptions, client, reset(buckets), stop() }. */
export async function startMoto() {
  const { ports, stop } = await startServerProcess({
    name: 'moto',
    bin: 'moto_server',
    args: ([port]) => ['-H', '127.0.0.1', '-p', String(port)],
    ready: ([port]) => answers(`http://127.0.0.1:${port}/moto-api/`),
  })
  const endpoint = `http://127.0.0.1:${ports[0]}`
  // Dummy keys: moto takes any.
  const storageOptions = storageOptionsFor(endpoint, 'bench-key', 'bench-secret')
  const client = s3Client(storageOptions)
  return {
    name: 'moto',
    endpoint,
    storageOptions,
    client,
    /** Forgets every bucket and object (POST /moto-api/reset), then makes `buckets` again. */
    async reset(buckets = []) {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
      await res.arrayBuffer()
      if (!res.ok) throw new Error(`moto reset answered ${res.status}`)
      for (const Bucket of buckets) await client.send(new CreateBucketCommand({ Bucket }))
    },
    stop,
  }
}
