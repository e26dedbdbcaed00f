import { useId } from 'react'
import { useStore } from 'zustand'
import type { DeletePlanData } from '../../../shared/ipc'
import { confirmationMatches } from '../state/delete-store'
import { useExplorer } from '../state/hooks'
import { ActionButton } from './ActionButton'
import { Dialog } from './Dialog'
import { PlanScroll } from './PlanScroll'
import { PlanSummary } from './PlanSummary'
import { RestoreOutcome } from './RestoreOutcome'
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

/** What moving to the trash does, and on an object store what it costs. */
function TrashNote({ plan }: { plan: DeletePlanData }) {
  const orphans = plan.entries.filter((e) => e.files.every((f) => f.role === 'orphan')).length
  const move = plan.trash
  return (
    <>
      <p>
        The artifacts move to the trash,{' '}
        <code>{plan.root.replace(/\/$/, '')}/.xpersist-trash/</code>
        &lt;timestamp&gt;<code>/</code>: gone from the cache at once, restorable (Undo, or Trash in
        the top bar) until the trash is emptied. Nothing is freed until then.
      </p>
      {move?.method === 'copy' && (
        <p className="muted">
          On this object store a move is a copy then a delete: {plural(move.copyObjects, 'object')}{' '}
          ({formatBytes(move.copyBytes)}) are copied into the trash first, which takes requests and
          time like an upload; deleting permanently copies nothing.
        </p>
      )}
      {orphans > 0 && (
        <p className="muted">
          {plural(orphans, 'orphan file')} belong to no artifact: they are deleted, not trashed.
        </p>
      )}
    </>
  )
}

/**
 * The delete flow: the plan with its summary, "type N to move N to the trash" (or to delete
 * them permanently), progress with Cancel, then a summary with Undo.
 */
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
    // Orphan files are never trashed: a plan of orphans alone deletes, and says so.
    const onlyOrphans = flow.plan.entries.every((e) => e.files.every((f) => f.role === 'orphan'))
    const permanent = flow.permanent || onlyOrphans
    const action = permanent ? `delete ${what} permanently` : `move ${what} to the trash`
    title = `Delete ${what}?`
    if (n === 0) {
      body = <p>Nothing to delete: none of these exist any more.</p>
    } else {
      const matches = confirmationMatches(flow.plan, flow.typed)
      const paths = flow.plan.entries.reduce((k, e) => k + e.files.length, 0)
      body = (
        <>
          <PlanSummary plan={flow.plan} />
          {permanent ? (
            <p>
              This removes {plural(paths, 'path')} under <code>{flow.plan.root}</code> for good and
              frees <strong>{formatBytes(flow.plan.bytes)}</strong>. Sidecars go first, so a stop
              part-way never leaves a half-deleted artifact visible.
            </p>
          ) : (
            <TrashNote plan={flow.plan} />
          )}
          {!onlyOrphans && (
            <label className="permanent-toggle">
              <input
                type="checkbox"
                checked={permanent}
                onChange={(e) => deletion.getState().setPermanent(e.target.checked)}
              />
              Delete permanently (skip the trash: there is no Undo)
            </label>
          )}
          <PlanTable plan={flow.plan} />
          <form
            className="confirm-row"
            onSubmit={(e) => {
              e.preventDefault()
              void deletion.getState().confirm()
            }}
          >
            <label htmlFor={inputId}>
              Type <strong>{n}</strong> to {action}
            </label>
            {/* The plan arrives after the dialog opened: the count is what to type next. */}
            <input
              id={inputId}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              autoFocus
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
            {permanent ? `Delete ${what} permanently` : `Move ${what} to the trash`}
          </ActionButton>
        </>
      )
    }
  } else if (flow.phase === 'starting' || flow.phase === 'running') {
    closable = false
    title = flow.permanent ? 'Deleting…' : 'Moving to the trash…'
    const status = flow.phase === 'running' ? flow.status : null
    const total = status?.total ?? flow.plan.entries.length
    const done = status?.done ?? 0
    const cancelling = flow.phase === 'running' && flow.cancelling
    body = (
      <div className="delete-progress">
        <progress max={Math.max(1, total)} value={done} aria-label="Delete progress" />
        <p role="status">
          {done.toLocaleString('en-US')} of {plural(total, 'artifact')}{' '}
          {flow.permanent ? 'deleted' : 'moved to the trash'}
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
    const trashId = result?.trash?.id ?? null
    title = result?.cancelled
      ? 'Delete cancelled'
      : flow.error
        ? 'Delete stopped'
        : trashId
          ? 'Moved to the trash'
          : 'Deleted'
    body = (
      <div className="delete-summary" role="status">
        {result && !trashId && (
          <p>
            {result.cancelled ? 'Cancelled after' : 'Deleted'} {plural(deletedEntries, 'artifact')}{' '}
            of {result.entries.length.toLocaleString('en-US')}:{' '}
            {plural(result.deleted.length, 'path')} removed,{' '}
            <strong>{formatBytes(freedBytes(result))}</strong> freed.
          </p>
        )}
        {result && trashId && (
          <p>
            {result.cancelled ? 'Cancelled after moving' : 'Moved'}{' '}
            {plural(deletedEntries, 'artifact')} of {result.entries.length.toLocaleString('en-US')}{' '}
            to the trash (<strong>{formatBytes(freedBytes(result))}</strong>, entry{' '}
            <code>{trashId}</code>). Nothing is freed until the trash is emptied; Undo puts them
            back.
          </p>
        )}
        {flow.undo?.phase === 'running' && <Spinner label="Restoring from the trash…" />}
        {flow.undo?.phase === 'done' && <RestoreOutcome result={flow.undo.result} />}
        {flow.undo?.phase === 'failed' && (
          <ErrorNote title="Undo failed:">{flow.undo.message}</ErrorNote>
        )}
        {result?.cancelled && (
          <p className="muted">Nothing was left half-deleted: the rest is untouched.</p>
        )}
        {flow.error && <ErrorNote title="The delete stopped:">{flow.error}</ErrorNote>}
      </div>
    )
    if (trashId && deletedEntries > 0) {
      const undone = flow.undo?.phase === 'done' || flow.undo?.phase === 'running'
      footer = (
        <>
          <ActionButton
            disabledReason={undone ? 'Already restored from the trash.' : null}
            onClick={() => void deletion.getState().undo()}
          >
            Undo
          </ActionButton>
          <button type="button" onClick={close}>
            Close
          </button>
        </>
      )
    }
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
