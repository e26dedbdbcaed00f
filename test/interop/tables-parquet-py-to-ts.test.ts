/**
 * Python writes Parquet, TypeScript reads it: python/write_tables_parquet.py has pandas write
 * the read corpus with both engines (pyarrow and fastparquet: every codec, data pages v1 and v2,
 * dictionary/RLE/DELTA/BYTE_STREAM_SPLIT encodings, timestamps at ms/us/ns with and without a
 * zone, dates, nullable ints and booleans, categoricals, decimals, lists, structs, empty frames,
 * every index kind, several row groups) with golden JSON of what pd.read_parquet gives. Every
 * file must load and page here to the same values, column types, zones, ordered flags and index.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { DataType, type Dictionary, type Table, type Timestamp } from 'apache-arrow'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  pandasParquetSerializer,
  previewPandasParquet,
} from '../../electron/engine/serializers/parquet/parquet-serializer.js'
import {
  jsonCells,
  tableToJson,
  type JsonCell,
  type TableJson,
} from '../../electron/engine/table/table-json.js'
import { parquetHeader } from 'hyparquet/src/column.js'
import { openParquet } from '../../electron/engine/serializers/parquet/parquet-file.js'
import { tempDir } from '../helpers/temp.js'
import { norm, targetIn } from '../unit/parquet/helpers.js'
import { HOOK_TIMEOUT_MS, runPython, skipWithoutPython } from './helpers/python.js'

interface GoldenColumn {
  name: string
  dtype: string
  type: string
  ordered?: boolean
  /** A categorical's categories, in pandas' order (unused ones too). */
  categories?: unknown[]
  timezone?: string
}
interface Golden {
  rowCount: number
  columns: GoldenColumn[]
  index: { kind: 'range' | 'index' | 'multi'; names: (string | null)[]; levels: unknown[][] }
  rows: unknown[][]
  rowGroups: number
}
interface Case {
  engine: string
  case: string
  file?: string
  golden?: string
  skipped?: string
}

// What the generator writes at least (a case silently dropped from it would fail here).
const EXPECTED_CASES = [
  'codec-snappy',
  'codec-gzip',
  'codec-zstd',
  'codec-brotli',
  'codec-lz4',
  'codec-none',
  'codec-zstd-v2',
  'delta-v1',
  'delta-v2',
  'times-ms',
  'times-us',
  'times-ns',
  'times-int96',
  'dates',
  'categoricals',
  'decimals',
  'decimals-int',
  'nested',
  'empty-rows',
  'empty-columns',
  'index-range',
  'index-named',
  'index-unnamed',
  'index-multi',
  'row-groups',
]

/**
 * Where this reader keeps more than pandas 1.5.3 + pyarrow 25 give back, on purpose (the
 * values are the same numbers; the type is the one the file and its pandas metadata record):
 * - a nullable Int64 column fastparquet wrote (pandas_type 'Int64', nulls) stays int64 here;
 *   pandas reads it as float64, which would lose integers beyond 2^53.
 * - a categorical of integers stays a dictionary of int64 here; pandas reads float64.
 * - fastparquet's 0-column frame of 4 rows has 4 rows here (its footer and RangeIndex say 4);
 *   pandas reads 0 rows because pyarrow counts rows from columns.
 */
function deviations(key: string, g: Golden): Golden {
  const columns = g.columns.map((c) => {
    if (key.startsWith('fastparquet-') && c.name === 'ni') return { ...c, type: 'int64' }
    if (key.endsWith('-categoricals') && c.name === 'ci') return { ...c, type: 'int64' }
    return c
  })
  if (key === 'fastparquet-empty-columns') {
    const stored = 4
    return {
      ...g,
      columns,
      rowCount: stored,
      rows: Array.from({ length: stored }, () => []),
      index: { ...g.index, levels: [Array.from({ length: stored }, (_, i) => i)] },
    }
  }
  return { ...g, columns }
}

const SUITE = 'Python writes Parquet (pyarrow and fastparquet), TypeScript reads it'

/** A JSON cell (nested for lists and structs) in the form both sides agree on. */
function deep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deep)
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)]))
  }
  return norm(v as JsonCell)
}

/** Cells of one column, float32 compared at float32 precision (pandas prints the double). */
function column(rows: unknown[][], at: number, type: string): unknown[] {
  return rows.map((r) => {
    const v = deep(r[at])
    return type === 'float32' && typeof v === 'number' ? Math.fround(v) : v
  })
}

