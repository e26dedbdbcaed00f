// The engine side of bench/tables.js, one operation per process (so peak RSS is that
// operation's). Prints one JSON line; an engine error is reported in it, not thrown.
// usage:
//   node bench/table-probe.js page <cache> <key> <offset> <rows> [--first-pass]
//       previewArtifact of one page (the explorer's path), with the bytes it read; with
//       --first-pass, the streaming row count (which records CSV checkpoints) runs first in
//       the same store, as the explorer's session does, and is timed on its own. `cold_ms` is
//       the first page of the process (module loading included), `ms` the same page again
//       in a store opened afresh (checkpoints are per session, so the count runs again
//       untimed there with --first-pass)
//   node bench/table-probe.js get <cache> <key>       store.get: the whole table
//   node bench/table-probe.js duckdb-csv <file>       DuckDB's read_csv of the file, for reference
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const [cmd, ...args] = process.argv.slice(2)
const rssMb = () => +(process.resourceUsage().maxRSS / 1024).toFixed(1)
const out = { import_peak_rss_mb: null }

async function engine() {
  const { CacheStore } = await import(path.join(ROOT, 'dist/electron/engine/index.js'))
  const preview = await import(path.join(ROOT, 'dist/electron/engine/preview.js'))
  out.import_peak_rss_mb = rssMb()
  return { CacheStore, ...preview }
}

async function page([cache, key, offsetText, rowsText, flag]) {
  const { CacheStore, previewArtifact, countArtifactRows } = await engine()
  const store = await CacheStore.open(cache, { readonly: true })
  if (flag === '--first-pass') {
    const t = performance.now()
    out.first_pass_rows = await countArtifactRows(store, key)
    out.first_pass_ms = performance.now() - t
  }
  const request = { offset: Number(offsetText), rows: Number(rowsText) }
  // The first page a process reads carries module loading (the explorer's first click); the
  // second, in a store opened afresh, is what every later click costs.
  let t = performance.now()
  await previewArtifact(store, key, request)
  out.cold_ms = performance.now() - t
  const again = await CacheStore.open(cache, { readonly: true })
  if (flag === '--first-pass') await countArtifactRows(again, key)
  t = performance.now()
  const p = await previewArtifact(again, key, request)
  out.ms = performance.now() - t
  if (p.kind !== 'table') throw new Error(`preview is ${p.kind}: ${p.message ?? ''}`)
  out.rows = p.rows.length
  out.row_count = p.rowCount
  out.bytes_read = p.bytesRead
  out.total_bytes = p.totalBytes
}

async function get([cache, key]) {
  const { CacheStore } = await engine()
  const store = await CacheStore.open(cache, { readonly: true })
  const t = performance.now()
  const table = await store.get(key)
  out.ms = performance.now() - t
  out.rows = table.numRows
}

async function duckdbCsv([file]) {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  out.import_peak_rss_mb = rssMb()
  const t = performance.now()
  const db = await DuckDBInstance.create(':memory:')
  const con = await db.connect()
  const lit = `'${file.replaceAll("'", "''")}'`
  await con.run(`create table t as select * from read_csv(${lit})`)
  const r = await con.runAndReadAll('select count(*) as n from t')
  out.ms = performance.now() - t
  out.rows = Number(r.getRows()[0][0])
}

try {
  if (cmd === 'page') await page(args)
  else if (cmd === 'get') await get(args)
  else if (cmd === 'duckdb-csv') await duckdbCsv(args)
  else throw new Error(`unknown command ${cmd}`)
} catch (err) {
  out.error = `${err?.code ?? err?.name ?? 'Error'}: ${err?.message ?? err}`.slice(0, 500)
}
out.peak_rss_mb = rssMb()
console.log(JSON.stringify(out))
