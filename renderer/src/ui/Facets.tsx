import { useState } from 'react'
import { useStore } from 'zustand'
import type { FacetCount } from '../state/derive'
import { describeAge, sameAge } from '../state/filters'
import { useDerivedView, useExplorer } from '../state/hooks'
import { CreatedRange, SizeRange } from './RangeFilters'
import { VisibleText, visibleText } from './VisibleText'
import { plural } from './format'

/** How many values a facet shows before "more". */
const SHOWN = 8

function FacetValues({
  label,
  values,
  active,
  onToggle,
}: {
  label: string
  values: FacetCount[]
  active: readonly string[]
  onToggle: (value: string) => void
}) {
  const [expanded, setExpanded] = useState(false)
  const shown = expanded ? values : values.slice(0, SHOWN)
  return (
    <ul className="facet-values" aria-label={visibleText(label)}>
      {shown.map(({ value, count }) => {
        const on = active.includes(value)
        return (
          <li key={value}>
            <button
              type="button"
              className={on ? 'facet-value active' : 'facet-value'}
              aria-pressed={on}
              aria-label={visibleText(`${label}: ${value} (${count})`)}
              onClick={() => onToggle(value)}
            >
              <span className="facet-label">
                {value === '' ? '(empty)' : <VisibleText text={value} />}
              </span>
              <span className="count">{count.toLocaleString('en-US')}</span>
            </button>
          </li>
        )
      })}
      {values.length > SHOWN && (
        <li>
          <button type="button" className="link-button" onClick={() => setExpanded(!expanded)}>
            {expanded ? 'Show fewer' : `Show ${values.length - SHOWN} more`}
          </button>
        </li>
      )}
    </ul>
  )
}

/**
 * Facets with counts: serializer, age (with a created-between date picker), size, and each
 * additional_metadata field. Clicks filter.
 */
export function Facets() {
  const { view } = useExplorer()
  const filters = useStore(view, (s) => s.filters)
  const metaColumns = useStore(view, (s) => s.metaColumns)
  const derived = useDerivedView()
  // Fields where every row has the same value (often empty Prefect context) say little:
  // they go under one collapsed heading, unless a value of theirs is picked.
  const varied = derived.fields.filter((f) => f.values.length > 1 || filters.facets.has(f.field))
  const uniform = derived.fields.filter((f) => !varied.includes(f))
  const fieldFacet = (field: string, values: FacetCount[]) => (
    <section className="facet" key={field} aria-label={visibleText(`${field} facet`)}>
      <h3>
        <span>
          <VisibleText text={field} />
        </span>
        {!metaColumns.includes(field) && (
          <button
            type="button"
            className="link-button small"
            aria-label={visibleText(`Add ${field} as a column`)}
            title={visibleText(`Add ${field} as a column`)}
            onClick={() => view.getState().addMetaColumn(field)}
          >
            + column
          </button>
        )}
      </h3>
      <FacetValues
        label={field}
        values={values}
        active={filters.facets.get(field) ?? []}
        onToggle={(v) => view.getState().toggleFacet(field, v)}
      />
    </section>
  )

  return (
    <>
      <section className="facet" aria-label="Serializer facet">
        <h3>serializer</h3>
        <FacetValues
          label="serializer"
          values={derived.serializers}
          active={filters.serializers}
          onToggle={(v) => view.getState().toggleSerializer(v)}
        />
      </section>
      <section className="facet" aria-label="Age facet">
        <h3>age</h3>
        <ul className="facet-values" aria-label="age">
          {derived.ages.map(({ age, count }) => {
            const on = sameAge(filters.age, age)
            const label = describeAge(age)
            return (
              <li key={label}>
                <button
                  type="button"
                  className={on ? 'facet-value active' : 'facet-value'}
                  aria-pressed={on}
                  aria-label={`age: ${label} (${count})`}
                  onClick={() => view.getState().toggleAge(age)}
                >
                  <span className="facet-label">{label}</span>
                  <span className="count">{count.toLocaleString('en-US')}</span>
                </button>
              </li>
            )
          })}
        </ul>
        <CreatedRange />
      </section>
      <section className="facet" aria-label="Size facet">
        <h3>size</h3>
        <SizeRange />
      </section>
      {varied.map(({ field, values }) => fieldFacet(field, values))}
      {uniform.length > 0 && (
        <details className="more-fields">
          <summary>{plural(uniform.length, 'field')} with one value</summary>
          {uniform.map(({ field, values }) => fieldFacet(field, values))}
        </details>
      )}
    </>
  )
}
