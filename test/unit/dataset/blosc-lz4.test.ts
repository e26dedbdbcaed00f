// The JavaScript Blosc/lz4 decoder gives exactly numcodecs' bytes for the lz4 chunks zarr
// writes (several blocks, the last one short, split byte streams, shuffled or not, stored
// as-is when tiny), and declines (undefined) what it does not handle.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import Blosc from 'numcodecs/blosc'
import { decodeBloscLz4 } from '../../../electron/engine/dataset/zarr/blosc-lz4.js'
import { FIXTURE_CACHE, REPO, listFiles } from '../../helpers/temp.js'

const CORPUS = path.join(REPO, 'test', 'fixtures', 'datasets', 'zarr')
const wasm = Blosc.fromConfig({ id: 'blosc', cname: 'lz4', clevel: 5, shuffle: 1, blocksize: 0 })

async function chunksOf(dir: string): Promise<string[]> {
  return (await listFiles(dir))
    .filter((f) => /(^|\/)\d+(\.\d+)*$/.test(f))
    .map((f) => path.join(dir, f))
}

async function read(f: string): Promise<Uint8Array> {
  return new Uint8Array(await fs.readFile(f))
}

describe('decodeBloscLz4', () => {
  test('matches numcodecs on every lz4 chunk zarr wrote here', async () => {
    const files = [
      ...(await chunksOf(path.join(CORPUS, 'blosc-big.zarr'))),
      ...(await chunksOf(path.join(CORPUS, 'codecs.zarr', 'blosc_lz4_0'))),
      ...(await chunksOf(path.join(CORPUS, 'codecs.zarr', 'blosc_lz4_1'))),
      ...(await chunksOf(path.join(FIXTURE_CACHE, 'sst-monthly-chunked.zarr'))),
    ]
    const kinds = new Set<string>()
    for (const f of files) {
      const data = await read(f)
      const mine = decodeBloscLz4(data)
      expect(mine, f).toBeDefined()
      expect(Buffer.from(mine!).equals(Buffer.from(await wasm.decode(data))), f).toBe(true)
      const blocks = Math.ceil(
        new DataView(data.buffer).getUint32(4, true) / new DataView(data.buffer).getUint32(8, true),
      )
      kinds.add(
        `${data[2]! & 0x2 ? 'memcpyed' : 'lz4'}${data[2]! & 0x1 ? '+shuffle' : ''}${blocks > 1 ? '+blocks' : ''}`,
      )
    }
    // Every path of the decoder was taken.
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['lz4', 'lz4+shuffle', 'lz4+shuffle+blocks', 'memcpyed+shuffle']),
    )
  })

  test('declines bitshuffle and other compressors, and a frame whose streams do not add up', async () => {
    for (const name of ['blosc_lz4_2', 'blosc_zstd_1', 'blosc_zlib_0', 'blosc_blosclz_1']) {
      const big = path.join(CORPUS, 'codecs.zarr', name)
      const [f] = await chunksOf(big)
      const data = await read(f!)
      // Small chunks are stored as-is (memcpyed), which any compressor setting decodes alike.
      if (data[2]! & 0x2) expect(decodeBloscLz4(data)).toEqual(await wasm.decode(data))
      else expect(decodeBloscLz4(data), name).toBeUndefined()
    }
    const bad = await read(path.join(CORPUS, 'blosc-big.zarr', 'f4_blocks', '0'))
    bad.set([0xff, 0xff, 0xff, 0x0f], 16) // the first block starts past the end
    expect(decodeBloscLz4(bad)).toBeUndefined()
    const long = await read(path.join(CORPUS, 'blosc-big.zarr', 'f4_shuffle', '0'))
    const first = new DataView(long.buffer).getUint32(16, true)
    new DataView(long.buffer).setUint32(first, 0x7fffffff, true) // a stream longer than the chunk
    expect(decodeBloscLz4(long)).toBeUndefined()
  })
})
