import { useId, useMemo } from 'react'
import { useStore } from 'zustand'
import type { PrunePlanResult } from '../../../shared/ipc'
import type { RuleSet } from '../../../shared/rule-set'
import type { CleanupStore } from '../state/cleanup-store'
import { NO_FILTERS } from '../state/filters'
import { useExplorer } from '../state/hooks'
import { ActionButton } from './ActionButton'
import { Dialog } from './Dialog'
import { formatBytes, plural } from './format'
import { ErrorNote } from './Spinner'
import { VisibleText } from './VisibleText'

/** The date part of epoch ms, UTC (rules read dates as UTC). */
function day(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().slice(0, 10)
}

/** One labelled text field of the rules, with its message when it is wrong. */
function RuleInput({
  cleanup,
  field,
  label,
  placeholder,
  list,
  hint,
}: {
  cleanup: CleanupStore
  field: 'olderThan' | 'before' | 'largerThan' | 'keepLast' | 'per' | 'maxTotal'
  label: string
  placeholder: string
  list?: string
  hint?: string
}) {
  const id = useId()
  const value = useStore(cleanup, (s) => s.rules[field])
  const issue = useStore(cleanup, (s) => s.issues.find((i) => i.field === field))
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div>
        <input
          id={id}
          type="text"
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          list={list}
          aria-invalid={issue ? true : undefined}
          aria-describedby={issue ? `${id}-issue` : undefined}
          onChange={(e) => cleanup.getState().setRules({ [field]: e.target.value })}
        />
        {hint && <span className="muted small"> {hint}</span>}
        {issue && (
          <p className="field-error" id={`${id}-issue`}>
            {issue.message}
          </p>
        )}
      </div>
    </>
  )
}

