// `npm run bench:cloud` (also part of `npm run bench`; BENCH_CLOUD=0 skips it there): the
// object-store benchmark of issue 9, against each server of BENCH_CLOUD_SERVERS (default
// "moto,seaweedfs"): moto_server (bench/moto.js, a Python emulator, slow) and SeaweedFS
// (bench/seaweedfs.js, a Go object store), each started on 127.0.0.1 and stopped after its own
// section of the report. The same measures on each, beside Python in the same run, medians of
// BENCH_CLOUD_RUNS (default 3):
// 1. listing BENCH_CLOUD_ARTIFACTS (default 10,000) artifacts: the engine's open + listing
//    with every sidecar read (the explorer's store.listing with the sidecar index), cold (an
//    empty index: a fresh XDG_CACHE_HOME) and warm (reopened, index present), beside Python
//    xpersist's keys() + get_artifact of every key through s3fs (BENCH_CLOUD_PY_RUNS, default 1);
// 2. the first page of a BENCH_CLOUD_PARQUET_MB (default 200) Parquet written by Python
//    xpersist (the explorer's and `show`'s previewArtifact), with the bytes transferred
//    counted by a proxy outside the engine (bench/count-proxy.js);
// 3. copying BENCH_CLOUD_CP (default 1,000) small artifacts from a local cache to the bucket
//    (planCopy + runCopy, what `xpersist cp` runs) beside s3fs put(recursive=True) and
//    botocore put_object from 10 threads (`aws s3 cp --recursive`); the bucket is reset
//    between runs.
// Request counts by method come from the proxy, in a run of their own (timed runs go straight
// to the server). Prints one JSON document with the targets checked.
// usage: node bench/cloud.js   (reads dist/: run `npx tsc -p tsconfig.build.json` first)
import { GetObjectCommand, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3'
import { execFileSync } from 'node:child_process'
import { existsSync, promises as fs, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, pool } from './bench-util.js'
import { startCountingProxy } from './count-proxy.js'
import { benchArtifacts, makeCache } from './make-cache.js'
import { startMoto } from './moto.js'
import { startSeaweedfs } from './seaweedfs.js'
import { storageOptionsFor } from './server-process.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PY = path.join(ROOT, '.venv-interop', 'bin', 'python')
const DIST = path.join(ROOT, 'dist', 'electron', 'engine')
const BUCKET = 'bench'
/** The servers by name: each start returns { name, storageOptions, client, reset, stop }. */
const SERVERS = new Map([
  ['moto', startMoto],
  ['seaweedfs', startSeaweedfs],
])
// The targets.
const TARGETS = {
  listing_cold_faster_than_python: 10,
  listing_warm_s: 1,
  parquet_first_page_file_fraction: 0.02,
}

const round = (x, d = 3) => (x === null || x === undefined ? null : +x.toFixed(d))
const ratio = (a, b) => (a === null || b === null || b === 0 ? null : round(a / b, 2))
const env = (name, fallback) => Number(process.env[name] ?? fallback)

/** The benchmark's sizes from the environment (see the header). */
export function cloudOptionsFromEnv() {
  return {
    artifacts: env('BENCH_CLOUD_ARTIFACTS', 10_000),
    parquetMb: env('BENCH_CLOUD_PARQUET_MB', 200),
    cp: env('BENCH_CLOUD_CP', 1000),
    runs: env('BENCH_CLOUD_RUNS', 3),
    pythonRuns: env('BENCH_CLOUD_PY_RUNS', 1),
    servers: (process.env.BENCH_CLOUD_SERVERS ?? 'moto,seaweedfs')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  }
}

/** Runs the cloud benchmark; returns the report (the caller prints it). */
export async function runCloudBench(opts = {}) {
  const o = { ...cloudOptionsFromEnv(), ...opts }
  if (!existsSync(PY)) return { skipped: "no .venv-interop: run 'bash test/interop/setup-venv.sh'" }
  if (!existsSync(path.join(DIST, 'index.js'))) return { skipped: "no dist/: run 'npm run build'" }
  const engine = {
    ...(await import(path.join(DIST, 'index.js'))),
    ...(await import(path.join(DIST, 'sidecar-index.js'))),
    ...(await import(path.join(DIST, 'preview.js'))),
    ...(await import(path.join(DIST, 'copy.js'))),
  }
  const unknown = o.servers.filter((s) => !SERVERS.has(s))
  if (unknown.length || o.servers.length === 0) {
    throw new Error(
      `BENCH_CLOUD_SERVERS: unknown server ${unknown.join(', ') || '(none given)'}; ` +
        `choose from ${[...SERVERS.keys()].join(', ')}`,
    )
  }
  const report = {
    node: process.version,
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((x) => round(x, 2)),
    options: o,
    targets: TARGETS,
  }
  for (const name of o.servers) {
    process.stderr.write(`bench:cloud: on ${name}\n`)
    report[name] = await serverBench(SERVERS.get(name), o, engine)
  }
  report.loadavg_after = os.loadavg().map((x) => round(x, 2))
  return report
}

/** The three cases against one server started by `start`; stopped at the end. */
async function serverBench(start, o, engine) {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'xp-bench-cloud-'))
  let server
  let proxy
  try {
    server = await start()
    proxy = await startCountingProxy(server.endpoint)
    await server.reset([BUCKET])
    // Python reaches the server through an fsspec config file (see test/interop/helpers/cloud.ts).
    const conf = path.join(work, 'fsspec')
    await fs.mkdir(conf)
    const { key, secret, endpoint_url: endpoint } = server.storageOptions
    const s3 = { key, secret, client_kwargs: { endpoint_url: endpoint, region_name: 'us-east-1' } }
    await fs.writeFile(path.join(conf, 's3.json'), JSON.stringify({ s3 }))
    const ctx = {
      o,
      engine,
      server,
      proxy,
      work,
      python: (script, ...args) => python(script, args, conf),
      direct: server.storageOptions,
      counted: storageOptionsFor(proxy.endpoint, key, secret),
    }
    const section = { loadavg: os.loadavg().map((x) => round(x, 2)) }
    section.listing = await listingCase(ctx)
    process.stderr.write(`bench:cloud: ${server.name}: listing done\n`)
    section.parquet_preview = await parquetCase(ctx)
    process.stderr.write(`bench:cloud: ${server.name}: parquet preview done\n`)
    section.cp = await cpCase(ctx)
    process.stderr.write(`bench:cloud: ${server.name}: cp done\n`)
    section.checks = checks(section)
    section.loadavg_after = os.loadavg().map((x) => round(x, 2))
    return section
  } finally {
    await proxy?.stop()
    await server?.stop()
    await fs.rm(work, { recursive: true, force: true })
  }
}

