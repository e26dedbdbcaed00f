import type { ArtifactRow } from '../../../shared/ipc'
import { metadataValue } from './filters'

/** The built-in columns; metadata columns are `meta:<field>`. */
export type ColumnId = 'key' | 'serializer' | 'created' | 'bytes' | `meta:${string}`

/** The table's order: one column, ascending or descending. */
export interface SortSpec {
  column: ColumnId
  desc: boolean
}

/** The order a freshly opened cache shows: keys A to Z. */
export const DEFAULT_SORT: SortSpec = { column: 'key', desc: false }

/** The metadata field a `meta:<field>` column shows, or null for a built-in column. */
export function metaField(column: ColumnId): string | null {
  return column.startsWith('meta:') ? column.slice(5) : null
}

/** The value a column sorts by for one row. */
export function sortValue(row: ArtifactRow, column: ColumnId): unknown {
  switch (column) {
    case 'key':
      return row.key
    case 'serializer':
      return row.serializer
    case 'created':
      return row.createdMs
    case 'bytes':
      return row.bytes
    default:
      return metadataValue(row.metadata, metaField(column) as string)
  }
}

// Numbers (and booleans) before strings before anything else; missing values always last.
function rank(v: unknown): number {
  if (v === null || v === undefined) return 3
  if (typeof v === 'number' || typeof v === 'boolean') return 0
  if (typeof v === 'string') return 1
  return 2
}

function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (ra === 0) return Number(a) - Number(b)
  if (ra === 1) return a === b ? 0 : (a as string) < (b as string) ? -1 : 1
  if (ra === 2) {
    const sa = JSON.stringify(a)
    const sb = JSON.stringify(b)
    return sa === sb ? 0 : sa < sb ? -1 : 1
  }
  return 0
}

/**
 * The rows in the given order; ties broken by key so the order is stable and predictable.
 * Keys compare by code unit, as `xpersist ls` sorts them. Missing values stay last either way.
 */
export function sortRows(rows: readonly ArtifactRow[], sort: SortSpec): ArtifactRow[] {
  const dir = sort.desc ? -1 : 1
  const values = rows.map((r) => sortValue(r, sort.column))
  const order = rows.map((_, i) => i)
  order.sort((i, j) => {
    const a = values[i]
    const b = values[j]
    const missingA = a === null || a === undefined
    const missingB = b === null || b === undefined
    if (missingA !== missingB) return missingA ? 1 : -1
    const c = compareValues(a, b) * dir
    if (c !== 0) return c
    const ka = (rows[i] as ArtifactRow).key
    const kb = (rows[j] as ArtifactRow).key
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  return order.map((i) => rows[i] as ArtifactRow)
}

/** What a column header says about the order, as aria-sort does. */
export function ariaSort(sort: SortSpec, column: ColumnId): 'ascending' | 'descending' | 'none' {
  if (sort.column !== column) return 'none'
  return sort.desc ? 'descending' : 'ascending'
}

/** The sort after a header click: the same column flips direction, another starts ascending. */
export function nextSort(current: SortSpec, column: ColumnId): SortSpec {
  if (current.column === column) return { column, desc: !current.desc }
  // Newest and biggest first are what one usually wants from those columns.
  return { column, desc: column === 'created' || column === 'bytes' }
}
