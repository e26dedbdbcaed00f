// `npm run bench:tables` (also part of `npm run bench`): the table benchmark of issue 8.
// The interop venv writes, with Python xpersist, a Parquet of --parquet-rows rows (default
// 10 M, ~10 columns, snappy: about 0.8 GB) and a CSV of --csv-rows rows (default 4.5 M: about
// 500 MB) into a temp cache (deleted after). Then, paired in the same run, each measurement a
// process of its own (--runs times, medians; peak RSS is that process's):
// - the first page of 100 rows and a page at 99%: the engine in process (the explorer's
//   path, with bytes read), the CLI as a whole process (with Node's bare start-up beside it),
//   and pandas, which reads the whole file for any page (Python xpersist's get);
// - CSV at 99% again after the first pass (the streaming count that records checkpoints);
// - the full read: engine get, pandas get, pyarrow.parquet.read_table, DuckDB's read_csv;
// - `put` of the CSV file (CLI) beside Python's read_csv + put;
// - a sort by one column (CLI --sort) beside pandas' get + sort_values.
// Prints one JSON document with the targets checked.
// usage: node bench/tables.js [--parquet-rows N] [--csv-rows N] [--runs R]
import { execFileSync } from 'node:child_process'
import { existsSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PY = path.join(ROOT, '.venv-interop', 'bin', 'python')
const HELPER = path.join(ROOT, 'bench', 'python_tables.py')
const PROBE = path.join(ROOT, 'bench', 'table-probe.js')
const MEASURE = path.join(ROOT, 'bench', 'measure.py')
const CLI = path.join(ROOT, 'bin', 'xpersist.js')
// The targets.
const TARGETS = {
  parquet_first_page_ms: 300,
  parquet_first_page_file_fraction: 0.02,
  csv_first_page_ms: 100,
  csv_page_99_after_first_pass_ms: 300,
  parquet_full_read_over_pyarrow: 2,
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b)
  if (s.length === 0) return null
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const round = (x, d = 2) => (x === null || x === undefined ? null : +x.toFixed(d))
const ratio = (a, b) => (a === null || b === null || b === 0 ? null : round(a / b))

function arg(name, fallback) {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

function json(cmd, args) {
  const text = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 })
  return JSON.parse(text.trim().split('\n').pop())
}

/** `runs` fresh processes of one probe; medians of every numeric field, first error kept. */
function repeat(runs, fn) {
  const results = []
  for (let i = 0; i < runs; i++) {
    try {
      results.push(fn())
    } catch (err) {
      results.push({ error: String(err?.stderr || err?.message || err).slice(0, 500) })
    }
  }
  const out = { runs: results.length }
  const error = results.find((r) => r.error)?.error
  if (error) out.error = error
  for (const name of Object.keys(results[0] ?? {})) {
    const xs = results.map((r) => r[name])
    if (xs.every((x) => typeof x === 'number')) out[name] = round(median(xs), 3)
    else if (name !== 'error') out[name] = xs[0]
  }
  return out
}

const probe = (runs, ...args) => repeat(runs, () => json(process.execPath, [PROBE, ...args]))
const python = (runs, ...args) => repeat(runs, () => json(PY, [HELPER, ...args]))
// A whole process timed by measure.py (seconds, peak RSS), as bench/run.js does.
const wholeProcess = (runs, ...cmd) => repeat(runs, () => json('python3', [MEASURE, ...cmd]))

