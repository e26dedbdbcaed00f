// Writes a cache of N small artifacts the way the engine does (same sidecar bytes, small
// joblib payloads), with plain synchronous writes so making it takes seconds, not minutes.
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

// pickle.dumps([1, 2, 3], protocol=4), as the fixture's list-ints holds it
const PAYLOAD = Buffer.from('8004950b000000000000005d94284b014b024b03652e', 'hex')
const EXPERIMENTS = ['ctrl', 'hist', 'ssp585', 'old']

/**
 * A function giving bench artifact `i`: its key, payload bytes and sidecar bytes (encoded by
 * the engine from dist/, as Python xpersist writes them). The local and cloud benches share it.
 */
export async function benchArtifacts() {
  const { encodeSidecar } = await import('../dist/electron/engine/sidecar.js')
  return (i) => {
    const key = `artifact-${String(i).padStart(6, '0')}`
    const sidecar = encodeSidecar({
      key,
      serializer: 'joblib',
      load_kwargs: {},
      dump_kwargs: {},
      additional_metadata: { experiment: EXPERIMENTS[i % 4], member: i % 10, tags: ['bench'] },
      created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().slice(0, 19) + '.123456',
    })
    return { key, payload: PAYLOAD, sidecar }
  }
}

/** Makes (or reuses) a benchmark cache of `n` artifacts at `dir`. */
export async function makeCache(dir, n) {
  const stamp = path.join(dir, '.bench-stamp')
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === String(n)) return dir
  const artifact = await benchArtifacts()
  const meta = path.join(dir, 'xpersist_metadata_store')
  mkdirSync(meta, { recursive: true })
  for (let i = 0; i < n; i++) {
    const { key, payload, sidecar } = artifact(i)
    writeFileSync(path.join(dir, key), payload)
    writeFileSync(path.join(meta, `${key}.artifact.json`), sidecar)
  }
  writeFileSync(stamp, String(n))
  return dir
}
