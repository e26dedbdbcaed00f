#!/usr/bin/env node
// Listing an object-store-like cache of N artifacts (default 10,000) whose every request costs
// a fixed latency (default 2 ms): the per-key path (a head and a get per key, how listings ran
// before issue 9), a cold listing from one root listing, and a warm reopen through the sidecar
// index. Prints one JSON object: requests by kind and the median of 3 runs for each.
// usage: node bench/list-latency.js [artifacts] [latencyMs]   (reads dist/: build first)
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MemoryBackend } from '../dist/electron/engine/backend/memory.js'
import { registerBackend } from '../dist/electron/engine/backend/open.js'
import { mapBounded } from '../dist/electron/engine/backend/bounded.js'
import { CacheStore } from '../dist/electron/engine/store.js'

const N = Number(process.argv[2] ?? 10_000)
const LATENCY = Number(process.argv[3] ?? 2)
const RUNS = 3

/** Counts requests as an object store bills them; each waits LATENCY ms. */
class SlowBackend {
  constructor(inner, url) {
    this.inner = inner
    this.url = url
    this.counts = { head: 0, get: 0, listPage: 0 }
  }
  wait() {
    return new Promise((r) => setTimeout(r, LATENCY))
  }
  async head(p) {
    this.counts.head++
    await this.wait()
    return this.inner.head(p)
  }
  async get(p, range) {
    this.counts.get++
    await this.wait()
    return this.inner.get(p, range)
  }
  async *list(prefix) {
    const all = []
    for await (const m of this.inner.list(prefix)) all.push(m)
    all.sort((a, b) => (a.path < b.path ? -1 : 1))
    for (let i = 0; i === 0 || i < all.length; i += 1000) {
      this.counts.listPage++
      await this.wait()
      yield* all.slice(i, i + 1000)
    }
  }
  async *listPaths(prefix) {
    const page = []
    for await (const m of this.list(prefix)) page.push(m.path)
    yield page
  }
  async listWithDelimiter(prefix) {
    this.counts.listPage++
    await this.wait()
    return this.inner.listWithDelimiter(prefix)
  }
  getManyText(paths) {
    return mapBounded(paths, (p) => this.get(p), 32)
  }
  headMany(paths) {
    return mapBounded(paths, (p) => this.head(p), 32)
  }
  put(...a) {
    return this.inner.put(...a)
  }
  delete(p) {
    return this.inner.delete(p)
  }
  async isWritable() {
    return true
  }
}

const memory = new MemoryBackend()
for (let i = 0; i < N; i++) {
  const key = `k${String(i).padStart(6, '0')}`
  await memory.put(key, new Uint8Array((i % 97) + 1))
  const sidecar = { key, serializer: 'pandas.parquet', load_kwargs: {}, dump_kwargs: {} }
  const text = JSON.stringify({ ...sidecar, additional_metadata: { i }, created_at: null }, null, 2)
  await memory.put(`xpersist_metadata_store/${key}.artifact.json`, new TextEncoder().encode(text))
}
const backends = new Map()
registerBackend('slow', async (location) => backends.get(location))
const indexDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xp-bench-index-'))

async function run(label) {
  const seconds = []
  let counts
  for (let r = 0; r < RUNS; r++) {
    const backend = new SlowBackend(memory, `slow://bench-${label}-${r}`)
    if (label === 'warm') backend.url = 'slow://bench-warm'
    backends.set(backend.url, backend)
    const store = await CacheStore.open(backend.url, { readonly: true })
    if (label === 'warm' && r === 0) {
      for await (const _ of store.artifacts({ indexDir })) void _ // fill the index
      backend.counts = { head: 0, get: 0, listPage: 0 }
    }
    const t0 = performance.now()
    let rows = 0
    const keys = label === 'perKey' ? await store.sidecarNames() : undefined
    for await (const info of store.artifacts({ indexDir, ...(keys ? { keys } : {}) })) {
      if (info.error) throw new Error(`${info.key}: ${info.error.message}`)
      rows++
    }
    seconds.push((performance.now() - t0) / 1000)
    if (rows !== N) throw new Error(`${rows} rows, expected ${N}`)
    counts = { ...backend.counts }
  }
  seconds.sort((a, b) => a - b)
  return { requests: counts, medianSeconds: Number(seconds[1].toFixed(3)), runs: seconds }
}

try {
  const result = {
    artifacts: N,
    latencyMs: LATENCY,
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    perKey: await run('perKey'),
    cold: await run('cold'),
    warm: await run('warm'),
  }
  console.log(JSON.stringify(result, null, 2))
} finally {
  await fs.rm(indexDir, { recursive: true, force: true })
}
