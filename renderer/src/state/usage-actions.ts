/**
 * What clicking a part of the usage view does: it narrows the key table to that part, with
 * the filters the sidebar and search box already have, and returns to the table.
 */
import type { Explorer } from './explorer'
import { withCreatedTerm, type UsageGroup } from './usage'

/** Makes `wanted` the only values of a facet, with the toggles the view store offers. */
function setExactly(
  current: readonly string[],
  wanted: readonly string[],
  toggle: (v: string) => void,
) {
  for (const v of current) if (!wanted.includes(v)) toggle(v)
  for (const v of wanted) if (!current.includes(v)) toggle(v)
}

/** Whether clicking `group` filters anything ('missing' and 'others' have no filter). */
export function partFilters(group: UsageGroup): boolean {
  return group.kind !== 'missing' && group.kind !== 'others'
}

/**
 * Filters the table to a treemap part and returns to it: a folder sets the folder filter, a
 * serializer the serializer facet, a field's value that field's facet; a key selects it.
 */
export function showPart(explorer: Explorer, group: UsageGroup, field: string | null): void {
  if (!partFilters(group)) return
  const view = explorer.view.getState()
  const filters = view.filters
  if (group.kind === 'folder') view.setPrefix(group.id)
  else if (group.kind === 'key') explorer.selection.getState().selectOnly(group.id)
  else if (group.kind === 'serializer')
    setExactly(filters.serializers, [group.id], (v) => explorer.view.getState().toggleSerializer(v))
  else if (group.kind === 'value' && field !== null)
    setExactly(filters.facets.get(field) ?? [], group.facets, (v) =>
      explorer.view.getState().toggleFacet(field, v),
    )
  explorer.usage.getState().close()
}

/** Narrows the table to artifacts created in one period ('YYYY-MM' or 'YYYY') and returns. */
export function showPeriod(explorer: Explorer, token: string): void {
  const view = explorer.view.getState()
  view.setText(withCreatedTerm(view.filters.text, token))
  explorer.usage.getState().close()
}

/** Selects one artifact in the table and returns to it. */
export function showArtifact(explorer: Explorer, key: string): void {
  explorer.selection.getState().selectOnly(key)
  explorer.usage.getState().close()
}
