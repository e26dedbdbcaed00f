/**
 * Copying from the table view: a cell, a row (tab-separated) or a column of the current
 * result (up to COPY_COLUMN_MAX values, read by pages), as pandas prints the values.
 */
import type { Transport } from '../ipc/transport'
import type { PreviewCell, TableViewState } from '../state/table-view-store'
import { copyText, type ColumnFormat } from './cell-text'

/** Values a column copy takes at most (the menu says so). */
export const COPY_COLUMN_MAX = 10_000
const COPY_PAGE_ROWS = 1000

/** Writes text to the clipboard; false when the page may not (no permission, no clipboard). */
export async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

/** A row as tab-separated text (tabs and newlines inside values become spaces). */
export function rowText(row: readonly PreviewCell[], formats: readonly ColumnFormat[]): string {
  return row.map((v, i) => clean(copyText(v ?? null, formats[i]!))).join('\t')
}

function clean(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ')
}

/**
 * The first COPY_COLUMN_MAX values of column `at` in the view's current order, read by
 * pages through table.page (a query's result) or artifact.preview (the plain table).
 */
export async function columnValues(
  transport: Transport,
  state: Pick<TableViewState, 'cacheId' | 'key' | 'result' | 'page'>,
  at: number,
): Promise<{ values: PreviewCell[]; total: number | null }> {
  const { cacheId, key, result } = state
  if (cacheId === null || key === null) return { values: [], total: null }
  const total = result ? result.matched : (state.page?.rowCount ?? null)
  const want = Math.min(total ?? COPY_COLUMN_MAX, COPY_COLUMN_MAX)
  const values: PreviewCell[] = []
  while (values.length < want) {
    const offset = values.length
    const rows = Math.min(COPY_PAGE_ROWS, want - offset)
    const page = result
      ? await transport.invoke('table.page', {
          cacheId,
          resultId: result.resultId,
          offset,
          rows,
        })
      : await transport.invoke('artifact.preview', { cacheId, key, offset, rows })
    if (page.kind !== 'table' || page.rows.length === 0) break
    for (const r of page.rows) values.push(r[at] ?? null)
  }
  return { values, total }
}

/** A column's values as lines of text. */
export function columnText(values: readonly PreviewCell[], format: ColumnFormat): string {
  return values.map((v) => clean(copyText(v, format))).join('\n')
}
