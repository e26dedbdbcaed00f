/**
 * The table assembled from one vector per planned column (csv-plan.ts decides the columns from
 * the header). Shared by the text reader (read-csv.ts) and the whole-file byte reader
 * (csv-load.ts), so both name and place columns the same way.
 */
import type { Table, Vector } from 'apache-arrow'
import { tableFromColumns } from '../../table/arrow-columns.js'
import { UNNAMED_INDEX_FIELD, withRangeIndex, withTableIndex } from '../../table/pandas-meta.js'
import type { PlannedColumn, TablePlan } from './csv-plan.js'

export { planTable, type PlannedColumn, type TablePlan } from './csv-plan.js'

/** The table from one vector per planned column (data columns first, as pyarrow orders them). */
export function assembleTable(
  plan: TablePlan,
  rows: number,
  vector: (column: PlannedColumn) => Vector,
): Table {
  const vectors = plan.data.map(vector)
  const fieldNames = plan.data.map((c) => c.name)
  const index = plan.index
  if (!index) return withRangeIndex(tableFromColumns(fieldNames, vectors, rows))
  const indexName = index.headerText === '' ? null : index.name
  const field =
    indexName === null || fieldNames.includes(indexName) ? UNNAMED_INDEX_FIELD : indexName
  vectors.push(vector(index))
  const table = tableFromColumns([...fieldNames, field], vectors, rows)
  return withTableIndex(table, field, indexName)
}
