// `node bench/sidecar-gets.js`: what one small sidecar GET costs the engine's process, through
// the AWS SDK against the engine's own signed GETs (electron/engine/backend/s3/fast-path.ts):
// the S3 backend's getManyText of BENCH_GETS (default 1,000) small objects, 32 in flight, on
// SeaweedFS started on 127.0.0.1 (bench/seaweedfs.js), alternating the two paths over
// BENCH_GETS_RUNS (default 5) runs. Node CPU (user + system, process.cpuUsage) per GET is the
// measure that matters on a loaded 2-core machine; wall time is printed beside it. Medians, as
// one JSON document. Reads dist/: run `npx tsc -p tsconfig.build.json` first.
import { PutObjectCommand } from '@aws-sdk/client-s3'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, pool } from './bench-util.js'
import { benchArtifacts } from './make-cache.js'
import { startSeaweedfs } from './seaweedfs.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const S3 = path.join(ROOT, 'dist', 'electron', 'engine', 'backend', 's3', 'index.js')
const BUCKET = 'bench'
const n = Number(process.env.BENCH_GETS ?? 1000)
const runs = Number(process.env.BENCH_GETS_RUNS ?? 5)
const round = (x, d = 3) => +x.toFixed(d)

const { openS3 } = await import(S3)
const server = await startSeaweedfs()
try {
  await server.reset([BUCKET])
  const artifact = await benchArtifacts()
  const keys = Array.from({ length: n }, (_, i) => `gets/${artifact(i).key}.artifact.json`)
  await pool(
    keys.map((Key, i) => ({ Key, Body: artifact(i).sidecar })),
    32,
    ({ Key, Body }) => server.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body })),
  )
  const measure = async (fastPath) => {
    let fallbacks = 0
    const b = await openS3(
      `s3://${BUCKET}`,
      server.storageOptions,
      {},
      {
        fastPath,
        onFastFallback: () => fallbacks++,
      },
    )
    await b.getManyText(keys.slice(0, 32)) // sockets and credentials, not the measure
    const cpu = process.cpuUsage()
    const t = performance.now()
    const texts = await b.getManyText(keys)
    const wall = (performance.now() - t) / 1000
    const used = process.cpuUsage(cpu)
    b.destroy()
    if (texts.some((x) => typeof x !== 'string')) throw new Error('a sidecar did not come back')
    if (fallbacks > 0) throw new Error(`${fallbacks} GETs fell back to the SDK`)
    return { wall, cpuMsPerGet: (used.user + used.system) / 1000 / n }
  }
  const got = { sdk: [], engine_signed: [] }
  for (let r = 0; r < runs; r++) {
    got.sdk.push(await measure(false))
    got.engine_signed.push(await measure(true))
  }
  const summary = (xs) => ({
    wall_s: round(median(xs.map((x) => x.wall))),
    cpu_ms_per_get: round(median(xs.map((x) => x.cpuMsPerGet))),
    runs_cpu_ms_per_get: xs.map((x) => round(x.cpuMsPerGet)),
  })
  const sdk = summary(got.sdk)
  const fast = summary(got.engine_signed)
  console.log(
    JSON.stringify(
      {
        node: process.version,
        cpus: os.cpus().length,
        loadavg: os.loadavg().map((x) => round(x, 2)),
        gets: n,
        runs,
        sdk,
        engine_signed: fast,
        sdk_cpu_over_engine_signed: round(sdk.cpu_ms_per_get / fast.cpu_ms_per_get, 2),
        sdk_wall_over_engine_signed: round(sdk.wall_s / fast.wall_s, 2),
      },
      null,
      2,
    ),
  )
} finally {
  await server.stop()
}