/** The golden index as table-json.ts spells it for rows [start, end). */
function goldenIndex(g: Golden, start: number, end: number): unknown {
  const { kind, names, levels } = g.index
  if (kind === 'multi') {
    const values = levels[0]!.slice(start, end).map((_, i) => levels.map((l) => deep(l[start + i])))
    return { name: null, names, values }
  }
  return { name: names[0] ?? null, values: levels[0]!.slice(start, end).map(deep) }
}

function shownIndex(json: TableJson): unknown {
  const index = json.index
  if (!index) return null
  const values = index.values.map((v) => deep(v))
  return index.names
    ? { name: index.name, names: index.names, values }
    : { name: index.name, values }
}

/** Compares a page (rows [start, start + n)) with the golden frame. */
function expectPage(json: TableJson, g: Golden, start: number, what: string): void {
  const end = start + json.rows.length
  expect(json.columns, what).toEqual(g.columns.map((c) => ({ name: c.name, type: c.type })))
  g.columns.forEach((c, i) => {
    expect(column(json.rows, i, c.type), `${what} column ${c.name}`).toEqual(
      column(g.rows.slice(start, end), i, c.type),
    )
  })
  expect(shownIndex(json), `${what} index`).toEqual(goldenIndex(g, start, end))
}

/** Zones and ordered flags live on the Arrow types, not in the JSON. */
function expectArrowTypes(table: Table, g: Golden, what: string): void {
  for (const c of g.columns) {
    const type = table.schema.fields.find((f) => f.name === c.name)?.type as DataType
    expect(type, `${what} ${c.name}`).toBeDefined()
    if (c.timezone !== undefined) {
      expect((type as Timestamp).timezone, `${what} ${c.name} zone`).toBe(c.timezone)
    } else if (DataType.isTimestamp(type)) {
      expect((type as Timestamp).timezone ?? null, `${what} ${c.name} naive`).toBeNull()
    }
    if (c.ordered !== undefined) {
      expect(DataType.isDictionary(type), `${what} ${c.name} is a dictionary`).toBe(true)
      expect((type as Dictionary).isOrdered, `${what} ${c.name} ordered`).toBe(c.ordered)
      const dictionary = table.getChild(c.name)!.data[0]!.dictionary!
      expect(jsonCells(dictionary).map(deep), `${what} ${c.name} categories`).toEqual(
        c.categories!.map(deep),
      )
    }
  }
}

function failure(key: string, err: unknown): string {
  const e = err as Error & { actual?: unknown; expected?: unknown }
  const show = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x))?.slice(0, 400)
  const diff = 'actual' in e ? ` got ${show(e.actual)} want ${show(e.expected)}` : ''
  return `${key}: ${e.message.split('\n')[0]}${diff}`
}

