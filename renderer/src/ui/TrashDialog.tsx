import { useId, useState } from 'react'
import { useStore } from 'zustand'
import { useExplorer, useReadonly } from '../state/hooks'
import { emptyConfirmed } from '../state/trash-store'
import { ActionButton } from './ActionButton'
import { Dialog } from './Dialog'
import { formatAge, formatBytes, formatLocal, plural } from './format'
import { RestoreOutcome } from './RestoreOutcome'
import { ErrorNote, Spinner } from './Spinner'
import { VisibleText } from './VisibleText'

/** The first few keys of an entry, so an analyst recognises what a delete took. */
function KeysPreview({ keys }: { keys: string[] }) {
  const shown = keys.slice(0, 3)
  return (
    <span className="trash-keys">
      {shown.map((k, i) => (
        <span key={k}>
          {i > 0 && ', '}
          <code>
            <VisibleText text={k} />
          </code>
        </span>
      ))}
      {keys.length > shown.length && (
        <span className="muted">
          {' '}
          and {(keys.length - shown.length).toLocaleString('en-US')} more
        </span>
      )}
    </span>
  )
}

/** Empty the trash: all or older than N days, a plan, then "type N to empty N entries". */
function EmptySection({ writeReason }: { writeReason: string | null }) {
  const { trash } = useExplorer()
  const empty = useStore(trash, (s) => s.empty)
  const count = useStore(trash, (s) => s.entries.length)
  const [scope, setScope] = useState<'all' | 'older'>('all')
  const [days, setDays] = useState('30')
  const inputId = useId()
  const daysValue = Number(days)
  const daysOk = days.trim() !== '' && Number.isFinite(daysValue) && daysValue >= 0
  const planReason =
    writeReason ??
    (count === 0
      ? 'The trash is empty.'
      : scope === 'older' && !daysOk
        ? 'Give a number of days (0 or more).'
        : null)

  if (empty.phase === 'confirm') {
    const n = empty.plan.entries.length
    const matches = emptyConfirmed(empty.plan, empty.typed)
    if (n === 0) {
      return (
        <section className="trash-empty" aria-label="Empty the trash">
          <p>No trash entry is that old: nothing to empty.</p>
          <button type="button" onClick={() => trash.getState().cancelEmpty()}>
            Back
          </button>
        </section>
      )
    }
    return (
      <section className="trash-empty" aria-label="Empty the trash">
        <p>
          Emptying deletes {plural(n, 'trash entry', 'trash entries')} for good:{' '}
          {plural(
            empty.plan.entries.reduce((k, e) => k + e.keys.length, 0),
            'artifact',
          )}
          , {plural(empty.plan.objects, 'file')}, freeing{' '}
          <strong>{formatBytes(empty.plan.bytes)}</strong>. They cannot be restored after.
        </p>
        <form
          className="confirm-row"
          onSubmit={(e) => {
            e.preventDefault()
            void trash.getState().confirmEmpty()
          }}
        >
          <label htmlFor={inputId}>
            Type <strong>{n}</strong> to empty {plural(n, 'entry', 'entries')}
          </label>
          <input
            id={inputId}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={empty.typed}
            onChange={(e) => trash.getState().setTyped(e.target.value)}
          />
        </form>
        <div className="button-row">
          <button type="button" onClick={() => trash.getState().cancelEmpty()}>
            Back
          </button>
          <ActionButton
            className="danger"
            disabledReason={matches ? null : `Type ${n} above to confirm.`}
            onClick={() => void trash.getState().confirmEmpty()}
          >
            Empty {plural(n, 'entry', 'entries')} for good
          </ActionButton>
        </div>
      </section>
    )
  }

  return (
    <section className="trash-empty" aria-label="Empty the trash">
      <fieldset>
        <legend>Empty the trash</legend>
        <label>
          <input
            type="radio"
            name="trash-scope"
            checked={scope === 'all'}
            onChange={() => setScope('all')}
          />
          All entries
        </label>
        <label>
          <input
            type="radio"
            name="trash-scope"
            checked={scope === 'older'}
            onChange={() => setScope('older')}
          />
          Entries older than
        </label>
        <input
          type="number"
          min={0}
          className="days-input"
          aria-label="Days"
          value={days}
          disabled={scope !== 'older'}
          onChange={(e) => setDays(e.target.value)}
        />{' '}
        days
        <ActionButton
          disabledReason={planReason ?? (empty.phase === 'planning' ? 'Planning…' : null)}
          onClick={() => void trash.getState().planEmpty(scope === 'all' ? null : daysValue)}
        >
          Plan empty…
        </ActionButton>
      </fieldset>
      {empty.phase === 'running' && <Spinner label="Emptying the trash…" />}
      {empty.phase === 'done' && (
        <p role="status">
          Emptied {plural(empty.result.emptied.length, 'entry', 'entries')}:{' '}
          {formatBytes(empty.result.bytes)} freed.
        </p>
      )}
      {empty.phase === 'failed' && <ErrorNote title="Could not empty:">{empty.message}</ErrorNote>}
    </section>
  )
}

