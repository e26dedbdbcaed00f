import { useStore } from 'zustand'
import { describeAge, hasFilters } from '../state/filters'
import { useExplorer } from '../state/hooks'
import { VisibleText, visibleText } from './VisibleText'

/** The active filters as removable chips above the table. */
export function FilterChips() {
  const { view } = useExplorer()
  const filters = useStore(view, (s) => s.filters)
  if (!hasFilters(filters)) return null
  const v = view.getState()
  const chips: { label: string; remove: () => void }[] = []
  if (filters.text.trim())
    chips.push({ label: `search: “${filters.text.trim()}”`, remove: () => v.setText('') })
  if (filters.prefix)
    chips.push({ label: `folder: ${filters.prefix}`, remove: () => v.setPrefix('') })
  for (const s of filters.serializers) {
    chips.push({ label: `serializer = ${s}`, remove: () => v.toggleSerializer(s) })
  }
  if (filters.age) chips.push({ label: describeAge(filters.age), remove: () => v.clearAge() })
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