describe.skipIf(skipWithoutPython(SUITE))(SUITE, () => {
  let dir = ''
  let cases: [string, Case][] = []
  const golden = async (key: string, c: Case): Promise<Golden> =>
    deviations(key, JSON.parse(await fs.readFile(path.join(dir, c.golden!), 'utf8')) as Golden)

  beforeAll(async () => {
    const tmp = await tempDir('xp-interop-pq-')
    dir = path.join(tmp, 'corpus')
    await runPython('write_tables_parquet.py', [dir])
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as {
      cases: Record<string, Case>
    }
    cases = Object.entries(manifest.cases)
  }, HOOK_TIMEOUT_MS)

  it('the corpus has every case, written by both engines where they can', () => {
    const written = new Set(cases.filter(([, c]) => c.file).map(([k]) => k))
    for (const name of EXPECTED_CASES) expect(written, name).toContain(`pyarrow-${name}`)
    for (const engine of ['pyarrow', 'fastparquet']) {
      expect(cases.filter(([, c]) => c.file && c.engine === engine).length).toBeGreaterThan(15)
    }
    // A case an engine cannot write says why.
    for (const [key, c] of cases) if (!c.file) expect(c.skipped, key).toMatch(/\w+/)
  })

  it('the files hold every codec, encoding and page version named (from their footers)', async () => {
    const codecs = new Set<string>()
    const encodings = new Set<string>()
    const pages = new Set<string>()
    for (const [, c] of cases) {
      if (!c.file) continue
      const file = await openParquet(await targetIn(dir, c.file))
      for (const group of file.metadata.row_groups) {
        for (const column of group.columns) {
          const m = column.meta_data!
          codecs.add(m.codec)
          m.encodings.forEach((e) => encodings.add(e))
          // The page kind is in the data page's own header (encoding_stats say DATA_PAGE).
          const at = Number(m.data_page_offset)
          const head = new Uint8Array(await file.buffer.slice(at, at + 256))
          pages.add(parquetHeader({ view: new DataView(head.buffer), offset: 0 }).type)
        }
      }
    }
    for (const codec of ['BROTLI', 'GZIP', 'SNAPPY', 'UNCOMPRESSED', 'ZSTD']) {
      expect(codecs, codec).toContain(codec)
    }
    // pandas' 'lz4' is written as LZ4 or LZ4_RAW, depending on the writer.
    expect(codecs.has('LZ4') || codecs.has('LZ4_RAW')).toBe(true)
    for (const e of [
      'PLAIN',
      'PLAIN_DICTIONARY',
      'RLE_DICTIONARY',
      'RLE',
      'DELTA_BINARY_PACKED',
      'DELTA_LENGTH_BYTE_ARRAY',
      'DELTA_BYTE_ARRAY',
      'BYTE_STREAM_SPLIT',
    ]) {
      expect(encodings, e).toContain(e)
    }
    expect(pages).toContain('DATA_PAGE_V2')
    expect(pages).toContain('DATA_PAGE')
  })

  it('every file loads whole to the golden values, types and index', async () => {
    const failures: string[] = []
    for (const [key, c] of cases) {
      if (!c.file) continue
      const g = await golden(key, c)
      try {
        const target = await targetIn(dir, c.file)
        const table = (await pandasParquetSerializer.load(target, {})) as Table
        const json = tableToJson(table, table.numRows)
        expect(json.rowCount, key).toBe(g.rowCount)
        expectPage(json, g, 0, key)
        expectArrowTypes(table, g, key)
      } catch (err) {
        failures.push(failure(key, err))
      }
    }
    expect(failures).toEqual([])
  })

  it('pages by offset equal the golden rows, one spanning row groups', async () => {
    const failures: string[] = []
    for (const [key, c] of cases) {
      if (!c.file) continue
      const g = await golden(key, c)
      const pages: [number, number][] = [
        [0, 3],
        [Math.floor(g.rowCount / 2), 4],
        [Math.max(0, g.rowCount - 2), 5],
        [g.rowCount + 3, 2],
      ]
      if (g.rowGroups > 1) pages.push([15, 10])
      try {
        const target = await targetIn(dir, c.file)
        for (const [offset, rows] of pages) {
          const page = await previewPandasParquet(target, { offset, rows, kwargs: {} })
          expect(page.rowCount, key).toBe(g.rowCount)
          // Bytes are counted as fetched: a page never fetches more than the file.
          expect(page.bytesRead, `${key} @${offset} bytes`).toBeLessThanOrEqual(page.totalBytes)
          const json = tableToJson(page.table, rows)
          expect(json.rows.length, `${key} @${offset}`).toBe(
            Math.max(0, Math.min(rows, g.rowCount - offset)),
          )
          expectPage(json, g, Math.min(offset, g.rowCount), `${key} @${offset}`)
          expectArrowTypes(page.table, g, `${key} @${offset}`)
        }
      } catch (err) {
        failures.push(failure(key, err))
      }
    }
    expect(failures).toEqual([])
  })

  it('a page of a file with several row groups reads only the groups it crosses', async () => {
    const multi = cases.filter(([k, c]) => c.file && k.includes('row-groups'))
    expect(multi.length).toBeGreaterThanOrEqual(3)
    for (const [key, c] of multi) {
      const g = await golden(key, c)
      expect(g.rowGroups, key).toBeGreaterThan(2)
      const target = await targetIn(dir, c.file!)
      const page = await previewPandasParquet(target, { offset: 15, rows: 10, kwargs: {} })
      expect(page.bytesRead, key).toBeLessThan(page.totalBytes)
      const whole = await previewPandasParquet(target, { offset: 0, rows: g.rowCount, kwargs: {} })
      expect(page.bytesRead, key).toBeLessThan(whole.bytesRead)
    }
  })
})
