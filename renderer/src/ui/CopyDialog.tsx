import { useId } from 'react'
import { useStore } from 'zustand'
import type { CopyResult } from '../../../shared/ipc'
import { keysToCopy, type CopyStore, type DuplicatePolicy } from '../state/copy-store'
import { useExplorer } from '../state/hooks'
import { storageKind } from '../state/storage-form'
import { ActionButton } from './ActionButton'
import { Dialog } from './Dialog'
import { PlanScroll } from './PlanScroll'
import { formatBytes, plural } from './format'
import { ErrorNote, Spinner } from './Spinner'
import { StorageOptionsFields } from './StorageOptionsFields'
import { VisibleLines, VisibleText, visibleText } from './VisibleText'

const POLICIES: [DuplicatePolicy, string][] = [
  ['skip', 'Skip keys the destination already has'],
  ['overwrite', 'Overwrite keys the destination already has'],
  ['raise_error', 'Refuse the copy if any key is already there'],
]

/** What each action means to the user; the plan's reason says why. */
const ACTION_LABEL: Record<CopyResult['entries'][number]['action'], string> = {
  copy: 'copy',
  overwrite: 'overwrite',
  same: 'already there',
  skip: 'skip',
  refuse: 'refused',
  broken: 'broken',
}

function CopyPlanTable({ plan }: { plan: CopyResult }) {
  return (
    <PlanScroll
      entries={plan.entries}
      table={(entries) => (
        <table className="plan-table" aria-label="Copy plan">
          <thead>
            <tr>
              <th scope="col">key</th>
              <th scope="col">action</th>
              <th scope="col">why</th>
              <th scope="col" className="num">
                objects
              </th>
              <th scope="col" className="num">
                bytes
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.key} data-action={e.action}>
                <th scope="row">
                  <VisibleText text={e.key} />
                </th>
                <td>
                  <span className={`badge copy-${e.action}`}>{ACTION_LABEL[e.action]}</span>
                </td>
                <td className="muted">{e.reason ? <VisibleText text={e.reason} /> : null}</td>
                <td className="num" title={`${e.copyObjects} of ${e.objects} objects travel`}>
                  {e.copyObjects.toLocaleString('en-US')}
                  {e.copyObjects !== e.objects ? ` / ${e.objects.toLocaleString('en-US')}` : ''}
                </td>
                <td className="num">{formatBytes(e.copyBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  )
}

/** The destination field: typed or picked from recent caches, with its storage options. */
function DestinationForm({ copy }: { copy: CopyStore }) {
  const { app } = useExplorer()
  const info = useStore(app, (s) => s.info)
  const source = useStore(app, (s) => s.cache)
  const location = useStore(copy, (s) => s.location)
  const openError = useStore(copy, (s) => s.openError)
  const flow = useStore(copy, (s) => s.flow)
  const listId = useId()
  const kind = storageKind(location)
  const opening = flow.phase === 'destination' && flow.opening
  const recent = (info?.recent ?? []).filter((r) => r.location !== source?.location)
  return (
    <form
      className="copy-destination"
      aria-label="Destination cache"
      onSubmit={(e) => {
        e.preventDefault()
        void copy.getState().openDestination(info?.protocols)
      }}
    >
      <label className="storage-field">
        <span className="storage-label">Destination cache</span>
        <input
          type="text"
          aria-label="Destination cache location"
          placeholder="/path/to/cache, s3://bucket/cache or gs://bucket/cache"
          value={location}
          list={listId}
          spellCheck={false}
          onChange={(e) => copy.getState().setLocation(e.target.value)}
        />
      </label>
      <datalist id={listId}>
        {recent.map((r) => (
          <option key={r.location} value={r.location} />
        ))}
      </datalist>
      {recent.length > 0 && (
        <select
          aria-label="Recent caches"
          value=""
          onChange={(e) => {
            const r = recent.find((x) => x.location === e.target.value)
            if (r) copy.getState().pickRecent(r)
          }}
        >
          <option value="">Recent…</option>
          {recent.map((r) => (
            <option key={r.location} value={r.location}>
              {visibleText(r.location)}
            </option>
          ))}
        </select>
      )}
      {kind !== null && <StorageOptionsFields kind={kind} store={copy} />}
      <ActionButton
        type="submit"
        className="primary"
        disabledReason={opening ? 'Opening…' : location.trim() ? null : 'Type a destination first.'}
      >
        {opening ? 'Opening…' : 'Open and plan'}
      </ActionButton>
      {openError && (
        <div className="opener-error" role="alert">
          <VisibleLines text={openError} />
        </div>
      )}
    </form>
  )
}

/** What the plan leaves out, grouped by action, so "skipped and why" reads at a glance. */
function skippedSummary(plan: CopyResult): string | null {
  const left = plan.entries.filter((e) => e.action !== 'copy' && e.action !== 'overwrite')
  if (left.length === 0) return null
  const counts = new Map<string, number>()
  for (const e of left)
    counts.set(ACTION_LABEL[e.action], (counts.get(ACTION_LABEL[e.action]) ?? 0) + 1)
  return [...counts].map(([a, n]) => `${n.toLocaleString('en-US')} ${a}`).join(', ')
}

/** Copy to…: the destination, the dry-run plan, then the run with progress and a summary. */
export function CopyDialog() {
  const { copy } = useExplorer()
  const flow = useStore(copy, (s) => s.flow)
  const keys = useStore(copy, (s) => s.keys)
  const policy = useStore(copy, (s) => s.policy)
  const destination = useStore(copy, (s) => s.destination)
  const policyId = useId()
  if (flow.phase === 'idle') return null
  const close = () => copy.getState().close()
  const what = plural(keys.length, 'artifact')
  let title = `Copy ${what} to…`
  let closable = true
  let body: React.ReactNode
  let footer: React.ReactNode = (
    <button type="button" onClick={close}>
      Close
    </button>
  )
  const dest = destination ? <code>{visibleText(destination.location)}</code> : null
  const policyPicker = (
    <p className="copy-policy">
      <label htmlFor={policyId}>When a key is already there: </label>
      <select
        id={policyId}
        value={policy}
        disabled={flow.phase !== 'plan' && flow.phase !== 'planning'}
        onChange={(e) => void copy.getState().setPolicy(e.target.value as DuplicatePolicy)}
      >
        {POLICIES.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </p>
  )

  if (flow.phase === 'destination') {
    body = <DestinationForm copy={copy} />
    footer = (
      <button type="button" onClick={close}>
        Cancel
      </button>
    )
  } else if (flow.phase === 'planning') {
    body = (
      <>
        <p>To {dest}</p>
        {policyPicker}
        <Spinner label="Working out what would be copied (nothing is written yet)…" />
      </>
    )
    footer = (
      <button type="button" onClick={close}>
        Cancel
      </button>
    )
  } else if (flow.phase === 'plan') {
    const n = keysToCopy(flow.plan)
    const skipped = skippedSummary(flow.plan)
    const refused = flow.plan.entries.filter((e) => e.action === 'refuse').length
    body = (
      <>
        <p>
          To {dest}: {plural(n, 'artifact')} to copy, {plural(flow.plan.objects, 'object')},{' '}
          <strong>{formatBytes(flow.plan.bytes)}</strong> to transfer. Nothing has been written yet.
        </p>
        {skipped && <p className="copy-skipped">Not copied: {skipped} (the table says why).</p>}
        {policyPicker}
        <CopyPlanTable plan={flow.plan} />
      </>
    )
    footer = (
      <>
        <button type="button" onClick={() => copy.getState().changeDestination()}>
          Another destination
        </button>
        <button type="button" onClick={close}>
          Cancel
        </button>
        <ActionButton
          className="primary"
          disabledReason={
            refused > 0
              ? `${plural(refused, 'key')} already there: choose skip or overwrite above.`
              : n === 0
                ? 'Nothing to copy: every key is skipped.'
                : null
          }
          onClick={() => void copy.getState().run()}
        >
          Copy {plural(n, 'artifact')}
        </ActionButton>
      </>
    )
  } else if (flow.phase === 'running') {
    closable = false
    title = 'Copying…'
    const total = flow.status?.total ?? flow.plan.bytes
    const done = flow.status?.done ?? 0
    body = (
      <div className="copy-progress">
        <p>To {dest}</p>
        <progress max={Math.max(1, total)} value={done} aria-label="Copy progress" />
        <p role="status">
          {formatBytes(done)} of {formatBytes(total)} copied
          {flow.status?.current ? (
            <>
              {' '}
              — now <code>{visibleText(flow.status.current)}</code>
            </>
          ) : null}
        </p>
        {flow.cancelling && <p className="muted">Stopping; a key cut short is rolled back…</p>}
      </div>
    )
    footer = (
      <ActionButton
        disabledReason={flow.cancelling ? 'Stopping…' : null}
        onClick={() => void copy.getState().cancel()}
      >
        Cancel
      </ActionButton>
    )
  } else if (flow.phase === 'summary') {
    const r = flow.result
    const planned = keysToCopy(flow.plan)
    const skipped = flow.plan.entries.length - planned
    const failed = r ? planned - r.copiedKeys : planned
    title = r?.cancelled ? 'Copy cancelled' : flow.error ? 'Copy stopped' : 'Copied'
    body = (
      <div className="copy-summary" role="status">
        <p>
          To {dest}: <strong>{plural(r?.copiedKeys ?? 0, 'artifact')} copied</strong> (
          {formatBytes(r?.copiedBytes ?? 0)}), {skipped.toLocaleString('en-US')} skipped
          {failed > 0
            ? `, ${failed.toLocaleString('en-US')} ${r?.cancelled ? 'not copied' : 'failed'}`
            : ''}
          .
        </p>
        {r?.cancelled && (
          <p className="muted">
            A key cut short was rolled back: the destination has no half-copied artifact.
          </p>
        )}
        {flow.error && <ErrorNote title="The copy stopped:">{flow.error}</ErrorNote>}
      </div>
    )
  } else {
    title = 'Could not copy'
    body = <ErrorNote>{flow.message}</ErrorNote>
    footer = (
      <>
        <button type="button" onClick={() => copy.getState().changeDestination()}>
          Another destination
        </button>
        <button type="button" onClick={close}>
          Close
        </button>
      </>
    )
  }

  return (
    <Dialog
      title={title}
      testId="copy-dialog"
      onClose={closable ? close : undefined}
      footer={footer}
      wide
    >
      {body}
    </Dialog>
  )
}
