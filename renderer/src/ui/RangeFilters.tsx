import { useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { SIZE_HELP, parseSize, sizeHint } from '../../../shared/filter-units'
import { useExplorer } from '../state/hooks'

/**
 * The date picker under the age facet: created on or after / before a UTC day. Each side
 * clears on its own (the field's own clear, or the × beside it).
 */
export function CreatedRange() {
  const { view } = useExplorer()
  const after = useStore(view, (s) => s.filters.createdAfter)
  const before = useStore(view, (s) => s.filters.createdBefore)
  const v = view.getState()
  const reversed = after !== '' && before !== '' && before <= after
  return (
    <RangeDisclosure summary="Created between…" active={after !== '' || before !== ''}>
      <div className="range-filter" role="group" aria-label="Created between (UTC)">
        <DayField label="Created after" value={after} set={v.setCreatedAfter} />
        <DayField label="Created before" value={before} set={v.setCreatedBefore} />
        {reversed && (
          <p className="range-note" role="status">
            No day is both on or after {after} and before {before}.
          </p>
        )}
      </div>
    </RangeDisclosure>
  )
}

function DayField({
  label,
  value,
  set,
}: {
  label: string
  value: string
  set: (day: string) => void
}) {
  return (
    <label className="range-field day">
      <span>{label}</span>
      <input
        type="date"
        aria-label={`${label} (UTC day)`}
        value={value}
        onChange={(e) => set(e.target.value)}
      />
      <button
        type="button"
        className="link-button small"
        aria-label={`Clear ${label.toLowerCase()}`}
        title={`Clear ${label.toLowerCase()}`}
        hidden={value === ''}
        onClick={() => set('')}
      >
        ×
      </button>
    </label>
  )
}

/** Min and max size, written as `xpersist prune` reads sizes (100MB, 1.5GiB). */
export function SizeRange() {
  const { view } = useExplorer()
  const min = useStore(view, (s) => s.filters.minSize)
  const max = useStore(view, (s) => s.filters.maxSize)
  const v = view.getState()
  return (
    <RangeDisclosure summary="Size between…" active={min !== '' || max !== ''}>
      <div className="range-filter" role="group" aria-label="Size between">
        <SizeField label="At least" value={min} set={v.setMinSize} />
        <SizeField label="At most" value={max} set={v.setMaxSize} />
      </div>
    </RangeDisclosure>
  )
}

/**
 * The range fields fold behind one summary: closed, they cost no Tab (a date field alone is
 * four stops in Chromium) and the summary is one more arrow stop in the sidebar. A range in
 * use keeps them open, so a filter never hides behind a closed fold.
 */
function RangeDisclosure({
  summary,
  active,
  children,
}: {
  summary: string
  active: boolean
  children: ReactNode
}) {
  const [open, setOpen] = useState(active)
  return (
    <details
      className="range-details"
      open={open || active}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>{summary}</summary>
      {children}
    </details>
  )
}

/**
 * A size field keeps what is typed and applies it once it reads as a size; until then it
 * says why not, and the filter keeps its last valid value.
 */
function SizeField({
  label,
  value,
  set,
}: {
  label: string
  value: string
  set: (size: string) => void
}) {
  const [draft, setDraft] = useState<{ text: string; for: string } | null>(null)
  // A change from elsewhere (a chip removed, Clear all) replaces a stale draft.
  const text = draft !== null && draft.for === value ? draft.text : value
  const bad = text.trim() !== '' && parseSize(text) === null
  const id = `size-${label.replace(/\s+/g, '-').toLowerCase()}`
  return (
    <label className="range-field">
      <span>{label}</span>
      <input
        type="text"
        inputMode="text"
        aria-label={`Size ${label.toLowerCase()}`}
        aria-invalid={bad}
        aria-describedby={bad ? `${id}-error` : undefined}
        placeholder="e.g. 100MB"
        spellCheck={false}
        value={text}
        onChange={(e) => {
          const next = e.target.value
          const ok = next.trim() === '' || parseSize(next) !== null
          const applied = ok ? next.trim() : value
          setDraft({ text: next, for: applied })
          if (ok) set(next.trim())
        }}
      />
      {bad && (
        <span className="range-error" id={`${id}-error`} role="alert">
          {sizeHint(text) ?? `Write ${SIZE_HELP}.`}
        </span>
      )}
    </label>
  )
}
