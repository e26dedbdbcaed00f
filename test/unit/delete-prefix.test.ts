import { describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import { encodeJournal, lockPathOf, newJournal } from '../../electron/engine/key-lock.js'
import { CountingBackend, pythonSidecar, storeOver } from '../helpers/counting-backend.js'

const sidecarOf = (key: string) => `xpersist_metadata_store/${key}.artifact.json`
const CHUNKS = 2500

/** Key 'a' is a Zarr of 2,500 chunks; 'ab' (a sibling sharing the prefix) and 'a/nested' are other keys. */
async function zarrBucket() {
  const memory = new MemoryBackend()
  let bytes = 0
  for (let i = 0; i < CHUNKS; i++) {
    const size = (i % 13) + 1
    bytes += size
    await memory.put(`a/c/${Math.floor(i / 50)}.${i % 50}`, new Uint8Array(size))
  }
  await memory.put('a/.zarray', new Uint8Array(0))
  await memory.put('a/nested', new Uint8Array(4)) // a more specific key's payload
  await memory.put('ab/.zarray', new Uint8Array(6))
  await memory.put('ab/c/0.0', new Uint8Array(8))
  await memory.put('a.txt', new Uint8Array(2)) // neither 'a' nor under 'a/'
  for (const key of ['a', 'ab', 'a/nested']) await memory.put(sidecarOf(key), pythonSidecar(key))
  const sidecarBytes = (await memory.head(sidecarOf('a')))?.size as number
  const backend = new CountingBackend(memory)
  return { memory, backend, bytes, sidecarBytes, store: await storeOver(backend) }
}

async function paths(memory: MemoryBackend): Promise<string[]> {
  const out: string[] = []
  for await (const m of memory.list('')) out.push(m.path)
  return out.sort()
}

describe('deleting a Zarr payload (a prefix) on an object store (issue 9)', () => {
  it('the plan lists every object of the key and its exact bytes, and deletes nothing', async () => {
    const { memory, backend, bytes, sidecarBytes, store } = await zarrBucket()
    const before = await paths(memory)
    const plan = await store.delete('a')
    const [entry] = plan.entries
    expect(entry?.files[0]).toEqual({ path: sidecarOf('a'), bytes: sidecarBytes, role: 'sidecar' })
    const payload = entry?.files.filter((f) => f.role === 'payload') ?? []
    expect(payload).toHaveLength(CHUNKS + 1)
    expect(payload.every((f) => f.path.startsWith('a/') && f.path !== 'a/nested')).toBe(true)
    expect(entry?.bytes).toBe(bytes + sidecarBytes)
    expect(plan.bytes).toBe(bytes + sidecarBytes)
    expect(await paths(memory)).toEqual(before)
    expect(backend.counts).toMatchObject({ delete: 0, deleteMany: 0, put: 0 })
  })

  it('deletes 2,501 objects in 3 batch requests, the sidecar first, and nothing outside the key', async () => {
    const { memory, backend, store } = await zarrBucket()
    const before = await paths(memory)
    const plan = await store.deleteMany(['a'], { dryRun: false })
    expect(backend.counts.deleteMany).toBe(3)
    expect(backend.counts.deleteManyPaths).toBe(CHUNKS + 1)
    expect(plan.deleted[0]).toBe(sidecarOf('a'))
    expect(plan.deleted).toHaveLength(CHUNKS + 2)
    const gone = new Set(plan.deleted)
    expect(await paths(memory)).toEqual(before.filter((p) => !gone.has(p)))
    expect(await paths(memory)).toEqual([
      'a.txt',
      'a/nested',
      'ab/.zarray',
      'ab/c/0.0',
      sidecarOf('a/nested'),
      sidecarOf('ab'),
    ])
  })

  it('a delete interrupted after its journal is finished in batches too, by the same ownership', async () => {
    const { memory, backend, store } = await zarrBucket()
    const planned = (await store.delete('a')).entries[0]?.files ?? []
    const payload = planned.filter((f) => f.role === 'payload').map((f) => f.path)
    // What deleteKeys records before removing anything; the writer then died ('abandoned').
    const journal = {
      ...newJournal('delete', 'a'),
      oldPayload: payload.map((path) => ({ path, etag: '' })),
      abandoned: true,
    }
    await memory.put(lockPathOf('a'), encodeJournal(journal))
    backend.reset()
    await store.repairInterrupted({ dryRun: false })
    expect(backend.counts.deleteMany).toBe(3)
    expect(backend.counts.deleteManyPaths).toBe(CHUNKS + 1)
    expect(await paths(memory)).toEqual([
      'a.txt',
      'a/nested',
      'ab/.zarray',
      'ab/c/0.0',
      sidecarOf('a/nested'),
      sidecarOf('ab'),
    ])
  })
})
