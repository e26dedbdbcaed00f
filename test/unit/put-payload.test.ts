import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { serializerForBytes, serializerForFolder } from '../../electron/engine/detect-payload.js'
import { walkPayloadFolder } from '../../electron/engine/payload-folder.js'
import { Registry } from '../../electron/engine/registry.js'
import type { Serializer, Target } from '../../electron/engine/serializers/serializer.js'
import { CacheStore } from '../../electron/engine/store.js'
import { pickSerializer } from '../../electron/engine/pick.js'
import { diagnose } from '../../electron/engine/doctor.js'
import { FIXTURE_CACHE, listFiles, REPO, tempDir } from '../helpers/temp.js'

const ZARR = path.join(FIXTURE_CACHE, 'sst-monthly.zarr')

/**
 * A stand-in for the zarr serializers: load reads the folder's top .zgroup through the target
 * (so it proves the payload is reachable where the store will read it), and counts closes.
 */
function zarrLike(name: string, closed: string[]): Serializer {
  return {
    name,
    async dump() {},
    async load(target: Target) {
      const top = await target.backend.get(`${target.path}/.zgroup`)
      if (!top) throw new Error(`no ${target.path}/.zgroup`)
      const ds = { kind: 'dataset', close: async () => void closed.push(target.path) }
      return name === 'xcollection' ? { kind: 'collection', datasets: new Map([['a', ds]]) } : ds
    },
  }
}

async function openWith(closed: string[] = []): Promise<{ store: CacheStore; root: string }> {
  const registry = new Registry({ plugins: () => [] })
  for (const n of ['xarray.zarr', 'xcollection'])
    registry.serializers.register(n, () => zarrLike(n, closed))
  const root = path.join(await tempDir(), 'cache')
  return { store: await CacheStore.open(root, { registry }), root }
}

/** A collection as xcollection writes it: a top group whose members are dataset groups. */
async function writeCollection(dir: string): Promise<void> {
  for (const f of ['.zgroup', 'a/.zgroup', 'a/x/.zarray', 'a/x/0', 'b/.zgroup', 'b/y/.zarray']) {
    await fs.mkdir(path.dirname(path.join(dir, f)), { recursive: true })
    await fs.writeFile(path.join(dir, f), f.endsWith('0') ? 'chunk' : '{}')
  }
}

describe('choosing the serializer from the content', () => {
  it('knows NetCDF classic, 64-bit offset and HDF5 by their first bytes', async () => {
    for (const f of ['sst-monthly-nc3-classic.nc', 'sst-monthly-nc3-64bit.nc', 'sst-monthly.nc']) {
      const bytes = new Uint8Array(await fs.readFile(path.join(FIXTURE_CACHE, f)))
      expect(serializerForBytes(bytes), f).toBe('xarray.netcdf')
    }
    const csv = new Uint8Array(await fs.readFile(path.join(FIXTURE_CACHE, 'stations.csv')))
    expect(serializerForBytes(csv)).toBeUndefined()
    expect(serializerForBytes(new TextEncoder().encode('CDF\x05'))).toBeUndefined()
  })

  it('tells a Zarr dataset from an xcollection and from a plain folder', async () => {
    expect(await serializerForFolder(await walkPayloadFolder(ZARR))).toBe('xarray.zarr')
    const coll = await tempDir()
    await writeCollection(coll)
    expect(await serializerForFolder(await walkPayloadFolder(coll))).toBe('xcollection')
    // Zarr v3: zarr.json everywhere, node_type telling groups from arrays.
    const v3 = await tempDir()
    const node = (type: string) => JSON.stringify({ zarr_format: 3, node_type: type })
    await fs.writeFile(path.join(v3, 'zarr.json'), node('group'))
    await fs.mkdir(path.join(v3, 'sst'))
    await fs.writeFile(path.join(v3, 'sst', 'zarr.json'), node('array'))
    expect(await serializerForFolder(await walkPayloadFolder(v3))).toBe('xarray.zarr')
    await fs.rm(path.join(v3, 'sst'), { recursive: true })
    await fs.mkdir(path.join(v3, 'a', 'x'), { recursive: true })
    await fs.writeFile(path.join(v3, 'a', 'zarr.json'), node('group'))
    await fs.writeFile(path.join(v3, 'a', 'x', 'zarr.json'), node('array'))
    expect(await serializerForFolder(await walkPayloadFolder(v3))).toBe('xcollection')
    const plain = await tempDir()
    await fs.writeFile(path.join(plain, 'notes.txt'), 'hi')
    expect(await serializerForFolder(await walkPayloadFolder(plain))).toBeUndefined()
  })

  it('picks xcollection for a collection value, xarray.netcdf for a dataset', () => {
    expect(pickSerializer({ kind: 'collection', datasets: new Map() })).toBe('xcollection')
    expect(pickSerializer({ kind: 'dataset', dims: new Map(), dataVars: new Map() })).toBe(
      'xarray.netcdf',
    )
  })
})

