import { useId } from 'react'
import { useStore } from 'zustand'
import type { DeletePlanData } from '../../../shared/ipc'
import { confirmationMatches } from '../state/delete-store'
import { useExplorer } from '../state/hooks'
import { ActionButton } from './ActionButton'
import { Dialog } from './Dialog'
import { PlanScroll } from './PlanScroll'
import { formatBytes, plural } from './format'
import { ErrorNote, Spinner } from './Spinner'
import { VisibleText } from './VisibleText'

/** Bytes of the files a finished run actually removed. */
export function freedBytes(result: DeletePlanData): number {
  const gone = new Set(result.deleted)
  let bytes = 0
  for (const e of result.entries) for (const f of e.files) if (gone.has(f.path)) bytes += f.bytes
  return bytes
}

function PlanTable({ plan }: { plan: DeletePlanData }) {
  return (
    <PlanScroll
      entries={plan.entries}
      table={(entries) => (
        <table className="plan-table" aria-label="Delete plan">
          <thead>
            <tr>
              <th scope="col">path</th>
              <th scope="col">role</th>
              <th scope="col" className="num">
                bytes
              </th>
            </tr>
          </thead>
          {entries.map((e) => (
            <tbody key={e.key}>
              <tr className="plan-key">
                <th colSpan={2} scope="rowgroup">
                  <VisibleText text={e.key} />
                </th>
                <td className="num">{formatBytes(e.bytes)}</td>
              </tr>
              {e.files.map((f) => (
                <tr key={f.path}>
                  <td>
                    <code className="path">
                      <VisibleText text={f.path} />
                    </code>
                  </td>
                  <td>
                    <span className={`badge role-${f.role}`}>{f.role}</span>
                  </td>
                  <td className="num">{f.bytes.toLocaleString('en-US')}</td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      )}
    />
  )
}

/** The delete flow: the plan, "type N to delete N", progress with Cancel, then a summary. */
export function DeleteDialog() {
  const { deletion } = useExplorer()
  const flow = useStore(deletion, (s) => s.flow)
  const inputId = useId()
  if (flow.phase === 'idle') return null
  const close = () => deletion.getState().close()
  let body: React.ReactNode
  let footer: React.ReactNode = (
    <button type="button" onClick={close}>
      Close
    </button>
  )
  let title = 'Delete'
  let closable = true

  if (flow.phase === 'planning') {
    body = <Spinner label="Working out what would be deleted…" />
    footer = (
      <button type="button" onClick={close}>
        Cancel
      </button>
    )
  } else if (flow.phase === 'confirm') {
    const n = flow.plan.entries.length
    const what = plural(n, 'artifact')
    title = `Delete ${what}?`
    if (n === 0) {
      body = <p>Nothing to delete: none of these exist any more.</p>
    } else {
      const matches = confirmationMatches(flow.plan, flow.typed)
      body = (
        <>
          <p>
            This removes{' '}
            {plural(
              flow.plan.entries.reduce((k, e) => k + e.files.length, 0),
              'path',
            )}{' '}
            under <code>{flow.plan.root}</code> and frees{' '}
            <strong>{formatBytes(flow.plan.bytes)}</strong>. Sidecars go first, so a stop part-way
            never leaves a half-deleted artifact visible.
          </p>
          <PlanTable plan={flow.plan} />
          <form
            className="confirm-row"
            onSubmit={(e) => {
              e.preventDefault()
              void deletion.getState().confirm()
            }}
          >
            <label htmlFor={inputId}>
              Type <strong>{n}</strong> to delete {what}
            </label>
            <input
              id={inputId}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={flow.typed}
              onChange={(e) => deletion.getState().setTyped(e.target.value)}
            />
          </form>
          {flow.typed.trim() !== '' && !matches && (
            <p className="field-error" role="status">
              Type exactly {n}: the number of artifacts in this plan.
            </p>
          )}
        </>
      )
      footer = (
        <>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <ActionButton
            className="danger"
            disabledReason={matches ? null : `Type ${n} above to confirm.`}
            onClick={() => void deletion.getState().confirm()}
          >
            Delete {what}
          </ActionButton>
        </>
      )
    }
  } else if (flow.phase === 'starting' || flow.phase === 'running') {
    closable = false
    title = 'Deleting…'
    const status = flow.phase === 'running' ? flow.status : null
    const total = status?.total ?? flow.plan.entries.length
    const done = status?.done ?? 0
    const cancelling = flow.phase === 'running' && flow.cancelling
    body = (
      <div className="delete-progress">
        <progress max={Math.max(1, total)} value={done} aria-label="Delete progress" />
        <p role="status">
          {done.toLocaleString('en-US')} of {plural(total, 'artifact')} deleted
          {status?.current ? (
            <>
              {' '}
              — now <code>{status.current}</code>
            </>
          ) : null}
        </p>
        {cancelling && <p className="muted">Stopping after the current artifact…</p>}
      </div>
    )
    footer = (
      <ActionButton
        disabledReason={flow.phase === 'starting' ? 'Starting…' : cancelling ? 'Stopping…' : null}
        onClick={() => void deletion.getState().cancel()}
      >
        Cancel
      </ActionButton>
    )
  } else if (flow.phase === 'summary') {
    const result = flow.result
    const deletedEntries = result
      ? result.entries.filter((e) => e.files.every((f) => result.deleted.includes(f.path))).length
      : 0
    title = result?.cancelled ? 'Delete cancelled' : flow.error ? 'Delete stopped' : 'Deleted'
    body = (
      <div className="delete-summary" role="status">
        {result && (
          <p>
            {result.cancelled ? 'Cancelled after' : 'Deleted'} {plural(deletedEntries, 'artifact')}{' '}
            of {result.entries.length.toLocaleString('en-US')}:{' '}
            {plural(result.deleted.length, 'path')} removed,{' '}
            <strong>{formatBytes(freedBytes(result))}</strong> freed.
          </p>
        )}
        {result?.cancelled && (
          <p className="muted">Nothing was left half-deleted: the rest is untouched.</p>
        )}
        {flow.error && <ErrorNote title="The delete stopped:">{flow.error}</ErrorNote>}
      </div>
    )
  } else {
    title = 'Could not delete'
    body = <ErrorNote>{flow.message}</ErrorNote>
  }

  return (
    <Dialog
      title={title}
      testId="delete-dialog"
      onClose={closable ? close : undefined}
      footer={footer}
      wide
    >
      {body}
    </Dialog>
  )
}
