/**
 * How additional_metadata values read as filter values, the same for the explorer's facets,
 * the search box's `field=value` and `xpersist prune --where`.
 */

/**
 * The value of one metadata field, or undefined when the artifact has no such field. Own
 * fields only: `metadata.constructor` of one without that field would be Object, not missing.
 */
export function metadataValue(metadata: Readonly<Record<string, unknown>>, field: string): unknown {
  return Object.hasOwn(metadata, field) ? metadata[field] : undefined
}

/**
 * The facet values a metadata value counts under: scalars as their text (`3`, `true`,
 * `null`), each element of a list of scalars (tags), anything else as its JSON.
 */
export function facetValueKeys(value: unknown): string[] {
  if (value === undefined) return []
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return value.map(scalarKey)
    return [JSON.stringify(value)]
  }
  if (value !== null && typeof value === 'object') return [JSON.stringify(value)]
  return [scalarKey(value)]
}

/**
 * The one text a metadata value groups under (prune's --per): scalars as their text, lists
 * and objects as their JSON; undefined when the field is missing.
 */
export function groupValueKey(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return scalarKey(value)
}

function scalarKey(value: unknown): string {
  return typeof value === 'string' ? value : String(value)
}
