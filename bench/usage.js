// `npm run bench:usage`: what the usage view computes on each render (issue 10: "on 100,000
// artifacts ... the usage view in under 1 s"), over 100,000 generated listing rows: the
// metadata fields for the group-by menu, whether every row has a disk size, the grouping
// (by folder, serializer and a metadata field), the month histogram, the 20 largest and the
// treemap layout. The renderer's TypeScript is bundled with rolldown (Vite's bundler) first.
// Prints one JSON document with medians. Not a timed test.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'rolldown'
import { median } from './bench-util.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const N = Number(process.env.BENCH_ARTIFACTS ?? 100000)
const RUNS = Number(process.env.BENCH_RUNS ?? 9)
const TARGET_MS = 1000

const out = mkdtempSync(path.join(os.tmpdir(), 'xpersist-bench-usage-'))
let usage, treemap
try {
  for (const name of ['usage', 'treemap']) {
    await build({
      input: path.join(ROOT, 'renderer', 'src', 'state', `${name}.ts`),
      output: { file: path.join(out, `${name}.mjs`), format: 'esm' },
      logLevel: 'silent',
    })
  }
  usage = await import(pathToFileURL(path.join(out, 'usage.mjs')).href)
  treemap = await import(pathToFileURL(path.join(out, 'treemap.mjs')).href)
} finally {
  rmSync(out, { recursive: true, force: true })
}

/** A seeded PRNG (mulberry32), so every run sums the same rows. */
function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Rows as a local listing sends them: keys 1-3 folders deep, sizes spread over 6 decades. */
function makeRows(n) {
  const rand = random(10)
  const serializers = ['xarray.netcdf', 'xarray.zarr', 'pandas.csv', 'pandas.parquet', 'joblib']
  const start = Date.UTC(2022, 0, 1)
  const span = 3 * 365 * 86_400_000
  const rows = []
  for (let i = 0; i < n; i++) {
    const depth = Math.floor(rand() * 3)
    const folders = []
    for (let d = 0; d < depth; d++) folders.push(`f${d}-${Math.floor(rand() * 40)}`)
    const key = [...folders, `artifact-${i}.nc`].join('/')
    const bytes = Math.floor(10 ** (2 + rand() * 6))
    const createdMs = start + Math.floor(rand() * span)
    rows.push({
      key,
      serializer: serializers[i % serializers.length],
      createdAt: new Date(createdMs).toISOString().slice(0, 26),
      createdMs,
      bytes,
      files: 1,
      sidecarBytes: 300 + Math.floor(rand() * 200),
      allocatedBytes: Math.ceil(bytes / 4096) * 4096 + 4096,
      metadata: { experiment: `exp-${i % 50}`, member: i % 10, tags: ['a', `t${i % 7}`] },
      error: null,
    })
  }
  return rows
}

/** One render of the view: as UsageView.tsx computes it. */
function renderOnce(rows, by) {
  const fields = usage.metadataFields(rows)
  const diskKnown = rows.every((r) => typeof r.allocatedBytes === 'number')
  const result = usage.computeUsage(rows, by, diskKnown ? 'disk' : 'payload')
  treemap.squarify(
    result.groups.map((g) => g.size),
    { x: 0, y: 0, w: 1100, h: 380 },
  )
  return fields.length + result.groups.length
}

const rows = makeRows(N)
const cases = {
  folder: { kind: 'folder', prefix: '' },
  folder_drilled: { kind: 'folder', prefix: 'f0-1/' },
  serializer: { kind: 'serializer' },
  field: { kind: 'field', field: 'experiment' },
}
const results = {}
for (const [name, by] of Object.entries(cases)) {
  renderOnce(rows, by) // warm-up: the JIT, not the first run, is what a user meets again
  const ms = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    renderOnce(rows, by)
    ms.push(performance.now() - t)
  }
  results[name] = { median_ms: +median(ms).toFixed(2), runs: ms.map((x) => +x.toFixed(1)) }
}
const worst = Math.max(...Object.values(results).map((r) => r.median_ms))
console.log(
  JSON.stringify(
    {
      benchmark: 'usage view computation',
      artifacts: N,
      runs: RUNS,
      node: process.version,
      cpus: os.cpus().length,
      // Other work on the machine slows every figure: the load average says how much there was.
      load_average: os.loadavg().map((x) => +x.toFixed(1)),
      results,
      target_ms: TARGET_MS,
      worst_median_ms: worst,
      within_target: worst < TARGET_MS,
    },
    null,
    2,
  ),
)
