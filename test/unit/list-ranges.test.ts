// Listing a root as key ranges at once (issue 9: a warm reopen of 10k artifacts waited on 20
// listing pages one after another). The split points are a hint: whatever they are, the
// listing names every object exactly once.
import { promises as fs } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { comparePaths } from '../../electron/engine/backend/backend.js'
import {
  compareTreePaths,
  mayBeInRange,
  pastInBothOrders,
} from '../../electron/engine/backend/list-order.js'
import { MemoryBackend } from '../../electron/engine/backend/memory.js'
import {
  listInRanges,
  MAX_SPLITS,
  OBJECTS_PER_RANGE,
  rangesAt,
} from '../../electron/engine/list-ranges.js'
import { sidecarIndexFile } from '../../electron/engine/sidecar-index.js'
import type { CacheStore } from '../../electron/engine/store.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import { CountingBackend, fillArtifacts, storeOver } from '../helpers/counting-backend.js'
import { tempDir } from '../helpers/temp.js'

// A small seeded generator (mulberry32): failures replay.
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ALPHABET = ['a', 'b', 'z', '/', ' ', '+', '-', 'é', 'ﬁ', '😀', '0']

function word(rnd: () => number, max: number): string {
  const n = 1 + Math.floor(rnd() * max)
  return Array.from({ length: n }, () => ALPHABET[Math.floor(rnd() * ALPHABET.length)]).join('')
}

async function rowsOf(store: CacheStore, indexDir: string) {
  const rows: ArtifactInfo[] = []
  for await (const r of store.artifacts({ indexDir })) rows.push(r)
  return rows
}

describe('rangesAt', () => {
  it('no points: one open range; points are sorted, deduplicated and chained', () => {
    expect(rangesAt([])).toEqual([{}])
    expect(rangesAt(['b', 'a', 'b'])).toEqual([
      { endAt: 'a' },
      { startAfter: 'a', endAt: 'b' },
      { startAfter: 'b' },
    ])
    const many = Array.from({ length: 5000 }, (_, i) => `p${String(i).padStart(5, '0')}`)
    expect(rangesAt(many)).toHaveLength(MAX_SPLITS + 1)
  })

  it('orders by UTF-8 bytes, not UTF-16 units', () => {
    expect(comparePaths('😀', 'ﬁ')).toBeGreaterThan(0)
    expect(comparePaths('a', 'a/')).toBeLessThan(0)
    expect(comparePaths('a b', 'a+b')).toBeLessThan(0)
    expect(rangesAt(['😀', 'ﬁ'])[0]).toEqual({ endAt: 'ﬁ' })
  })
})

// How SeaweedFS 4.x listed these keys (bench probe, one listing and from StartAfter): a folder
// tree walked by name, '/' first; after StartAfter `s` it also skips everything under `s/`.
const SEAWEED_ORDER = [
  ...['a', 'a/1', 'a/2/x', 'a/2 y', 'a/2.z', 'a b', 'a b/c', 'a!', 'a-c', 'a.d', 'a0', 'ab'],
  ...['ab/c', 'b', 'b/-', 'b-', 'b./x', 'c/z', 'c/é', 'c+/x', 'x y/z/ /q', 'x y/z/ 1', 'x y/z/1'],
  ...['x y/z-/1', 'é', 'ﬀ', '😀'],
]
const SEAWEED_AFTER = new Map([
  ['a', SEAWEED_ORDER.slice(SEAWEED_ORDER.indexOf('a b'))],
  ['ab', SEAWEED_ORDER.slice(SEAWEED_ORDER.indexOf('b'))],
  ['x y/z', SEAWEED_ORDER.slice(SEAWEED_ORDER.indexOf('x y/z-/1'))],
])

describe('the orders servers list in', () => {
  it("compareTreePaths is SeaweedFS's order; the simulated tree server starts where it does", async () => {
    expect([...SEAWEED_ORDER].sort(compareTreePaths)).toEqual(SEAWEED_ORDER)
    expect([...SEAWEED_ORDER].sort(comparePaths)).not.toEqual(SEAWEED_ORDER)
    const memory = new MemoryBackend()
    for (const p of SEAWEED_ORDER) await memory.put(p, new Uint8Array([1]))
    const tree = new CountingBackend(memory, { order: 'tree', pageSize: 3 })
    for (const [startAfter, expected] of SEAWEED_AFTER) {
      const got: string[] = []
      for await (const m of tree.list('', { startAfter })) got.push(m.path)
      // The listing keeps what either order puts after the start; SeaweedFS's own part first.
      expect(got.filter((p) => expected.includes(p))).toEqual(expected)
    }
  })

  it('a split at a key a folder sorts around still lists that folder (lost before: a/1, ab/c)', async () => {
    const memory = new MemoryBackend()
    const paths = ['a', 'a/1', 'a b', 'ab', 'ab/c', 'b', 'b-c', 'b/d']
    for (const p of paths) await memory.put(p, new Uint8Array([1]))
    for (const order of ['tree', 'bytes'] as const) {
      const backend = new CountingBackend(memory, { order, pageSize: 2 })
      const listed = await listInRanges(backend, ['a b', 'ab', 'b'])
      expect(
        listed.map((m) => m.path),
        order,
      ).toEqual([...paths].sort(comparePaths))
    }
  })

  it('past a bound in both orders; in a range in either', () => {
    expect(pastInBothOrders('a/1', 'a b')).toBe(false) // after in bytes, before in the tree
    expect(pastInBothOrders('a!', 'a b')).toBe(true)
    expect(pastInBothOrders('ab/c', 'ab')).toBe(false) // under the bound: the tree lists it next
    expect(pastInBothOrders('ab0', 'ab')).toBe(true)
    expect(mayBeInRange('a/1', { startAfter: 'a b' })).toBe(true) // after in bytes
    expect(mayBeInRange('a/1', { endAt: 'a b' })).toBe(true) // before in the tree
    expect(mayBeInRange('a', { startAfter: 'a b' })).toBe(false)
    expect(mayBeInRange('ab/c', { startAfter: 'ab' })).toBe(true) // after in bytes
    expect(mayBeInRange('ab/c', { startAfter: 'a', endAt: 'ab' })).toBe(true) // in the tree
    expect(mayBeInRange('a/1', { startAfter: 'a', endAt: 'a b' })).toBe(false) // in neither
  })
})

