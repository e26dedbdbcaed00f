// Sharded Zarr v3 arrays (sharding_indexed), built by hand here so every byte of the shard
// index is known: index at the end and at the start, an empty inner chunk, a missing shard,
// damaged index entries, and a selection that reads only the index and the one chunk it needs.
// sharded-v3.zarr (make_sharded_v3.py) is what zarr-python 3 writes with the index at either end.
import { gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { MemoryBackend } from '../../../electron/engine/backend/memory.js'
import type { ByteRange } from '../../../electron/engine/backend/backend.js'
import { decodeDataset } from '../../../electron/engine/dataset/cf-decode.js'
import { encodeDataset } from '../../../electron/engine/dataset/cf-encode.js'
import { openZarr } from '../../../electron/engine/dataset/zarr/open-zarr.js'
import { writeZarr } from '../../../electron/engine/dataset/zarr/write-zarr.js'
import { crc32c } from '../../../electron/engine/dataset/zarr/zarr-shard.js'
import { CorruptPayloadError, InvalidArgumentError } from '../../../electron/engine/errors.js'
import type { Target } from '../../../electron/engine/serializers/serializer.js'
import path from 'node:path'
import { REPO } from '../../helpers/temp.js'
import { encodedFrom, plainValues, targetIn } from './zarr-helpers.js'

// Array [4, 6] int32 = arange(24); shards [2, 6]; inner chunks [1, 3]: 2 x 2 per shard.
const SHAPE = [4, 6]
const SHARD = [2, 6]
const INNER = [1, 3]
const FILL = -1
const EMPTY = 0xffffffffffffffffn

interface Build {
  location?: 'start' | 'end'
  /** Inner chunks (row, col in the whole grid) written as empty index entries. */
  empty?: string[]
  /** Shards (row) left out. */
  missing?: number[]
  gzip?: boolean
  /** Changes one shard's index entries [offset, nbytes] before the CRC is computed. */
  edit?: (shard: number, entries: bigint[]) => void
  crc?: boolean
}

function innerBytes(r: number, c: number, gzip: boolean): Uint8Array {
  const v = new Int32Array(3).map((_, j) => r * 6 + c * 3 + j)
  const raw = new Uint8Array(v.buffer)
  return gzip ? new Uint8Array(gzipSync(raw)) : raw
}

function shardBytes(s: number, o: Build): Uint8Array {
  const start = o.location === 'start'
  const crc = o.crc ?? true
  const indexLen = 16 * 4 + (crc ? 4 : 0)
  const chunks: Uint8Array[] = []
  const entries: bigint[] = []
  let at = start ? indexLen : 0
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      const r = s * 2 + i
      if (o.empty?.includes(`${r},${j}`)) {
        entries.push(EMPTY, EMPTY)
        continue
      }
      const b = innerBytes(r, j, o.gzip ?? false)
      chunks.push(b)
      entries.push(BigInt(at), BigInt(b.length))
      at += b.length
    }
  o.edit?.(s, entries)
  const index = new Uint8Array(indexLen)
  const view = new DataView(index.buffer)
  entries.forEach((e, k) => view.setBigUint64(8 * k, e, true))
  if (crc) view.setUint32(64, crc32c(index.subarray(0, 64)), true)
  const parts = start ? [index, ...chunks] : [...chunks, index]
  return Buffer.concat(parts)
}

