import { useStore } from 'zustand'
import { useDerivedView, useExplorer } from '../state/hooks'
import { FilterChips } from './FilterChips'
import { visibleText } from './VisibleText'

/** Above the table: the filter chips, and a picker to add a metadata field as a column. */
export function TableToolbar() {
  const { view } = useExplorer()
  const metaColumns = useStore(view, (s) => s.metaColumns)
  const { fields } = useDerivedView()
  const available = fields.map((f) => f.field).filter((f) => !metaColumns.includes(f))
  return (
    <div className="table-toolbar">
      <FilterChips />
      <span className="spacer" />
      {available.length > 0 && (
        <select
          aria-label="Add a metadata column"
          value=""
          onChange={(e) => e.target.value && view.getState().addMetaColumn(e.target.value)}
        >
          <option value="">+ metadata column…</option>
          {available.map((f) => (
            <option key={f} value={f}>
              {visibleText(f)}
            </option>
          ))}
        </select>
      )}
    </div>
  )
}
