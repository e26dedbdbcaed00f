// The usage view's sizes (issue 10): a listing row says what its sidecar takes and, on a local
// disk, what payload and sidecar take on disk (st_blocks * 512), apart from the payload bytes
// the footer counts. A sparse file and a folder payload with a nested key show the difference.
import { promises as fs, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeSidecar } from '../../electron/engine/sidecar.js'
import { CacheStore } from '../../electron/engine/store.js'
import { toRow } from '../../electron/ipc/handlers/cache.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import { tempDir } from '../helpers/temp.js'

const META = 'xpersist_metadata_store'

async function sidecar(root: string, key: string): Promise<string> {
  const file = path.join(root, META, `${key}.artifact.json`)
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(
    file,
    encodeSidecar({
      key,
      serializer: 'joblib',
      load_kwargs: {},
      dump_kwargs: {},
      additional_metadata: { experiment: 'ctrl' },
      created_at: '2026-01-01T00:00:00.000000',
    }),
  )
  return file
}

async function write(root: string, rel: string, data: string | Buffer): Promise<string> {
  const file = path.join(root, rel)
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, data)
  return file
}

/** What the files take on disk, by the operating system's own count. */
function onDisk(files: string[]): number {
  return files.reduce((sum, f) => sum + statSync(f).blocks * 512, 0)
}

async function listAll(root: string): Promise<Map<string, ArtifactInfo>> {
  const store = await CacheStore.open(root, { readonly: true })
  const rows = new Map<string, ArtifactInfo>()
  for await (const info of store.artifacts()) rows.set(info.key, info)
  return rows
}

describe('listing sizes on a local disk', () => {
  it('gives the sidecar bytes and the allocated bytes of payload + sidecar', async () => {
    const root = path.join(await tempDir(), 'cache')
    const single = [
      await write(root, 'one.bin', Buffer.alloc(10_000, 7)),
      await sidecar(root, 'one.bin'),
    ]
    // A folder payload with a nested key: the nested key's file is not the folder's.
    const grid = [
      await write(root, 'grid/.zarray', '{"shape":[4]}'),
      await write(root, 'grid/0', Buffer.alloc(5000, 1)),
      await sidecar(root, 'grid'),
    ]
    const nested = [
      await write(root, 'grid/sub', 'nested payload'),
      await sidecar(root, 'grid/sub'),
    ]
    const rows = await listAll(root)

    const one = rows.get('one.bin') as ArtifactInfo
    expect(one.payload.bytes).toBe(10_000)
    expect(one.sidecarBytes).toBe(statSync(single[1] as string).size)
    expect(one.allocatedBytes).toBe(onDisk(single))
    expect(one.allocatedBytes).toBeGreaterThan(0)

    const folder = rows.get('grid') as ArtifactInfo
    expect(folder.payload.files.map((f) => f.path)).toEqual(['grid/.zarray', 'grid/0'])
    expect(folder.allocatedBytes).toBe(onDisk(grid))
    expect((rows.get('grid/sub') as ArtifactInfo).allocatedBytes).toBe(onDisk(nested))

    // The row the key table gets carries both, apart from the payload bytes.
    const row = toRow(one)
    expect(row.bytes).toBe(10_000)
    expect(row.sidecarBytes).toBe(one.sidecarBytes)
    expect(row.allocatedBytes).toBe(one.allocatedBytes)
  })

  it('counts a sparse payload by the blocks it takes, not its size', async () => {
    const root = path.join(await tempDir(), 'cache')
    const file = path.join(root, 'sparse.bin')
    await fs.mkdir(root, { recursive: true })
    const handle = await fs.open(file, 'w')
    await handle.truncate(8 * 1024 * 1024)
    await handle.close()
    const side = await sidecar(root, 'sparse.bin')
    const info = (await listAll(root)).get('sparse.bin') as ArtifactInfo
    expect(info.payload.bytes).toBe(8 * 1024 * 1024)
    expect(info.allocatedBytes).toBe(onDisk([file, side]))
    // Every filesystem a test runs on keeps a truncated file sparse (ext4, tmpfs, APFS, btrfs).
    expect(info.allocatedBytes).toBeLessThan(info.payload.bytes)
  })

  it('leaves the allocated size out when a row has no sidecar to stat', () => {
    const broken: ArtifactInfo = {
      key: '..',
      artifact: null,
      error: { code: 'INVALID_KEY', message: 'no valid key' },
      payload: { files: [], bytes: 0 },
    }
    const row = toRow(broken)
    expect(row.sidecarBytes).toBeNull()
    expect(row.allocatedBytes).toBeNull()
  })
})