/** Runs the table benchmark; returns the report (the caller prints it). */
export async function runTableBench({ parquetRows = 10_000_000, csvRows = 4_500_000, runs = 3 }) {
  if (!existsSync(PY)) return { skipped: "no .venv-interop: run 'bash test/interop/setup-venv.sh'" }
  if (!existsSync(path.join(ROOT, 'dist', 'electron', 'engine', 'index.js'))) {
    return { skipped: "no dist/: run 'npm run build'" }
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xpersist-bench-tables-'))
  try {
    const cache = path.join(dir, 'cache')
    process.stderr.write(`bench:tables: writing ${parquetRows} + ${csvRows} rows with pandas ...\n`)
    const made = json(PY, [
      HELPER,
      'make',
      cache,
      '--parquet-rows',
      String(parquetRows),
      '--csv-rows',
      String(csvRows),
    ])
    const report = {
      node: process.version,
      cpus: os.cpus().length,
      loadavg: os.loadavg().map((x) => round(x)),
      runs,
      made,
      targets: TARGETS,
      node_start: wholeProcess(runs, process.execPath, '-e', ''),
    }
    report.parquet = tableCase(cache, 'big.parquet', parquetRows, runs, made, dir)
    process.stderr.write('bench:tables: parquet done\n')
    report.csv = tableCase(cache, 'big.csv', csvRows, runs, made, dir)
    process.stderr.write('bench:tables: csv done\n')
    report.csv.put = putCase(dir, runs, made)
    report.checks = checks(report)
    report.loadavg_after = os.loadavg().map((x) => round(x))
    return report
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

function tableCase(cache, key, rows, runs, made, dir) {
  const at99 = String(Math.floor(rows * 0.99))
  const file = path.join(cache, key)
  const csv = key.endsWith('.csv')
  const out = { file_bytes: made.bytes[key], rows }
  out.first_page = {
    engine: probe(runs, 'page', cache, key, '0', '100'),
    cli: wholeProcess(runs, process.execPath, CLI, 'show', cache, key, '--rows', '100', '--json'),
    pandas_whole_get: python(runs, 'head', cache, key, '0', '100'),
  }
  out.page_99 = {
    engine_cold: probe(runs, 'page', cache, key, at99, '100'),
    cli: wholeProcess(
      runs,
      process.execPath,
      CLI,
      'show',
      cache,
      key,
      '--offset',
      at99,
      '--rows',
      '100',
      '--json',
    ),
    pandas_whole_get: python(runs, 'head', cache, key, at99, '100'),
  }
  if (csv)
    out.page_99.engine_after_first_pass = probe(
      runs,
      'page',
      cache,
      key,
      at99,
      '100',
      '--first-pass',
    )
  out.full_read = {
    engine: probe(runs, 'get', cache, key),
    pandas: python(runs, 'get', cache, key),
    ...(csv
      ? { duckdb_read_csv: probe(runs, 'duckdb-csv', file) }
      : { pyarrow_read_table: python(runs, 'pyarrow', file) }),
  }
  out.sort = {
    column: 'temp',
    cli: wholeProcess(
      runs,
      process.execPath,
      CLI,
      'show',
      cache,
      key,
      '--sort',
      'temp',
      '--rows',
      '100',
      '--json',
    ),
    pandas: python(runs, 'sort', cache, key, 'temp'),
  }
  void dir
  return out
}

function putCase(dir, runs, made) {
  // A fresh target cache per run: put refuses a duplicate key.
  let n = 0
  const engine = repeat(runs, () =>
    json('python3', [
      MEASURE,
      process.execPath,
      CLI,
      'put',
      path.join(dir, `put-ts-${n++}`),
      'put-me',
      made.put_file,
    ]),
  )
  let m = 0
  const pandas = repeat(runs, () =>
    json(PY, [HELPER, 'put', path.join(dir, `put-py-${m++}`), 'put-me', made.put_file]),
  )
  return { file_bytes: made.bytes['put-me.csv'], cli: engine, pandas_read_csv_and_put: pandas }
}

function checks(r) {
  const pq = r.parquet
  const csv = r.csv
  const pqFirst = pq.first_page.engine
  return {
    parquet_first_page_ms: pqFirst.ms,
    parquet_first_page_under_300ms: pqFirst.ms < TARGETS.parquet_first_page_ms,
    parquet_first_page_file_fraction: round(pqFirst.bytes_read / pq.file_bytes, 4),
    parquet_first_page_under_2pct: pqFirst.bytes_read / pq.file_bytes < 0.02,
    parquet_page_99_ms: pq.page_99.engine_cold.ms,
    parquet_page_99_file_fraction: round(pq.page_99.engine_cold.bytes_read / pq.file_bytes, 4),
    parquet_full_read_over_pyarrow: ratio(
      pq.full_read.engine.ms / 1000,
      pq.full_read.pyarrow_read_table.seconds,
    ),
    parquet_full_read_within_2x_pyarrow:
      pq.full_read.engine.ms / 1000 <= 2 * pq.full_read.pyarrow_read_table.seconds,
    parquet_first_page_cold_ms: pqFirst.cold_ms,
    csv_first_page_engine_ms: csv.first_page.engine.ms,
    csv_first_page_engine_cold_ms: csv.first_page.engine.cold_ms,
    csv_first_page_engine_under_100ms: csv.first_page.engine.ms < TARGETS.csv_first_page_ms,
    csv_first_page_cli_s: csv.first_page.cli.seconds,
    csv_first_page_cli_minus_node_start_ms: round(
      (csv.first_page.cli.seconds - r.node_start.seconds) * 1000,
    ),
    csv_page_99_after_first_pass_ms: csv.page_99.engine_after_first_pass.ms,
    csv_page_99_after_first_pass_under_300ms:
      csv.page_99.engine_after_first_pass.ms < TARGETS.csv_page_99_after_first_pass_ms,
    csv_page_99_peak_rss_mb: csv.page_99.engine_after_first_pass.peak_rss_mb,
    csv_full_read_engine_over_pandas: ratio(
      csv.full_read.engine.ms / 1000,
      csv.full_read.pandas.seconds,
    ),
    csv_full_read_faster_than_pandas: csv.full_read.engine.ms / 1000 < csv.full_read.pandas.seconds,
    csv_full_read_rss_over_pandas: ratio(
      csv.full_read.engine.peak_rss_mb,
      csv.full_read.pandas.peak_rss_mb,
    ),
    csv_put_cli_over_pandas: ratio(csv.put.cli.seconds, csv.put.pandas_read_csv_and_put.seconds),
    csv_put_peak_rss_mb: csv.put.cli.peak_rss_mb,
    csv_put_peak_rss_over_file: ratio(csv.put.cli.peak_rss_mb * 2 ** 20, csv.put.file_bytes),
    sort_parquet_cli_over_pandas: ratio(pq.sort.cli.seconds, pq.sort.pandas.seconds),
    sort_csv_cli_over_pandas: ratio(csv.sort.cli.seconds, csv.sort.pandas.seconds),
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await runTableBench({
    parquetRows: arg('--parquet-rows', 10_000_000),
    csvRows: arg('--csv-rows', 4_500_000),
    runs: arg('--runs', 3),
  })
  console.log(JSON.stringify(report, null, 2))
}
