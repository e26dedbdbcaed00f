// The full Parquet read alone, paired with pyarrow in the same run: engine store.get of a
// pandas.parquet artifact vs pyarrow.parquet.read_table with threads on and off, one fresh
// process per run, interleaved (engine, pyarrow, pyarrow single-threaded) so a busy machine
// slows all three alike. Prints medians of seconds, CPU seconds (all threads: steadier than
// wall time on a loaded machine), peak RSS and minor page faults (whole process), the ratios
// and the load average.
// usage: node bench/parquet-full-read.js [--rows N] [--runs R] [--cache DIR] [--dist DIR]...
//   --cache reuses a cache bench/python_tables.py made (big.parquet); --dist (repeatable)
//   measures another build's dist/ too (e.g. the main checkout's) in the same rounds.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PY = path.join(ROOT, '.venv-interop', 'bin', 'python')
const PYARROW = `
import json, resource, sys, time
import pyarrow.parquet as pq
t, c = time.perf_counter(), time.process_time()
rows = pq.read_table(sys.argv[1], use_threads=sys.argv[2] == '1').num_rows
r = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({'seconds': time.perf_counter() - t, 'cpu_seconds': time.process_time() - c, 'rows': rows,
                  'minor_faults': r.ru_minflt,
                  'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`
// One store.get in a fresh process of the dist/ given; prints seconds, rows, peak RSS.
const ENGINE = `
const { CacheStore } = await import(process.argv[1] + '/electron/engine/index.js')
const store = await CacheStore.open(process.argv[2], { readonly: true })
const t = performance.now()
const c = process.cpuUsage()
const table = await store.get('big.parquet')
const cpu = process.cpuUsage(c)
console.log(JSON.stringify({ seconds: (performance.now() - t) / 1000, rows: table.numRows,
  cpu_seconds: (cpu.user + cpu.system) / 1e6, minor_faults: process.resourceUsage().minorPageFault,
  peak_rss_mb: process.resourceUsage().maxRSS / 1024 }))
`

const args = process.argv.slice(2)
const arg = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const dists = [path.join(ROOT, 'dist')]
args.forEach((a, i) => a === '--dist' && dists.push(path.resolve(args[i + 1])))
const rows = Number(arg('--rows', 4_000_000))
const runs = Number(arg('--runs', 3))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const round = (x) => +x.toFixed(3)
const json = (cmd, argv) =>
  JSON.parse(
    execFileSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20 })
      .trim()
      .split('\n')
      .pop(),
  )

let tmp = null
let cache = arg('--cache', null)
try {
  if (!cache) {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'xpersist-bench-pqfull-'))
    cache = path.join(tmp, 'cache')
    const helper = path.join(ROOT, 'bench', 'python_tables.py')
    json(PY, [helper, 'make', cache, '--parquet-rows', String(rows), '--csv-rows', '10'])
  }
  const file = path.join(cache, 'big.parquet')
  if (!existsSync(file)) throw new Error(`no ${file}`)
  const cases = {
    ...Object.fromEntries(
      dists.map((d, i) => [
        i === 0 ? 'engine' : `engine ${d}`,
        () => json(process.execPath, ['--input-type=module', '-e', ENGINE, d, cache]),
      ]),
    ),
    pyarrow_threads: () => json(PY, ['-c', PYARROW, file, '1']),
    pyarrow_no_threads: () => json(PY, ['-c', PYARROW, file, '0']),
  }
  const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  const loadBefore = os.loadavg()
  for (let r = 0; r < runs; r++)
    for (const [k, run] of Object.entries(cases)) results[k].push(run())
  const report = { rows, runs, cpus: os.cpus().length, loadavg_before: loadBefore.map(round) }
  for (const [k, xs] of Object.entries(results)) {
    report[k] = {
      seconds: round(median(xs.map((x) => x.seconds))),
      cpu_seconds: round(median(xs.map((x) => x.cpu_seconds))),
      peak_rss_mb: round(median(xs.map((x) => x.peak_rss_mb))),
      minor_faults: median(xs.map((x) => x.minor_faults)),
      all_seconds: xs.map((x) => round(x.seconds)),
    }
  }
  report.engine_over_pyarrow_threads = round(report.engine.seconds / report.pyarrow_threads.seconds)
  report.engine_over_pyarrow_no_threads = round(
    report.engine.seconds / report.pyarrow_no_threads.seconds,
  )
  report.engine_cpu_over_pyarrow_threads = round(
    report.engine.cpu_seconds / report.pyarrow_threads.cpu_seconds,
  )
  report.loadavg_after = os.loadavg().map(round)
  console.log(JSON.stringify(report, null, 2))
} finally {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
}