/** The Trash: what deletes moved aside, restore an entry, empty all or the old ones. */
export function TrashDialog() {
  const { trash, view } = useExplorer()
  const s = useStore(trash)
  const now = useStore(view, (v) => v.now)
  const { reason } = useReadonly()
  if (!s.open) return null
  const close = () => trash.getState().close()
  const busy = s.restoring !== null || s.empty.phase === 'running'

  return (
    <Dialog
      title="Trash"
      testId="trash-dialog"
      onClose={busy ? undefined : close}
      wide
      footer={
        <>
          <button type="button" onClick={() => void trash.getState().refresh()}>
            Refresh
          </button>
          <ActionButton disabledReason={busy ? 'Wait until it is done.' : null} onClick={close}>
            Close
          </ActionButton>
        </>
      }
    >
      <p className="muted">
        Deletes move artifacts here (<code>.xpersist-trash/</code> in the cache, unseen by Python
        xpersist). A restore never overwrites a key written since.
      </p>
      {s.loading && s.entries.length === 0 && <Spinner label="Reading the trash…" />}
      {s.error && <ErrorNote title="Could not list the trash:">{s.error}</ErrorNote>}
      {!s.loading && !s.error && s.entries.length === 0 && <p>The trash is empty.</p>}
      {s.entries.length > 0 && (
        <table className="plan-table trash-table" aria-label="Trash entries">
          <thead>
            <tr>
              <th scope="col">deleted</th>
              <th scope="col">artifacts</th>
              <th scope="col" className="num">
                files
              </th>
              <th scope="col" className="num">
                bytes
              </th>
              <th scope="col">
                <span className="visually-hidden">actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {s.entries.map((e) => {
              const ms = Date.parse(e.createdAt)
              return (
                <tr key={e.id}>
                  <td title={e.id}>
                    {formatLocal(ms)} <span className="muted">({formatAge(ms, now)})</span>
                  </td>
                  <td>
                    {e.keys.length.toLocaleString('en-US')}: <KeysPreview keys={e.keys} />
                  </td>
                  <td className="num">{e.objects.toLocaleString('en-US')}</td>
                  <td className="num">{formatBytes(e.bytes)}</td>
                  <td>
                    <ActionButton
                      aria-label={`Restore ${plural(e.keys.length, 'artifact')} deleted ${formatLocal(ms)}`}
                      disabledReason={
                        reason ??
                        (e.keys.length === 0
                          ? 'This entry holds no artifact to restore (only leftover files).'
                          : busy
                            ? 'Wait until the current step is done.'
                            : null)
                      }
                      onClick={() => void trash.getState().restore(e.id)}
                    >
                      {s.restoring === e.id ? 'Restoring…' : 'Restore'}
                    </ActionButton>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {s.restored && (
        <div role="status">
          <RestoreOutcome result={s.restored.result} />
        </div>
      )}
      {s.restoreError && <ErrorNote title="Could not restore:">{s.restoreError}</ErrorNote>}
      <EmptySection writeReason={reason} />
    </Dialog>
  )
}
