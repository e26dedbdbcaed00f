// `npm run bench:datasets` (also part of `npm run bench`): the dataset benchmark of issue 7.
// The interop venv writes a float32 (time, lat, lon) `sst` of about --size-mb MB (default
// 1024) as a chunked zlib NetCDF4 and as Zarr v2 into a temp cache (deleted after); then,
// for each, the engine (dist/, a process of its own per format) and xarray 2023.1 (likewise)
// are timed in the same run, each with --runs fresh opens: time to the structure, and time
// and bytes read for one 2-D slice (one time step), beside the bytes of the chunks that slice
// intersects, and peak RSS. The first run carries each side's cold start (library and
// WebAssembly loading); the medians are the steady state. Prints one JSON document.
// usage: node bench/datasets.js [--size-mb N] [--runs R]
import { execFileSync } from 'node:child_process'
import { existsSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PY = path.join(ROOT, '.venv-interop', 'bin', 'python')
const HELPER = path.join(ROOT, 'bench', 'python_datasets.py')
const PROBE = path.join(ROOT, 'bench', 'dataset-probe.js')
// The targets.
const TARGETS = { structure_ms: 50, slice_ms: 200, bytes_over_intersected: 2 }

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b)
  if (s.length === 0) return null
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const round = (x, d = 2) => (x === null ? null : +x.toFixed(d))
// Median of the runs (steady state) and the first run (cold start), in ms.
const summary = (xs) => ({
  median_ms: round(median(xs)),
  cold_ms: xs.length ? round(xs[0], 1) : null,
  runs: xs.map((x) => round(x, 1)),
})

function arg(name, fallback) {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

function engineRuns(cache, key, k, runs) {
  const text = execFileSync(process.execPath, [PROBE, cache, key, String(k), String(runs)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
  const r = JSON.parse(text)
  const pick = (name) => r.runs.map((x) => x[name])
  return {
    error: r.error ?? null,
    structure: summary(pick('structure_ms')),
    open: summary(pick('open_ms')),
    slice: summary(pick('slice_ms')),
    slice_bytes_read: median(pick('slice_bytes_read')),
    open_bytes_read: median(pick('open_bytes_read')),
    preview_bytes_read: median(pick('preview_bytes_read')),
    preview_has_sst_values: r.runs[0]?.sst_has_values ?? null,
    slice_shape: r.runs[0]?.slice_shape ?? null,
    peak_rss_mb: r.peak_rss_mb,
    import_peak_rss_mb: r.import_peak_rss_mb,
  }
}

function python(args) {
  return JSON.parse(execFileSync(PY, [HELPER, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }))
}

/** Runs the dataset benchmark; returns the report (the caller prints it). */
export async function runDatasetBench({ sizeMb = 1024, runs = 5 } = {}) {
  if (!existsSync(PY)) {
    return { skipped: "no .venv-interop: run 'bash test/interop/setup-venv.sh'" }
  }
  if (!existsSync(path.join(ROOT, 'dist', 'electron', 'engine', 'index.js'))) {
    return { skipped: "no dist/: run 'npm run build'" }
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xpersist-bench-datasets-'))
  try {
    const cache = path.join(dir, 'cache')
    process.stderr.write(`bench:datasets: writing ~${sizeMb} MB twice with xarray ...\n`)
    const made = python(['make', cache, '--size-mb', String(sizeMb)])
    const report = {
      node: process.version,
      cpus: os.cpus().length,
      runs,
      size_mb: sizeMb,
      shape: made.shape,
      chunks: made.chunks,
      slice: `sst[time=${made.k}]`,
      generate_s: made.seconds,
      targets: TARGETS,
      formats: {},
    }
    for (const key of ['sst.nc', 'sst.zarr']) {
      const engine = engineRuns(cache, key, made.k, runs)
      const py = python(['measure', cache, key, String(made.k), '--runs', String(runs)])
      const intersected = made.intersected[key]
      const pySlice = median(py.slice_ms)
      report.formats[key] = {
        file_bytes: made.files[key],
        intersected_chunks: intersected,
        engine,
        xarray: {
          open: summary(py.open_ms),
          slice: summary(py.slice_ms),
          peak_rss_mb: round(py.peak_rss_mb, 1),
        },
        checks: engine.error
          ? { error: engine.error }
          : {
              structure_under_50ms: engine.structure.median_ms < TARGETS.structure_ms,
              slice_under_200ms: engine.slice.median_ms < TARGETS.slice_ms,
              slice_over_xarray: round(engine.slice.median_ms / pySlice),
              slice_at_least_as_fast_as_xarray: engine.slice.median_ms <= pySlice,
              bytes_read_over_intersected: round(
                engine.slice_bytes_read / intersected.stored_bytes,
              ),
              bytes_read_within_2x: engine.slice_bytes_read <= 2 * intersected.stored_bytes,
              never_whole_variable: engine.slice_bytes_read < made.files[key],
            },
      }
      process.stderr.write(`bench:datasets: ${key} done\n`)
    }
    return report
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await runDatasetBench({ sizeMb: arg('--size-mb', 1024), runs: arg('--runs', 5) })
  console.log(JSON.stringify(report, null, 2))
}
