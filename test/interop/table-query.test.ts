// Whole-table queries against pandas: the same table written by pandas as Parquet (pyarrow,
// several row groups) and CSV, the same queries answered by pandas (golden JSON:
// sort_values(kind='stable', na_position='last'), boolean masks, value_counts(dropna=False))
// and by each executor here. Row positions must match in order; group counts as a set, with
// the counts largest first.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TableQuery } from '../../electron/engine/preview-types.js'
import { CacheStore } from '../../electron/engine/store.js'
import { duckdbExecutor } from '../../electron/engine/table/query/duckdb-executor.js'
import {
  openTableSource,
  runTableQuery,
  type TableSource,
} from '../../electron/engine/table/query/index.js'
import { tempDir } from '../helpers/temp.js'
import { HOOK_TIMEOUT_MS, runPython, skipWithoutPython } from './helpers/python.js'

interface Golden {
  query: TableQuery
  positions: number[] | null
  groups: [unknown, number][] | null
  matched: number
}

const skip = skipWithoutPython('table queries against pandas')
let dir = ''
let golden: Record<'parquet' | 'csv', Record<string, Golden>>
const sources = new Map<string, TableSource>()

beforeAll(async () => {
  if (skip) return
  dir = await tempDir()
  await runPython('table_query_golden.py', [dir])
  golden = JSON.parse(await fs.readFile(path.join(dir, 'golden.json'), 'utf8'))
  // A cache as Python xpersist lays it out: the payload and its sidecar, written directly
  // (the import path's own checks are not what is tested here).
  const root = path.join(dir, 'cache')
  await fs.mkdir(path.join(root, 'xpersist_metadata_store'), { recursive: true })
  for (const [key, serializer] of [
    ['t.parquet', 'pandas.parquet'],
    ['t.csv', 'pandas.csv'],
  ] as const) {
    await fs.rename(path.join(dir, key), path.join(root, key))
    const sidecar = {
      key,
      serializer,
      load_kwargs: {},
      dump_kwargs: {},
      additional_metadata: {},
      created_at: '2026-12-02T00:00:00',
    }
    await fs.writeFile(
      path.join(root, 'xpersist_metadata_store', `${key}.artifact.json`),
      JSON.stringify(sidecar),
    )
  }
  const store = await CacheStore.open(root, { readonly: true })
  for (const key of ['t.parquet', 't.csv']) sources.set(key, await openTableSource(store, key))
}, HOOK_TIMEOUT_MS)

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

const sortedGroups = (groups: [unknown, number][]) =>
  [...groups].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))

async function check(key: string, format: 'parquet' | 'csv', engine: 'stream' | 'duckdb') {
  const source = sources.get(key)!
  for (const [name, want] of Object.entries(golden[format])) {
    if (engine === 'duckdb')
      expect(await duckdbExecutor.accepts(source, want.query), name).toBe(true)
    const got = await runTableQuery(source, want.query, { engine })
    expect(got.engine, name).toBe(engine)
    expect(got.matched, name).toBe(want.matched)
    if (want.positions) expect([...got.positions], name).toEqual(want.positions)
    if (want.groups) {
      const mine = got.groups!.map((g) => [g.value, g.count] as [unknown, number])
      expect(sortedGroups(mine), name).toEqual(sortedGroups(want.groups))
      const counts = mine.map((g) => g[1])
      expect(counts, `${name}: largest first`).toEqual([...counts].sort((a, b) => b - a))
    }
  }
}

describe.skipIf(skip)('whole-table queries answer as pandas does', () => {
  it('Parquet, streaming executor (hyparquet row groups)', () =>
    check('t.parquet', 'parquet', 'stream'))
  it('Parquet, DuckDB executor', () => check('t.parquet', 'parquet', 'duckdb'))
  it('CSV, streaming executor (the pandas.csv reader)', () => check('t.csv', 'csv', 'stream'))
})
