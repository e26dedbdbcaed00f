import type { ArtifactRow } from '../../../shared/ipc'
import { UNREADABLE, facetValueKeys, keyFolders } from './filters'

/** Which facet a value id counts for. */
export type FacetKind = 'serializer' | 'folder' | 'field'

/** What one interned facet value stands for. */
export interface FacetEntry {
  kind: FacetKind
  /** The metadata field ('' for serializer and folder values). */
  field: string
  value: string
}

/**
 * Facet values interned to small integers, shared by every row index: counting facets over
 * 100,000 rows is then array increments, not string-keyed map updates.
 */
class FacetIds {
  private readonly ids = new Map<string, number>()
  readonly entries: FacetEntry[] = []
  id(kind: FacetKind, field: string, value: string): number {
    const name = `${kind}\u0000${field}\u0000${value}`
    let id = this.ids.get(name)
    if (id === undefined) {
      id = this.entries.length
      this.ids.set(name, id)
      this.entries.push({ kind, field, value })
    }
    return id
  }
  get size(): number {
    return this.entries.length
  }
}

/** The process-wide facet value ids. */
export const facetIds = new FacetIds()

/** What filtering and counting need from a row, computed once per row and cached. */
export interface RowIndex {
  /** Lower-case key and metadata values, for the search box. */
  hay: string
  serializerId: number
  folderIds: number[]
  /** Each metadata field with the ids of its facet values (deduplicated). */
  fields: { field: string; valueIds: number[] }[]
}

const indexes = new WeakMap<ArtifactRow, RowIndex>()

/** The row's cached RowIndex: repeated filtering then allocates next to nothing. */
export function rowIndex(row: ArtifactRow): RowIndex {
  let index = indexes.get(row)
  if (index === undefined) {
    const parts = [row.key]
    collectValues(row.metadata, parts, 0)
    const fields: RowIndex['fields'] = []
    for (const [field, value] of Object.entries(row.metadata)) {
      const values = new Set(facetValueKeys(value))
      fields.push({ field, valueIds: [...values].map((v) => facetIds.id('field', field, v)) })
    }
    index = {
      hay: parts.join('\n').toLowerCase(),
      serializerId: facetIds.id('serializer', '', row.serializer ?? UNREADABLE),
      folderIds: keyFolders(row.key).map((f) => facetIds.id('folder', '', f)),
      fields,
    }
    indexes.set(row, index)
  }
  return index
}

/** The lower-case text search looks in: the key and every metadata value (cached per row). */
export function rowHaystack(row: ArtifactRow): string {
  return rowIndex(row).hay
}

function collectValues(value: unknown, out: string[], depth: number): void {
  if (value === null || value === undefined || depth > 20) return
  if (typeof value !== 'object') out.push(String(value))
  else if (Array.isArray(value)) for (const v of value) collectValues(v, out, depth + 1)
  else for (const v of Object.values(value)) collectValues(v, out, depth + 1)
}