async function sharded(o: Build = {}): Promise<{ backend: MemoryBackend; target: Target }> {
  const backend = new MemoryBackend()
  const put = (p: string, s: string) => backend.put(p, new TextEncoder().encode(s))
  await put('s.zarr/zarr.json', JSON.stringify({ zarr_format: 3, node_type: 'group' }))
  const index = [{ name: 'bytes', configuration: { endian: 'little' } }]
  if (o.crc ?? true) index.push({ name: 'crc32c' } as never)
  const codecs: unknown[] = [{ name: 'bytes', configuration: { endian: 'little' } }]
  if (o.gzip) codecs.push({ name: 'gzip', configuration: { level: 5 } })
  const meta = {
    zarr_format: 3,
    node_type: 'array',
    shape: SHAPE,
    data_type: 'int32',
    chunk_grid: { name: 'regular', configuration: { chunk_shape: SHARD } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    fill_value: FILL,
    codecs: [
      {
        name: 'sharding_indexed',
        configuration: {
          chunk_shape: INNER,
          codecs,
          index_codecs: index,
          index_location: o.location ?? 'end',
        },
      },
    ],
    dimension_names: ['y', 'x'],
    attributes: {},
  }
  await put('s.zarr/v/zarr.json', JSON.stringify(meta))
  for (const s of [0, 1]) {
    if (!o.missing?.includes(s)) await backend.put(`s.zarr/v/c/${s}/0`, shardBytes(s, o))
  }
  return { backend, target: { backend, path: 's.zarr', putMode: 'overwrite' } }
}

/** Every get of a chunk object, with its range and the bytes it returned. */
function counting(target: Target) {
  const gets: { path: string; range?: ByteRange; bytes: number }[] = []
  const backend = new Proxy(target.backend, {
    get(obj, prop, receiver) {
      if (prop === 'get') {
        return async (p: string, range?: ByteRange) => {
          const got = await obj.get(p, range)
          if (p.includes('/c/')) gets.push({ path: p, range, bytes: got?.byteLength ?? 0 })
          return got
        }
      }
      const v = Reflect.get(obj, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(obj) : v
    },
  })
  return { target: { ...target, backend }, gets }
}

const ALL = Array.from({ length: 24 }, (_, i) => i)

async function readAll(o: Build = {}) {
  const ds = await openZarr((await sharded(o)).target)
  const v = ds.variables.find((x) => x.name === 'v')!
  return { v, values: Array.from((await v.array.read()).data as Int32Array) }
}

describe('sharded zarr v3 reads', () => {
  test('crc32c matches the standard check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283)
  })

  test.each(['end', 'start'] as const)('index at the %s: every value', async (location) => {
    const { v, values } = await readAll({ location })
    expect(values).toEqual(ALL)
    expect(v.array.chunks).toEqual(INNER)
    expect(v.encoding.get('chunks')).toEqual(INNER)
    expect(v.encoding.get('shards')).toEqual(SHARD)
  })

  test('gzip inner chunks, no index checksum', async () => {
    expect((await readAll({ gzip: true, crc: false })).values).toEqual(ALL)
  })

  test('an empty inner chunk and a missing shard read as the fill value', async () => {
    const { values } = await readAll({ empty: ['1,1'], missing: [1] })
    const want = ALL.map((x) => ((x >= 9 && x < 12) || x >= 12 ? FILL : x))
    expect(values).toEqual(want)
  })

  test('a selection in one inner chunk reads only the index and that chunk', async () => {
    const { target, gets } = counting((await sharded()).target)
    const ds = await openZarr(target)
    const before = ds.bytesRead()
    const v = ds.variables.find((x) => x.name === 'v')!
    const got = await v.array.read([3, { start: 4, stop: 6 }])
    expect(Array.from(got.data as Int32Array)).toEqual([22, 23])
    expect(gets).toEqual([
      { path: 's.zarr/v/c/1/0', range: { suffixLength: 68 }, bytes: 68 },
      { path: 's.zarr/v/c/1/0', range: { offset: 36, length: 12 }, bytes: 12 },
    ])
    expect(ds.bytesRead() - before).toBe(80)
  })

  test.each([
    [
      'nbytes larger than an inner chunk can be',
      (e: bigint[]) => (e[3] = 1n << 40n),
      /larger than an inner chunk/,
    ],
    [
      'nbytes short of the inner chunk (decodes to the wrong size)',
      (e: bigint[]) => (e[3] = 8n),
      /inner chunk 0\/1\).*decodes to 8 bytes, but a chunk of this array has 12/,
    ],
    ['offset past the shard end', (e: bigint[]) => (e[2] = 1000n), /points past the shard's end/],
    ['offset near 2^64', (e: bigint[]) => (e[2] = EMPTY - 1n), /points outside/],
  ])('an index entry with %s is refused naming the shard', async (_, change, why) => {
    const ds = await openZarr((await sharded({ edit: (s, e) => s === 0 && change(e) })).target)
    const arr = ds.variables.find((x) => x.name === 'v')!.array
    const err = await arr.read().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CorruptPayloadError)
    expect(String(err)).toMatch(why)
    expect(String(err)).toContain('s.zarr/v/c/0/0')
    // The other shard's chunks do not touch the bad entry.
    expect(Array.from((await arr.read([3])).data as Int32Array)).toEqual(ALL.slice(18))
  })

  test('an index whose CRC32C does not match is refused', async () => {
    const { backend, target } = await sharded()
    const shard = (await backend.get('s.zarr/v/c/0/0'))!.slice()
    shard[shard.length - 10] = (shard[shard.length - 10] as number) ^ 1
    await backend.put('s.zarr/v/c/0/0', shard)
    const arr = (await openZarr(target)).variables.find((x) => x.name === 'v')!.array
    await expect(arr.read([0])).rejects.toThrow(/s\.zarr\/v\/c\/0\/0.*CRC32C of its index/)
  })

  test('a shard shorter than its index is refused', async () => {
    const { backend, target } = await sharded()
    await backend.put('s.zarr/v/c/0/0', new Uint8Array(10))
    const arr = (await openZarr(target)).variables.find((x) => x.name === 'v')!.array
    await expect(arr.read([0])).rejects.toThrow(/10 bytes, fewer than its index of 4 inner chunks/)
  })

  test('absurd inner chunk counts are refused from the metadata alone', async () => {
    const { backend, target } = await sharded()
    const doc = JSON.parse(new TextDecoder().decode(await backend.get('s.zarr/v/zarr.json')))
    doc.shape = [2 ** 40, 6]
    doc.chunk_grid.configuration.chunk_shape = [2 ** 30, 6]
    doc.codecs[0].configuration.chunk_shape = [1, 3]
    await backend.put('s.zarr/v/zarr.json', new TextEncoder().encode(JSON.stringify(doc)))
    await expect(openZarr(target)).rejects.toThrow(/holds 2147483648 inner chunks/)
  })

  test('writing with shards in the encoding is refused by name', async () => {
    const ds = await openZarr((await sharded()).target)
    const enc = await encodedFrom(ds)
    const out: Target = { backend: new MemoryBackend(), path: 'o.zarr', putMode: 'overwrite' }
    const err = await writeZarr(enc, out, { zarrFormat: 3, consolidated: true }).catch((e) => e)
    expect(err).toBeInstanceOf(InvalidArgumentError)
    expect(String(err)).toMatch(/'v'.*shards \[2,6\].*read-only here/)
  })

  test.each(['start', 'end'])(
    'zarr-python 3 shards, index at the %s, transposed gzip inner chunks',
    async (loc) => {
      const root = path.join(REPO, 'test', 'fixtures', 'datasets', 'zarr')
      const ds = await openZarr(await targetIn(root, 'sharded-v3.zarr'))
      const v = ds.variables.find((x) => x.name === `v_${loc}`)!
      const want = Array.from({ length: 35 }, (_, i) => (i % 7 >= 4 && i < 14 ? null : i))
      expect(plainValues((await v.array.read()).data as Float64Array)).toEqual(want)
      expect(plainValues((await v.array.read([4, null])).data as Float64Array)).toEqual(
        want.slice(28),
      )
      expect(v.encoding.get('shards')).toEqual([4, 8])
    },
  )

  test('a loaded sharded dataset writes back as plain chunks; shards from the user are refused', async () => {
    const ds = decodeDataset(await openZarr((await sharded()).target))
    const user = new Map([['v', { shards: [2, 6] }]])
    await expect(encodeDataset(ds, user, { format: 'zarr' })).rejects.toThrow(
      /'v'.*'shards'.*read-only here/,
    )
    const enc = await encodeDataset(ds, new Map(), { format: 'zarr' })
    const out: Target = { backend: new MemoryBackend(), path: 'o.zarr', putMode: 'overwrite' }
    await writeZarr(enc, out, { zarrFormat: 3, consolidated: true })
    const back = (await openZarr(out)).variables.find((x) => x.name === 'v')!
    expect(back.encoding.get('shards')).toBeUndefined()
    expect(back.array.chunks).toEqual(INNER)
    expect(Array.from((await back.array.read()).data as Int32Array)).toEqual(ALL)
  })
})