describe('put of a folder', () => {
  it('stores every file byte for byte, counts the bytes, and closes what it opened to check', async () => {
    const closed: string[] = []
    const { store, root } = await openWith(closed)
    const { artifact, files, bytes } = await store.importFolder('sst.zarr', ZARR)
    expect(artifact.serializer).toBe('xarray.zarr')
    const source = await listFiles(ZARR)
    expect(await listFiles(path.join(root, 'sst.zarr'))).toEqual(source)
    let total = 0
    for (const f of source) {
      const a = await fs.readFile(path.join(ZARR, f))
      expect(Buffer.compare(a, await fs.readFile(path.join(root, 'sst.zarr', f))), f).toBe(0)
      total += a.length
    }
    expect(files).toBe(source.length)
    expect(bytes).toBe(total)
    expect(closed).toEqual(['payload'])
    expect((await store.getArtifact('sst.zarr')).serializer).toBe('xarray.zarr')
  })

  it('stores an xcollection folder under xcollection', async () => {
    const { store } = await openWith()
    const coll = await tempDir()
    await writeCollection(coll)
    expect((await store.importFolder('c', coll)).artifact.serializer).toBe('xcollection')
  })

  it('refuses a symbolic link or a FIFO inside, naming it, and writes nothing', async () => {
    const { store, root } = await openWith()
    const dir = path.join(await tempDir(), 'store.zarr')
    await fs.cp(ZARR, dir, { recursive: true })
    await fs.symlink('/etc/passwd', path.join(dir, 'sst', 'leak'))
    await expect(store.importFolder('k', dir)).rejects.toThrow(/sst\/leak is a symbolic link/)
    await fs.rm(path.join(dir, 'sst', 'leak'))
    const { execFileSync } = await import('node:child_process')
    execFileSync('mkfifo', [path.join(dir, 'pipe')])
    await expect(store.importFolder('k', dir)).rejects.toThrow(/pipe is not a regular file/)
    expect(await fs.readdir(root).catch(() => [])).not.toContain('k')
  })

  it('refuses a folder its serializer cannot open, before writing anything', async () => {
    const { store, root } = await openWith()
    const dir = await tempDir()
    await fs.writeFile(path.join(dir, 'zarr.json'), '{"node_type":"array"}')
    await expect(store.importFolder('k', dir)).rejects.toThrow(/not a Zarr store/)
    await expect(store.importFolder('k', dir, { serializer: 'xarray.zarr' })).rejects.toThrow(
      /not something xarray.zarr can read/,
    )
    expect(await listFiles(root).catch(() => [])).toEqual([])
  })

  it('an overwrite leaves no file of the old store behind', async () => {
    const { store, root } = await openWith()
    const old = await tempDir()
    await writeCollection(old)
    await store.importFolder('k', old, { serializer: 'xarray.zarr' })
    await store.importFolder('k', ZARR, { onDuplicateKey: 'overwrite' })
    expect(await listFiles(path.join(root, 'k'))).toEqual(await listFiles(ZARR))
  })

  it('a put that fails halfway leaves no artifact and no payload file', async () => {
    const { store, root } = await openWith()
    const dir = ZARR
    // The third file's write fails (a full disk): two files of the new store are already in.
    const backend = store.backend
    const put = backend.put.bind(backend)
    let n = 0
    backend.put = async (p, data, o) => {
      if (p.startsWith('k/') && ++n === 3) throw new Error('ENOSPC: no space left on device')
      return put(p, data, o)
    }
    await expect(store.importFolder('k', dir)).rejects.toThrow(/ENOSPC/)
    expect(n).toBe(3)
    expect(await store.has('k')).toBe(false)
    expect((await listFiles(root)).filter((f) => f.startsWith('k/'))).toEqual([])
  })
})

describe('a folder put killed halfway', () => {
  it('leaves no visible artifact, and doctor repairs it to no files of the key', async () => {
    const { spawn } = await import('node:child_process')
    const engine = path.join(REPO, 'dist', 'electron', 'engine', 'index.js')
    const child = path.join(REPO, 'test', 'helpers', 'folder-put-child.js')
    const root = path.join(await tempDir(), 'cache')
    const proc = spawn(process.execPath, [child, engine, root, 'k', ZARR, '5'])
    let out = ''
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (c: Buffer) => {
        out += c.toString()
        if (out.includes('READY')) resolve()
      })
      proc.once('exit', () => reject(new Error(`the child ended before READY: ${out}`)))
    })
    const exited = new Promise((r) => proc.once('exit', r))
    proc.kill('SIGKILL')
    await exited
    const store = await CacheStore.open(root)
    expect(await store.has('k')).toBe(false)
    expect((await listFiles(root)).filter((f) => f.startsWith('k/'))).toHaveLength(5)
    const report = await diagnose(store)
    expect(report.interrupted).toEqual([
      expect.objectContaining({
        key: 'k',
        op: 'put',
        repair: expect.stringMatching(/delete the key/),
      }),
    ])
    await store.repairInterrupted({ dryRun: false })
    expect(await listFiles(root)).toEqual([])
  })
})
