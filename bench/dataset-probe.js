// One engine measurement in a fresh process, for bench/datasets.js: opens <cache>, times the
// structure (CacheStore.open + previewArtifact, which reads values only of small variables),
// then a fresh store.get and one 2-D slice `sst[k]`, with the bytes the dataset read for it.
// Prints one JSON line; an engine error is reported in it, not thrown.
// usage: node bench/dataset-probe.js <cache> <key> <k>
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const [cache, key, kText] = process.argv.slice(2)
const k = Number(kText)
const { CacheStore } = await import(path.join(ROOT, 'dist/electron/engine/index.js'))
const { previewArtifact } = await import(path.join(ROOT, 'dist/electron/engine/preview.js'))
const rssMb = () => process.resourceUsage().maxRSS / 1024
const out = { import_peak_rss_mb: +rssMb().toFixed(1) }

try {
  let t = performance.now()
  const store = await CacheStore.open(cache, { readonly: true })
  const preview = await previewArtifact(store, key)
  out.structure_ms = performance.now() - t
  out.preview_kind = preview.kind
  if (preview.kind !== 'dataset') throw new Error(`preview is ${preview.kind}: ${preview.message}`)
  out.preview_bytes_read = preview.bytesRead
  out.sst_has_values = 'values' in (preview.data_vars.sst ?? {})

  t = performance.now()
  const fresh = await CacheStore.open(cache, { readonly: true })
  const ds = await fresh.get(key)
  out.open_ms = performance.now() - t
  const before = ds.bytesRead()
  t = performance.now()
  const slice = await ds.dataVars.get('sst').read([k])
  out.slice_ms = performance.now() - t
  out.slice_bytes_read = ds.bytesRead() - before
  out.open_bytes_read = before
  out.slice_shape = slice.shape
  out.slice_dtype = slice.dtype
  let nan = 0
  for (const x of slice.data) if (Number.isNaN(x)) nan++
  out.slice_nan = nan
  await ds.close()
} catch (err) {
  out.error = `${err?.code ?? err?.name ?? 'Error'}: ${err?.message ?? err}`.slice(0, 500)
}
out.peak_rss_mb = +rssMb().toFixed(1)
console.log(JSON.stringify(out))
