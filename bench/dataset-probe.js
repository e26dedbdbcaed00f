// The engine side of bench/datasets.js, in a process of its own: `runs` times, a fresh
// CacheStore.open + previewArtifact (the structure: values only of small variables), then a
// fresh store.get and one 2-D slice `sst[k]`, with the bytes the dataset read for it. Fresh
// opens in one process, as the Python side does, so the first run carries the cold start
// (module and WebAssembly loading) and the median the steady state. Prints one JSON line; an
// engine error is reported in it, not thrown.
// usage: node bench/dataset-probe.js <cache> <key> <k> <runs>
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const [cache, key, kText, runsText] = process.argv.slice(2)
const k = Number(kText)
const { CacheStore } = await import(path.join(ROOT, 'dist/electron/engine/index.js'))
const { previewArtifact } = await import(path.join(ROOT, 'dist/electron/engine/preview.js'))
const rssMb = () => process.resourceUsage().maxRSS / 1024
const out = { import_peak_rss_mb: +rssMb().toFixed(1), runs: [] }

async function once() {
  const run = {}
  let t = performance.now()
  const store = await CacheStore.open(cache, { readonly: true })
  const preview = await previewArtifact(store, key)
  run.structure_ms = performance.now() - t
  if (preview.kind !== 'dataset') throw new Error(`preview is ${preview.kind}: ${preview.message}`)
  run.preview_bytes_read = preview.bytesRead
  run.sst_has_values = 'values' in (preview.data_vars.sst ?? {})

  t = performance.now()
  const fresh = await CacheStore.open(cache, { readonly: true })
  const ds = await fresh.get(key)
  run.open_ms = performance.now() - t
  const before = ds.bytesRead()
  t = performance.now()
  const slice = await ds.dataVars.get('sst').read([k])
  run.slice_ms = performance.now() - t
  run.slice_bytes_read = ds.bytesRead() - before
  run.open_bytes_read = before
  run.slice_shape = slice.shape
  await ds.close()
  return run
}

try {
  for (let i = 0; i < Number(runsText); i++) out.runs.push(await once())
} catch (err) {
  out.error = `${err?.code ?? err?.name ?? 'Error'}: ${err?.message ?? err}`.slice(0, 500)
}
out.peak_rss_mb = +rssMb().toFixed(1)
console.log(JSON.stringify(out))
