/**
 * `show` of a pandas.csv artifact without --all: one page read through row checkpoints
 * (serializers/csv/csv-pages.ts) instead of the whole table. The page is what costs; the row
 * count is a scan of the whole file, so it is done only when it is cheap (the page reached
 * the end, the rest of the file is small, or an earlier run saved it) or when asked for with
 * --count. Otherwise rowCount is null (the preview contract's "not counted"). Checkpoints are
 * kept in the user's cache directory (csv-index-files.ts), so a later page deep in the same
 * file seeks from the nearest one instead of scanning from the start. The page's cells are
 * formatted from its texts (csv-page-json.ts): apache-arrow, whose import alone costs more
 * than the page, loads only for a file that cannot be scanned (test/cli/csv-page-imports).
 */
import type { CacheStore } from '../../engine/store.js'
import { countCsvRows, readCsvPageRows } from '../../engine/serializers/csv/csv-pages.js'
import { keptRowsJson } from '../../engine/serializers/csv/csv-page-json.js'
import { defaultIndexDir, useIndexDir } from '../../engine/serializers/csv/csv-index-files.js'

/** Cells a page holds at most (csv-serializer.ts's PREVIEW_MAX_CELLS, which loads Arrow). */
const PAGE_MAX_CELLS = 1_000_000

/** Bytes the page may scan past itself to count the rows without being asked (~30 ms). */
export const FREE_COUNT_BYTES = 4 * 1024 * 1024

/** The table JSON of rows [offset, offset + rows) of a CSV artifact; rowCount null when not counted. */
export async function csvPageJson(
  store: CacheStore,
  key: string,
  offset: number,
  rows: number,
  count = false,
): Promise<Record<string, unknown>> {
  useIndexDir(defaultIndexDir())
  const artifact = await store.getArtifact(key)
  const target = { backend: store.backend, path: key, putMode: 'overwrite' as const }
  const options = { kwargs: artifact.load_kwargs }
  const maxScanBytes = count ? Infinity : FREE_COUNT_BYTES
  const meta = await store.backend.head(key)
  const page =
    meta && (await readCsvPageRows(target, meta, options.kwargs, offset, rows, PAGE_MAX_CELLS))
  if (meta && page) {
    const json = keptRowsJson(page.reader.kept(), offset)
    const rowCount =
      page.rowCount ?? (await countCsvRows(target, meta, options.kwargs, undefined, maxScanBytes))
    return { ...json, rowCount, ...(offset ? { offset } : {}) }
  }
  // A missing payload (the serializer's error says so) or a file that cannot be scanned.
  const { countPandasCsvRows, previewPandasCsv } =
    await import('../../engine/serializers/csv/csv-serializer.js')
  const preview = await previewPandasCsv(target, { ...options, offset, rows })
  const rowCount =
    preview.rowCount ?? (await countPandasCsvRows(target, { ...options, maxScanBytes }))
  const { tableToJson } = await import('../../engine/table/table-json.js')
  const json = tableToJson(preview.table, rows)
  return { ...json, rowCount, ...(offset ? { offset } : {}) }
}
