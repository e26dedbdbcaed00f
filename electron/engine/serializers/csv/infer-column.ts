/**
 * One CSV column's text turned into an Arrow column: the type as csv-column-kind.ts infers it
 * (pandas' C parser's rules), the values in the matching Arrow vector.
 */
import type { Vector } from 'apache-arrow'
import {
  boolColumn,
  categoryColumn,
  float32Column,
  float64Column,
  int64Column,
  timestampColumn,
  uint64Column,
  utf8Column,
} from '../../table/arrow-columns.js'
import { inferColumnValues, type ColumnRules } from './csv-column-kind.js'

export type { ColumnDtype, ColumnRules } from './csv-column-kind.js'

/** Converts a column's texts (null: the record had no such field) to an Arrow column. */
export function inferColumn(
  name: string,
  texts: readonly (string | null)[],
  rules: ColumnRules,
): Vector {
  const column = inferColumnValues(name, texts, rules)
  switch (column.kind) {
    case 'string':
      return utf8Column(column.values)
    case 'category':
      return categoryColumn(column.values)
    case 'int64':
      return int64Column(column.values)
    case 'uint64':
      return uint64Column(column.values)
    case 'float64':
      return float64Column(column.values)
    case 'float32':
      return float32Column(column.values)
    case 'bool':
      return boolColumn(column.values)
    case 'timestamp':
      return timestampColumn(column.values, column.unit, column.timezone)
  }
}
