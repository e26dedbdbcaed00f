// Damaged Parquet whose footer or page headers lie (written by
// test/fixtures/tables/corrupt/write_corrupt_parquet.py): every one fails with a
// CorruptPayloadError or LimitExceededError naming the payload, before allocating what it
// claims; and a bounded-count fuzz of byte flips and truncations never gives another error.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CorruptPayloadError,
  LimitExceededError,
  XpersistError,
} from '../../../electron/engine/errors.js'
import {
  pandasParquetSerializer,
  previewPandasParquet,
} from '../../../electron/engine/serializers/parquet/parquet-serializer.js'
import { REPO } from '../../helpers/temp.js'
import { MemoryBackend, memoryTarget } from '../csv/memory-backend.js'

const DIR = path.join(REPO, 'test', 'fixtures', 'tables', 'corrupt')
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(DIR, name)))

async function outcome(
  bytes: Uint8Array,
  how: 'load' | 'preview',
  name = 'bad.parquet',
): Promise<unknown> {
  const backend = new MemoryBackend()
  await backend.put(name, bytes)
  const target = memoryTarget(backend, name)
  const read =
    how === 'load'
      ? pandasParquetSerializer.load(target, {})
      : previewPandasParquet(target, { offset: 1, rows: 3, kwargs: {} })
  return read.then(
    () => null,
    (e: unknown) => e,
  )
}

// Peak resident memory of this process in bytes (Linux: the high-water mark).
const peakRss = (): number => process.resourceUsage().maxRSS * 1024

describe('pandas.parquet refuses footers and page headers that lie', () => {
  it.each([
    ['rows-2e40.parquet', /claims a row group of 1099511627776 rows in a column chunk of 86 bytes/],
    ['rows-negative.parquet', /says it has -5 rows/],
    [
      'chunk-past-end.parquet',
      /has a column chunk at bytes 1000000000\.\.1000000086, past its end/,
    ],
    [
      'page-huge-size.parquet',
      /has a SNAPPY page claiming 2147483647 bytes uncompressed, more than the \d+ bytes/,
    ],
    ['page-huge-size-v2.parquet', /has a SNAPPY page claiming 2147483\d+ bytes uncompressed/],
    ['page-huge-values.parquet', /could not be decoded/],
  ])('%s', async (name, message) => {
    const before = peakRss()
    for (const how of ['load', 'preview'] as const) {
      const err = await outcome(bytesOf(name), how, name)
      expect(err, `${name} ${how}`).toBeInstanceOf(CorruptPayloadError)
      expect((err as Error).message).toContain(`payload ${name} `)
      expect((err as Error).message).toMatch(message)
    }
    // The page claiming 2 GiB allocated it in full before the guard (measured: +2139 MB).
    expect(peakRss() - before).toBeLessThan(256 * 1024 ** 2)
  })

  it('the file they were made from reads', async () => {
    expect(await outcome(bytesOf('ok.parquet'), 'load')).toBeNull()
    expect(await outcome(bytesOf('mixed.parquet'), 'preview')).toBeNull()
  })

  it('a wrong trailing magic and negative or huge footer lengths', async () => {
    const good = bytesOf('ok.parquet')
    const tail = good.slice()
    tail.set(new TextEncoder().encode('PAR0'), tail.length - 4)
    const cases: [Uint8Array, RegExp][] = [[tail, /does not end with the Parquet magic PAR1/]]
    for (const [n, message] of [
      [0x80000000, /claims a 2147483648-byte footer, over the/], // -2^31 as an int32
      [0xfffffffb, /claims a 4294967291-byte footer, over the/], // -5 as an int32
      [good.length - 11, /claims a 217-byte footer in a 228-byte file/],
    ] as const) {
      const bytes = good.slice()
      new DataView(bytes.buffer).setUint32(bytes.length - 8, n, true)
      cases.push([bytes, message])
    }
    for (const [bytes, message] of cases) {
      const err = await outcome(bytes, 'preview')
      expect(err).toBeInstanceOf(CorruptPayloadError)
      expect((err as Error).message).toMatch(message)
    }
  })

  it('byte flips and truncations anywhere (footer included) give only xpersist errors (bounded fuzz)', async () => {
    let seed = 12345
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return Math.floor((seed / 2 ** 31) * n)
    }
    const before = peakRss()
    const kinds = new Map<string, number>()
    for (const name of ['ok.parquet', 'mixed.parquet']) {
      const good = bytesOf(name)
      for (let trial = 0; trial < 150; trial++) {
        let bytes = good.slice()
        if (trial % 3 === 0) bytes = bytes.slice(0, rand(bytes.length))
        else {
          // Flip 1-4 bytes, half the time inside the footer (the last 20% of the file).
          const from = trial % 2 ? Math.floor(bytes.length * 0.8) : 0
          for (let k = 0; k <= rand(4); k++) bytes[from + rand(bytes.length - from)] = rand(256)
        }
        for (const how of ['load', 'preview'] as const) {
          const err = await outcome(bytes, how)
          if (err === null) continue
          // Anything else (a TypeError, RangeError, hyparquet's own Error) is a defect.
          expect(err, `${name} trial ${trial} ${how}: ${String(err)}`).toBeInstanceOf(XpersistError)
          expect(
            err instanceof CorruptPayloadError || err instanceof LimitExceededError,
            String(err),
          ).toBe(true)
          expect((err as Error).message).toContain('bad.parquet')
          const kind = (err as Error).constructor.name
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
        }
      }
    }
    expect(kinds.get('CorruptPayloadError') ?? 0).toBeGreaterThan(100)
    expect(peakRss() - before).toBeLessThan(512 * 1024 ** 2)
  }, 120_000)
})
