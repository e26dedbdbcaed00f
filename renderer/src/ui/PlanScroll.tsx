import { useState } from 'react'

/** Entries listed before "show all": a long plan stays quick to open. */
export const PLAN_SHOWN = 300

/**
 * A plan's table in its scroll box, listing the first PLAN_SHOWN entries until the user asks
 * for all of them. `table` renders the entries it is given.
 */
export function PlanScroll<T>({
  entries,
  table,
}: {
  entries: readonly T[]
  table: (shown: readonly T[]) => React.ReactNode
}) {
  const [all, setAll] = useState(false)
  const shown = all ? entries : entries.slice(0, PLAN_SHOWN)
  return (
    <div className="plan-scroll">
      {table(shown)}
      {!all && entries.length > PLAN_SHOWN && (
        <button type="button" className="link-button" onClick={() => setAll(true)}>
          Show all {entries.length.toLocaleString('en-US')} entries
        </button>
      )}
    </div>
  )
}
