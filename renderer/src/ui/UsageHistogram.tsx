import type { UsagePeriod } from '../state/usage'
import { formatBytes, plural } from './format'

const HEIGHT = 120

/**
 * Bytes per month of created_at (UTC), one bar per month from the oldest to the newest, empty
 * months included so gaps show; a bar is a button that narrows the table to its month.
 */
export function UsageHistogram({
  periods,
  earlier,
  undated,
  onPick,
}: {
  periods: readonly UsagePeriod[]
  earlier: { count: number; size: number }
  undated: { count: number; size: number }
  onPick: (token: string) => void
}) {
  const max = periods.reduce((m, p) => Math.max(m, p.size), 0)
  const unit = periods[0]?.token.length === 4 ? 'year' : 'month'
  const first = periods[0]?.token
  const last = periods[periods.length - 1]?.token
  return (
    <section className="usage-histogram" aria-label={`Bytes per ${unit} created`}>
      <h3>Bytes per {unit} created (UTC)</h3>
      {periods.length === 0 ? (
        <p className="muted small">No artifact here has a readable created_at.</p>
      ) : (
        <>
          <div className="histogram-bars" style={{ height: HEIGHT }} data-testid="usage-histogram">
            {periods.map((p) => {
              const label = `${p.token}: ${formatBytes(p.size)}, ${plural(p.count, 'artifact')}`
              return (
                <button
                  type="button"
                  key={p.token}
                  className="histogram-bar"
                  aria-label={p.count > 0 ? `${label}. Show in the table.` : label}
                  title={label}
                  disabled={p.count === 0}
                  onClick={() => onPick(p.token)}
                >
                  <span
                    className="histogram-fill"
                    style={{
                      height:
                        max > 0 ? `${Math.max(p.size > 0 ? 2 : 0, (100 * p.size) / max)}%` : 0,
                    }}
                  />
                </button>
              )
            })}
          </div>
          <div className="histogram-axis muted small">
            <span>{first}</span>
            <span>{last}</span>
          </div>
        </>
      )}
      {earlier.count > 0 && (
        <p className="muted small">
          Before {first}: {formatBytes(earlier.size)}, {plural(earlier.count, 'artifact')}.
        </p>
      )}
      {undated.count > 0 && (
        <p className="muted small">
          No readable created_at: {formatBytes(undated.size)}, {plural(undated.count, 'artifact')}.
        </p>
      )}
    </section>
  )
}
