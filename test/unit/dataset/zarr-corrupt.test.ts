// A Zarr store is untrusted input: bad metadata and damaged chunks fail with an error that
// names the file and says what is wrong, before anything large is allocated; never a hang.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { deflateSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { CorruptPayloadError, LimitExceededError } from '../../../electron/engine/errors.js'
import { openZarr } from '../../../electron/engine/dataset/zarr/open-zarr.js'
import { FIXTURE_CACHE, REPO, tempDir } from '../../helpers/temp.js'
import { targetIn } from './zarr-helpers.js'

const CORPUS = path.join(REPO, 'test', 'fixtures', 'datasets', 'zarr')

/** A temp copy of a store; `edit` changes it; returns the folder holding it and its name. */
async function damaged(src: string, edit: (dir: string) => Promise<void>): Promise<string> {
  const root = await tempDir('xp-zarr-bad-')
  await fs.cp(src, path.join(root, 's.zarr'), { recursive: true })
  await edit(path.join(root, 's.zarr'))
  return root
}

async function editJson(file: string, change: (o: Record<string, unknown>) => void): Promise<void> {
  const o = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>
  change(o)
  await fs.writeFile(file, JSON.stringify(o))
}

const SST = path.join(FIXTURE_CACHE, 'sst-monthly-unconsolidated.zarr')

async function openBad(edit: (dir: string) => Promise<void>, src = SST) {
  return openZarr(await targetIn(await damaged(src, edit), 's.zarr'))
}

describe('bad .zarray', () => {
  test.each([
    [[-1, 4, 5], /shape \[-1,4,5\] has -1, not an integer >= 0/],
    [[6.5, 4, 5], /has 6\.5, not an integer/],
    [[2 ** 40, 2 ** 40, 5], /more than 2\^53 elements/],
    ['6', /shape must be a list/],
  ])('shape %j is refused naming the file', async (shape, why) => {
    const err = await openBad((d) =>
      editJson(path.join(d, 'sst', '.zarray'), (o) => (o.shape = shape)),
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CorruptPayloadError)
    expect((err as Error).message).toMatch(/s\.zarr\/sst\/\.zarray/)
    expect((err as Error).message).toMatch(why)
  })

  test('an unknown codec is named, with the supported ones', async () => {
    const err = await openBad((d) =>
      editJson(path.join(d, 'sst', '.zarray'), (o) => (o.compressor = { id: 'bz2', level: 9 })),
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CorruptPayloadError)
    expect((err as Error).message).toMatch(
      /s\.zarr\/sst\/\.zarray.*codec "bz2" is not supported; supported compressors are blosc, zlib, gzip, zstd, lz4/,
    )
  })

  test('an unknown filter and an unknown dtype are named', async () => {
    await expect(
      openBad((d) =>
        editJson(path.join(d, 'sst', '.zarray'), (o) => (o.filters = [{ id: 'quantize' }])),
      ),
    ).rejects.toThrow(/filter "quantize" is not supported/)
    await expect(
      openBad((d) => editJson(path.join(d, 'sst', '.zarray'), (o) => (o.dtype = '<M8[ns]'))),
    ).rejects.toThrow(/dtype '<M8\[ns\]'/)
  })

  test('missing _ARRAY_DIMENSIONS is refused, as xarray refuses it', async () => {
    await expect(
      openBad((d) => editJson(path.join(d, 'sst', '.zattrs'), (o) => delete o._ARRAY_DIMENSIONS)),
    ).rejects.toThrow(/sst\/\.zattrs in .*: _ARRAY_DIMENSIONS is missing/)
  })

  test('a .zmetadata that is not JSON names itself', async () => {
    const src = path.join(FIXTURE_CACHE, 'sst-monthly.zarr')
    await expect(
      openBad((d) => fs.writeFile(path.join(d, '.zmetadata'), '{"metadata": {'), src),
    ).rejects.toThrow(/s\.zarr\/\.zmetadata .* is not valid JSON/)
  })

  test('chunks larger than the cap are refused at read, before fetching; the rest opens', async () => {
    const ds = await openBad(async (d) => {
      await editJson(path.join(d, 'sst', '.zarray'), (o) => {
        o.shape = [2 ** 31, 4, 5]
        o.chunks = [2 ** 31, 4, 5]
      })
      await editJson(
        path.join(d, 'sst', '.zattrs'),
        (o) => (o._ARRAY_DIMENSIONS = ['step', 'lat', 'lon']),
      )
    })
    const sst = ds.variables.find((v) => v.name === 'sst')!
    const err = await sst.array.read([0, 0, 0]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LimitExceededError)
    expect((err as Error).message).toMatch(
      /sst\/\.zarray in .*: chunks of \[2147483648,4,5\] <f4 are 171798691840 bytes/,
    )
    const lat = ds.variables.find((v) => v.name === 'lat')!
    expect((await lat.array.read()).shape).toEqual([4])
  })
})

