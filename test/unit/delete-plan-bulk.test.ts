// Planning a delete of many keys (rm, prune --yes, the explorer's delete) on an object store:
// the sidecars' and payloads' HEADs go in bulk, not one request after another (10,000 keys
// were 20,000 sequential requests before the first delete), and the plan is what it was.
import { describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { CountingBackend, fillArtifacts, storeOver } from '../helpers/counting-backend.js'

const N = 200

describe('planning a delete of many keys', () => {
  it('HEADs sidecars and payloads concurrently, two per key, no listing for file payloads', async () => {
    const memory = new MemoryBackend()
    const keys = await fillArtifacts(memory, N)
    await memory.put('zarr/.zarray', new Uint8Array(3))
    await memory.put('zarr/c/0', new Uint8Array(5))
    await memory.put('xpersist_metadata_store/zarr.artifact.json', new Uint8Array(7))
    const backend = new CountingBackend(memory, { latencyMs: 1 })
    const store = await storeOver(backend)
    backend.reset()
    const plan = await store.deleteMany([...keys, 'zarr'])
    expect(backend.counts.head).toBe(2 * (N + 1) + 1)
    expect(backend.counts.maxHeadsInFlight).toBeGreaterThan(1)
    expect(backend.counts.get).toBe(0)
    // The one folder payload is listed (and the keys once, to prove what it owns).
    expect(plan.entries.map((e) => e.key)).toEqual([...keys, 'zarr'])
    expect(plan.entries.at(-1)?.files.map((f) => [f.path, f.bytes, f.role])).toEqual([
      ['xpersist_metadata_store/zarr.artifact.json', 7, 'sidecar'],
      ['zarr/.zarray', 3, 'payload'],
      ['zarr/c/0', 5, 'payload'],
    ])
    const k7 = plan.entries[7]
    expect(k7?.files.map((f) => f.path)).toEqual([
      'xpersist_metadata_store/k00007.artifact.json',
      'k00007',
    ])
    expect(k7?.files[1]?.bytes).toBe((7 % 97) + 1)
    expect(plan.bytes).toBe(plan.entries.reduce((s, e) => s + e.bytes, 0))
  })

  it('a key without a sidecar fails the whole plan, naming the first such key; nothing is deleted', async () => {
    const memory = new MemoryBackend()
    const keys = await fillArtifacts(memory, 20)
    const store = await storeOver(new CountingBackend(memory))
    await expect(
      store.deleteMany([keys[0] as string, 'nope-1', 'nope-2'], { dryRun: false }),
    ).rejects.toThrow(/No artifact 'nope-1'.*nothing was deleted/)
    expect(await store.keys()).toEqual(keys)
  })
})
