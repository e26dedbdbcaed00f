import { useStore } from 'zustand'
import { cleanTarget, type DoctorReportData } from '../state/doctor-store'
import { useExplorer, useReadonly } from '../state/hooks'
import { ActionButton } from './ActionButton'
import { Dialog } from './Dialog'
import { formatBytes, plural } from './format'
import { ErrorNote, Spinner } from './Spinner'
import { VisibleText } from './VisibleText'

function Finding({
  title,
  count,
  children,
}: {
  title: string
  count: number
  children: React.ReactNode
}) {
  if (count === 0) return null
  return (
    <section className="finding" aria-label={title}>
      <h3>
        {title} <span className="count">{count.toLocaleString('en-US')}</span>
      </h3>
      {children}
    </section>
  )
}

/** Paths with their sizes, the first 500 of them. */
function FileList({ files }: { files: readonly { path: string; bytes: number }[] }) {
  return (
    <ul className="finding-list">
      {files.slice(0, 500).map((o) => (
        <li key={o.path}>
          <code className="path">
            <VisibleText text={o.path} />
          </code>{' '}
          <span className="muted">{formatBytes(o.bytes)}</span>
        </li>
      ))}
    </ul>
  )
}

/** What Clean… leaves of what doctor lists, and why, one line per kind found. */
function keptByClean(r: DoctorReportData): string[] {
  const kept: string[] = []
  if (r.beingWritten.length > 0)
    kept.push(
      `${plural(r.beingWritten.length, 'file')} being written: another writer is creating ` +
        'them now, and deleting them would break its put. Still without a sidecar after 10 ' +
        'minutes, they show as orphans.',
    )
  if (r.interrupted.length > 0)
    kept.push(
      `${plural(r.interrupted.length, 'interrupted write')}: these are finished or undone, ` +
        'not deleted; use Repair.',
    )
  if (r.unknownSerializers.length > 0)
    kept.push(
      `${plural(r.unknownSerializers.length, 'artifact')} with an unknown serializer: their ` +
        'files are intact and load once that serializer is installed.',
    )
  if (r.keyMismatches.length > 0)
    kept.push(
      `${plural(r.keyMismatches.length, 'key mismatch', 'key mismatches')}: the artifact ` +
        'reads fine; only you can tell which key is right (delete it from the table if unwanted).',
    )
  return kept
}