/** The metadata conditions: field = value rows, the choices from the listing's facets. */
function WhereRows({
  cleanup,
  fields,
}: {
  cleanup: CleanupStore
  fields: { field: string; values: { value: string; count: number }[] }[]
}) {
  const id = useId()
  const where = useStore(cleanup, (s) => s.rules.where)
  const issue = useStore(cleanup, (s) => s.issues.find((i) => i.field === 'where'))
  const set = (next: RuleSet['where']) => cleanup.getState().setRules({ where: next })
  const rows = where.length > 0 ? where : [{ field: '', value: '' }]
  return (
    <>
      <label htmlFor={`${id}-f0`}>Metadata</label>
      <div className="cleanup-where">
        {rows.map((w, i) => {
          const values = fields.find((f) => f.field === w.field)?.values ?? []
          return (
            <div key={i} className="cleanup-where-row">
              <input
                id={`${id}-f${i}`}
                type="text"
                aria-label={`Metadata field ${i + 1}`}
                placeholder="field"
                list={`${id}-fields`}
                spellCheck={false}
                autoComplete="off"
                value={w.field}
                onChange={(e) =>
                  set(rows.map((r, j) => (j === i ? { ...r, field: e.target.value } : r)))
                }
              />
              =
              <input
                type="text"
                aria-label={`Metadata value ${i + 1}`}
                placeholder="value"
                list={`${id}-values-${i}`}
                spellCheck={false}
                autoComplete="off"
                value={w.value}
                onChange={(e) =>
                  set(rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))
                }
              />
              <datalist id={`${id}-values-${i}`}>
                {values.slice(0, 200).map((v) => (
                  <option key={v.value} value={v.value}>
                    {`${v.count}`}
                  </option>
                ))}
              </datalist>
              {(where.length > 1 || w.field !== '' || w.value !== '') && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove metadata condition ${i + 1}`}
                  onClick={() => set(rows.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              )}
            </div>
          )
        })}
        <button
          type="button"
          className="link-button"
          onClick={() => set([...rows, { field: '', value: '' }])}
        >
          + Add condition
        </button>
        <datalist id={`${id}-fields`}>
          {fields.map((f) => (
            <option key={f.field} value={f.field} />
          ))}
        </datalist>
        {issue && <p className="field-error">{issue.message}</p>}
      </div>
    </>
  )
}

/** The live answer: count, bytes, dates, and how each rule narrowed it. */
function PlanSummary({
  plan,
  planning,
  wrong,
}: {
  plan: PrunePlanResult | null
  planning: boolean
  wrong: boolean
}) {
  if (plan === null || wrong)
    return (
      <p className="muted" role="status" data-testid="cleanup-count">
        {wrong
          ? 'Fix the rule marked above to count again.'
          : planning
            ? 'Counting…'
            : 'Set a rule to see what it would delete.'}
      </p>
    )
  return (
    <div className={planning ? 'cleanup-summary stale' : 'cleanup-summary'}>
      <p role="status" data-testid="cleanup-count">
        <strong>
          {plan.hasRules
            ? `${plural(plan.count, 'artifact')}, ${formatBytes(plan.bytes)}`
            : 'Nothing'}
        </strong>{' '}
        would be deleted
        {plan.count > 0 && (
          <>
            {' '}
            (created {day(plan.oldestMs)} to {day(plan.newestMs)})
          </>
        )}
        {planning ? ' — counting…' : '.'}
      </p>
      <ul className="cleanup-steps small">
        <li>
          {plan.listed.toLocaleString('en-US')} artifacts in the cache
          {plan.broken > 0 && `, ${plan.broken.toLocaleString('en-US')} broken (never chosen)`}
        </li>
        {plan.steps.map((s) => (
          <li key={s.rule}>
            <VisibleText text={s.rule} />: {s.count.toLocaleString('en-US')} left
          </li>
        ))}
        {plan.kept > 0 && <li>Keep the last protects {plan.kept.toLocaleString('en-US')}</li>}
        {plan.maxTotal !== null && (
          <li>
            {formatBytes(plan.scope.bytes)} selected, {formatBytes(plan.remainingBytes)} would
            remain
            {plan.overBy > 0 &&
              ` — still ${formatBytes(plan.overBy)} over ${formatBytes(plan.maxTotal)}: the rest is protected or undated`}
          </li>
        )}
        {plan.undated > 0 && (
          <li>
            {plural(plan.undated, 'artifact')} without a readable created_at kept (time rules cannot
            judge them)
          </li>
        )}
      </ul>
      {plan.keys.length > 0 && (
        <p className="small muted cleanup-sample">
          Oldest first:{' '}
          {plan.keys.slice(0, 8).map((k, i) => (
            <span key={k}>
              {i > 0 && ', '}
              <code>
                <VisibleText text={k} />
              </code>
            </span>
          ))}
          {plan.count > 8 && ', …'}
        </p>
      )}
    </div>
  )
}

/** Saved rule sets of this cache: load, save under a name, delete. */
function SavedSets({ cleanup }: { cleanup: CleanupStore }) {
  const id = useId()
  const saved = useStore(cleanup, (s) => s.saved)
  const name = useStore(cleanup, (s) => s.name)
  const error = useStore(cleanup, (s) => s.savedError)
  const issues = useStore(cleanup, (s) => s.issues.length)
  const exists = saved.some((s) => s.name === name.trim())
  return (
    <div className="cleanup-saved">
      <label htmlFor={`${id}-load`}>Saved rules</label>
      <select
        id={`${id}-load`}
        value={exists ? name.trim() : ''}
        onChange={(e) => cleanup.getState().load(e.target.value)}
      >
        <option value="">{saved.length === 0 ? '(none saved yet)' : 'Load…'}</option>
        {saved.map((s) => (
          <option key={s.name} value={s.name}>
            {s.name}
          </option>
        ))}
      </select>
      <input
        type="text"
        aria-label="Rule set name"
        placeholder="name, e.g. old runs"
        value={name}
        maxLength={80}
        onChange={(e) => cleanup.getState().setName(e.target.value)}
      />
      <ActionButton
        disabledReason={
          name.trim() === ''
            ? 'Type a name to save under.'
            : issues > 0
              ? 'Fix the rules first.'
              : null
        }
        onClick={() => void cleanup.getState().save()}
      >
        {exists ? 'Replace' : 'Save'}
      </ActionButton>
      <ActionButton
        disabledReason={exists ? null : 'Load a saved rule set to delete it.'}
        onClick={() => void cleanup.getState().remove(name.trim())}
      >
        Delete saved
      </ActionButton>
      {error && <p className="field-error">{error}</p>}
    </div>
  )
}

/**
 * The Clean up… dialog: retention rules (as `xpersist prune` takes them) with their live count
 * and bytes, saved rule sets, and Review plan…, which opens the delete flow's plan and
 * confirmation for exactly the keys the rules chose. Nothing here deletes.
 */
export function CleanupDialog() {
  const explorer = useExplorer()
  const { cleanup, listing, view } = explorer
  const open = useStore(cleanup, (s) => s.open)
  const plan = useStore(cleanup, (s) => s.plan)
  const planning = useStore(cleanup, (s) => s.planning)
  const error = useStore(cleanup, (s) => s.error)
  const reviewing = useStore(cleanup, (s) => s.reviewing)
  const issues = useStore(cleanup, (s) => s.issues)
  const serializers = useStore(cleanup, (s) => s.rules.serializers)
  const prefix = useStore(cleanup, (s) => s.rules.prefixes[0] ?? '')
  const rows = useStore(listing, (s) => s.rows)
  const sort = useStore(view, (s) => s.sort)
  const now = useStore(view, (s) => s.now)
  const prefixId = useId()
  const fieldsId = useId()
  // Choices from the whole listing, whatever the table's filters show now.
  const facets = useMemo(
    () => (open ? explorer.deriveFrom(rows, sort, NO_FILTERS, now) : null),
    [open, explorer, rows, sort, now],
  )
  if (!open) return null
  const close = () => cleanup.getState().close()
  const reviewReason = reviewing
    ? 'Listing the cache again…'
    : issues.length > 0
      ? 'Fix the rules marked above first.'
      : plan === null || !plan.hasRules
        ? 'Set a rule first.'
        : plan.count === 0 && !planning
          ? 'The rules choose nothing.'
          : null
  const toggleSerializer = (name: string, on: boolean) =>
    cleanup.getState().setRules({
      serializers: on ? [...serializers, name] : serializers.filter((s) => s !== name),
    })

  return (
    <Dialog
      title="Clean up"
      testId="cleanup-dialog"
      onClose={close}
      wide
      footer={
        <>
          <button type="button" onClick={close}>
            Close
          </button>
          <ActionButton
            className="danger"
            disabledReason={reviewReason}
            onClick={() => void cleanup.getState().review()}
          >
            Review plan…
          </ActionButton>
        </>
      }
    >
      {/* Enter in a field submits this form, which does nothing: only Review plan… acts. */}
      <form className="cleanup-form" onSubmit={(e) => e.preventDefault()}>
        <SavedSets cleanup={cleanup} />
        <fieldset className="form-grid cleanup-grid">
          <legend>Which artifacts (all must hold)</legend>
          <RuleInput
            cleanup={cleanup}
            field="olderThan"
            label="Older than"
            placeholder="365d"
            hint="h, d, w or y"
          />
          <RuleInput
            cleanup={cleanup}
            field="before"
            label="Created before"
            placeholder="2025-06-01"
            hint="UTC date"
          />
          <WhereRows cleanup={cleanup} fields={facets?.fields ?? []} />
          <span className="form-label">Serializer</span>
          <div className="cleanup-serializers" role="group" aria-label="Serializer">
            {(facets?.serializers ?? []).map((s) => (
              <label key={s.value}>
                <input
                  type="checkbox"
                  checked={serializers.includes(s.value)}
                  onChange={(e) => toggleSerializer(s.value, e.target.checked)}
                />
                {s.value} <span className="muted">({s.count})</span>
              </label>
            ))}
          </div>
          <label htmlFor={prefixId}>Key prefix</label>
          <input
            id={prefixId}
            className="cleanup-prefix"
            type="text"
            placeholder="runs/2022/"
            spellCheck={false}
            autoComplete="off"
            value={prefix}
            onChange={(e) =>
              cleanup.getState().setRules({ prefixes: e.target.value ? [e.target.value] : [] })
            }
          />
          <RuleInput cleanup={cleanup} field="largerThan" label="Larger than" placeholder="100MB" />
        </fieldset>
        <fieldset className="form-grid cleanup-grid">
          <legend>Limits on those</legend>
          <RuleInput
            cleanup={cleanup}
            field="keepLast"
            label="Keep the last"
            placeholder="3"
            hint="newest, never deleted"
          />
          <RuleInput
            cleanup={cleanup}
            field="per"
            label="per field"
            placeholder="experiment"
            list={fieldsId}
          />
          <RuleInput
            cleanup={cleanup}
            field="maxTotal"
            label="Keep the cache under"
            placeholder="50GB"
            hint="oldest deleted first"
          />
        </fieldset>
        <datalist id={fieldsId}>
          {(facets?.fields ?? []).map((f) => (
            <option key={f.field} value={f.field} />
          ))}
        </datalist>
      </form>
      {error && <ErrorNote title="Could not count:">{error}</ErrorNote>}
      <PlanSummary plan={plan} planning={planning} wrong={issues.length > 0} />
    </Dialog>
  )
}
