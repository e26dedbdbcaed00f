// A Parquet payload is untrusted: every damaged file fails with CorruptPayloadError naming the
// key and what is wrong, before anything is allocated for the lengths it claims.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CorruptPayloadError, LimitExceededError } from '../../../electron/engine/errors.js'
import {
  checkDecodeSize,
  pandasParquetSerializer,
  previewPandasParquet,
} from '../../../electron/engine/serializers/parquet/parquet-serializer.js'
import {
  MAX_FOOTER_BYTES,
  openParquet,
} from '../../../electron/engine/serializers/parquet/parquet-file.js'
import { FIXTURE_CACHE } from '../../helpers/temp.js'
import { MemoryBackend, memoryTarget } from '../csv/memory-backend.js'

const GOOD = new Uint8Array(readFileSync(path.join(FIXTURE_CACHE, 'hourly-zstd.parquet')))

async function failure(bytes: Uint8Array, how: 'load' | 'preview' = 'preview'): Promise<unknown> {
  const backend = new MemoryBackend()
  await backend.put('bad.parquet', bytes)
  const target = memoryTarget(backend, 'bad.parquet')
  const read =
    how === 'load'
      ? pandasParquetSerializer.load(target, {})
      : previewPandasParquet(target, { offset: 0, rows: 20, kwargs: {} })
  return read.then(
    () => null,
    (e: unknown) => e,
  )
}

function withFooterLength(n: number): Uint8Array {
  const bytes = GOOD.slice()
  new DataView(bytes.buffer).setUint32(bytes.length - 8, n, true)
  return bytes
}

describe('pandas.parquet refuses damaged payloads', () => {
  it.each([
    ['empty', new Uint8Array(0), /bad\.parquet is 0 bytes, too short/],
    [
      'truncated in the footer',
      GOOD.slice(0, GOOD.length - 100),
      /bad\.parquet does not end with the Parquet magic/,
    ],
    [
      'truncated to its first half',
      GOOD.slice(0, GOOD.length >> 1),
      /bad\.parquet does not end with the Parquet magic/,
    ],
    [
      'CSV text',
      new TextEncoder().encode('a,b\n1,2\n3,4\n5,6\n'),
      /does not end with the Parquet magic PAR1/,
    ],
    [
      'a footer over the limit',
      withFooterLength(MAX_FOOTER_BYTES + 1),
      /claims a 67108865-byte footer, over the 67108864-byte limit/,
    ],
    ['a footer of 2^32-1 bytes', withFooterLength(0xffffffff), /claims a 4294967295-byte footer/],
    [
      'a footer longer than the file',
      withFooterLength(GOOD.length),
      /claims a 7297-byte footer in a 7297-byte file/,
    ],
    ['a footer one byte short', withFooterLength(4718), /bad\.parquet has an unreadable footer/],
  ])('%s', async (_name, bytes, message) => {
    for (const how of ['load', 'preview'] as const) {
      const err = await failure(bytes, how)
      expect(err).toBeInstanceOf(CorruptPayloadError)
      expect((err as Error).message).toMatch(message)
    }
  })

  it('a wrong leading magic', async () => {
    const bytes = GOOD.slice()
    bytes.set(new TextEncoder().encode('PAR0'), 0)
    const err = await failure(bytes)
    expect(err).toBeInstanceOf(CorruptPayloadError)
    expect((err as Error).message).toMatch(/bad\.parquet does not start with the Parquet magic/)
  })

  it('column chunks overwritten with noise fail as corrupt, never hang (bounded fuzz)', async () => {
    // The data pages lie before the footer; the footer stays intact so hyparquet decodes them.
    const footerStart = GOOD.length - 8 - 4719
    let seed = 7
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    let failed = 0
    for (let trial = 0; trial < 40; trial++) {
      const bytes = GOOD.slice()
      for (let k = 0; k < 16; k++)
        bytes[4 + Math.floor(rand() * (footerStart - 4))] = Math.floor(rand() * 256)
      const err = await failure(bytes, 'load')
      // Noise can land in padding or values and still decode: then there is no error at all.
      if (err !== null) expect(err).toBeInstanceOf(CorruptPayloadError)
      if (err !== null) failed++
    }
    expect(failed).toBeGreaterThan(0)
  })

  it('refuses a read whose row groups decode to more than the limit, before reading them', async () => {
    const backend = new MemoryBackend()
    await backend.put('big.parquet', GOOD)
    const target = memoryTarget(backend, 'big.parquet')
    const { metadata } = await openParquet(target)
    // Rows 5-6 cross row groups 0 and 1 (groups of 6): two gust_ms chunks.
    const sizes = metadata.row_groups.map((g) =>
      Number(g.columns[3]!.meta_data!.total_uncompressed_size),
    )
    const two = sizes[0]! + sizes[1]!
    expect(() => checkDecodeSize(target, metadata, 5, 7, ['gust_ms'], two)).not.toThrow()
    expect(() => checkDecodeSize(target, metadata, 5, 7, ['gust_ms'], two - 1)).toThrow(
      LimitExceededError,
    )
    expect(() => checkDecodeSize(target, metadata, 5, 6, ['gust_ms'], sizes[0]!)).not.toThrow()
  })

  it('a missing payload names the key', async () => {
    const target = memoryTarget(new MemoryBackend(), 'gone.parquet')
    await expect(previewPandasParquet(target, { kwargs: {} })).rejects.toThrow(
      /Parquet payload gone\.parquet is missing/,
    )
  })
})
