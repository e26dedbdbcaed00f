/**
 * `xpersist show` for pandas.parquet: one page of rows (--offset, --rows, --columns) read
 * through byte ranges, so a page of a large file costs its footer and the row groups it
 * crosses, not the file. JSON: the explorer's TablePreview form.
 */
import type { CommandContext } from '../args.js'
import { UsageError, intOption } from '../args.js'
import type { CacheStore } from '../../engine/store.js'
import { cellText, indexText, textTable } from '../format.js'
import { visibleText } from '../../../shared/visible-text.js'

/** Prints rows [offset, offset + rows) of a Parquet artifact. */
export async function showParquet(
  store: CacheStore,
  key: string,
  { values, out, outJson }: Pick<CommandContext, 'values' | 'out' | 'outJson'>,
): Promise<number> {
  const { previewPandasParquet } =
    await import('../../engine/serializers/parquet/parquet-serializer.js')
  const { tableToJson } = await import('../../engine/table/table-json.js')
  const { stringifyJson } = await import('../../engine/pyvalue-json.js')
  const artifact = await store.getArtifact(key)
  const offset = intOption(values.offset, 'offset', 0)
  let rows = intOption(values.rows, 'rows', 20)
  const columns = columnList(values.columns)
  const target = { backend: store.backend, path: key, putMode: 'overwrite' as const }
  if (values.all) {
    const all = await previewPandasParquet(target, {
      offset,
      rows: 0,
      kwargs: artifact.load_kwargs,
      columns,
    })
    rows = Math.max(0, all.rowCount - offset)
  }
  const page = await previewPandasParquet(target, {
    offset,
    rows,
    kwargs: artifact.load_kwargs,
    columns,
  })
  const json = tableToJson(page.table, rows)
  const shown = {
    kind: 'table' as const,
    rowCount: page.rowCount,
    offset,
    columns: json.columns,
    index: json.index,
    rows: json.rows,
    bytesRead: page.bytesRead,
    totalBytes: page.totalBytes,
  }
  if (values.json) {
    outJson(stringifyJson(shown))
    return 0
  }
  const index = indexText(json.index)
  const header = [...index.header, ...json.columns.map((c) => c.name)]
  const types = [...index.header.map(() => ''), ...json.columns.map((c) => c.type)]
  const body = json.rows.map((r, i) => [...index.row(i), ...r.map(cellText)])
  const numeric = types.map((ty) => /int|float/.test(ty))
  const last = offset + json.rows.length
  out(
    `${textTable(header.map(visibleText), [types, ...body], numeric)}\n` +
      `[rows ${json.rows.length ? offset + 1 : offset}-${last} of ${page.rowCount} x ${json.columns.length} columns; ` +
      `read ${page.bytesRead} of ${page.totalBytes} bytes]`,
  )
  return 0
}

function columnList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  const names = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  if (names.length === 0) throw new UsageError(`--columns takes a comma-separated list of names`)
  return names
}
