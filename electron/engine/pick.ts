/**
 * 'auto' serializer choice, as Python's pick_serializer does it: tables go to 'pandas.csv',
 * datasets to 'xarray.netcdf', collections of datasets to 'xcollection', everything else to
 * 'joblib'. Checks are by shape, not by
 * instanceof, so choosing never loads Arrow or a dataset library.
 */

type Rule = { name: string; test: (value: unknown) => boolean }

/** True for an apache-arrow Table (any copy of the library). */
export function isArrowTable(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return (
    typeof v.getChild === 'function' &&
    typeof v.numRows === 'number' &&
    typeof v.schema === 'object' &&
    Array.isArray(v.batches)
  )
}

/** True for a dataset value (dims, coords and data variables), as the arrays serializers make. */
export function isDataset(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return v.kind === 'dataset' && typeof v.dims === 'object' && typeof v.dataVars === 'object'
}

/** True for a collection of datasets (model.ts Collection: a Map of member datasets). */
export function isCollection(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return v.kind === 'collection' && v.datasets instanceof Map
}

const rules: Rule[] = [
  { name: 'pandas.csv', test: isArrowTable },
  { name: 'xarray.netcdf', test: isDataset },
  { name: 'xcollection', test: isCollection },
]

/** Adds a rule tried before the built-in ones (for serializers registered by packages). */
export function registerPickRule(name: string, test: (value: unknown) => boolean): void {
  rules.unshift({ name, test })
}

/** The serializer name 'auto' means for `value`. */
export function pickSerializer(value: unknown): string {
  return rules.find((r) => r.test(value))?.name ?? 'joblib'
}