/** One JSON line from a .venv-interop script of bench/, with the fsspec config set. */
function python(script, args, confDir) {
  const text = execFileSync(PY, [path.join(ROOT, 'bench', script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, FSSPEC_CONFIG_DIR: confDir },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  })
  return JSON.parse(text.trim().split('\n').pop())
}

/** Seconds of `fn` over `runs` runs: the median and each run. */
async function timed(runs, fn) {
  const seconds = []
  for (let r = 0; r < runs; r++) {
    const t = performance.now()
    await fn(r)
    seconds.push((performance.now() - t) / 1000)
  }
  return { median_s: round(median(seconds)), runs: seconds.map((s) => round(s)) }
}

/** The objects under `prefix` in the bucket (a check that a copy wrote what it says). */
async function countObjects(server, prefix) {
  let n = 0
  for await (const page of paginateListObjectsV2(
    { client: server.client },
    { Bucket: BUCKET, Prefix: prefix },
  ))
    n += page.KeyCount ?? 0
  return n
}

async function listingCase({ o, engine, server, proxy, work, python, direct, counted }) {
  const prefix = 'listing'
  const url = `s3://${BUCKET}/${prefix}`
  const artifact = await benchArtifacts()
  const t = performance.now()
  await pool(
    Array.from({ length: o.artifacts }, (_, i) => i),
    32,
    async (i) => {
      const a = artifact(i)
      const put = (Key, Body) =>
        server.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }))
      await put(`${prefix}/${a.key}`, a.payload)
      await put(`${prefix}/xpersist_metadata_store/${a.key}.artifact.json`, a.sidecar)
    },
  )
  const fill_s = round((performance.now() - t) / 1000)
  // The SDK's first load is not a listing's cost (Python's timing starts after its imports).
  await (await engine.CacheStore.open(url, { readonly: true, storageOptions: direct })).has('x')

  /** The explorer's listing (store.listing with the sidecar index) with every row read. */
  const list = async (storageOptions, cacheHome) => {
    const store = await engine.CacheStore.open(url, { readonly: true, storageOptions })
    const indexDir = engine.defaultSidecarIndexDir({ XDG_CACHE_HOME: cacheHome })
    const listing = await store.listing({ indexDir })
    let rows = 0
    for await (const row of listing.rows) {
      if (row.error) throw new Error(`${row.key}: ${row.error.message}`)
      rows++
    }
    if (rows !== o.artifacts) throw new Error(`listed ${rows} rows, expected ${o.artifacts}`)
  }
  // The server's floor: the SDK alone lists the prefix and gets every sidecar, 32 in flight
  // (what the engine's cold listing does, minus decoding, checks and the index). Once: on a
  // busy machine moto, a Python server, is what bounds both.
  const start = performance.now()
  const sidecars = []
  for await (const page of paginateListObjectsV2(
    { client: server.client },
    { Bucket: BUCKET, Prefix: `${prefix}/` },
  ))
    for (const { Key } of page.Contents ?? [])
      if (Key.endsWith('.artifact.json')) sidecars.push(Key)
  const floorList = (performance.now() - start) / 1000
  await pool(sidecars, 32, async (Key) => {
    const res = await server.client.send(new GetObjectCommand({ Bucket: BUCKET, Key }))
    await res.Body.transformToByteArray()
  })
  const floor = {
    list_s: round(floorList),
    list_and_get_every_sidecar_s: round((performance.now() - start) / 1000),
  }
  const home = (name) => fs.mkdtemp(path.join(work, `xdg-${name}-`))
  const homes = []
  for (let r = 0; r < o.runs; r++) homes.push(await home('cold'))
  const cold = await timed(o.runs, (r) => list(direct, homes[r]))
  // Warm: the index the first cold run left, reopened.
  const warm = await timed(o.runs, () => list(direct, homes[0]))
  await proxy.reset()
  const countedHome = await home('counted')
  await list(counted, countedHome)
  const coldRequests = await proxy.counts()
  await proxy.reset()
  await list(counted, countedHome)
  const warmRequests = await proxy.counts()
  const py = []
  for (let r = 0; r < o.pythonRuns; r++) {
    process.stderr.write(`bench:cloud: Python lists ${o.artifacts} artifacts through s3fs ...\n`)
    py.push(python('python_ls.py', url))
    const last = py[py.length - 1]
    if (last.read !== o.artifacts) throw new Error(`Python read ${last.read} of ${o.artifacts}`)
  }
  const pythonS = round(median(py.map((p) => p.seconds)))
  return {
    artifacts: o.artifacts,
    objects: 2 * o.artifacts,
    fill_s,
    sdk_floor_once: floor,
    engine_cold: { ...cold, requests: coldRequests },
    engine_warm: { ...warm, requests: warmRequests },
    python_keys_and_get_artifact: {
      median_s: pythonS,
      runs: py.map((p) => round(p.seconds)),
      list_s: round(median(py.map((p) => p.list_seconds))),
      versions: { python: py[0]?.python, xpersist: py[0]?.xpersist },
    },
    python_over_cold: ratio(pythonS, cold.median_s),
    cold_over_sdk_floor: ratio(cold.median_s, floor.list_and_get_every_sidecar_s),
    warm_over_sdk_list: ratio(warm.median_s, floor.list_s),
    python_over_warm: ratio(pythonS, warm.median_s),
  }
}