/** The Doctor view: what is wrong in the cache, and "Clean…" into the delete plan. */
export function DoctorDialog() {
  const explorer = useExplorer()
  const { doctor, app } = explorer
  const s = useStore(doctor, (x) => x)
  const cache = useStore(app, (x) => x.cache)
  const { reason } = useReadonly()
  if (!s.open || !cache) return null
  const r = s.report
  const orphanBytes = r ? r.orphans.reduce((n, o) => n + o.bytes, 0) : 0
  const target = r ? cleanTarget(r) : null
  const cleanable = target !== null && target.keys.length + target.orphans.length > 0
  const kept = r && s.status !== 'running' && r.notACache === null ? keptByClean(r) : []

  return (
    <Dialog
      title="Doctor"
      testId="doctor-dialog"
      wide
      onClose={() => doctor.getState().hide()}
      footer={
        <>
          <button type="button" onClick={() => void doctor.getState().run(cache.cacheId)}>
            Check again
          </button>
          {cleanable && (
            <ActionButton
              className="danger"
              disabledReason={reason}
              onClick={() => explorer.cleanDoctor('all')}
            >
              Clean…
            </ActionButton>
          )}
          <button type="button" onClick={() => doctor.getState().hide()}>
            Close
          </button>
        </>
      }
    >
      {s.status === 'running' && <Spinner label="Checking every sidecar and payload…" />}
      {s.status === 'error' && <ErrorNote title="Doctor could not finish:">{s.error}</ErrorNote>}
      {r && s.status !== 'running' && (
        <div className="doctor-report">
          {r.notACache !== null ? (
            <p>
              <code>{r.root}</code> is not an xpersist cache ({r.notACache}); nothing to check, and
              no file here is treated as an orphan.
            </p>
          ) : (
            <p>
              {r.ok ? 'No problems found in ' : 'Problems found in '}
              <code>{r.root}</code>.
            </p>
          )}
          <Finding title="Orphan files (no sidecar claims them)" count={r.orphans.length}>
            <p className="muted small">
              {formatBytes(orphanBytes)} in total; often temp files of interrupted writes.
            </p>
            <FileList files={r.orphans} />
            <ActionButton disabledReason={reason} onClick={() => explorer.cleanDoctor('orphans')}>
              Clean {plural(r.orphans.length, 'orphan')}…
            </ActionButton>
          </Finding>
          <Finding
            title="Being written (no sidecar yet, under 10 minutes old)"
            count={r.beingWritten.length}
          >
            <p className="muted small">
              Another writer is creating these keys; they are not orphans, and Clean… leaves them.
            </p>
            <FileList files={r.beingWritten} />
          </Finding>
          <Finding title="Broken sidecars" count={r.brokenSidecars.length}>
            <ul className="finding-list">
              {r.brokenSidecars.slice(0, 500).map((b) => (
                <li key={b.key}>
                  <code>
                    <VisibleText text={b.key} />
                  </code>
                  : <VisibleText text={b.error.message} />
                </li>
              ))}
            </ul>
            <ActionButton disabledReason={reason} onClick={() => explorer.cleanDoctor('broken')}>
              Delete {plural(r.brokenSidecars.length, 'broken artifact')}…
            </ActionButton>
          </Finding>
          <Finding
            title="Missing payloads (sidecar without its data)"
            count={r.missingPayload.length}
          >
            <ul className="finding-list">
              {r.missingPayload.slice(0, 500).map((k) => (
                <li key={k}>
                  <code>{k}</code>
                </li>
              ))}
            </ul>
            <ActionButton disabledReason={reason} onClick={() => explorer.cleanDoctor('missing')}>
              Delete {plural(r.missingPayload.length, 'sidecar')} without payload…
            </ActionButton>
          </Finding>
          <Finding
            title="Interrupted writes (their process died halfway)"
            count={r.interrupted.length}
          >
            <p className="muted small">
              The next write of each key repairs it first; Repair finishes or undoes them all now.
            </p>
            <ul className="finding-list">
              {r.interrupted.slice(0, 500).map((i) => (
                <li key={i.lock}>
                  <code>{i.key ?? i.lock}</code>
                  {i.op ? ` (${i.op})` : ''}: {i.repair}
                </li>
              ))}
            </ul>
            {s.repairError && <ErrorNote title="Not repaired:">{s.repairError}</ErrorNote>}
            <ActionButton
              disabledReason={reason ?? (s.repairing ? 'Repairing…' : null)}
              onClick={() => void doctor.getState().repair(cache.cacheId)}
            >
              {s.repairing
                ? 'Repairing…'
                : `Repair ${plural(r.interrupted.length, 'interrupted write')}`}
            </ActionButton>
          </Finding>
          <Finding title="Unknown serializers" count={r.unknownSerializers.length}>
            <p className="muted small">
              These load nowhere until a serializer of that name is registered.
            </p>
            <ul className="finding-list">
              {r.unknownSerializers.slice(0, 500).map((u) => (
                <li key={u.key}>
                  <code>
                    <VisibleText text={u.key} />
                  </code>
                  :{' '}
                  <code>
                    <VisibleText text={u.serializer} />
                  </code>
                </li>
              ))}
            </ul>
          </Finding>
          <Finding
            title="Key mismatches (sidecar records another key)"
            count={r.keyMismatches.length}
          >
            <ul className="finding-list">
              {r.keyMismatches.slice(0, 500).map((m) => (
                <li key={m.key}>
                  file{' '}
                  <code>
                    <VisibleText text={m.key} />
                  </code>{' '}
                  records{' '}
                  <code>
                    <VisibleText text={m.recorded} />
                  </code>
                </li>
              ))}
            </ul>
          </Finding>
          {kept.length > 0 && (
            <section className="finding" aria-label="What Clean… leaves">
              <h3>What Clean… leaves</h3>
              <p className="muted small">
                {cleanable
                  ? 'Clean… deletes the orphan files, broken artifacts and sidecars without payload listed above. It leaves:'
                  : 'Nothing listed here is deleted by cleaning:'}
              </p>
              <ul className="finding-list">
                {kept.map((k) => (
                  <li key={k}>{k}</li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </Dialog>
  )
}
