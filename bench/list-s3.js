#!/usr/bin/env node
// Listing N artifacts (default 10,000) in an S3 bucket through the engine: per key (a head
// and a get per key, how listings ran before issue 9), cold (one root listing, every sidecar
// fetched) and warm (the sidecar index: only the listing). Needs the s3 backend (issue 9) and
// a server, e.g. `.venv-servers/bin/moto_server -H 127.0.0.1 -p PORT`; the server's own log
// line count gives the requests when MOTO_LOG names its log file.
// usage: node bench/list-s3.js <endpoint> [artifacts] [s3://bucket/prefix]   (reads dist/)
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { mapBounded } from '../dist/electron/engine/backend/bounded.js'
import { CacheStore } from '../dist/electron/engine/store.js'

const endpoint = process.argv[2]
const N = Number(process.argv[3] ?? 10_000)
const url = process.argv[4] ?? 's3://bench/cache'
const options = {
  key: 'dummy-key',
  secret: 'dummy-secret',
  endpoint_url: endpoint,
  client_kwargs: { region_name: 'us-east-1' },
}
const bucket = new URL(url).host
const client = new S3Client({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: options.key, secretAccessKey: options.secret },
})
await client.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined)

const writer = await CacheStore.open(url, { storageOptions: options })
const t0 = performance.now()
await mapBounded(
  Array.from({ length: N }, (_, i) => i),
  async (i) => {
    const key = `k${String(i).padStart(6, '0')}`
    const sidecar = `xpersist_metadata_store/${key}.artifact.json`
    if (await writer.backend.head(sidecar)) return
    await writer.backend.put(key, new Uint8Array((i % 97) + 1))
    const artifact = { key, serializer: 'pandas.parquet', load_kwargs: {}, dump_kwargs: {} }
    const text = JSON.stringify({ ...artifact, additional_metadata: { i }, created_at: null })
    await writer.backend.put(sidecar, new TextEncoder().encode(text))
  },
  32,
)
console.error(`filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

const indexDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xp-s3-index-'))
const logLines = async () =>
  process.env.MOTO_LOG ? (await fs.readFile(process.env.MOTO_LOG, 'utf8')).split('\n').length : 0
const requests = {}

async function once(mode) {
  const before = await logLines()
  const store = await CacheStore.open(url, { storageOptions: options, readonly: true })
  const t = performance.now()
  const keys = mode === 'perKey' ? await store.sidecarNames() : undefined
  let rows = 0
  const dir = mode === 'cold' ? null : indexDir
  for await (const r of store.artifacts({ indexDir: dir, ...(keys ? { keys } : {}) })) {
    if (r.error) throw new Error(r.error.message)
    rows++
  }
  if (rows !== N) throw new Error(`${rows} rows, expected ${N}`)
  const seconds = (performance.now() - t) / 1000
  await new Promise((r) => setTimeout(r, 300)) // the server's log catches up
  requests[mode] = (await logLines()) - before
  return seconds
}

try {
  const result = { artifacts: N, loadavg: os.loadavg().map((x) => Number(x.toFixed(1))) }
  for (const mode of ['perKey', 'cold', 'warm']) {
    if (mode === 'warm') await once('fill')
    const runs = []
    for (let r = 0; r < (mode === 'warm' ? 3 : 1); r++) runs.push(await once(mode))
    runs.sort((a, b) => a - b)
    result[mode] = { median: runs[Math.floor(runs.length / 2)], runs }
  }
  console.log(JSON.stringify({ ...result, requests }, null, 2))
} finally {
  await fs.rm(indexDir, { recursive: true, force: true })
}