describe('damaged chunks', () => {
  async function readSst(edit: (dir: string) => Promise<void>, src = SST): Promise<unknown> {
    const ds = await openBad(edit, src)
    return ds.variables
      .find((v) => v.name === 'sst')!
      .array.read()
      .catch((e: unknown) => e)
  }

  test('a truncated Blosc chunk', async () => {
    const err = await readSst(async (d) => {
      const f = path.join(d, 'sst', '0.0.0')
      await fs.writeFile(f, (await fs.readFile(f)).subarray(0, 40))
    })
    expect(err).toBeInstanceOf(CorruptPayloadError)
    expect((err as Error).message).toMatch(
      /Chunk s\.zarr\/sst\/0\.0\.0 in file:.* is damaged: the Blosc header says \d+ compressed bytes but the chunk has 40/,
    )
  })

  test('a Blosc header claiming a huge decompressed size is refused before decoding', async () => {
    const err = await readSst(async (d) => {
      const f = path.join(d, 'sst', '0.0.0')
      const b = await fs.readFile(f)
      b.writeUInt32LE(0xfffffff0, 4)
      await fs.writeFile(f, b)
    })
    expect((err as Error).message).toMatch(
      /s\.zarr\/sst\/0\.0\.0.*claims 4294967280 decompressed bytes, more than the chunk can hold \(480\)/,
    )
  })

  test('an uncompressed chunk of the wrong size', async () => {
    const src = path.join(FIXTURE_CACHE, 'sst-monthly-uncompressed.zarr')
    const err = await readSst(async (d) => {
      const f = path.join(d, 'sst', '0.0.0')
      await fs.writeFile(f, (await fs.readFile(f)).subarray(0, 100))
    }, src)
    expect(err).toBeInstanceOf(CorruptPayloadError)
    expect((err as Error).message).toMatch(
      /sst\/0\.0\.0 .*decodes to 100 bytes, but a chunk of this array has 480/,
    )
  })

  test('a zlib chunk that inflates far past the chunk size stops at the cap', async () => {
    const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024))
    const root = await tempDir('xp-zarr-bad-')
    await fs.cp(path.join(CORPUS, 'codecs.zarr'), path.join(root, 's.zarr'), { recursive: true })
    await fs.writeFile(path.join(root, 's.zarr', 'zlib', '0.0'), bomb)
    const ds = await openZarr(await targetIn(root, 's.zarr'))
    const v = ds.variables.find((x) => x.name === 'zlib')!
    const err = await v.array.read([0, 0]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CorruptPayloadError)
    expect((err as Error).message).toMatch(/s\.zarr\/zlib\/0\.0 .*zlib could not decode it/)
  })

  test('a vlen-utf8 chunk whose count disagrees with the chunk', async () => {
    const root = await tempDir('xp-zarr-bad-')
    await fs.cp(path.join(CORPUS, 'dtypes.zarr'), path.join(root, 's.zarr'), { recursive: true })
    await editJson(path.join(root, 's.zarr', 'vlen', '.zarray'), (o) => (o.compressor = null))
    const raw = Buffer.alloc(8)
    raw.writeUInt32LE(0x7fffffff, 0)
    await fs.writeFile(path.join(root, 's.zarr', 'vlen', '0'), raw)
    const ds = await openZarr(await targetIn(root, 's.zarr'), { consolidated: false })
    const err = await ds.variables
      .find((x) => x.name === 'vlen')!
      .array.read()
      .catch((e: unknown) => e)
    expect((err as Error).message).toMatch(
      /A chunk of s\.zarr\/vlen in .* is damaged: the vlen-utf8 chunk holds 2147483647 items, not the chunk's 4/,
    )
  })

  test('a missing chunk file reads as the fill value', async () => {
    const ds = await openBad((d) => fs.rm(path.join(d, 'sst', '0.0.0')))
    const got = await ds.variables.find((v) => v.name === 'sst')!.array.read([0, 0])
    expect(Array.from(got.data as Float32Array).every(Number.isNaN)).toBe(true)
  })
})
