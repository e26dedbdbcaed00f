// A Parquet export hands the one Parquet encoder (parquet-write.ts, written by t8-pqwrite) the
// matching rows in query order with their index as a column, and writes what it returns.
import { promises as fs } from 'node:fs'
import type { Table } from 'apache-arrow'
import { describe, expect, it, vi } from 'vitest'
import { CacheStore } from '../../electron/engine/store.js'
import { tableToJson } from '../../electron/engine/table/table-json.js'
import {
  exportQuery,
  openTableSource,
  removeExport,
  runTableQuery,
} from '../../electron/engine/table/query/index.js'
import { FIXTURE_CACHE } from '../helpers/temp.js'

const encoded: { table: Table; options: unknown }[] = []
vi.mock('../../electron/engine/serializers/parquet/parquet-write.js', () => ({
  encodeParquet: async (table: Table, options: unknown) => {
    encoded.push({ table, options })
    return new Uint8Array([80, 65, 82, 49])
  },
}))

describe('Parquet export', () => {
  it('encodes the filtered rows in sort order with their index', async () => {
    const store = await CacheStore.open(FIXTURE_CACHE, { readonly: true })
    const source = await openTableSource(store, 'stations.csv')
    const query = {
      sort: [{ column: 'temperature', descending: true }],
      filters: [{ column: 'active', op: 'eq' as const, value: true }],
      search: '',
      groupBy: null,
    }
    const { positions } = await runTableQuery(source, query)
    const out = await exportQuery(source, positions, 'stations.filtered.parquet', 'parquet')
    expect(out).toMatchObject({ rows: 3, bytes: 4, name: 'stations.filtered.parquet' })
    expect([...(await fs.readFile(out.path))]).toEqual([80, 65, 82, 49])
    await removeExport(out.path)
    const json = tableToJson(encoded[0]!.table, 10)
    expect(json.index?.values).toEqual([0, 3, 2])
    expect(json.rows.map((r) => r[1])).toEqual([12.5, 0.1, -3.25])
    expect(encoded[0]!.options).toEqual({ index: true })
  })
})