async function parquetCase({ o, engine, server, proxy, work, python, direct, counted }) {
  const prefix = 'tables'
  const url = `s3://${BUCKET}/${prefix}`
  const key = 'big.parquet'
  const local = path.join(work, 'parquet-cache')
  process.stderr.write(`bench:cloud: Python xpersist writes a ${o.parquetMb} MB Parquet ...\n`)
  const made = python('python_cloud.py', 'parquet', local, String(o.parquetMb))
  // Uploaded as Python wrote them: the payload and its sidecar, byte for byte.
  for (const name of [key, `xpersist_metadata_store/${key}.artifact.json`]) {
    const Body = readFileSync(path.join(local, name))
    await server.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}/${name}`, Body }),
    )
  }
  await fs.rm(local, { recursive: true, force: true })
  const page = async (storageOptions) => {
    const store = await engine.CacheStore.open(url, { readonly: true, storageOptions })
    const t = performance.now()
    const p = await engine.previewArtifact(store, key, { offset: 0, rows: 100 })
    const ms = performance.now() - t
    if (p.kind !== 'table' || p.rows.length !== 100) throw new Error(`preview: ${p.kind}`)
    return { ms, bytesRead: p.bytesRead, totalBytes: p.totalBytes }
  }
  // The first page of the process carries module loading (the explorer's first click).
  const first = await page(direct)
  const again = []
  for (let r = 0; r < o.runs; r++) again.push((await page(direct)).ms)
  await proxy.reset()
  const countedPage = await page(counted)
  const transfer = await proxy.counts()
  return {
    file_bytes: made.bytes,
    rows: made.rows,
    row_groups: made.row_groups,
    columns: made.columns,
    first_page_ms_first_in_process: round(first.ms, 1),
    first_page_ms: round(median(again), 1),
    runs_ms: again.map((x) => round(x, 1)),
    engine_bytes_read: countedPage.bytesRead,
    transferred: transfer,
    file_fraction_transferred: round(transfer.responseBodyBytes / made.bytes, 4),
  }
}

async function cpCase({ o, engine, server, proxy, work, python, direct, counted }) {
  const src = await makeCache(path.join(work, 'cp-src'), o.cp)
  await fs.rm(path.join(src, '.bench-stamp'))
  const source = await engine.CacheStore.open(src, { readonly: true })
  const url = `s3://${BUCKET}/cp`
  const objects = 2 * o.cp
  const check = async (what) => {
    const n = await countObjects(server, 'cp/')
    // The engine's copy also leaves nothing else behind (locks and journals are removed).
    if (n !== objects) throw new Error(`${what} left ${n} objects under cp/, expected ${objects}`)
  }
  const copy = async (storageOptions) => {
    const plan = await engine.planCopy(
      source,
      await engine.CacheStore.open(url, { storageOptions }),
    )
    await engine.runCopy(plan)
    if (plan.copied.length !== o.cp) throw new Error(`copied ${plan.copied.length} of ${o.cp}`)
  }
  const seconds = { engine: [], s3fs: [], botocore: [] }
  // Interleaved, so a change in the machine's load falls on all three alike.
  for (let r = 0; r < o.runs; r++) {
    await server.reset([BUCKET])
    const t = performance.now()
    await copy(direct)
    seconds.engine.push((performance.now() - t) / 1000)
    await check('the engine')
    await server.reset([BUCKET])
    seconds.s3fs.push(python('python_cloud.py', 'put', src, url).seconds)
    await check('s3fs put')
    await server.reset([BUCKET])
    seconds.botocore.push(python('python_cloud.py', 'botocore', src, url).seconds)
    await check('botocore')
  }
  await server.reset([BUCKET])
  await proxy.reset()
  await copy(counted)
  const requests = await proxy.counts()
  await server.reset([BUCKET])
  const summary = (xs) => ({ median_s: round(median(xs)), runs: xs.map((x) => round(x)) })
  const engineS = median(seconds.engine)
  return {
    artifacts: o.cp,
    objects,
    engine_plan_and_run_copy: { ...summary(seconds.engine), requests },
    s3fs_put_recursive: summary(seconds.s3fs),
    botocore_put_object_10_threads: summary(seconds.botocore),
    boto3: 'not in .venv-interop; botocore put_object from 10 threads stands in for it',
    engine_over_s3fs: ratio(engineS, median(seconds.s3fs)),
    engine_over_botocore: ratio(engineS, median(seconds.botocore)),
  }
}

function checks(r) {
  return {
    listing_python_over_cold: r.listing.python_over_cold,
    listing_cold_over_sdk_floor: r.listing.cold_over_sdk_floor,
    listing_cold_10x_faster_than_python:
      r.listing.python_over_cold >= TARGETS.listing_cold_faster_than_python,
    listing_warm_s: r.listing.engine_warm.median_s,
    listing_warm_over_sdk_list: r.listing.warm_over_sdk_list,
    listing_warm_under_1s: r.listing.engine_warm.median_s < TARGETS.listing_warm_s,
    parquet_first_page_file_fraction: r.parquet_preview.file_fraction_transferred,
    parquet_first_page_under_2pct:
      r.parquet_preview.file_fraction_transferred < TARGETS.parquet_first_page_file_fraction,
    cp_engine_over_s3fs: r.cp.engine_over_s3fs,
    cp_engine_over_botocore: r.cp.engine_over_botocore,
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await runCloudBench(), null, 2))
}
