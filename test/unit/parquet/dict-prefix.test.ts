// Preview pages read only the prefix of a dictionary page their rows point at
// (parquet-dict-prefix.ts): the rows equal a whole read for every column kind pandas writes
// (near-unique and low-cardinality strings, dictionary ints, floats, nulls, categoricals,
// decimals, time zones, dates) at row 0, inside a page, across pages, past the dictionary's
// fallback to PLAIN and in a later row group; and a first page reads a small part of a
// ~1 MB dictionary page.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Table } from 'apache-arrow'
import { parquetMetadata } from 'hyparquet'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Backend } from '../../../electron/engine/backend/backend.js'
import {
  pandasParquetSerializer,
  previewPandasParquet,
} from '../../../electron/engine/serializers/parquet/parquet-serializer.js'
import { PYTHON, PYTHON_TIMEOUT_MS, skipWithoutPython } from '../../interop/helpers/python.js'
import { REPO, tempDir } from '../../helpers/temp.js'
import { jsonOf, targetIn } from './helpers.js'

const MAKE = path.join(REPO, 'test', 'fixtures', 'tables', 'dict-prefix', 'make.py')
const skip = skipWithoutPython('Parquet dictionary prefixes')
let dir = ''

beforeAll(async () => {
  if (skip) return
  dir = await tempDir('xp-dict-prefix-')
  await promisify(execFile)(PYTHON, [MAKE, dir], { timeout: PYTHON_TIMEOUT_MS })
}, PYTHON_TIMEOUT_MS)

// The ranges a preview fetched, through a backend that records its gets.
async function recordingTarget(file: string) {
  const target = await targetIn(dir, file)
  const ranges: [number, number][] = []
  const inner = target.backend
  const backend = new Proxy(inner, {
    get(t, p) {
      if (p === 'get') {
        return (key: string, range?: { offset: number; length: number }) => {
          if (range) ranges.push([range.offset, range.offset + range.length])
          return t.get(key, range)
        }
      }
      const v = Reflect.get(t, p) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v
    },
  }) as Backend
  return { target: { ...target, backend }, ranges }
}

// Bytes of [start, end) covered by any of `ranges`.
function covered(ranges: [number, number][], start: number, end: number): number {
  const parts = ranges
    .map(([a, b]) => [Math.max(a, start), Math.min(b, end)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
  let total = 0
  let at = start
  for (const [a, b] of parts) {
    if (b <= at) continue
    total += b - Math.max(a, at)
    at = b
  }
  return total
}

describe.skipIf(skip)('Parquet dictionary prefixes', () => {
  for (const file of ['snappy-v1.parquet', 'none-v1.parquet', 'snappy-v2.parquet']) {
    it(`${file}: pages equal the whole read (offsets in, across and past pages and groups)`, async () => {
      const target = await targetIn(dir, file)
      const whole = jsonOf((await pandasParquetSerializer.load(target, {})) as Table)
      const n = whole.rowCount
      expect(n).toBe(24000)
      // Rows 0.., inside the first pages, deep in the dictionary (windows doubled), past its
      // fallback to PLAIN pages, across the row group boundary, in later groups, the last.
      const cases: [number, number][] = [
        [0, 20],
        [0, 1],
        [3, 5],
        [100, 300],
        [1500, 40],
        [3000, 20],
        [5200, 20],
        [8000, 20],
        [9990, 20],
        [10000, 1],
        [12345, 100],
        [20007, 20],
        [23999, 1],
      ]
      for (const [offset, rows] of cases) {
        const page = await previewPandasParquet(target, { offset, rows, kwargs: {} })
        const got = jsonOf(page.table)
        const end = Math.min(n, offset + rows)
        expect(got.rows, `${file} rows ${offset}..${end}`).toEqual(whole.rows.slice(offset, end))
        expect(got.index?.values).toEqual(whole.index?.values.slice(offset, end))
        expect(got.columns).toEqual(whole.columns)
      }
    })
  }

  it('snappy-v1.parquet: a first page reads under a tenth of the file (it read every dictionary page whole)', async () => {
    const target = await targetIn(dir, 'snappy-v1.parquet')
    const page = await previewPandasParquet(target, { offset: 0, rows: 20, kwargs: {} })
    expect(page.bytesRead).toBeLessThan(page.totalBytes / 10)
  })

  it('big-dict.parquet: a first page reads under 10% of its ~1 MB dictionary page', async () => {
    const file = 'big-dict.parquet'
    const bytes = new Uint8Array(readFileSync(path.join(dir, file)))
    const metadata = parquetMetadata(bytes.slice().buffer)
    const m = metadata.row_groups[0]!.columns[0]!.meta_data!
    const dictStart = Number(m.dictionary_page_offset)
    const dictEnd = Number(m.data_page_offset)
    expect(m.codec).toBe('SNAPPY')
    expect(dictEnd - dictStart).toBeGreaterThan(500_000)
    const whole = jsonOf(
      (await pandasParquetSerializer.load(await targetIn(dir, file), {})) as Table,
    )
    for (const [offset, rows] of [
      [0, 20],
      [0, 100],
      [37, 50],
    ] as const) {
      const { target, ranges } = await recordingTarget(file)
      const page = await previewPandasParquet(target, { offset, rows, kwargs: {} })
      expect(jsonOf(page.table).rows).toEqual(whole.rows.slice(offset, offset + rows))
      const dictionaryBytes = covered(ranges, dictStart, dictEnd)
      expect(dictionaryBytes).toBeGreaterThan(0)
      expect(dictionaryBytes).toBeLessThan((dictEnd - dictStart) / 10)
      expect(page.bytesRead).toBeLessThan(bytes.length / 5)
    }
  })
})
