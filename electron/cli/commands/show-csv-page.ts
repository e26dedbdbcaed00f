/**
 * `show` of a pandas.csv artifact without --all: one page read through row checkpoints
 * (serializers/csv/csv-pages.ts) instead of the whole table, then the rows counted by a byte
 * scan (no parsing, memory of one block) so the text and JSON forms say how many rows there
 * are, as they did when the whole file was parsed. The page's column types come from the page.
 */
import type { CacheStore } from '../../engine/store.js'
import {
  countPandasCsvRows,
  previewPandasCsv,
} from '../../engine/serializers/csv/csv-serializer.js'

/** The table JSON of rows [offset, offset + rows) of a CSV artifact, with the file's row count. */
export async function csvPageJson(
  store: CacheStore,
  key: string,
  offset: number,
  rows: number,
): Promise<Record<string, unknown>> {
  const artifact = await store.getArtifact(key)
  const target = { backend: store.backend, path: key, putMode: 'overwrite' as const }
  const options = { kwargs: artifact.load_kwargs }
  const page = await previewPandasCsv(target, { ...options, offset, rows })
  const rowCount = page.rowCount ?? (await countPandasCsvRows(target, options))
  const { tableToJson } = await import('../../engine/table/table-json.js')
  const json = tableToJson(page.table, rows)
  return { ...json, rowCount: rowCount ?? offset + json.rows.length, ...(offset ? { offset } : {}) }
}
