// Whole-CSV load beside pandas and DuckDB, paired in one run, one process per measurement so
// each peak RSS is its own: `node bench/csv-load.js FILE.csv [more.csv]` (build first:
// `npx tsc -p tsconfig.build.json`). For each file: our load (pandas.csv's load through the
// local backend's byte ranges, index_col=0 as the sidecar of an indexed to_csv says), the put
// check (the file's bytes in memory, as put holds them, checked streaming), pd.read_csv(index_col=0)
// as Python xpersist's get calls it, and DuckDB's read_csv into its own table (one thread and
// default threads). BENCH_OLD=1 adds the text reader this replaced; BENCH_MODES=ours,pandas
// picks modes; BENCH_RUNS=3 runs each mode that many times (interleaved) and reports medians
// with every run's seconds. Prints JSON.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PY = path.join(ROOT, '.venv-interop', 'bin', 'python')
const PANDAS = `
import sys, time, resource, json
import pandas as pd
t0 = time.perf_counter(); c0 = time.process_time()
df = pd.read_csv(sys.argv[1], index_col=0)
print(json.dumps({"s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
  "rows": len(df), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`

async function probe(mode, file) {
  // Modules load before the clock starts, as pandas is imported before pandas' clock.
  const { LocalBackend } = await import('../dist/electron/engine/backend/local.js')
  const { pandasCsvSerializer } =
    await import('../dist/electron/engine/serializers/csv/csv-serializer.js')
  const { checkCsvBytes } = await import('../dist/electron/engine/serializers/csv/csv-load.js')
  const { readPandasCsvText } = await import('../dist/electron/engine/serializers/csv/read-csv.js')
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  let rows
  if (mode === 'ours') {
    const backend = await LocalBackend.open(path.dirname(file))
    const target = { backend, path: path.basename(file), putMode: 'overwrite' }
    rows = (await pandasCsvSerializer.load(target, { index_col: 0 })).numRows
  } else if (mode === 'put-check') {
    rows = checkCsvBytes(new Uint8Array(readFileSync(file))).rows
  } else if (mode === 'old') {
    rows = readPandasCsvText(new Uint8Array(readFileSync(file)), { index_col: 0 }).numRows
  } else {
    const threads = mode === 'duckdb-1thread' ? { threads: '1' } : {}
    const db = await DuckDBInstance.create(':memory:', threads)
    const con = await db.connect()
    await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}')`)
    rows = Number((await con.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0])
  }
  const cpu = process.cpuUsage(c0)
  return {
    s: (performance.now() - t0) / 1000,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    rows,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  }
}

function run(mode, file) {
  const out =
    mode === 'pandas'
      ? execFileSync(PY, ['-c', PANDAS, file], { encoding: 'utf8' })
      : execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--probe', mode, file], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        })
  return JSON.parse(out.trim().split('\n').pop())
}

if (process.argv[2] === '--probe') {
  console.log(JSON.stringify(await probe(process.argv[3], process.argv[4])))
} else {
  const modes = process.env.BENCH_MODES?.split(',') ?? [
    'ours',
    'pandas',
    'put-check',
    'duckdb-1thread',
    'duckdb',
  ]
  if (process.env.BENCH_OLD) modes.push('old')
  const runs = Number(process.env.BENCH_RUNS ?? 1)
  const results = []
  for (const file of process.argv.slice(2)) {
    const size_mb = +(readFileSync(file).length / 1e6).toFixed(1)
    const row = { file: path.basename(file), size_mb, load_avg: null }
    row.load_avg = readFileSync('/proc/loadavg', 'utf8').split(' ')[0]
    const all = Object.fromEntries(modes.map((m) => [m, []]))
    for (let i = 0; i < runs; i++) for (const mode of modes) all[mode].push(run(mode, file))
    for (const mode of modes) {
      const median = (k) => all[mode].map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs / 2)]
      const r = {
        ...all[mode][0],
        s: median('s'),
        cpu_s: median('cpu_s'),
        peak_rss_mb: median('peak_rss_mb'),
      }
      if (runs > 1) r.runs_s = all[mode].map((x) => +x.s.toFixed(3))
      row[mode] = Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? +v.toFixed(3) : v]),
      )
    }
    row.load_avg_end = readFileSync('/proc/loadavg', 'utf8').split(' ')[0]
    results.push(row)
  }
  console.log(JSON.stringify(results, null, 2))
}
