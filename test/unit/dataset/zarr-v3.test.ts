// Zarr v3. zarr-python 3 cannot install beside numpy 1.24 in the interop venv, so v3 is checked
// against zarrita, an independent implementation: zarrita reads what writeZarr writes, and the
// reader reads what zarrita writes. (No v3 file here was written by zarr-python.)
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import * as zarr from 'zarrita'
import { MemoryBackend } from '../../../electron/engine/backend/memory.js'
import { openZarr } from '../../../electron/engine/dataset/zarr/open-zarr.js'
import { writeZarr } from '../../../electron/engine/dataset/zarr/write-zarr.js'
import { FIXTURE_CACHE, tempDir } from '../../helpers/temp.js'
import { encodedFrom, plainValues, recording, targetIn } from './zarr-helpers.js'

/** A read-only zarrita store over a folder. */
function folderStore(root: string) {
  return {
    async get(key: string): Promise<Uint8Array | undefined> {
      return fs.readFile(path.join(root, key)).then(
        (b) => new Uint8Array(b),
        () => undefined,
      )
    },
  }
}

async function writtenV3(consolidated: boolean, compressor?: unknown) {
  const src = await openZarr(await targetIn(FIXTURE_CACHE, 'sst-monthly-chunked.zarr'))
  const enc = await encodedFrom(src)
  for (const v of enc.variables) {
    if (compressor === undefined) v.encoding.delete('compressor')
    else v.encoding.set('compressor', compressor)
  }
  const out = await tempDir('xp-zarr3-')
  await writeZarr(enc, await targetIn(out, 'v3.zarr'), { zarrFormat: 3, consolidated })
  return { src, dir: path.join(out, 'v3.zarr'), root: out }
}

describe('writeZarr zarr_format 3', () => {
  test.each([
    [true, undefined],
    [false, "Blosc(cname='zstd', clevel=3, shuffle=BITSHUFFLE, blocksize=0)"],
    [true, { id: 'gzip', level: 4 }],
    [true, null],
  ])(
    'consolidated %s, compressor %j: zarrita reads every array back',
    async (consolidated, compressor) => {
      const { src, dir } = await writtenV3(consolidated, compressor)
      const rootDoc = JSON.parse(await fs.readFile(path.join(dir, 'zarr.json'), 'utf8'))
      expect(rootDoc.node_type).toBe('group')
      expect(rootDoc.consolidated_metadata === null).toBe(!consolidated)
      const store = folderStore(dir)
      for (const v of src.variables) {
        const arr = await zarr.open.v3(zarr.root(store).resolve(v.name), { kind: 'array' })
        expect(arr.dimensionNames).toEqual(v.dims)
        expect(arr.chunks).toEqual(v.encoding.get('chunks'))
        const got = (await zarr.get(arr)) as { data: ArrayLike<unknown> }
        expect(plainValues(got.data)).toEqual(
          plainValues((await v.array.read()).data as ArrayLike<unknown>),
        )
      }
    },
  )

  test('the reader reads it back, from the inline consolidated metadata in one read', async () => {
    const { src, root } = await writtenV3(true)
    const { target, reads } = recording(await targetIn(root, 'v3.zarr'))
    const ds = await openZarr(target)
    expect(reads).toEqual(['v3.zarr/.zmetadata', 'v3.zarr/.zgroup', 'v3.zarr/zarr.json'])
    expect([...ds.dims]).toEqual([...src.dims])
    expect(Object.fromEntries(ds.attrs)).toEqual(Object.fromEntries(src.attrs))
    for (const v of ds.variables) {
      const s = src.variables.find((x) => x.name === v.name)!
      expect([...v.attrs]).toEqual([...s.attrs])
      expect(plainValues((await v.array.read([2])).data as ArrayLike<unknown>)).toEqual(
        plainValues((await s.array.read([2])).data as ArrayLike<unknown>),
      )
    }
  })
})

describe('reading what zarrita writes', () => {
  test('a v3 group with big-endian bytes and blosc, unconsolidated', async () => {
    const map = new Map<string, Uint8Array>()
    const store = {
      get: async (k: string) => map.get(k),
      set: async (k: string, v: Uint8Array) => void map.set(k, v),
    }
    await zarr.create(store, { attributes: { title: 'by zarrita' } })
    const arr = await zarr.create(zarr.root(store).resolve('temp'), {
      shape: [5, 7],
      chunkShape: [2, 3],
      dtype: 'float64',
      fillValue: -1,
      dimensionNames: ['y', 'x'],
      attributes: { units: 'K' },
      codecs: [
        { name: 'bytes', configuration: { endian: 'big' } },
        {
          name: 'blosc',
          configuration: { cname: 'lz4', clevel: 5, shuffle: 'shuffle', typesize: 8, blocksize: 0 },
        },
      ],
    })
    const values = Float64Array.from({ length: 35 }, (_, i) => i * 0.5)
    await zarr.set(arr, null, { data: values, shape: [5, 7], stride: [7, 1] })
    const backend = new MemoryBackend()
    for (const [k, v] of map) await backend.put(`z${k}`, v)
    const ds = await openZarr({ backend, path: 'z', putMode: 'overwrite' })
    expect(Object.fromEntries(ds.attrs)).toEqual({ title: 'by zarrita' })
    const v = ds.variables[0]!
    expect([v.name, v.dims, [...v.attrs]]).toEqual([
      'temp',
      ['y', 'x'],
      // v3 fill_value is Zarr's, not a CF _FillValue (xarray keeps them apart for v3).
      [['units', 'K']],
    ])
    expect(Array.from((await v.array.read([4])).data as Float64Array)).toHaveLength(7)
    expect(v.encoding.get('dtype')).toBe('>f8')
    expect(Array.from((await v.array.read()).data as Float64Array)).toEqual(Array.from(values))
    expect(
      Array.from((await v.array.read([{ start: 1, stop: 5, step: 3 }, 6])).data as Float64Array),
    ).toEqual([6.5, 17])
  })
})