describe('listInRanges covers every object exactly once, whatever the split points', () => {
  // Byte order (AWS, GCS, moto), a folder tree (SeaweedFS), and servers ignoring StartAfter.
  const servers = [
    { order: 'bytes' as const },
    { order: 'tree' as const },
    { order: 'bytes' as const, ignoresStartAfter: true },
    { order: 'tree' as const, ignoresStartAfter: true },
  ]
  it('random keys, random stale, unsorted, duplicate and out-of-bounds points', async () => {
    const rnd = random(9)
    for (let round = 0; round < 160; round++) {
      const memory = new MemoryBackend()
      const paths = new Set<string>()
      const count = Math.floor(rnd() * 60)
      for (let i = 0; i < count; i++) paths.add(word(rnd, 6).replace(/\/+$/, 'x'))
      for (const p of paths) await memory.put(p, new Uint8Array([1]))
      const listedPaths = [...paths].sort(comparePaths)
      // Stale: some listed paths, some made up, some past the end or before the start.
      const points: string[] = []
      const n = Math.floor(rnd() * 12)
      for (let i = 0; i < n; i++) {
        const pick = rnd()
        if (pick < 0.4 && listedPaths.length > 0) {
          points.push(listedPaths[Math.floor(rnd() * listedPaths.length)] as string)
        } else if (pick < 0.8) points.push(word(rnd, 4))
        else points.push(pick < 0.9 ? '\u{10FFFF}' : '')
      }
      const server = servers[round % servers.length]
      const pageSize = 1 + Math.floor(rnd() * 5)
      const backend = new CountingBackend(memory, { ...server, pageSize })
      const all = await listInRanges(backend, points)
      expect(
        all.map((m) => m.path),
        `round ${round} on ${JSON.stringify(server)}: ${JSON.stringify(points)}`,
      ).toEqual(listedPaths)
    }
  })
})

describe('a warm listing lists its ranges at once', () => {
  it('the index keeps where ranges end; the next listing is one page per range, side by side', async () => {
    const memory = new MemoryBackend()
    const keys = await fillArtifacts(memory, 3000) // 6,000 objects: 6 pages
    const backend = new CountingBackend(memory, { latencyMs: 5 })
    const indexDir = await tempDir()
    const cold = await rowsOf(await storeOver(backend, { readonly: true }), indexDir)
    expect(cold.map((r) => r.key)).toEqual(keys)
    expect(backend.counts.listPage).toBe(6)
    expect(backend.counts.maxListsInFlight).toBe(1)

    backend.reset()
    const warm = await rowsOf(await storeOver(backend, { readonly: true }), indexDir)
    expect(warm).toEqual(cold)
    expect(backend.counts.get).toBe(0)
    // One page per range: each range's page also holds the object past its end (7 ranges).
    expect(backend.counts.listPage).toBe(Math.ceil(6000 / OBJECTS_PER_RANGE))
    expect(backend.counts.maxListsInFlight).toBeGreaterThan(1)
    expect(backend.counts.maxListsInFlight).toBeLessThanOrEqual(8)

    // Changed since: keys added and removed; the stale split points cost pages, never rows.
    for (const k of keys.slice(100, 1600)) {
      await memory.delete(`xpersist_metadata_store/${k}.artifact.json`)
      await memory.delete(k)
    }
    const added = await fillArtifacts(memory, 3500)
    const all = [...new Set([...keys.slice(0, 100), ...keys.slice(1600), ...added])].sort()
    backend.reset()
    const after = await rowsOf(await storeOver(backend, { readonly: true }), indexDir)
    expect(after.map((r) => r.key)).toEqual(all)
    expect(after.every((r) => r.error === null)).toBe(true)
  })

  it('split points in the index file are a hint: garbage is ignored, made-up points still list all', async () => {
    const memory = new MemoryBackend()
    const keys = await fillArtifacts(memory, 1200)
    const backend = new CountingBackend(memory)
    const indexDir = await tempDir()
    const cold = await rowsOf(await storeOver(backend, { readonly: true }), indexDir)
    const file = sidecarIndexFile(indexDir, backend.url)
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as { splits: unknown }
    expect(Array.isArray(data.splits)).toBe(true)
    for (const splits of [[1, 2], 'x', ['zzz', '', 'xpersist_metadata_store/', 'a', 'zzz'], []]) {
      await fs.writeFile(file, JSON.stringify({ ...data, splits }))
      const rows = await rowsOf(await storeOver(backend, { readonly: true }), indexDir)
      expect(rows.map((r) => r.key)).toEqual(keys)
      expect(rows).toEqual(cold)
    }
  })
})
