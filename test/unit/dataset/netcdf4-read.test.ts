import { execFileSync } from 'node:child_process'
import { existsSync, promises as fs, readdirSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { LocalBackend } from '../../../electron/engine/backend/local.js'
import { MemoryBackend } from '../../../electron/engine/backend/memory.js'
import type { Backend } from '../../../electron/engine/backend/backend.js'
import { openNetcdf4 } from '../../../electron/engine/dataset/netcdf4/index.js'
import { loadH5 } from '../../../electron/engine/dataset/netcdf4/h5.js'
import type { SourceDataset } from '../../../electron/engine/dataset/model.js'
import type { Target } from '../../../electron/engine/serializers/serializer.js'
import { REPO, tempDir } from '../../helpers/temp.js'

// Files written during the test by the interop venv's xarray (both engines) and h5py; see
// netcdf4_files.py. Checked at the stored level: raw values and attributes as in the file.
const PYTHON = path.join(REPO, '.venv-interop', 'bin', 'python')
const hasPython = existsSync(PYTHON)

let dir = ''
let facts: {
  chunk: { offset: number; size: number }
  slab: { index: number; chunks: number; chunk_bytes: number; slice: number[][] }
}
let local: LocalBackend

beforeAll(async () => {
  if (!hasPython) return
  dir = await tempDir('xp-nc4-')
  const script = path.join(REPO, 'test', 'unit', 'dataset', 'netcdf4_files.py')
  facts = JSON.parse(execFileSync(PYTHON, [script, dir], { encoding: 'utf8' }))
  local = await LocalBackend.open(dir)
}, 120_000)

const target = (backend: Backend, p: string): Target => ({ backend, path: p, putMode: 'create' })

async function memoryCopy(name: string): Promise<MemoryBackend> {
  const m = new MemoryBackend()
  await m.put(name, await fs.readFile(path.join(dir, name)))
  return m
}

const attrsOf = (ds: SourceDataset, name: string) =>
  Object.fromEntries(ds.variables.find((v) => v.name === name)?.attrs ?? [])
const variable = (ds: SourceDataset, name: string) => {
  const v = ds.variables.find((x) => x.name === name)
  if (!v) throw new Error(`no variable ${name}`)
  return v
}

function checkDataset(ds: SourceDataset): void {
  expect([...ds.dims]).toEqual([
    ['time', 2],
    ['lat', 3],
    ['lon', 4],
    ['station', 3],
    ['string3', 3],
    ['nocoord', 2],
  ])
  expect(ds.variables.map((v) => [v.name, v.dims, v.array.dtype, v.array.shape])).toEqual([
    ['t', ['time', 'lat', 'lon'], 'float32', [2, 3, 4]],
    ['names', ['station'], 'str', [3]],
    ['chars', ['station', 'string3'], '|S1', [3, 3]],
    ['counts', ['station', 'nocoord'], 'int64', [3, 2]],
    ['time', ['time'], 'int64', [2]],
    ['lat', ['lat'], 'float64', [3]],
    ['lon', ['lon'], 'float32', [4]],
  ])
  expect([...ds.attrs]).toEqual([
    ['title', 'tiny'],
    ['history', 'written by netcdf4_files.py'],
    ['i1', -8],
    ['u1', 200],
    ['i2', -300],
    ['u2', 60000],
    ['i4', -70000],
    ['u4', 4000000000],
    ['i8', -(2 ** 40)],
    ['u8', 2n ** 63n + 5n],
    ['f4', 0.5],
    ['f8', 1.25],
    ['i2s', [1, 2, 3]],
    ['f8s', [0.5, -1.5]],
  ])
  expect(attrsOf(ds, 't')).toEqual({ _FillValue: -9, units: 'K', long_name: 'température' })
  expect(attrsOf(ds, 'lat')).toEqual({})
  expect(attrsOf(ds, 'lon')._FillValue).toBeNaN()
  const enc = Object.fromEntries(variable(ds, 't').encoding)
  expect(enc).toEqual({
    dtype: '<f4',
    chunksizes: [1, 3, 2],
    zlib: true,
    complevel: 5,
    shuffle: true,
    contiguous: false,
    original_shape: [2, 3, 4],
  })
  expect(variable(ds, 't').array.chunks).toEqual([1, 3, 2])
  expect(Object.fromEntries(variable(ds, 'names').encoding)).toMatchObject({
    dtype: 'str',
    contiguous: true,
    chunksizes: null,
    zlib: false,
  })
}

async function checkValues(ds: SourceDataset): Promise<void> {
  const t = variable(ds, 't').array
  const all = await t.read()
  expect(all.shape).toEqual([2, 3, 4])
  expect(Array.from(all.data as Float32Array)).toEqual([...Array(24).keys()])
  const part = await t.read([1, { start: 0, stop: 3, step: 2 }, { start: 1, stop: 4 }])
  expect(part).toEqual({
    dtype: 'float32',
    shape: [2, 3],
    data: new Float32Array([13, 14, 15, 21, 22, 23]),
  })
  expect((await variable(ds, 'names').array.read()).data).toEqual(['alpha', 'bé', ''])
  expect((await variable(ds, 'names').array.read([{ start: 1, stop: 3 }])).data).toEqual(['bé', ''])
  expect(await variable(ds, 'chars').array.read([{ start: 1, stop: 3 }])).toEqual({
    dtype: '|S1',
    shape: [2, 3],
    data: ['d', 'e', '', 'f', '', ''],
  })
  expect((await variable(ds, 'counts').array.read([null, 1])).data).toEqual(
    new BigInt64Array([1n, 3n, 5n]),
  )
  expect((await variable(ds, 'time').array.read()).data).toEqual(new BigInt64Array([10n, 20n]))
  await expect(t.read([5])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
}

describe.skipIf(!hasPython)('NetCDF4 read (stored level)', () => {
  it('reads a netCDF4-engine file lazily from a local folder', async () => {
    const ds = await openNetcdf4(target(local, 'nc4.nc'))
    try {
      checkDataset(ds)
      expect(ds.unlimitedDims).toEqual(['time'])
      expect(ds.notes).toEqual(['groups ignored: /forecast'])
      await checkValues(ds)
      expect(ds.bytesRead()).toBeGreaterThan(0)
    } finally {
      await ds.close?.()
    }
  })

  it('reads an h5netcdf-engine file copied from a store without random reads', async () => {
    const ds = await openNetcdf4(target(await memoryCopy('h5n.nc'), 'h5n.nc'))
    try {
      checkDataset(ds)
      expect(ds.unlimitedDims).toEqual([])
      expect(ds.notes).toEqual([])
      await checkValues(ds)
      expect(ds.bytesRead()).toBe((await fs.stat(path.join(dir, 'h5n.nc'))).size)
    } finally {
      await ds.close?.()
    }
  })

  it('gives datasets without dimension scales phony dimensions, as netCDF-C does', async () => {
    const ds = await openNetcdf4(target(local, 'plain.h5'))
    try {
      expect([...ds.dims]).toEqual([
        ['phony_dim_0', 2],
        ['phony_dim_1', 3],
        ['phony_dim_2', 2],
      ])
      expect(ds.variables.map((v) => [v.name, v.dims, v.array.dtype])).toEqual([
        ['a', ['phony_dim_0', 'phony_dim_1'], 'int16'],
        ['b', ['phony_dim_1'], 'float64'],
        ['c', ['phony_dim_0', 'phony_dim_2'], 'uint8'],
      ])
      expect((await variable(ds, 'b').array.read()).data).toEqual(new Float64Array([0, 1, 2]))
      expect([...ds.attrs]).toEqual([['note', 'plain']])
    } finally {
      await ds.close?.()
    }
  })

  it('reads only the chunks a 2-D slice touches (at most twice their bytes)', async () => {
    const ds = await openNetcdf4(target(local, 'slab.nc'))
    try {
      const opened = ds.bytesRead()
      const got = await variable(ds, 'v').array.read([facts.slab.index])
      expect(Array.from(got.data as Float32Array)).toEqual(
        facts.slab.slice.flat().map((x) => Math.fround(x)),
      )
      const sliceBytes = ds.bytesRead() - opened
      expect(facts.slab.chunks).toBe(4)
      expect(sliceBytes).toBeGreaterThanOrEqual(facts.slab.chunk_bytes)
      expect(sliceBytes).toBeLessThanOrEqual(2 * facts.slab.chunk_bytes)
      expect(ds.bytesRead()).toBeLessThan((await fs.stat(path.join(dir, 'slab.nc'))).size / 4)
    } finally {
      await ds.close?.()
    }
  })

  it('closes twice safely, refuses reads after, and leaves no file system entry or descriptor', async () => {
    const h = await loadH5()
    const fds = readdirSync('/proc/self/fd').length
    for (let i = 0; i < 5; i++) {
      const ds = await openNetcdf4(target(local, 'nc4.nc'))
      await variable(ds, 't').array.read([0])
      await ds.close?.()
      await ds.close?.()
      await expect(variable(ds, 't').array.read()).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    }
    expect(h.FS.readdir('/xp').filter((n: string) => n !== '.' && n !== '..')).toEqual([])
    expect(readdirSync('/proc/self/fd').length).toBe(fds)
  })

  it('says a missing payload is missing', async () => {
    await expect(openNetcdf4(target(local, 'nope.nc'))).rejects.toMatchObject({
      code: 'CORRUPT_PAYLOAD',
      message: expect.stringContaining('nope.nc is missing'),
    })
  })
})

describe.skipIf(!hasPython)('NetCDF4 read of damaged files', () => {
  async function damaged(
    name: string,
    edit: (b: Uint8Array) => Uint8Array,
    from = 'nc4.nc',
  ): Promise<Target> {
    const bytes = edit(new Uint8Array(await fs.readFile(path.join(dir, from))))
    await fs.writeFile(path.join(dir, name), bytes)
    return target(local, name)
  }

  it('names a truncated file and what is wrong', async () => {
    for (const keep of [100, 4000, 15000]) {
      const t = await damaged(`cut-${keep}.nc`, (b) => b.subarray(0, keep))
      await expect(openNetcdf4(t)).rejects.toMatchObject({
        code: 'CORRUPT_PAYLOAD',
        message: expect.stringMatching(
          new RegExp(`cut-${keep}\\.nc .*(truncated|unable|signature)`),
        ),
      })
    }
  })

  it('names a file with a bad superblock', async () => {
    const t = await damaged('bad-sb.nc', (b) => {
      b.set([0, 0, 0, 0, 0, 0, 0, 0], 0)
      return b
    })
    await expect(openNetcdf4(t)).rejects.toMatchObject({
      code: 'CORRUPT_PAYLOAD',
      message: expect.stringContaining('bad-sb.nc is not a readable NetCDF4/HDF5 file'),
    })
  })

  it('names the variable whose chunk fails to inflate, and other reads still work', async () => {
    const t = await damaged('bad-chunk.nc', (b) => {
      b.fill(0xff, facts.chunk.offset, facts.chunk.offset + facts.chunk.size)
      return b
    })
    const ds = await openNetcdf4(t)
    try {
      await expect(variable(ds, 't').array.read([0])).rejects.toMatchObject({
        code: 'CORRUPT_PAYLOAD',
        message: expect.stringContaining('bad-chunk.nc has unreadable data in t'),
      })
      expect((await variable(ds, 't').array.read([1])).data).toEqual(
        new Float32Array([...Array(12).keys()].map((i) => i + 12)),
      )
      expect((await variable(ds, 'lat').array.read()).data).toEqual(new Float64Array([-1, 0, 1]))
    } finally {
      await ds.close?.()
    }
  })

  it('refuses a global heap that would make HDF5 loop forever (h5py hangs on it)', async () => {
    await damaged(
      'loop.nc',
      (b) => {
        const at = Buffer.from(b).indexOf('GCOL')
        expect(at).toBeGreaterThan(0)
        b.fill(0, at + 16, at + 32) // object 0 (free space) of size 0: the walk never moves on
        return b
      },
      'h5n.nc',
    )
    for (const backend of [local, await memoryCopy('loop.nc')]) {
      await expect(openNetcdf4(target(backend, 'loop.nc'))).rejects.toMatchObject({
        code: 'CORRUPT_PAYLOAD',
        message: expect.stringContaining('loop.nc has unreadable metadata: a damaged global heap'),
      })
    }
  })

  it('turns random damage into engine errors, never anything else (bounded fuzz)', async () => {
    let seed = 7
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const outcomes = new Set<string>()
    for (const from of ['nc4.nc', 'h5n.nc']) {
      const src = new Uint8Array(await fs.readFile(path.join(dir, from)))
      for (let i = 0; i < 40; i++) {
        const t = await damaged('fuzz.nc', () => {
          const b = src.slice()
          for (let k = 0; k < 1 + Math.floor(rnd() * 6); k++) {
            b[Math.floor(rnd() * 4096)] = Math.floor(rnd() * 256)
          }
          return b
        })
        let ds: SourceDataset | undefined
        try {
          ds = await openNetcdf4(t)
          for (const v of ds.variables) await v.array.read().catch((e) => outcomes.add(e.code))
          outcomes.add('ok')
        } catch (e) {
          outcomes.add((e as { code?: string }).code ?? `raw: ${String(e)}`)
        } finally {
          await ds?.close?.()
        }
      }
    }
    expect(
      [...outcomes].filter(
        (o) => !['ok', 'CORRUPT_PAYLOAD', 'LIMIT_EXCEEDED', 'NOT_SUPPORTED'].includes(o),
      ),
    ).toEqual([])
    expect(outcomes.has('CORRUPT_PAYLOAD')).toBe(true)
  }, 120_000)

  it('reports a backend read error as the reason, without throwing through HDF5', async () => {
    const failing: Backend = Object.assign(Object.create(local) as Backend, {
      openRead: async (p: string) => {
        const r = await local.openRead(p)
        return (
          r && {
            size: r.size,
            readSync: () => {
              throw new Error('disk on fire')
            },
            close: () => r.close(),
          }
        )
      },
    })
    await expect(openNetcdf4(target(failing, 'nc4.nc'))).rejects.toMatchObject({
      code: 'CORRUPT_PAYLOAD',
      message: expect.stringContaining(
        'nc4.nc is not a readable NetCDF4/HDF5 file: reading it failed (disk on fire)',
      ),
    })
    // and HDF5 is still fine afterwards
    const ds = await openNetcdf4(target(local, 'nc4.nc'))
    expect((await variable(ds, 'lat').array.read()).data).toEqual(new Float64Array([-1, 0, 1]))
    await ds.close?.()
  })

  it('refuses to copy a huge object from a store without random reads', async () => {
    const m = await memoryCopy('nc4.nc')
    const huge: Backend = Object.assign(Object.create(m) as Backend, {
      head: async (p: string) => {
        const meta = await m.head(p)
        return meta && { ...meta, size: 2 ** 40 }
      },
    })
    await expect(openNetcdf4(target(huge, 'nc4.nc'))).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: expect.stringContaining('too big to preview'),
    })
  })
})
