import { useStore } from 'zustand'
import { compileSearch, describeAge, hasFilters, searchWithout } from '../state/filters'
import { useExplorer } from '../state/hooks'
import { VisibleText, visibleText } from './VisibleText'

/** The active filters as removable chips above the table. */
export function FilterChips() {
  const { view } = useExplorer()
  const filters = useStore(view, (s) => s.filters)
  if (!hasFilters(filters)) return null
  const v = view.getState()
  const chips: { label: string; remove: () => void }[] = []
  const text = filters.text.trim()
  const search = compileSearch(filters.text)
  if (text && search.error !== null) {
    chips.push({ label: `search: “${text}” (not valid)`, remove: () => v.setText('') })
  } else if (text) {
    // Each filter token of the search is a chip of its own; the words share one.
    if (search.terms.length > 0)
      chips.push({
        label: `search: “${search.terms.join(' ')}”`,
        remove: () => v.setText(searchWithout(filters.text, 'words')),
      })
    for (const { token } of search.clauses)
      chips.push({ label: token, remove: () => v.setText(searchWithout(filters.text, token)) })
  }
  if (filters.prefix)
    chips.push({ label: `folder: ${filters.prefix}`, remove: () => v.setPrefix('') })
  for (const s of filters.serializers) {
    chips.push({ label: `serializer = ${s}`, remove: () => v.toggleSerializer(s) })
  }
  if (filters.age) chips.push({ label: describeAge(filters.age), remove: () => v.clearAge() })
  if (filters.createdAfter)
    chips.push({
      label: `created on or after ${filters.createdAfter} (UTC)`,
      remove: () => v.setCreatedAfter(''),
    })
  if (filters.createdBefore)
    chips.push({
      label: `created before ${filters.createdBefore} (UTC)`,
      remove: () => v.setCreatedBefore(''),
    })
  if (filters.minSize)
    chips.push({ label: `size ≥ ${filters.minSize}`, remove: () => v.setMinSize('') })
  if (filters.maxSize)
    chips.push({ label: `size ≤ ${filters.maxSize}`, remove: () => v.setMaxSize('') })
  for (const [field, values] of filters.facets) {
    for (const value of values) {
      chips.push({ label: `${field} = ${value}`, remove: () => v.toggleFacet(field, value) })
    }
  }
  return (
    <div className="chips" aria-label="Active filters" role="list">
      {chips.map((chip) => (
        <span className="chip" key={chip.label} role="listitem">
          <VisibleText text={chip.label} />
          <button
            type="button"
            aria-label={visibleText(`Remove filter ${chip.label}`)}
            onClick={chip.remove}
          >
            ×
          </button>
        </span>
      ))}
      <button type="button" className="link-button" onClick={() => v.clearFilters()}>
        Clear all
      </button>
    </div>
  )
}
