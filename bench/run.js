// `npm run bench`: listing speed and memory of the engine and CLI, beside a raw floor and
// the real Python xpersist measured in the same run, then the dataset benchmark (datasets.js)
// beside xarray, the table benchmark (tables.js) beside pandas and pyarrow, and the
// object-store benchmark (cloud.js) beside s3fs on moto and SeaweedFS. Prints one JSON document.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, pool } from './bench-util.js'
import { runCloudBench } from './cloud.js'
import { runPruneBench } from './prune.js'
import { makeCache } from './make-cache.js'
import { runDatasetBench } from './datasets.js'
import { runTableBench } from './tables.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const PY = path.join(ROOT, '.venv-interop', 'bin', 'python')
const { CacheStore } = await import('../dist/electron/engine/index.js')

async function timeIt(fn, runs = RUNS) {
  const ms = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    ms.push(performance.now() - t)
  }
  return { median_ms: +median(ms).toFixed(2), runs: ms.map((x) => +x.toFixed(1)) }
}

function rawFloorSync(dir) {
  const meta = path.join(dir, 'xpersist_metadata_store')
  let n = 0
  for (const name of readdirSync(meta)) {
    JSON.parse(readFileSync(path.join(meta, name), 'utf8'))
    n++
  }
  return n
}

async function rawFloorAsync(dir) {
  const meta = path.join(dir, 'xpersist_metadata_store')
  const names = await fs.readdir(meta)
  await pool(names, 32, async (name) =>
    JSON.parse(await fs.readFile(path.join(meta, name), 'utf8')),
  )
}

function wholeProcess(cmd, runs = 3) {
  const results = []
  for (let i = 0; i < runs; i++) {
    results.push(
      JSON.parse(
        execFileSync('python3', [path.join(ROOT, 'bench', 'measure.py'), ...cmd], {
          encoding: 'utf8',
        }),
      ),
    )
  }
  return {
    median_s: +median(results.map((r) => r.seconds)).toFixed(3),
    peak_rss_mb: +Math.max(...results.map((r) => r.peak_rss_mb)).toFixed(1),
  }
}

const report = { node: process.version, cpus: os.cpus().length, runs: RUNS, sizes: {} }
for (const n of SIZES) {
  const dir = await makeCache(path.join(os.tmpdir(), `xpersist-bench-${n}`), n)
  const store = await CacheStore.open(dir, { readonly: true })
  const keysOnly = await timeIt(() => store.keys())
  const keysAndSidecars = await timeIt(async () => store.getArtifacts(await store.keys()))
  const keysAndSidecarsOneByOne = await timeIt(async () => {
    const keys = await store.keys()
    await pool(keys, 32, (k) => store.getArtifact(k))
  })
  const artifacts = await timeIt(async () => {
    for await (const _ of store.artifacts()) void _
  })
  const floorSync = await timeIt(() => rawFloorSync(dir))
  const floorAsync = await timeIt(() => rawFloorAsync(dir))
  const cli = wholeProcess([
    'node',
    path.join(ROOT, 'bin', 'xpersist.js'),
    'ls',
    dir,
    '--long',
    '--json',
  ])
  const python = existsSync(PY)
    ? wholeProcess([PY, path.join(ROOT, 'bench', 'python_ls.py'), dir])
    : null
  report.sizes[n] = {
    in_process: {
      keys: keysOnly,
      keys_and_sidecars: keysAndSidecars,
      keys_and_sidecars_one_by_one: keysAndSidecarsOneByOne,
      artifacts,
      raw_floor_sync: floorSync,
      raw_floor_async: floorAsync,
    },
    ratios: {
      keys_and_sidecars_vs_floor_sync: +(keysAndSidecars.median_ms / floorSync.median_ms).toFixed(
        2,
      ),
      keys_and_sidecars_vs_floor_async: +(keysAndSidecars.median_ms / floorAsync.median_ms).toFixed(
        2,
      ),
      python_over_cli_whole_process: python ? +(python.median_s / cli.median_s).toFixed(2) : null,
    },
    whole_process: { 'xpersist ls --long --json': cli, 'python keys()+get_artifact': python },
  }
  process.stderr.write(`bench: ${n} artifacts done\n`)
}
// The retention benchmark (bench/prune.js): BENCH_PRUNE_ARTIFACTS, BENCH_PRUNE_MOVE and
// BENCH_PRUNE_RUNS size it, BENCH_PRUNE=0 skips it.
if (process.env.BENCH_PRUNE !== '0') report.prune = await runPruneBench()
// The dataset benchmark (bench/datasets.js): BENCH_DATASET_MB sizes it, BENCH_DATASETS=0 skips it.
if (process.env.BENCH_DATASETS !== '0') {
  report.datasets = await runDatasetBench({
    sizeMb: Number(process.env.BENCH_DATASET_MB ?? 1024),
    runs: RUNS,
  })
}
// The table benchmark (bench/tables.js): BENCH_TABLE_PARQUET_ROWS / BENCH_TABLE_CSV_ROWS size
// it, BENCH_TABLES=0 skips it.
if (process.env.BENCH_TABLES !== '0') {
  report.tables = await runTableBench({
    parquetRows: Number(process.env.BENCH_TABLE_PARQUET_ROWS ?? 10_000_000),
    csvRows: Number(process.env.BENCH_TABLE_CSV_ROWS ?? 4_500_000),
    runs: RUNS,
  })
}
// The object-store benchmark (bench/cloud.js): BENCH_CLOUD_ARTIFACTS, BENCH_CLOUD_PARQUET_MB and
// BENCH_CLOUD_CP size it, BENCH_CLOUD=0 skips it.
if (process.env.BENCH_CLOUD !== '0') report.cloud = await runCloudBench()
console.log(JSON.stringify(report, null, 2))
