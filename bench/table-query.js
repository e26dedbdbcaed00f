// One whole-table query in a fresh process, for `node bench/table-query.js <cache> <key>
// <stream|duckdb> <sort|filter|group>`: prints {ms, peakRssMb, matched} as JSON. Run it per
// executor and operation (a fresh process each, so peak RSS is the query's). Needs `npm run build`.
import { performance } from 'node:perf_hooks'
import { CacheStore } from '../dist/electron/engine/store.js'
import { openTableSource, runTableQuery } from '../dist/electron/engine/table/query/index.js'

const [cache, key, engine, op] = process.argv.slice(2)
const QUERIES = {
  sort: { sort: [{ column: 'x', descending: false }], filters: [], search: '', groupBy: null },
  filter: {
    sort: [],
    filters: [
      { column: 'k', op: 'lt', value: 100 },
      { column: 'z', op: 'gt', value: 0.5 },
    ],
    search: '',
    groupBy: null,
  },
  group: { sort: [], filters: [], search: '', groupBy: 'k' },
}
const start = performance.now()
const store = await CacheStore.open(cache, { readonly: true })
const source = await openTableSource(store, key)
const out = await runTableQuery(source, QUERIES[op], { engine })
const ms = Math.round(performance.now() - start)
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
console.log(JSON.stringify({ key, engine: out.engine, op, ms, peakRssMb, matched: out.matched }))
